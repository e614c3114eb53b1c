//! `drplan graph <scenario|dir>... --format dot|mermaid [--out DIR]`: the
//! topology as a diagram, on standard output or one file per scenario.

use std::collections::HashSet;
use std::path::PathBuf;

use super::{CliError, Outcome, load_all, out};
use crate::analysis::topology::Topology;
use crate::report::graph::{GraphFormat, render};

/// Arguments of `drplan graph`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Scenario files or folders of them.
    #[arg(required = true)]
    pub scenarios: Vec<PathBuf>,
    /// Diagram language.
    #[arg(long, short, value_enum, default_value = "dot")]
    pub format: GraphFormat,
    /// Write `<scenario>.dot` / `<scenario>.mmd` into this folder instead of standard output.
    #[arg(long, short)]
    pub out: Option<PathBuf>,
}

/// Run `drplan graph`.
pub fn run(args: Args) -> Result<Outcome, CliError> {
    let scenarios = load_all(&args.scenarios)?;
    let Some(dir) = args.out else {
        let [s] = scenarios.as_slice() else {
            return Err(CliError::usage(
                format!("{} scenarios given but no --out folder", scenarios.len()),
                "pass --out reports/ to write one diagram per scenario",
            ));
        };
        out::print(render(s, &Topology::build(s), args.format, &HashSet::new()))?;
        return Ok(Outcome::Ok);
    };
    let ext = match args.format {
        GraphFormat::Dot => "dot",
        GraphFormat::Mermaid => "mmd",
    };
    for s in &scenarios {
        let text = render(s, &Topology::build(s), args.format, &HashSet::new());
        let path = dir.join(format!("{}.{ext}", s.name));
        crate::atomic::write_atomic(&path, text.as_bytes()).map_err(|source| CliError::Write {
            path: path.clone(),
            source,
        })?;
        out::println(format!("wrote {}", path.display()))?;
    }
    Ok(Outcome::Ok)
}
