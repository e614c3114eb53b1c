//! The one pipeline: every analysis of a scenario, run in order (topology,
//! SPOF, disk, simulation, cost, tier value, sensitivity), as the CLI, the
//! benches and the tests all need them. The report builds its context from
//! [`Analyses`] alone.

use super::cost::sensitivity::{Sensitivity, sensitivity};
use super::cost::tiers::{TierBenefit, tier_benefits};
use super::cost::{Candidate, assess, candidate};
use super::disk::{DiskOptions, DiskReport, project};
use super::montecarlo::{SimOptions, SimReport, simulate};
use super::spof::{SpofReport, analyse};
use super::topology::Topology;
use crate::model::Scenario;

/// What to run and how.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Options {
    /// The simulation.
    pub sim: SimOptions,
    /// Largest minimal cut set the SPOF analysis searches for.
    pub spof_order: usize,
    /// Trials of every re-run of the cost-benefit analysis (the layout
    /// without each tier, the sensitivity analysis), each with the
    /// scenario's seed; 0 skips them.
    pub rerun_trials: u64,
}

impl Options {
    /// The scenario's own simulation settings, cut sets up to order 3 (the
    /// `drplan spof` default) and re-runs at 20 000 trials (capped at the
    /// simulation's).
    pub fn from_scenario(s: &Scenario) -> Self {
        Self {
            sim: SimOptions::from_scenario(s),
            spof_order: 3,
            rerun_trials: 20_000,
        }
    }
}

/// Every analysis of one scenario.
#[derive(Debug, Clone)]
pub struct Analyses {
    /// The topology graph.
    pub topology: Topology,
    /// Single points of failure and cut sets.
    pub spof: SpofReport,
    /// Disk and bandwidth projection.
    pub disk: DiskReport,
    /// The Monte Carlo simulation.
    pub sim: SimReport,
    /// Cost, expected loss and TCO; `None` without a cluster to price.
    pub cost: Option<Candidate>,
    /// What each passive node or cloud tier buys (empty when re-runs are skipped).
    pub tiers: Vec<TierBenefit>,
    /// Trials each tier was weighed with (both sides).
    pub tier_trials: u64,
    /// Sensitivity of the TCO to each input, when re-runs are not skipped.
    pub sensitivity: Option<Sensitivity>,
}

/// Run every analysis of `s`.
pub fn run(s: &Scenario, o: &Options) -> Analyses {
    let topology = Topology::build(s);
    let spof = analyse(s, &topology, o.spof_order);
    let disk = project(s, DiskOptions::default());
    let sim = simulate(s, &o.sim);
    let cost = candidate(s, &disk, &sim);
    let mut r = o.sim;
    r.trials = o.rerun_trials.min(o.sim.trials);
    let (tiers, sensitivity) = match &cost {
        Some(c) if o.rerun_trials > 0 => {
            // Tiers are weighed at the re-run trial count on both sides: the
            // same seed and trials keep most of the noise out of the difference.
            let base = if r.trials == o.sim.trials {
                Some(c.clone())
            } else {
                assess(s, &r)
            };
            (
                base.map(|b| tier_benefits(s, &b, &r)).unwrap_or_default(),
                Some(sensitivity(std::slice::from_ref(s), o.rerun_trials)),
            )
        }
        _ => (Vec::new(), None),
    };
    Analyses {
        topology,
        spof,
        disk,
        sim,
        cost,
        tiers,
        tier_trials: r.trials,
        sensitivity,
    }
}
