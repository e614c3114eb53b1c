//! The scenario's targets scored against one cluster's simulated results:
//! typed checks ([`TargetCheck`]) keyed by [`TargetKind`], with the achieved
//! figure as an [`Estimate`]. The words and numbers people read are made on
//! the rendering side (`report::format`), never here.

use super::ClusterResult;
use super::stats::Estimate;
use crate::model::{ClusterId, Scenario, TargetKind};

/// Outcome of a target check, ordered from best to worst.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Verdict {
    /// Met with 95 % confidence.
    Met,
    /// The 95 % interval contains the target.
    AtRisk,
    /// Breached with 95 % confidence.
    Breached,
}

/// What the simulation achieved against a target.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Achievement {
    /// An estimate with its 95 % interval, in the kind's unit (see [`TargetCheck::required`]).
    Estimate(Estimate),
    /// RTO: no incident in any trial, so no duration to compare.
    NoIncident,
    /// RPO: no data lost in any trial.
    NoLoss,
    /// RPO: no partial loss, but every copy was lost this many times (judged
    /// by P(losing everything) instead).
    OnlyTotalLosses(usize),
}

/// A target and how the simulation scores it. Written to JSON by
/// `report::format` (as the words `drplan simulate -f json` prints).
#[derive(Debug, Clone, PartialEq)]
pub struct TargetCheck {
    /// Which target.
    pub kind: TargetKind,
    /// The cluster scored.
    pub cluster: ClusterId,
    /// The target: availability as a fraction, P(data loss) as a
    /// probability per year, RTO and RPO in seconds.
    pub required: f64,
    /// The achieved figure: availability as a fraction, P(data loss) per
    /// year, RTO p95 in hours, RPO p95 in seconds.
    pub achieved: Achievement,
    /// met, breached (with 95 % confidence) or at risk (the interval straddles the target).
    pub verdict: Verdict,
}

impl TargetCheck {
    /// How badly it does, comparable between clusters for the same target
    /// (larger is worse): unavailability, probability, hours or seconds.
    pub fn badness(&self) -> f64 {
        match (self.kind, self.achieved) {
            (TargetKind::Availability, Achievement::Estimate(e)) => 1.0 - e.value,
            (_, Achievement::Estimate(e)) => e.value,
            (
                _,
                Achievement::NoIncident | Achievement::NoLoss | Achievement::OnlyTotalLosses(_),
            ) => 0.0,
        }
    }
}

fn verdict_at_most(e: &Estimate, target: f64) -> Verdict {
    if e.high <= target {
        Verdict::Met
    } else if e.low > target {
        Verdict::Breached
    } else {
        Verdict::AtRisk
    }
}

/// The cluster's results against the scenario's targets. The RPO is judged on
/// the losses a copy recovered from; `total_losses` (every copy gone) are
/// judged by P(lose everything) and only named here.
pub(super) fn targets(
    s: &Scenario,
    cluster: ClusterId,
    r: &ClusterResult,
    total_losses: usize,
) -> Vec<TargetCheck> {
    let mut out = Vec::new();
    let t = &s.targets;
    let check = |kind, required, achieved, verdict| TargetCheck {
        kind,
        cluster,
        required,
        achieved,
        verdict,
    };
    if let Some(a) = t.availability {
        let unavail = Estimate {
            value: 1.0 - r.availability.value,
            low: 1.0 - r.availability.high,
            high: 1.0 - r.availability.low,
        };
        out.push(check(
            TargetKind::Availability,
            a.value(),
            Achievement::Estimate(r.availability),
            verdict_at_most(&unavail, 1.0 - a.value()),
        ));
    }
    if let Some(p) = t.data_loss_probability {
        out.push(check(
            TargetKind::DataLossProbability,
            p.value(),
            Achievement::Estimate(r.p_any_loss_per_year),
            verdict_at_most(&r.p_any_loss_per_year, p.value()),
        ));
    }
    // Without a single incident (loss) in any trial there is no duration to
    // compare: nothing breached the target in the trials run.
    if let Some(rto) = t.rto {
        out.push(match r.rto_hours.p95 {
            Some(p95) => check(
                TargetKind::Rto,
                rto.as_secs(),
                Achievement::Estimate(p95),
                verdict_at_most(&p95, rto.as_hours()),
            ),
            None => check(
                TargetKind::Rto,
                rto.as_secs(),
                Achievement::NoIncident,
                Verdict::Met,
            ),
        });
    }
    if let Some(rpo) = t.rpo {
        let (achieved, verdict) = match (r.data_loss_secs.p95, total_losses) {
            (Some(p95), _) => (
                Achievement::Estimate(p95),
                verdict_at_most(&p95, rpo.as_secs()),
            ),
            (None, 0) => (Achievement::NoLoss, Verdict::Met),
            (None, n) => (Achievement::OnlyTotalLosses(n), Verdict::Met),
        };
        out.push(check(TargetKind::Rpo, rpo.as_secs(), achieved, verdict));
    }
    out
}
