//! `drplan schema`: the JSON Schema of scenario files, for editors
//! (e.g. `# yaml-language-server: $schema=drplan.schema.json`).

use std::path::PathBuf;

use super::{CliError, Outcome, out};
use crate::model::raw::RawScenario;

/// Arguments of `drplan schema`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Write to this file instead of standard output.
    #[arg(short, long)]
    pub out: Option<PathBuf>,
}

/// The schema as pretty JSON.
pub fn schema_json() -> String {
    let schema = schemars::schema_for!(RawScenario);
    let mut s = serde_json::to_string_pretty(&schema).unwrap_or_default();
    s.push('\n');
    s
}

/// Run `drplan schema`.
pub fn run(args: Args) -> Result<Outcome, CliError> {
    let json = schema_json();
    match args.out {
        Some(path) => crate::atomic::write_atomic(&path, json.as_bytes())
            .map_err(|source| CliError::Write { path, source })?,
        None => out::print(json)?,
    }
    Ok(Outcome::Ok)
}
