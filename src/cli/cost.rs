//! `drplan cost <scenario>`: the yearly bill line by line, the expected
//! annual loss from the simulation and the total cost of ownership.
//! Exit 1 when a target is missed.

use std::fmt::Write;
use std::path::PathBuf;

use super::{CliError, Outcome};
use crate::analysis::cost::{candidate, rank};
use crate::analysis::disk::{DiskOptions, project};
use crate::analysis::montecarlo::{SimOptions, simulate};
use crate::model::load_file;

/// Arguments of `drplan cost`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Scenario file.
    pub scenario: PathBuf,
    /// Trials (default: the scenario's).
    #[arg(long)]
    pub trials: Option<u64>,
    /// Print JSON instead of text.
    #[arg(long)]
    pub json: bool,
}

/// Run `drplan cost`.
pub fn run(args: Args) -> Result<Outcome, CliError> {
    let s = load_file(&args.scenario)?;
    let mut o = SimOptions::from_scenario(&s);
    if let Some(t) = args.trials {
        o.trials = t.max(1);
    }
    let Some(c) = candidate(&s, &project(&s, DiskOptions::default()), &simulate(&s, &o))
        .map(|c| rank(vec![c]).remove(0))
    else {
        return Err(CliError::usage(
            "the scenario has no cluster to price",
            "add a `clusters:` entry",
        ));
    };
    if args.json {
        println!(
            "{}",
            serde_json::to_string_pretty(&c)
                .map_err(|e| CliError::usage(e.to_string(), "report a bug"))?
        );
    } else {
        let mut out = String::new();
        let cur = &c.currency;
        let _ = writeln!(
            out,
            "Cost of `{}` per year ({} trials, seed {})\n",
            c.scenario, o.trials, o.seed
        );
        for l in &c.cost.lines {
            let _ = writeln!(out, "  {:<44}{:>12.0} {cur}", l.item, l.per_year);
        }
        let _ = writeln!(
            out,
            "  {:<44}{:>12.0} {cur}\n",
            "layout total", c.cost.total
        );
        let _ = writeln!(
            out,
            "Expected annual loss (95 % interval from the simulated downtime):"
        );
        let _ = writeln!(
            out,
            "  {:<44}{:>12.0} {cur}  [{:.0}, {:.0}]",
            "downtime", c.loss.downtime.value, c.loss.downtime.low, c.loss.downtime.high
        );
        let _ = writeln!(out, "  {:<44}{:>12.0} {cur}", "lost data", c.loss.lost_data);
        let _ = writeln!(out, "  {:<44}{:>12.0} {cur}", "incidents", c.loss.incidents);
        let _ = writeln!(
            out,
            "  {:<44}{:>12.0} {cur}\n",
            "expected loss", c.loss.total.value
        );
        let _ = writeln!(
            out,
            "Total cost of ownership: {:.0} {cur}/yr [{:.0}, {:.0}]",
            c.tco.value, c.tco.low, c.tco.high
        );
        let _ = writeln!(
            out,
            "P(losing every copy)/yr: {:.1e} (minimal cut sets; not priced above)",
            c.p_total_loss
        );
        let _ = writeln!(
            out,
            "Targets: {}",
            if c.targets_met {
                "all met".to_owned()
            } else {
                c.targets_missed.join(", ")
            }
        );
        print!("{out}");
    }
    Ok(if c.targets_met {
        Outcome::Ok
    } else {
        Outcome::Breached
    })
}
