//! `drplan graph <scenario> --format dot|mermaid`: the topology as a diagram.

use std::collections::HashSet;
use std::path::PathBuf;

use super::{CliError, Outcome};
use crate::analysis::topology::Topology;
use crate::model::load_file;
use crate::report::graph::{GraphFormat, render};

/// Arguments of `drplan graph`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Scenario file.
    pub scenario: PathBuf,
    /// Diagram language.
    #[arg(long, short, value_enum, default_value = "dot")]
    pub format: GraphFormat,
    /// Write to this file instead of standard output.
    #[arg(long, short)]
    pub out: Option<PathBuf>,
}

/// Run `drplan graph`.
pub fn run(args: Args) -> Result<Outcome, CliError> {
    let s = load_file(&args.scenario)?;
    let t = Topology::build(&s);
    let text = render(&s, &t, args.format, &HashSet::new());
    match args.out {
        Some(path) => crate::atomic::write_atomic(&path, text.as_bytes())
            .map_err(|source| CliError::Write { path, source })?,
        None => print!("{text}"),
    }
    Ok(Outcome::Ok)
}
