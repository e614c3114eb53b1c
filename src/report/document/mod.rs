//! A format-neutral report document: sections of blocks (paragraphs,
//! tables, charts, notices). The HTML and PDF renderers both draw this, so
//! the two formats always carry the same content.

mod analyses;
mod comparison;
mod scenario;

pub use comparison::comparison;
pub use scenario::scenario;

use super::charts::Chart;

/// A whole report.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Document {
    /// Title (`<h1>`).
    pub title: String,
    /// One line under the title.
    pub subtitle: String,
    /// Sections in reading order.
    pub sections: Vec<Section>,
}

/// A numbered section.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Section {
    /// Anchor id.
    pub id: String,
    /// Heading.
    pub title: String,
    /// Content.
    pub blocks: Vec<Block>,
}

/// A piece of content.
/// Serialized for user templates as `{kind: "table", content: …}`.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
#[serde(tag = "kind", content = "content", rename_all = "snake_case")]
pub enum Block {
    /// A sub-heading.
    Heading(String),
    /// A paragraph of text.
    Paragraph(String),
    /// A result that was not computed, or a warning.
    Notice(Notice),
    /// Label/value pairs.
    Facts(Vec<(String, String)>),
    /// A table.
    Table(Table),
    /// A chart.
    Chart(Chart),
    /// Links to other files beside this one: (label, relative file name).
    Links(Vec<(String, String)>),
}

/// A highlighted note.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Notice {
    /// "not-computed", "warning" or "ok".
    pub kind: &'static str,
    /// Text.
    pub text: String,
}

/// A table with a caption and column headers.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Table {
    /// Caption (`<caption>`).
    pub caption: String,
    /// Column headers.
    pub headers: Vec<String>,
    /// Which columns are numeric (right-aligned).
    pub numeric: Vec<bool>,
    /// Rows; the first cell of each row is its header.
    pub rows: Vec<Vec<Cell>>,
}

/// One table cell.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Cell {
    /// Text.
    pub text: String,
    /// "met", "breached" or "" (plain).
    pub status: &'static str,
}

impl Cell {
    /// A plain cell.
    pub fn plain(text: impl Into<String>) -> Self {
        Self {
            text: text.into(),
            status: "",
        }
    }
    /// A cell marked met (true) or breached (false).
    pub fn status(text: impl Into<String>, met: bool) -> Self {
        Self {
            text: text.into(),
            status: if met { "met" } else { "breached" },
        }
    }
}

impl Table {
    /// A table with all columns textual except those listed as numeric.
    pub fn new(caption: &str, headers: &[&str], numeric: &[usize]) -> Self {
        Self {
            caption: caption.to_string(),
            headers: headers.iter().map(|h| h.to_string()).collect(),
            numeric: (0..headers.len()).map(|i| numeric.contains(&i)).collect(),
            rows: Vec::new(),
        }
    }
    /// Append a row of plain cells.
    pub fn row<S: Into<String>>(&mut self, cells: impl IntoIterator<Item = S>) {
        self.rows.push(cells.into_iter().map(Cell::plain).collect());
    }
}

/// The "not computed" notice for an analysis that has not run.
pub fn not_computed(what: &str, command: &str) -> Block {
    Block::Notice(Notice {
        kind: "not-computed",
        text: format!(
            "Not computed: {what} is not part of this report yet (see `{command}`). No figure is shown rather than an invented one."
        ),
    })
}

impl Document {
    /// Every chart in the document, in order.
    pub fn charts(&self) -> impl Iterator<Item = &Chart> {
        self.sections.iter().flat_map(|s| {
            s.blocks.iter().filter_map(|b| match b {
                Block::Chart(c) => Some(c),
                _ => None,
            })
        })
    }
}
