//! Errors of loading a scenario, rendered by miette with the file name,
//! line:column, a source snippet and a hint. Every problem of a file is
//! collected before reporting.

use std::path::PathBuf;

use miette::{Diagnostic, NamedSource, SourceSpan};

/// One thing wrong in a scenario file.
#[derive(Debug, Clone, PartialEq, thiserror::Error, Diagnostic)]
#[error("{message}")]
pub struct Problem {
    /// What is wrong.
    pub message: String,
    /// Where (byte offset and length in the file).
    #[label("{label}")]
    pub span: Option<SourceSpan>,
    /// Short text under the snippet.
    pub label: String,
    /// How to fix it.
    #[help]
    pub help: Option<String>,
}

impl Problem {
    /// A problem at a span, with a hint.
    pub fn at(
        span: Option<(usize, usize)>,
        message: impl Into<String>,
        label: impl Into<String>,
        help: impl Into<String>,
    ) -> Self {
        let help: String = help.into();
        Self {
            message: message.into(),
            span: span.map(|(o, l)| SourceSpan::new(o.into(), l)),
            label: label.into(),
            help: (!help.is_empty()).then_some(help),
        }
    }
}

/// Why a scenario could not be loaded.
#[derive(Debug, thiserror::Error, Diagnostic)]
pub enum LoadError {
    /// The file could not be read.
    #[error("cannot read {}: {source}", path.display())]
    #[diagnostic(code(drplan::io), help("check the path and its permissions"))]
    Io {
        /// The path.
        path: PathBuf,
        /// The cause.
        source: std::io::Error,
    },
    /// The file was read but is not a valid scenario.
    #[error("{} is not a valid scenario ({} problem{})", name, problems.len(), if problems.len() == 1 { "" } else { "s" })]
    #[diagnostic(code(drplan::invalid_scenario))]
    Invalid {
        /// Display name of the file.
        name: String,
        /// The file's text, for snippets.
        #[source_code]
        src: NamedSource<String>,
        /// Everything wrong with it.
        #[related]
        problems: Vec<Problem>,
    },
}

impl LoadError {
    /// The problems found (empty for I/O errors).
    pub fn problems(&self) -> &[Problem] {
        match self {
            Self::Io { .. } => &[],
            Self::Invalid { problems, .. } => problems,
        }
    }
}
