//! Rare events by importance sampling: the probability of losing every copy
//! of a cluster's data, estimated by simulation where naive trials cannot see
//! it.
//!
//! Every destruction failure rate (disk arrays, sites, metro areas, regions,
//! object stores) is multiplied by a factor, so that the rare coincidences
//! that destroy every copy happen often; each trial is weighted by its
//! likelihood ratio back to the true rates ([`engine::Plan::biased`]), and the
//! weighted fraction of trials that lost everything is an unbiased estimate
//! of the true probability, with a confidence interval from the weights'
//! variance (mean ± 1.96 s/√n). Outages keep their true rates: they do not
//! destroy data, and leaving them alone keeps the weights steady.
//!
//! Trials last one year (the estimate is per year). This is *simple* failure
//! biasing: when the factor forces many destructions into a trial, the
//! weights (÷ factor per destruction) spread over many orders of magnitude
//! and the interval stops being trustworthy; too small a factor and no trial
//! sees the loss. The number of trials that saw it (`hits`) says which: a
//! few dozen or more, and estimates from neighbouring factors that agree.
//!
//! This is the simulation's answer to the minimal-cut-set figure of
//! [`analytic`](super::analytic), which approximates from above; where both
//! can be computed, they are compared (`tests/montecarlo.rs`).
//!
//! [`engine::Plan::biased`]: super::engine::Plan::biased

use rayon::prelude::*;

use super::compile::compile;
use super::dr::DrObserver;
use super::engine::Scratch;
use super::sampling::Stream;
use super::stats::{Estimate, MeanAcc};
use super::{CHUNK, SimOptions, run_dr_trial};
use crate::model::Scenario;
use crate::model::units::YEAR;

/// The importance-sampling estimate for one cluster.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct RareEstimate {
    /// Cluster name.
    pub cluster: String,
    /// P(losing every copy within a year), with its 95 % interval.
    pub p_total_loss_per_year: Estimate,
    /// Biased trials that lost every copy (how much the estimate rests on).
    pub hits: u64,
    /// Trials run.
    pub trials: u64,
    /// Factor on every destruction rate.
    pub factor: f64,
}

/// A factor that makes about one destruction happen per one-year trial (at
/// least 1, at most 10 000): enough for coincidences of two or three, not so
/// many that the weights of trials with several swing wildly.
pub fn default_factor(s: &Scenario) -> f64 {
    let sys = compile(s);
    let per_trial: f64 = sys
        .plan
        .processes
        .iter()
        .filter(|p| p.destroys && p.mean_up.is_finite())
        .map(|p| YEAR / p.mean_up)
        .sum();
    if per_trial > 0.0 {
        (1.0 / per_trial).clamp(1.0, 1e4)
    } else {
        1.0
    }
}

/// Estimate P(losing every copy)/yr for each cluster with `o.trials`
/// one-year trials (`o.horizon` is not used), destruction rates multiplied by
/// `factor`. Deterministic for a seed on any number of threads, like
/// [`simulate`](super::simulate).
pub fn total_loss(s: &Scenario, o: &SimOptions, factor: f64) -> Vec<RareEstimate> {
    let o = &SimOptions {
        horizon: YEAR,
        ..*o
    };
    let sys = compile(s);
    let plan = sys.plan.biased(|p| if p.destroys { factor } else { 1.0 });
    let clusters = sys.clusters.len();
    let chunks = o.trials.div_ceil(CHUNK);
    let parts: Vec<Vec<(MeanAcc, u64)>> = (0..chunks)
        .into_par_iter()
        .map(|chunk| {
            let mut acc = vec![(MeanAcc::default(), 0u64); clusters];
            let mut scratch = Scratch::default();
            let mut obs = DrObserver::new(&sys, Stream::for_trial(o.seed, 1));
            for trial in chunk * CHUNK..((chunk + 1) * CHUNK).min(o.trials) {
                run_dr_trial(&plan, o, trial, &mut obs, &mut scratch);
                let w = scratch.weight();
                for ((m, hits), out) in acc.iter_mut().zip(obs.outcome()) {
                    let lost = out.losses.iter().any(|(l, _)| l.is_infinite());
                    m.push(if lost { w } else { 0.0 });
                    *hits += u64::from(lost);
                }
            }
            acc
        })
        .collect();
    let mut total = vec![(MeanAcc::default(), 0u64); clusters];
    for part in parts {
        for (t, p) in total.iter_mut().zip(part) {
            t.0.merge(&p.0);
            t.1 += p.1;
        }
    }
    total
        .into_iter()
        .zip(&sys.clusters)
        .map(|((m, hits), c)| {
            let e = m.estimate();
            let per_year = Estimate {
                value: e.value.clamp(0.0, 1.0),
                low: e.low.clamp(0.0, 1.0),
                high: e.high.clamp(0.0, 1.0),
            };
            RareEstimate {
                cluster: c.name.clone(),
                p_total_loss_per_year: per_year,
                hits,
                trials: o.trials,
                factor,
            }
        })
        .collect()
}
