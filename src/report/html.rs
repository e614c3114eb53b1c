//! The HTML renderer: one self-contained file (inline CSS and SVG, no
//! script, no network), readable in print. The built-in templates are
//! `templates/*.html` and `templates/report.css`, compiled in with askama.
//! Users may override them from a folder (`drplan report --templates DIR`):
//! `report.css` replaces the style sheet, and `report.html` (Jinja syntax,
//! rendered with minijinja) replaces the page; it receives `doc` (the
//! [`Document`], blocks as `{kind, content}`) and `css`.

use std::path::Path;

use askama::Template;

use super::document::{Block, Document};
use super::{Renderer, ReportError};

/// The built-in style sheet.
pub const DEFAULT_CSS: &str = include_str!("../../templates/report.css");

/// Templates read from a user's folder.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Overrides {
    /// Replacement page template (Jinja syntax), if any.
    pub page: Option<String>,
    /// Replacement style sheet, if any.
    pub css: Option<String>,
}

impl Overrides {
    /// Read `report.html` and/or `report.css` from `dir`; at least one must exist.
    pub fn from_dir(dir: &Path) -> Result<Self, ReportError> {
        let read = |name: &str| -> Result<Option<String>, ReportError> {
            let p = dir.join(name);
            match std::fs::read_to_string(&p) {
                Ok(t) => Ok(Some(t)),
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
                Err(e) => Err(ReportError::Template(format!("{}: {e}", p.display()))),
            }
        };
        let o = Self {
            page: read("report.html")?,
            css: read("report.css")?,
        };
        if o.page.is_none() && o.css.is_none() {
            return Err(ReportError::Template(format!(
                "{} holds neither report.html nor report.css",
                dir.display()
            )));
        }
        Ok(o)
    }
}

/// Renders a [`Document`] as HTML.
#[derive(Debug, Clone, Default)]
pub struct Html {
    /// User templates, if any.
    pub overrides: Overrides,
}

#[derive(Template)]
#[template(path = "report.html")]
struct Page<'a> {
    doc: &'a Document,
    css: &'a str,
}

impl Renderer for Html {
    fn extension(&self) -> &'static str {
        "html"
    }

    fn render(&self, doc: &Document) -> Result<Vec<u8>, ReportError> {
        let css = self.overrides.css.as_deref().unwrap_or(DEFAULT_CSS);
        match &self.overrides.page {
            None => Page { doc, css }.render(),
            Some(page) => return render_user(page, doc, css).map(String::into_bytes),
        }
        .map(String::into_bytes)
        .map_err(|e| ReportError::Template(e.to_string()))
    }
}

fn render_user(page: &str, doc: &Document, css: &str) -> Result<String, ReportError> {
    let mut env = minijinja::Environment::new();
    env.set_auto_escape_callback(|_| minijinja::AutoEscape::Html);
    env.set_undefined_behavior(minijinja::UndefinedBehavior::Strict);
    let describe = |e: minijinja::Error| {
        let at = e.line().map_or(String::new(), |l| format!(" (line {l})"));
        ReportError::Template(format!("report.html{at}: {e}"))
    };
    env.add_template("report.html", page).map_err(describe)?;
    env.get_template("report.html")
        .and_then(|t| t.render(minijinja::context! { doc => doc, css => css }))
        .map_err(describe)
}

/// Render to a string with the built-in templates (for tests and callers that want text).
pub fn render(doc: &Document) -> Result<String, ReportError> {
    let bytes = Html::default().render(doc)?;
    String::from_utf8(bytes).map_err(|e| ReportError::Template(e.to_string()))
}

// Askama resolves `Block::…` in the template through this module's scope.
#[allow(dead_code)]
type _UsesBlock = Block;
