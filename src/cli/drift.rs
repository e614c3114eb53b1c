//! `drplan drift <scenario> <diagnose.json> [--list-backups F]…`: compare the
//! plan with what a running Barman reports (see [`crate::analysis::drift`])
//! and say which scenario values to change. Exit 1 when anything differs
//! beyond the tolerance, 2 on input errors.

use std::path::PathBuf;

use super::{CliError, Outcome};
use crate::analysis::drift::{self, Tolerance};
use crate::import::measure_all;
use crate::model::load_file;

/// Output formats of `drplan drift`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum DriftFormat {
    /// One line per comparison, then what to change.
    Text,
    /// Every comparison as JSON.
    Json,
}

/// Arguments of `drplan drift`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The scenario (the plan).
    pub scenario: PathBuf,
    /// Output of `barman diagnose` saved to a file.
    pub diagnose: PathBuf,
    /// Output of `barman -f json list-backups SERVER` (repeat per server):
    /// compression ratio and used space.
    #[arg(long = "list-backups", value_name = "FILE")]
    pub list_backups: Vec<PathBuf>,
    /// Output of `barman -f json show-backup SERVER latest` (repeat per server).
    #[arg(long = "show-backup", value_name = "FILE")]
    pub show_backup: Vec<PathBuf>,
    /// Relative tolerance for sizes, WAL per day, compression ratio and schedule.
    #[arg(long, default_value = "20%")]
    pub tolerance: String,
    /// Output format.
    #[arg(long, short, value_enum, default_value = "text")]
    pub format: DriftFormat,
}

/// Run `drplan drift`.
pub fn run(args: Args) -> Result<Outcome, CliError> {
    let relative = args
        .tolerance
        .trim()
        .strip_suffix('%')
        .and_then(|v| v.trim().parse::<f64>().ok())
        .filter(|v| v.is_finite() && *v >= 0.0)
        .ok_or_else(|| {
            CliError::usage(
                format!("--tolerance `{}` is not a percentage", args.tolerance),
                "e.g. --tolerance 20% (may exceed 100 %)",
            )
        })?
        / 100.0;
    let s = load_file(&args.scenario)?;
    let inputs = super::import::read_inputs(&args.diagnose, &args.list_backups, &args.show_backup)?;
    let measured = measure_all(&inputs);
    let rows = drift::drift(
        &s,
        &measured,
        inputs.diagnose.timestamp,
        Tolerance { relative },
    );
    let drifted = rows.iter().filter(|r| r.drift).count();
    match args.format {
        DriftFormat::Json => {
            super::out::json(&rows)?;
        }
        DriftFormat::Text => {
            for r in &rows {
                let diff = r
                    .difference
                    .map(|d| format!(" ({:+.1} %)", d * 100.0))
                    .unwrap_or_default();
                super::out::println(format!(
                    "{} [{}] {}: planned {}, measured {}{diff}",
                    if r.drift { "DRIFT" } else { "ok   " },
                    r.server,
                    r.check.label(),
                    r.planned,
                    r.measured
                ))?;
            }
            let changes: Vec<&String> = rows.iter().filter_map(|r| r.change.as_ref()).collect();
            if !changes.is_empty() {
                super::out::println(format!("\nchange in {}:", args.scenario.display()))?;
                for c in changes {
                    super::out::println(format!("  {c}"))?;
                }
            }
            super::out::println(format!(
                "drplan drift: {drifted} of {} check(s) beyond tolerance ({:.0} %)",
                rows.len(),
                relative * 100.0
            ))?;
        }
    }
    Ok(if drifted > 0 {
        Outcome::Breached
    } else {
        Outcome::Ok
    })
}
