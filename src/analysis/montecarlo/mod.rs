//! Monte Carlo failure simulation: years of operation of a layout, repeated,
//! giving availability, downtime, RTO and data-loss distributions with
//! confidence intervals and trial counts.
//!
//! Three rooms, kept apart: input modelling ([`sampling`], [`compile`]), the
//! engine ([`engine`] and the DR semantics in [`dr`]) and output analysis
//! ([`stats`]). Rare events (P(data loss) of 1e-6/yr and below) go through
//! [`analytic`], the minimal-cut-set path, which the naive estimate
//! cross-checks where both can see the event. Trials are seeded from
//! (seed, trial index) and combined in trial order, so results are identical
//! on any number of threads.

pub mod analytic;
pub mod compile;
pub mod dr;
pub mod engine;
pub mod rare;
pub mod sampling;
pub mod stats;
pub mod targets;

use std::io::IsTerminal;

use rayon::prelude::*;

use compile::Compiled;
use engine::{Scratch, run_trial};
use sampling::Stream;
use stats::{Estimate, MeanAcc, order_statistics, quantile_ranks, wilson};
pub use targets::{Achievement, TargetCheck, Verdict};

use crate::analysis::topology::Topology;
use crate::model::units::{HOUR, YEAR};
use crate::model::{ClusterId, FailureClass, Scenario};

/// How to run.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SimOptions {
    /// Number of trials.
    pub trials: u64,
    /// Seed.
    pub seed: u64,
    /// Seconds of simulated time per trial.
    pub horizon: f64,
    /// Show a progress bar on a terminal.
    pub progress: bool,
}

impl SimOptions {
    /// The scenario's own settings (each cluster's failover time is its own).
    pub fn from_scenario(s: &Scenario) -> Self {
        Self {
            trials: s.simulation.trials,
            seed: s.simulation.seed,
            horizon: s.simulation.horizon.as_secs(),
            progress: false,
        }
    }
}

/// Trials per chunk: the unit of parallel work and of result ordering.
const CHUNK: u64 = 512;

#[derive(Debug, Clone, Default)]
struct Acc {
    downtime_per_year: Vec<f64>,
    downtime: MeanAcc,
    rto_hours: Vec<f64>,
    loss_secs: Vec<f64>,
    trials_with_loss: u64,
    trials_with_corruption_loss: u64,
    trials_with_total_loss: u64,
    trials_beyond_rpo: u64,
    trials_beyond_rto: u64,
    class_incidents: [u64; FailureClass::ALL.len()],
    class_downtime: [f64; FailureClass::ALL.len()],
    class_losses: [u64; FailureClass::ALL.len()],
    class_loss_secs: [f64; FailureClass::ALL.len()],
    /// Per class: each incident's hours down, each finite loss's seconds.
    class_rto_hours: [Vec<f64>; FailureClass::ALL.len()],
    class_rpo_secs: [Vec<f64>; FailureClass::ALL.len()],
}

impl Acc {
    fn merge(&mut self, o: Acc) {
        self.downtime_per_year.extend(o.downtime_per_year);
        self.downtime.merge(&o.downtime);
        self.rto_hours.extend(o.rto_hours);
        self.loss_secs.extend(o.loss_secs);
        self.trials_with_loss += o.trials_with_loss;
        self.trials_with_corruption_loss += o.trials_with_corruption_loss;
        self.trials_with_total_loss += o.trials_with_total_loss;
        self.trials_beyond_rpo += o.trials_beyond_rpo;
        self.trials_beyond_rto += o.trials_beyond_rto;
        for i in 0..FailureClass::ALL.len() {
            self.class_incidents[i] += o.class_incidents[i];
            self.class_downtime[i] += o.class_downtime[i];
            self.class_losses[i] += o.class_losses[i];
            self.class_loss_secs[i] += o.class_loss_secs[i];
            self.class_rto_hours[i].extend(&o.class_rto_hours[i]);
            self.class_rpo_secs[i].extend(&o.class_rpo_secs[i]);
        }
    }
}

/// Run trial `trial` of `plan` through the DR observer: the engine draws
/// from stream 2·trial and the observer from 2·trial + 1 of the run's seed,
/// so a trial's history never depends on the thread or chunk that ran it.
fn run_dr_trial(
    plan: &engine::Plan,
    o: &SimOptions,
    trial: u64,
    obs: &mut dr::DrObserver,
    scratch: &mut Scratch,
) {
    let mut engine_stream = Stream::for_trial(o.seed, trial * 2);
    obs.reset(Stream::for_trial(o.seed, trial * 2 + 1));
    run_trial(plan, o.horizon, &mut engine_stream, obs, scratch);
}

fn run_chunk(sys: &Compiled, s: &Scenario, o: &SimOptions, chunk: u64) -> Vec<Acc> {
    let mut accs = vec![Acc::default(); sys.clusters.len()];
    let mut scratch = Scratch::default();
    let years = o.horizon / YEAR;
    let rpo = s.targets.rpo.map_or(f64::INFINITY, |d| d.as_secs());
    let rto = s.targets.rto.map_or(f64::INFINITY, |d| d.as_secs());
    let end = ((chunk + 1) * CHUNK).min(o.trials);
    let mut obs = dr::DrObserver::new(sys, Stream::for_trial(o.seed, 1));
    for trial in chunk * CHUNK..end {
        run_dr_trial(&sys.plan, o, trial, &mut obs, &mut scratch);
        for (acc, out) in accs.iter_mut().zip(obs.outcome()) {
            acc.downtime.push(out.downtime / o.horizon);
            acc.downtime_per_year.push(out.downtime / HOUR / years);
            acc.rto_hours
                .extend(out.incidents.iter().map(|(d, _)| d / HOUR));
            // Losses from failures; logical corruption (governed by detection time) is counted apart.
            let failures = || {
                out.losses
                    .iter()
                    .filter(|(_, c)| *c != FailureClass::LogicalCorruption)
            };
            acc.loss_secs.extend(failures().map(|(l, _)| *l));
            acc.trials_with_loss += u64::from(failures().next().is_some());
            acc.trials_with_corruption_loss += u64::from(
                out.losses
                    .iter()
                    .any(|(_, c)| *c == FailureClass::LogicalCorruption),
            );
            acc.trials_with_total_loss +=
                u64::from(out.losses.iter().any(|(l, _)| l.is_infinite()));
            acc.trials_beyond_rpo += u64::from(failures().any(|(l, _)| *l > rpo));
            acc.trials_beyond_rto += u64::from(out.incidents.iter().any(|(d, _)| *d > rto));
            for &(d, c) in &out.incidents {
                acc.class_incidents[c.index()] += 1;
                acc.class_downtime[c.index()] += d / HOUR;
                acc.class_rto_hours[c.index()].push(d / HOUR);
            }
            for &(l, c) in &out.losses {
                acc.class_losses[c.index()] += 1;
                if l.is_finite() {
                    acc.class_loss_secs[c.index()] += l;
                    acc.class_rpo_secs[c.index()].push(l);
                }
            }
        }
    }
    accs
}

/// One failure class's share.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct ClassRow {
    /// The class.
    pub class: FailureClass,
    /// Incidents per year (mean).
    pub incidents_per_year: f64,
    /// Downtime hours per year (mean).
    pub downtime_hours_per_year: f64,
    /// Data-loss events per year (mean).
    pub losses_per_year: f64,
    /// Mean seconds of commits lost per (finite) loss event.
    pub mean_loss_secs: f64,
    /// This class's incidents: hours down (its RTO), p50/p95/p99 with intervals.
    pub rto_hours: Quantiles,
    /// This class's finite data losses: seconds of commits lost (its RPO).
    pub rpo_secs: Quantiles,
}

/// Distribution summary.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Quantiles {
    /// Number of samples.
    pub count: usize,
    /// Median.
    pub p50: Option<Estimate>,
    /// 95th percentile.
    pub p95: Option<Estimate>,
    /// 99th percentile.
    pub p99: Option<Estimate>,
    /// Largest finite sample.
    pub max: Option<f64>,
    /// Histogram bin edges: 20 equal bins up to the p99 (the last bin holds the tail).
    pub edges: Vec<f64>,
    /// Samples per bin.
    pub counts: Vec<u64>,
}

fn quantiles(mut xs: Vec<f64>) -> Quantiles {
    let n = xs.len();
    let wanted = [0.5, 0.95, 0.99].map(|q| quantile_ranks(n, q));
    let mut ranks: Vec<usize> = wanted.iter().flatten().flatten().copied().collect();
    ranks.sort_unstable();
    ranks.dedup();
    let values = order_statistics(&mut xs, &ranks);
    let at = |r: usize| values[ranks.binary_search(&r).map_or(0, |i| i)];
    let [p50, p95, p99] = wanted.map(|w| {
        w.map(|[v, l, h]| Estimate {
            value: at(v),
            low: at(l),
            high: at(h),
        })
    });
    let top = p99.map_or(0.0, |e| e.value);
    let (edges, counts) = if top > 0.0 && top.is_finite() {
        let bins = 20;
        let width = top / bins as f64;
        let mut counts = vec![0u64; bins];
        for x in xs.iter().filter(|x| x.is_finite()) {
            counts[((x / width) as usize).min(bins - 1)] += 1;
        }
        ((0..=bins).map(|i| i as f64 * width).collect(), counts)
    } else {
        (Vec::new(), Vec::new())
    };
    Quantiles {
        edges,
        counts,
        count: n,
        p50,
        p95,
        p99,
        max: xs
            .iter()
            .filter(|x| x.is_finite())
            .copied()
            .max_by(f64::total_cmp),
    }
}

/// Results for one cluster.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct ClusterResult {
    /// Cluster name.
    pub cluster: String,
    /// Fraction of time the service is up.
    pub availability: Estimate,
    /// Downtime hours per year: mean with CI.
    pub downtime_hours_per_year: Estimate,
    /// Downtime hours per year across trials.
    pub downtime_distribution: Quantiles,
    /// Hours each incident lasted (the achieved RTO).
    pub rto_hours: Quantiles,
    /// Seconds of commits lost per data-loss event caused by failures (finite ones).
    pub data_loss_secs: Quantiles,
    /// P(losing data to a failure within a year) — logical corruption excluded.
    pub p_any_loss_per_year: Estimate,
    /// P(losing commits to logical corruption within a year) (PITR undoes the damage, not the commits since).
    pub p_corruption_loss_per_year: Estimate,
    /// P(losing more than the RPO within a year).
    pub p_loss_beyond_rpo_per_year: Estimate,
    /// P(losing everything within a year) — naive estimate.
    pub p_total_loss_per_year: Estimate,
    /// P(losing every copy within the RPO within a year) — rare-event (minimal cut set) path.
    pub p_total_loss_per_year_analytic: f64,
    /// P(losing every copy within a year) by importance sampling, when asked
    /// for (`drplan simulate --rare-events`; see [`rare`]).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub p_total_loss_per_year_importance: Option<rare::RareEstimate>,
    /// P(an incident outlasts the RTO within a year).
    pub p_rto_breach_per_year: Estimate,
    /// Per failure class.
    pub classes: Vec<ClassRow>,
    /// Targets.
    pub targets: Vec<TargetCheck>,
}

/// Everything `drplan simulate` reports.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct SimReport {
    /// Scenario name.
    pub scenario: String,
    /// Trials run.
    pub trials: u64,
    /// Seed.
    pub seed: u64,
    /// Years per trial.
    pub horizon_years: f64,
    /// Simulated system-years.
    pub system_years: f64,
    /// Per cluster.
    pub clusters: Vec<ClusterResult>,
}

impl SimReport {
    /// True when a target is breached with 95 % confidence.
    pub fn breached(&self) -> bool {
        self.clusters
            .iter()
            .any(|c| c.targets.iter().any(|t| t.verdict == Verdict::Breached))
    }
}

/// Per-horizon probability → per-year probability.
fn yearly(p: f64, years: f64) -> f64 {
    if p >= 1.0 {
        return 1.0;
    }
    let rate = -(-p).ln_1p() / years;
    -(-rate).exp_m1()
}

/// Run the simulation.
pub fn simulate(s: &Scenario, o: &SimOptions) -> SimReport {
    let sys = compile::compile(s);
    let chunks = o.trials.div_ceil(CHUNK);
    let bar = (o.progress && std::io::stderr().is_terminal()).then(|| {
        let b = indicatif::ProgressBar::new(o.trials);
        b.set_style(
            indicatif::ProgressStyle::with_template("{bar:40} {pos}/{len} trials {eta}")
                .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
        );
        b
    });
    let parts: Vec<Vec<Acc>> = (0..chunks)
        .into_par_iter()
        .map(|c| {
            let r = run_chunk(&sys, s, o, c);
            if let Some(b) = &bar {
                b.inc(CHUNK.min(o.trials - c * CHUNK));
            }
            r
        })
        .collect();
    if let Some(b) = bar {
        b.finish_and_clear();
    }
    let mut accs = vec![Acc::default(); sys.clusters.len()];
    for part in parts {
        for (a, p) in accs.iter_mut().zip(part) {
            a.merge(p);
        }
    }
    let years = o.horizon / YEAR;
    let topo = Topology::build(s);
    let clusters = accs
        .into_iter()
        .enumerate()
        .map(|(ci, a)| {
            let n = o.trials;
            let down = a.downtime.estimate();
            let availability = Estimate {
                value: 1.0 - down.value,
                low: 1.0 - down.high,
                high: 1.0 - down.low,
            };
            let per_year = |k: u64| wilson(k, n).map(|p| yearly(p, years));
            let mut class_rto = a.class_rto_hours;
            let mut class_rpo = a.class_rpo_secs;
            let classes = FailureClass::ALL
                .iter()
                .enumerate()
                .map(|(i, &class)| ClassRow {
                    rto_hours: quantiles(std::mem::take(&mut class_rto[i])),
                    rpo_secs: quantiles(std::mem::take(&mut class_rpo[i])),
                    class,
                    incidents_per_year: a.class_incidents[i] as f64 / (n as f64 * years),
                    downtime_hours_per_year: a.class_downtime[i] / (n as f64 * years),
                    losses_per_year: a.class_losses[i] as f64 / (n as f64 * years),
                    mean_loss_secs: if a.class_losses[i] > 0 {
                        a.class_loss_secs[i] / a.class_losses[i] as f64
                    } else {
                        0.0
                    },
                })
                .filter(|r| r.incidents_per_year > 0.0 || r.losses_per_year > 0.0)
                .collect();
            let total_losses = a.loss_secs.iter().filter(|x| x.is_infinite()).count();
            let mut r = ClusterResult {
                cluster: s.clusters[ci].name.clone(),
                availability,
                downtime_hours_per_year: a.downtime.estimate().map(|f| f * YEAR / HOUR),
                downtime_distribution: quantiles(a.downtime_per_year),
                rto_hours: quantiles(a.rto_hours),
                data_loss_secs: quantiles(
                    a.loss_secs.into_iter().filter(|x| x.is_finite()).collect(),
                ),
                p_any_loss_per_year: per_year(a.trials_with_loss),
                p_corruption_loss_per_year: per_year(a.trials_with_corruption_loss),
                p_loss_beyond_rpo_per_year: per_year(a.trials_beyond_rpo),
                p_total_loss_per_year: per_year(a.trials_with_total_loss),
                p_total_loss_per_year_importance: None,
                p_total_loss_per_year_analytic: analytic::data_loss_probability(
                    s,
                    &topo,
                    ClusterId(ci),
                ),
                p_rto_breach_per_year: per_year(a.trials_beyond_rto),
                classes,
                targets: Vec::new(),
            };
            r.targets = targets::targets(s, ClusterId(ci), &r, total_losses);
            r
        })
        .collect();
    SimReport {
        scenario: s.name.clone(),
        trials: o.trials,
        seed: o.seed,
        horizon_years: years,
        system_years: years * o.trials as f64,
        clusters,
    }
}
