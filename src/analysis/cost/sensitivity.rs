//! Sensitivity of the total cost of ownership (the tornado): each input in
//! turn at half and one and a half times its value, every other input kept,
//! and whether the ranking of the layouts changes.
//!
//! The inputs: every failure rate scaled together, the price of an hour of
//! downtime, the price of an hour of lost data, and the WAL written per day.
//! Prices only re-price the base simulation; failure rates and WAL are
//! simulated again with the scenario's own seed and the same (usually
//! reduced) trial count as the base they are compared with, so a difference
//! comes from the input, not from another draw of the dice.

use super::{Candidate, assess, candidate, rank};
use crate::analysis::disk::{DiskOptions, project};
use crate::analysis::montecarlo::{SimOptions, simulate};
use crate::model::{Bytes, Rate, Scenario};

/// How far each input moves: ±50 %.
pub const SWING: f64 = 0.5;

/// An input of the sensitivity analysis.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Factor {
    /// Every failure rate (outage, destruction, disk, logical corruption).
    FailureRates,
    /// `costs.downtime_per_hour`.
    DowntimeCost,
    /// `costs.data_loss_per_hour`.
    DataLossCost,
    /// `wal_per_day` of every cluster.
    WalPerDay,
}

impl Factor {
    /// Every input, in a fixed order.
    pub const ALL: [Factor; 4] = [
        Factor::FailureRates,
        Factor::DowntimeCost,
        Factor::DataLossCost,
        Factor::WalPerDay,
    ];

    /// Name for people.
    pub fn label(self) -> &'static str {
        match self {
            Self::FailureRates => "failure rates",
            Self::DowntimeCost => "cost of downtime per hour",
            Self::DataLossCost => "cost of data loss per hour",
            Self::WalPerDay => "WAL per day",
        }
    }

    /// Whether changing it needs a new simulation (otherwise it only re-prices).
    pub fn needs_simulation(self) -> bool {
        matches!(self, Self::FailureRates | Self::WalPerDay)
    }

    /// The scenario with this input multiplied by `k`.
    pub fn apply(self, s: &Scenario, k: f64) -> Scenario {
        let mut out = s.clone();
        match self {
            Self::FailureRates => scale_failure_rates(&mut out, k),
            Self::DowntimeCost => out.costs.downtime_per_hour *= k,
            Self::DataLossCost => out.costs.data_loss_per_hour *= k,
            Self::WalPerDay => {
                for c in &mut out.clusters {
                    c.wal_per_day = Bytes((c.wal_per_day.0 as f64 * k).round() as u64);
                }
            }
        }
        out
    }
}

/// Multiply every failure rate of the scenario by `k`.
pub fn scale_failure_rates(s: &mut Scenario, k: f64) {
    s.failure_modes_mut(|_, m| m.rate = Rate::per_year(m.rate.events_per_year() * k));
}

/// One scenario's TCO with an input at its low and high value.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Swing {
    /// Scenario name.
    pub scenario: String,
    /// TCO at the base values (same trials as low and high).
    pub base: f64,
    /// TCO with the input at (1 − SWING) × its value.
    pub low: f64,
    /// TCO with the input at (1 + SWING) × its value.
    pub high: f64,
}

/// One input across every scenario.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct FactorResult {
    /// Input and range, e.g. "failure rates ±50 %".
    pub input: String,
    /// Per scenario, in the base ranking's order.
    pub tco: Vec<Swing>,
    /// Best layout with the input low.
    pub winner_low: String,
    /// Best layout with the input high.
    pub winner_high: String,
    /// The best layout at low or high differs from the base winner.
    pub winner_changes: bool,
    /// The order of the layouts at low or high differs from the base order.
    pub order_changes: bool,
    /// Largest |high − low| across scenarios.
    pub swing: f64,
}

/// The sensitivity analysis of a set of layouts.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Sensitivity {
    /// Trials of every simulation in it (base included).
    pub trials: u64,
    /// Relative change of each input (0.5 = ±50 %).
    pub swing: f64,
    /// Scenario names in the base ranking's order (best first).
    pub base_order: Vec<String>,
    /// One row per input, largest swing first.
    pub factors: Vec<FactorResult>,
}

impl Sensitivity {
    /// The best layout at the base values.
    pub fn winner(&self) -> Option<&str> {
        self.base_order.first().map(String::as_str)
    }
}

/// Run the analysis over `scenarios` with `trials` per simulation (each
/// scenario keeps its own seed).
pub fn sensitivity(scenarios: &[Scenario], trials: u64) -> Sensitivity {
    struct Base<'a> {
        s: &'a Scenario,
        disk: crate::analysis::disk::DiskReport,
        sim: crate::analysis::montecarlo::SimReport,
        o: SimOptions,
        cand: Candidate,
    }
    let bases: Vec<Base> = scenarios
        .iter()
        .filter_map(|s| {
            let mut o = SimOptions::from_scenario(s);
            o.trials = trials.max(1);
            let disk = project(s, DiskOptions::default());
            let sim = simulate(s, &o);
            let cand = candidate(s, &disk, &sim)?;
            Some(Base {
                s,
                disk,
                sim,
                o,
                cand,
            })
        })
        .collect();
    let base_ranked = rank(bases.iter().map(|b| b.cand.clone()).collect());
    let base_order: Vec<String> = base_ranked.iter().map(|c| c.scenario.clone()).collect();
    let mut factors = Vec::new();
    for f in Factor::ALL {
        let at = |k: f64| -> Vec<Candidate> {
            bases
                .iter()
                .filter_map(|b| {
                    let s = f.apply(b.s, k);
                    let mut c = if f.needs_simulation() {
                        assess(&s, &b.o)?
                    } else {
                        candidate(&s, &b.disk, &b.sim)?
                    };
                    // Keep the base name: a variant is the same layout.
                    c.scenario = b.cand.scenario.clone();
                    Some(c)
                })
                .collect()
        };
        let low = rank(at(1.0 - SWING));
        let high = rank(at(1.0 + SWING));
        let tco_of = |v: &[Candidate], name: &str| {
            v.iter()
                .find(|c| c.scenario == name)
                .map_or(f64::NAN, |c| c.tco.value)
        };
        let tco: Vec<Swing> = base_ranked
            .iter()
            .map(|c| Swing {
                scenario: c.scenario.clone(),
                base: c.tco.value,
                low: tco_of(&low, &c.scenario),
                high: tco_of(&high, &c.scenario),
            })
            .collect();
        let names = |v: &[Candidate]| v.iter().map(|c| c.scenario.clone()).collect::<Vec<_>>();
        let winner = |v: &[Candidate]| v.first().map(|c| c.scenario.clone()).unwrap_or_default();
        let (winner_low, winner_high) = (winner(&low), winner(&high));
        let base_winner = base_order.first().cloned().unwrap_or_default();
        factors.push(FactorResult {
            input: format!("{} ±{:.0} %", f.label(), SWING * 100.0),
            swing: tco
                .iter()
                .map(|t| (t.high - t.low).abs())
                .fold(0.0, f64::max),
            tco,
            winner_changes: winner_low != base_winner || winner_high != base_winner,
            order_changes: names(&low) != base_order || names(&high) != base_order,
            winner_low,
            winner_high,
        });
    }
    factors.sort_by(|a, b| b.swing.total_cmp(&a.swing));
    Sensitivity {
        trials: trials.max(1),
        swing: SWING,
        base_order,
        factors,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::load_file;
    use std::path::Path;

    #[test]
    fn failure_rates_scale_everywhere() {
        let s = load_file(Path::new("scenarios/metro.yaml")).expect("metro loads");
        let h = Factor::FailureRates.apply(&s, 1.5);
        let rate = |s: &Scenario| {
            s.sites[0]
                .failures
                .destruction
                .map(|m| m.rate.events_per_year())
        };
        let (a, b) = (rate(&s).expect("rate"), rate(&h).expect("rate"));
        assert!((b - 1.5 * a).abs() < 1e-15);
        let corr = |s: &Scenario| {
            s.clusters[0]
                .logical_corruption
                .map(|m| m.rate.events_per_year())
        };
        assert!((corr(&h).expect("rate") - 1.5 * corr(&s).expect("rate")).abs() < 1e-15);
        assert_eq!(h.costs, s.costs, "prices untouched");
    }

    #[test]
    fn prices_scale_one_at_a_time() {
        let s = load_file(Path::new("scenarios/metro.yaml")).expect("metro loads");
        let d = Factor::DowntimeCost.apply(&s, 0.5);
        assert_eq!(d.costs.downtime_per_hour, s.costs.downtime_per_hour * 0.5);
        assert_eq!(d.costs.data_loss_per_hour, s.costs.data_loss_per_hour);
        let w = Factor::WalPerDay.apply(&s, 1.5);
        assert_eq!(
            w.clusters[0].wal_per_day.0,
            (s.clusters[0].wal_per_day.0 as f64 * 1.5).round() as u64
        );
    }
}
