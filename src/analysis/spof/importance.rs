//! Importance measures of each component for one question (service, data,
//! logical corruption): Birnbaum (how much the system's failure probability
//! moves with the component), Fussell–Vesely (share of the risk that involves
//! it), risk achievement worth (how much worse when it is failed) and risk
//! reduction worth (how much better if it never failed).

use super::structure::Structure;

/// The measures of one component.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Importance {
    /// Index of the event.
    pub event: usize,
    /// Human name.
    pub label: String,
    /// Its own failure probability.
    pub q: f64,
    /// Q(i failed) − Q(i working).
    pub birnbaum: f64,
    /// (Q − Q(i working)) / Q.
    pub fussell_vesely: f64,
    /// Q(i failed) / Q.
    pub risk_achievement_worth: f64,
    /// Q / Q(i working); infinite when the component is the whole risk.
    pub risk_reduction_worth: f64,
}

/// All measures, ranked by Fussell–Vesely then Birnbaum (what to harden first).
pub fn importance(s: &Structure) -> Vec<Importance> {
    let q_sys = s.unavailability();
    let mut out: Vec<Importance> = (0..s.events.len())
        .map(|i| {
            let up = s.unavailability_with(Some((i, false)));
            let down = s.unavailability_with(Some((i, true)));
            let ratio = |a: f64, b: f64| {
                if b > 0.0 {
                    a / b
                } else if a > 0.0 {
                    f64::INFINITY
                } else {
                    1.0
                }
            };
            Importance {
                event: i,
                label: s.events[i].label.clone(),
                q: s.events[i].q,
                birnbaum: down - up,
                fussell_vesely: if q_sys > 0.0 {
                    ((q_sys - up) / q_sys).max(0.0)
                } else {
                    0.0
                },
                risk_achievement_worth: ratio(down, q_sys),
                risk_reduction_worth: ratio(q_sys, up),
            }
        })
        .collect();
    out.sort_by(|a, b| {
        b.fussell_vesely
            .total_cmp(&a.fussell_vesely)
            .then(b.birnbaum.total_cmp(&a.birnbaum))
            .then(a.label.cmp(&b.label))
    });
    out
}
