//! The human-readable `drplan cost` report: the yearly bill line by line,
//! the expected annual loss in parts, the total cost of ownership, the
//! targets, and what each passive node or cloud tier buys.

use std::fmt::Write;

use crate::analysis::cost::Candidate;
use crate::analysis::cost::tiers::TierBenefit;

/// Render a priced layout simulated with `trials` and `seed`, and its tiers' value.
pub fn render(c: &Candidate, trials: u64, seed: u64, tiers: &[TierBenefit]) -> String {
    let mut text = String::new();
    let cur = &c.currency;
    let _ = writeln!(
        text,
        "Cost of `{}` per year ({} trials, seed {})\n",
        c.scenario, trials, seed
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
        for t in tiers {
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
    text
}
