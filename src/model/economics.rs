//! What the business cares about: costs, targets, how to simulate, and restore drills.

use std::collections::BTreeMap;

use super::ids::HostId;
use super::units::{Duration, Probability};

/// Prices used by cost-benefit analysis (all in `currency`).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Costs {
    /// ISO currency code.
    pub currency: String,
    /// Cost of one hour of service downtime.
    pub downtime_per_hour: f64,
    /// Cost of one hour of lost committed data.
    pub data_loss_per_hour: f64,
    /// Fixed cost of any incident.
    pub per_incident: f64,
    /// Storage price per GiB-month by storage class.
    pub storage_per_gib_month: BTreeMap<String, f64>,
    /// Egress price per GiB (cloud restores).
    pub egress_per_gib: f64,
    /// Cost of one restore drill.
    pub per_drill: f64,
}

/// Recovery targets the layout must meet.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Targets {
    /// Recovery point objective: most data that may be lost.
    pub rpo: Option<Duration>,
    /// Recovery time objective: longest acceptable downtime.
    pub rto: Option<Duration>,
    /// Yearly availability.
    pub availability: Option<Probability>,
    /// Highest acceptable probability of losing any data in a year.
    pub data_loss_probability: Option<Probability>,
}

/// Monte Carlo settings.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Simulation {
    /// Length of one simulated history.
    pub horizon: Duration,
    /// Number of histories.
    pub trials: u64,
    /// Seed: the same seed gives the same results.
    pub seed: u64,
}

/// Restore drills on an identical recovery host.
#[derive(Debug, Clone, PartialEq)]
pub struct Drills {
    /// How often.
    pub every: Duration,
    /// Where the restore runs.
    pub host: HostId,
    /// A query that must return true on the restored cluster.
    pub check_query: String,
    /// Other tiers drilled on their own schedule.
    pub tiers: Vec<TierDrill>,
}

/// A drill of a passive node or a bucket, onto the same recovery host.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TierDrill {
    /// The tier restored from.
    pub tier: super::TierRef,
    /// How often.
    pub every: Duration,
}

impl Drills {
    /// Drills per year, every tier's included.
    pub fn per_year(&self) -> f64 {
        let n = |d: Duration| 365.25 / d.as_days().max(1.0);
        n(self.every) + self.tiers.iter().map(|t| n(t.every)).sum::<f64>()
    }
}
