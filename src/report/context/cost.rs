//! The cost section of a report: the bill, the cost-benefit figures, what
//! each tier buys and the tornado of the sensitivity analysis.

use super::Figure;

/// One line of the yearly cost.
#[derive(Debug, Clone, PartialEq)]
pub struct BillLine {
    /// Category ("hosts", "links", "storage", "drills", "egress").
    pub category: String,
    /// What it pays for.
    pub item: String,
    /// Amount per year.
    pub per_year: f64,
    /// How it was computed ("12 × 900 EUR/month").
    pub basis: String,
}

/// Cost-benefit results.
#[derive(Debug, Clone, PartialEq)]
pub struct CostBenefit {
    /// Cost of the layout per year (storage sized by the disk projection).
    pub cost_per_year: f64,
    /// The same cost by category (storage at the projected peak), in bill order.
    pub cost_by_category: Vec<(String, f64)>,
    /// Expected annual loss from incidents.
    pub expected_loss: Figure,
    /// Parts of the expected loss: (what, amount per year).
    pub loss_parts: Vec<(String, f64)>,
    /// 99th percentile of the yearly cost of downtime across simulated years, if sampled.
    pub p99_downtime_cost: Option<f64>,
    /// Total cost of ownership: cost + expected loss.
    pub tco: f64,
    /// Trials of the simulation the figures come from.
    pub trials: u64,
    /// Trials of each run the tiers were weighed with (both sides).
    pub tier_trials: u64,
    /// Net benefit of each tier against the layout without it.
    pub tiers: Vec<TierValueRow>,
}

/// What one tier buys.
#[derive(Debug, Clone, PartialEq)]
pub struct TierValueRow {
    /// Tier name.
    pub tier: String,
    /// Cost it adds per year.
    pub cost_added: f64,
    /// Expected loss it avoids per year.
    pub loss_avoided: f64,
    /// Loss avoided minus cost added.
    pub net_benefit: f64,
    /// Years of avoided loss that pay one year of the tier, if it avoids any.
    pub payback_years: Option<f64>,
    /// Verdict in words ("pays for itself" …).
    pub verdict: String,
}

/// Sensitivity analysis: how TCO moves when each input varies.
#[derive(Debug, Clone, PartialEq)]
pub struct Tornado {
    /// TCO at the base values.
    pub base: f64,
    /// Trials per simulation of the analysis.
    pub trials: u64,
    /// One bar per input, largest swing first.
    pub bars: Vec<TornadoBar>,
}

/// One input of the sensitivity analysis.
#[derive(Debug, Clone, PartialEq)]
pub struct TornadoBar {
    /// Input varied, with its range ("failure rates ±50 %").
    pub input: String,
    /// TCO at the low value.
    pub low: f64,
    /// TCO at the high value.
    pub high: f64,
}
