//! `drplan import <diagnose.json> [--list-backups F]… [--show-backup F]…`:
//! write a commented scenario from what a running Barman reports (see
//! [`crate::import`]). The scenario goes to stdout, or to `--out` (never
//! over an existing file without `--force`); it is validated before it is
//! written. Exit 2 on unreadable or malformed input.

use std::path::{Path, PathBuf};

use super::{CliError, Outcome};
use crate::import::{self, Inputs, barman};
use crate::model::load_str;

/// Arguments of `drplan import`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Output of `barman diagnose` saved to a file.
    pub diagnose: PathBuf,
    /// Output of `barman -f json list-backups SERVER` (repeat for each server):
    /// the stored WAL compression ratio comes from it.
    #[arg(long = "list-backups", value_name = "FILE")]
    pub list_backups: Vec<PathBuf>,
    /// Output of `barman -f json show-backup SERVER latest` (repeat per server):
    /// the backup throughput comes from it.
    #[arg(long = "show-backup", value_name = "FILE")]
    pub show_backup: Vec<PathBuf>,
    /// Scenario name (default: imported-<Barman host>).
    #[arg(long)]
    pub name: Option<String>,
    /// Write the scenario to this file instead of stdout.
    #[arg(long, short)]
    pub out: Option<PathBuf>,
    /// Overwrite --out if it exists.
    #[arg(long)]
    pub force: bool,
}

/// Errors of the import, at the edge.
#[derive(Debug, thiserror::Error, miette::Diagnostic)]
pub enum ImportCliError {
    /// A Barman file is malformed.
    #[error(transparent)]
    #[diagnostic(transparent)]
    Json(#[from] barman::JsonError),
}

fn read(p: &Path) -> Result<String, CliError> {
    std::fs::read_to_string(p).map_err(|e| {
        CliError::usage(
            format!("cannot read {}: {e}", p.display()),
            "save Barman's output to a file first, e.g. `barman diagnose > diagnose.json`",
        )
    })
}

fn json<T>(r: Result<T, barman::JsonError>) -> Result<T, CliError> {
    r.map_err(|e| {
        // A located error: print it with its snippet, then exit 2.
        eprint!("{}", super::render_diagnostic(&ImportCliError::Json(e)));
        CliError::Invalid(1)
    })
}

/// Read `barman diagnose` and the optional list-backups / show-backup files.
pub(super) fn read_inputs(
    diagnose: &Path,
    list_backups: &[PathBuf],
    show_backup: &[PathBuf],
) -> Result<Inputs, CliError> {
    let name_of = |p: &Path| p.display().to_string();
    let diagnose_data = json(barman::diagnose(&name_of(diagnose), &read(diagnose)?))?;
    if diagnose_data.servers.is_empty() {
        return Err(CliError::usage(
            format!("{} lists no Barman server", diagnose.display()),
            "run `barman diagnose` on a Barman host with at least one server configured",
        ));
    }
    let mut inputs = Inputs {
        diagnose: diagnose_data,
        ..Inputs::default()
    };
    for p in list_backups {
        for (server, backups) in json(barman::list_backups(&name_of(p), &read(p)?))? {
            inputs.listed.entry(server).or_default().extend(backups);
        }
    }
    for p in show_backup {
        inputs
            .throughput
            .extend(json(barman::show_backup(&name_of(p), &read(p)?))?);
    }
    Ok(inputs)
}

/// Run `drplan import`.
pub fn run(args: Args) -> Result<Outcome, CliError> {
    let inputs = read_inputs(&args.diagnose, &args.list_backups, &args.show_backup)?;
    let name = args.name.clone().unwrap_or_else(|| {
        format!(
            "imported-{}",
            inputs.diagnose.hostname.as_deref().unwrap_or("barman")
        )
    });
    let yaml = import::scenario(&inputs, &name);
    // The result must load as it is: a failure here is a bug in the import.
    let shown = args
        .out
        .clone()
        .unwrap_or_else(|| PathBuf::from("imported.yaml"));
    load_str(&yaml, &shown)?;
    match &args.out {
        None => super::out::print(&yaml)?,
        Some(out) => {
            if out.exists() && !args.force {
                return Err(CliError::usage(
                    format!("{} exists", out.display()),
                    "choose another --out or add --force",
                ));
            }
            crate::atomic::write_atomic(out, yaml.as_bytes()).map_err(|source| {
                CliError::Write {
                    path: out.clone(),
                    source,
                }
            })?;
            eprintln!(
                "wrote {}: check every PLACEHOLDER, then `drplan validate {}`",
                out.display(),
                out.display()
            );
        }
    }
    Ok(Outcome::Ok)
}
