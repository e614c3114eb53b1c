//! `drplan spof <scenario>`: single points of failure, minimal cut sets and
//! importance measures, as a table, JSON, or a diagram with the SPOFs marked.

use std::path::PathBuf;

use super::{CliError, Outcome, out};
use crate::analysis::spof;
use crate::analysis::topology::Topology;
use crate::model::load_file;
use crate::report::graph::{GraphFormat, render};

/// Output formats of `drplan spof`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum SpofFormat {
    /// Human-readable report.
    Table,
    /// Machine-readable JSON.
    Json,
    /// Graphviz DOT with the SPOFs in red.
    Dot,
    /// Mermaid with the SPOFs marked.
    Mermaid,
}

/// Arguments of `drplan spof`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Scenario file.
    pub scenario: PathBuf,
    /// Largest minimal cut set to search for.
    #[arg(long, default_value_t = 3, value_parser = clap::value_parser!(u8).range(1..=5))]
    pub order: u8,
    /// Output format.
    #[arg(long, short, value_enum, default_value = "table")]
    pub format: SpofFormat,
    /// Exit 1 when a cluster's data has a single point of failure.
    #[arg(long)]
    pub fail_on_spof: bool,
}

/// Run `drplan spof`.
pub fn run(args: Args) -> Result<Outcome, CliError> {
    let s = load_file(&args.scenario)?;
    let t = Topology::build(&s);
    let report = spof::analyse(&s, &t, usize::from(args.order));
    let text = match args.format {
        SpofFormat::Table => crate::report::spof_table::render(&report),
        SpofFormat::Json => {
            let mut j = serde_json::to_string_pretty(&report)
                .map_err(|e| CliError::usage(e.to_string(), "report a bug"))?;
            j.push('\n');
            j
        }
        SpofFormat::Dot => render(&s, &t, GraphFormat::Dot, &report.highlight()),
        SpofFormat::Mermaid => render(&s, &t, GraphFormat::Mermaid, &report.highlight()),
    };
    out::print(text)?;
    if args.fail_on_spof && report.has_data_spof() {
        return Ok(Outcome::Breached);
    }
    Ok(Outcome::Ok)
}
