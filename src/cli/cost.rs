//! `drplan cost <scenario>`: the yearly bill line by line, the expected
//! annual loss from the simulation, the total cost of ownership and what
//! each passive node or cloud tier costs against the loss it avoids.
//! Exit 1 when a target is missed.

use std::path::PathBuf;

use super::{CliError, Outcome, out};
use crate::analysis::cost::tiers::{TierBenefit, tier_benefits};
use crate::analysis::cost::{Candidate, assess, rank};
use crate::analysis::montecarlo::SimOptions;
use crate::model::load_file;

/// Arguments of `drplan cost`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Scenario file.
    pub scenario: PathBuf,
    /// Trials (default: the scenario's).
    #[arg(long)]
    pub trials: Option<u64>,
    /// Output format.
    #[arg(long, short, value_enum, default_value = "table")]
    pub format: CostFormat,
}

/// Output formats of `drplan cost`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum CostFormat {
    /// Human-readable report.
    Table,
    /// JSON.
    Json,
}

/// What `drplan cost -f json` prints.
#[derive(serde::Serialize)]
struct CostJson<'a> {
    #[serde(flatten)]
    candidate: &'a Candidate,
    trials: u64,
    seed: u64,
    tiers: &'a [TierBenefit],
}

/// Run `drplan cost`.
pub fn run(args: Args) -> Result<Outcome, CliError> {
    let s = load_file(&args.scenario)?;
    let mut o = SimOptions::from_scenario(&s);
    if let Some(t) = args.trials {
        o.trials = t.max(1);
    }
    let Some(c) = assess(&s, &o).map(|c| rank(vec![c]).remove(0)) else {
        return Err(CliError::usage(
            "the scenario has no cluster to price",
            "add a `clusters:` entry",
        ));
    };
    let tiers = tier_benefits(&s, &c, &o);
    if args.format == CostFormat::Json {
        let j = CostJson {
            candidate: &c,
            trials: o.trials,
            seed: o.seed,
            tiers: &tiers,
        };
        out::json(&j)?;
    } else {
        out::print(crate::report::cost_table::render(
            &c, o.trials, o.seed, &tiers,
        ))?;
    }
    Ok(if c.targets_met {
        Outcome::Ok
    } else {
        Outcome::Breached
    })
}
