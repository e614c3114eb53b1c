//! `drplan disk <scenario>`: disk, bandwidth and time-to-fill projection of
//! every backup tier. Exit 1 when a configured volume fills within the
//! horizon or a network path is overloaded.

use std::path::PathBuf;

use super::{CliError, Outcome, out};
use crate::analysis::disk::{self, DiskOptions};
use crate::model::{load_file, units};

/// Output formats of `drplan disk`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum DiskFormat {
    /// Human-readable table.
    Table,
    /// Everything, including daily curves, as JSON.
    Json,
    /// Daily used bytes per tier.
    Csv,
}

/// Arguments of `drplan disk`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Scenario file.
    pub scenario: PathBuf,
    /// Output format.
    #[arg(long, short, value_enum, default_value = "table")]
    pub format: DiskFormat,
    /// Headroom above the peak for the recommended volume, e.g. "30%".
    #[arg(long, default_value = "30%")]
    pub headroom: String,
    /// Horizon, e.g. "2 years" (default: twice the longest retention, at least a year).
    #[arg(long)]
    pub horizon: Option<String>,
}

/// Run `drplan disk`.
pub fn run(args: Args) -> Result<Outcome, CliError> {
    let headroom = units::parse_percent(&args.headroom)
        .map_err(|e| CliError::usage(format!("--headroom: {}", e.message), e.hint))?;
    let horizon = match &args.horizon {
        Some(h) => {
            let d = units::parse_duration(h)
                .map_err(|e| CliError::usage(format!("--horizon: {}", e.message), e.hint))?;
            if d.as_days() < 1.0 {
                return Err(CliError::usage(
                    "--horizon must be at least a day",
                    "e.g. --horizon \"2 years\"",
                ));
            }
            Some(d.as_secs())
        }
        None => None,
    };
    let s = load_file(&args.scenario)?;
    let r = disk::project(
        &s,
        DiskOptions {
            headroom: headroom.value(),
            horizon,
        },
    );
    match args.format {
        DiskFormat::Table => out::print(crate::report::disk_table::render(&r))?,
        DiskFormat::Csv => out::print(crate::report::disk_table::csv(&r))?,
        DiskFormat::Json => out::json(&r)?,
    }
    Ok(if r.breached() {
        Outcome::Breached
    } else {
        Outcome::Ok
    })
}
