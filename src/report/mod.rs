//! Renderers: turn the model and analysis results into text for people and
//! tools. A renderer never recomputes an analysis.
//!
//! Reports flow in three steps: [`build`] fills a [`context::ReportContext`]
//! (plain data; analysis sections optional), [`document`] lays it out as
//! format-neutral sections with [`charts`], and a [`Renderer`] (one file per
//! format: [`html`], `pdf`) draws the document.

pub mod build;
pub mod charts;
pub mod compare;
pub mod context;
pub mod cost_table;
pub mod disk_table;
pub mod document;
pub mod fonts;
pub mod format;
pub mod graph;
pub mod html;
#[cfg(feature = "pdf")]
pub mod pdf;
pub mod results;
pub mod simulate_table;
pub mod sources;
pub mod spof_table;

use document::Document;
use rayon::prelude::*;

/// Why a report could not be produced.
#[derive(Debug, thiserror::Error)]
pub enum ReportError {
    /// A chart could not be drawn.
    #[error(transparent)]
    Chart(#[from] charts::ChartError),
    /// The HTML template failed.
    #[error("HTML template: {0}")]
    Template(String),
    /// The PDF could not be written.
    #[error("PDF: {0}")]
    Pdf(String),
}

/// One output format of a report.
pub trait Renderer: Send + Sync {
    /// File extension of the output ("html", "pdf").
    fn extension(&self) -> &'static str;
    /// Render a document to bytes.
    fn render(&self, doc: &Document) -> Result<Vec<u8>, ReportError>;
}

/// The output formats this build supports.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Format {
    /// One self-contained HTML file.
    Html,
    /// PDF with searchable text and vector charts.
    Pdf,
}

impl Format {
    /// The renderer for this format, or `None` when the build left it out.
    pub fn renderer(self) -> Option<Box<dyn Renderer>> {
        self.renderer_with(&html::Overrides::default())
    }

    /// The renderer for this format with the user's HTML templates.
    pub fn renderer_with(self, overrides: &html::Overrides) -> Option<Box<dyn Renderer>> {
        match self {
            Format::Html => Some(Box::new(html::Html {
                overrides: overrides.clone(),
            })),
            #[cfg(feature = "pdf")]
            Format::Pdf => Some(Box::new(pdf::Pdf)),
            #[cfg(not(feature = "pdf"))]
            Format::Pdf => None,
        }
    }
}

/// One rendered file.
#[derive(Debug, Clone, PartialEq)]
pub struct Output {
    /// File name (no directory): `<scenario>.html`, `comparison.pdf` …
    pub file_name: String,
    /// Content.
    pub bytes: Vec<u8>,
}

/// Render one report per context, plus `comparison.*` when there are
/// several, in every requested format.
pub fn render_all(
    reports: &[context::ReportContext],
    formats: &[Format],
) -> Result<Vec<Output>, ReportError> {
    let set = context::ComparisonContext {
        reports: reports.to_vec(),
        pareto_optimal: None,
        recommendation: None,
    };
    render_set(&set, formats)
}

/// Render every report of `set` and, when it holds several, the comparison
/// (with its Pareto set and recommendation when the analyses provided them).
pub fn render_set(
    set: &context::ComparisonContext,
    formats: &[Format],
) -> Result<Vec<Output>, ReportError> {
    render_set_with(set, formats, &html::Overrides::default())
}

/// [`render_set`] with the user's HTML templates.
pub fn render_set_with(
    set: &context::ComparisonContext,
    formats: &[Format],
    overrides: &html::Overrides,
) -> Result<Vec<Output>, ReportError> {
    let mut docs = Vec::new();
    for r in &set.reports {
        docs.push((r.name.clone(), document::scenario(r)?));
    }
    if set.reports.len() > 1 {
        docs.push(("comparison".to_string(), document::comparison(set)?));
    }
    let mut jobs = Vec::new();
    for f in formats {
        let Some(renderer) = f.renderer_with(overrides) else {
            return Err(ReportError::Pdf(
                "this build has no PDF support (rebuild with the `pdf` feature)".into(),
            ));
        };
        let renderer: std::sync::Arc<dyn Renderer> = renderer.into();
        jobs.extend(docs.iter().map(|d| (renderer.clone(), d)));
    }
    // Documents render independently; the output keeps the order above.
    jobs.par_iter()
        .map(|(renderer, (name, doc))| {
            Ok(Output {
                file_name: format!("{name}.{}", renderer.extension()),
                bytes: renderer.render(doc)?,
            })
        })
        .collect()
}
