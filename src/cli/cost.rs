//! `drplan cost <scenario>`: the yearly bill line by line, the expected
//! annual loss from the simulation, the total cost of ownership and what
//! each passive node or cloud tier costs against the loss it avoids.
//! Exit 1 when a target is missed.

use std::fmt::Write;
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
        let mut text = String::new();
        let cur = &c.currency;
        let _ = writeln!(
            text,
            "Cost of `{}` per year ({} trials, seed {})\n",
            c.scenario, o.trials, o.seed
        );
        for l in &c.cost.lines {
            let _ = writeln!(text, "  {:<44}{:>12.0} {cur}", l.item, l.per_year);
        }
        let _ = writeln!(
            text,
            "  {:<44}{:>12.0} {cur}\n",
            "layout total", c.cost.total
        );
        let _ = writeln!(
            text,
            "Expected annual loss (95 % interval from the simulated downtime):"
        );
        let _ = writeln!(
            text,
            "  {:<44}{:>12.0} {cur}  [{:.0}, {:.0}]",
            "downtime", c.loss.downtime.value, c.loss.downtime.low, c.loss.downtime.high
        );
        let _ = writeln!(
            text,
            "  {:<44}{:>12.0} {cur}",
            "lost data", c.loss.lost_data
        );
        let _ = writeln!(
            text,
            "  {:<44}{:>12.0} {cur}",
            "losing every copy (priced as 1 yr of data)", c.loss.total_loss
        );
        let _ = writeln!(
            text,
            "  {:<44}{:>12.0} {cur}",
            "incidents", c.loss.incidents
        );
        let _ = writeln!(
            text,
            "  {:<44}{:>12.0} {cur}\n",
            "expected loss", c.loss.total.value
        );
        let _ = writeln!(
            text,
            "Total cost of ownership: {:.0} {cur}/yr [{:.0}, {:.0}]",
            c.tco.value, c.tco.low, c.tco.high
        );
        let _ = writeln!(
            text,
            "P(losing every copy)/yr: {:.1e} (minimal cut sets)",
            c.p_total_loss
        );
        let _ = writeln!(
            text,
            "Targets: {}",
            if c.targets_met {
                "all met".to_owned()
            } else {
                c.targets_missed.join(", ")
            }
        );
        if !tiers.is_empty() {
            let _ = writeln!(
                text,
                "\nWhat each tier buys (against the layout without it, same seed and trials):"
            );
            let _ = writeln!(
                text,
                "  {:<20}{:<14}{:>14}{:>22}{:>14}{:>10}  verdict",
                "tier", "kind", "cost/yr", "loss avoided/yr", "net/yr", "payback"
            );
            for t in &tiers {
                let _ = writeln!(
                    text,
                    "  {:<20}{:<14}{:>14.0}{:>22}{:>14.0}{:>10}  {}",
                    t.tier,
                    t.kind,
                    t.cost_per_year,
                    format!("{:.0} ±{:.0}", t.loss_avoided, t.loss_avoided_margin),
                    t.net_benefit,
                    t.payback_years
                        .map_or_else(|| "never".to_owned(), |y| format!("{y:.3} yr")),
                    t.verdict.as_str()
                );
            }
        }
        out::print(text)?;
    }
    Ok(if c.targets_met {
        Outcome::Ok
    } else {
        Outcome::Breached
    })
}
