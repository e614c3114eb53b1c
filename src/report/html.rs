//! The HTML renderer: one self-contained file (inline CSS and SVG, no
//! script, no network), readable in print. Templates are `templates/*.html`,
//! compiled in with askama. Overriding them from a folder at run time is
//! future work: askama checks templates at compile time.

use askama::Template;

use super::document::{Block, Document};
use super::{Renderer, ReportError};

/// Renders a [`Document`] as HTML.
#[derive(Debug, Clone, Copy, Default)]
pub struct Html;

#[derive(Template)]
#[template(path = "report.html")]
struct Page<'a> {
    doc: &'a Document,
}

impl Renderer for Html {
    fn extension(&self) -> &'static str {
        "html"
    }

    fn render(&self, doc: &Document) -> Result<Vec<u8>, ReportError> {
        Page { doc }
            .render()
            .map(String::into_bytes)
            .map_err(|e| ReportError::Template(e.to_string()))
    }
}

/// Render to a string (convenience for tests and callers that want text).
pub fn render(doc: &Document) -> Result<String, ReportError> {
    let bytes = Html.render(doc)?;
    String::from_utf8(bytes).map_err(|e| ReportError::Template(e.to_string()))
}

// Askama resolves `Block::…` in the template through this module's scope.
#[allow(dead_code)]
type _UsesBlock = Block;
