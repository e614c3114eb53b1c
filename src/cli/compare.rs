//! `drplan compare <scenario|dir>...`: layouts side by side, ranked by total
//! cost of ownership (yearly cost + expected loss), Pareto front marked.
//! Exit 1 when no layout meets its targets.

use std::path::PathBuf;

use super::{CliError, Outcome, load_all};
use crate::analysis::cost::{candidate, rank};
use crate::analysis::disk::{DiskOptions, project};
use crate::analysis::montecarlo::{SimOptions, simulate};
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
        if let Some(c) = candidate(s, &project(s, DiskOptions::default()), &simulate(s, &o)) {
            cands.push(c);
        }
    }
    let ranked = rank(cands);
    print!("{}", args.format.exporter().render(&ranked));
    Ok(if ranked.iter().any(|c| c.targets_met) {
        Outcome::Ok
    } else {
        Outcome::Breached
    })
}
