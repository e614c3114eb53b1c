//! `drplan compare <scenario|dir>...`: layouts side by side, ranked by total
//! cost of ownership (yearly cost + expected loss), Pareto front marked, and
//! the sensitivity of that ranking to each input (failure rates, prices of
//! downtime and lost data, WAL volume) at a reduced trial count.
//! Exit 1 when no layout meets its targets.

use std::path::PathBuf;

use super::{CliError, Outcome, load_all, out};
use crate::analysis::cost::sensitivity::sensitivity;
use crate::analysis::cost::{Comparison, assess, rank};
use crate::analysis::montecarlo::SimOptions;
use crate::report::compare::CompareFormat;

/// Arguments of `drplan compare`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Scenario files or folders of them.
    #[arg(required = true)]
    pub scenarios: Vec<PathBuf>,
    /// Trials per scenario (default: each scenario's own).
    #[arg(long)]
    pub trials: Option<u64>,
    /// Trials per simulation of the sensitivity analysis (each scenario keeps
    /// its seed); 0 skips the analysis.
    #[arg(long, default_value_t = 20_000)]
    pub sensitivity_trials: u64,
    /// Output format.
    #[arg(long, short, value_enum, default_value = "table")]
    pub format: CompareFormat,
}

/// Run `drplan compare`.
pub fn run(args: Args) -> Result<Outcome, CliError> {
    let scenarios = load_all(&args.scenarios)?;
    let mut cands = Vec::new();
    for s in &scenarios {
        let mut o = SimOptions::from_scenario(s);
        if let Some(t) = args.trials {
            o.trials = t.max(1);
        }
        if let Some(c) = assess(s, &o) {
            cands.push(c);
        }
    }
    let cmp = Comparison {
        layouts: rank(cands),
        sensitivity: (args.sensitivity_trials > 0 && args.format != CompareFormat::Csv)
            .then(|| sensitivity(&scenarios, args.sensitivity_trials)),
    };
    out::print(args.format.exporter().render(&cmp))?;
    Ok(if cmp.layouts.iter().any(|c| c.targets_met) {
        Outcome::Ok
    } else {
        Outcome::Breached
    })
}
