//! Errors at the edge: everything that ends a run with exit code 2.

use std::path::PathBuf;

use miette::Diagnostic;

use crate::model::LoadError;

/// Why a command could not do its job.
#[derive(Debug, thiserror::Error, Diagnostic)]
pub enum CliError {
    /// A scenario could not be loaded.
    #[error(transparent)]
    #[diagnostic(transparent)]
    Load(#[from] LoadError),
    /// Several scenarios could not be loaded (already printed).
    #[error("{0} scenario file(s) invalid; see the problems above")]
    #[diagnostic(code(drplan::invalid_scenarios))]
    Invalid(usize),
    /// The command line asks for something impossible.
    #[error("{message}")]
    #[diagnostic(code(drplan::usage))]
    Usage {
        /// What is wrong.
        message: String,
        /// How to fix it.
        #[help]
        help: Option<String>,
    },
    /// A report could not be rendered.
    #[error(transparent)]
    #[diagnostic(code(drplan::report))]
    Report(#[from] crate::report::ReportError),
    /// Standard output was closed by its reader (`| head`): the run ends
    /// quietly with exit 0.
    #[error("standard output closed")]
    #[diagnostic(code(drplan::closed_output))]
    ClosedOutput,
    /// Writing an output failed.
    #[error("cannot write {}: {source}", path.display())]
    #[diagnostic(code(drplan::io))]
    Write {
        /// The path.
        path: PathBuf,
        /// The cause.
        source: std::io::Error,
    },
}

impl CliError {
    /// A usage error with a hint.
    pub fn usage(message: impl Into<String>, help: impl Into<String>) -> Self {
        Self::Usage {
            message: message.into(),
            help: Some(help.into()),
        }
    }
}
