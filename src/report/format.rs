//! Words and numbers for people, made from typed analysis results in one
//! place: what a target asks for and what the simulation achieved, as
//! `drplan simulate` prints them and as its JSON writes them.

use serde::ser::SerializeStruct;

use super::build::money;
use crate::analysis::cost::CostBasis;
use crate::analysis::montecarlo::stats::Estimate;
use crate::analysis::montecarlo::{Achievement, TargetCheck};
use crate::model::{Bytes, Duration, TargetKind};

/// A fraction as a percentage with four decimals and its interval.
fn pct(e: &Estimate) -> String {
    format!(
        "{:.4} % [{:.4}, {:.4}]",
        e.value * 100.0,
        e.low * 100.0,
        e.high * 100.0
    )
}

/// The target as the scenario states it ("99.9500 %", "5 min").
pub fn target_wanted(t: &TargetCheck) -> String {
    match t.kind {
        TargetKind::Availability | TargetKind::DataLossProbability => {
            format!("{:.4} %", t.required * 100.0)
        }
        TargetKind::Rto | TargetKind::Rpo => Duration::from_secs(t.required).to_string(),
    }
}

/// The achieved figure with its interval in brackets, or why there is none.
pub fn target_achieved(t: &TargetCheck) -> String {
    match (t.kind, t.achieved) {
        (TargetKind::Availability | TargetKind::DataLossProbability, Achievement::Estimate(e)) => {
            pct(&e)
        }
        (TargetKind::Rto, Achievement::Estimate(e)) => {
            format!("{:.2} h [{:.2}, {:.2}]", e.value, e.low, e.high)
        }
        (TargetKind::Rpo, Achievement::Estimate(e)) => {
            format!("{:.0} s [{:.0}, {:.0}]", e.value, e.low, e.high)
        }
        (_, Achievement::NoIncident) => "no incident in any trial".into(),
        (_, Achievement::NoLoss) => "no data lost in any trial".into(),
        (_, Achievement::OnlyTotalLosses(n)) => {
            format!("no partial loss; every copy lost {n} time(s), see P(lose everything)")
        }
    }
}

/// The achieved figure without its interval ("99.9800 %", "1.25 h") and the
/// interval on its own ("99.9700, 99.9900"); the reason alone when there is
/// no figure.
pub fn target_achieved_parts(t: &TargetCheck) -> (String, Option<String>) {
    let two = |v: String, lo: String, hi: String| (v, Some(format!("{lo}, {hi}")));
    match (t.kind, t.achieved) {
        (TargetKind::Availability | TargetKind::DataLossProbability, Achievement::Estimate(e)) => {
            two(
                format!("{:.4} %", e.value * 100.0),
                format!("{:.4}", e.low * 100.0),
                format!("{:.4}", e.high * 100.0),
            )
        }
        (TargetKind::Rto, Achievement::Estimate(e)) => two(
            format!("{:.2} h", e.value),
            format!("{:.2}", e.low),
            format!("{:.2}", e.high),
        ),
        (TargetKind::Rpo, Achievement::Estimate(e)) => two(
            format!("{:.0} s", e.value),
            format!("{:.0}", e.low),
            format!("{:.0}", e.high),
        ),
        (_, Achievement::NoIncident | Achievement::NoLoss | Achievement::OnlyTotalLosses(_)) => {
            (target_achieved(t), None)
        }
    }
}

/// How a line of the bill was computed ("12 × 900 EUR/month").
pub fn cost_basis(b: &CostBasis, currency: &str) -> String {
    match b {
        CostBasis::Monthly(m) => format!("12 × {} {currency}/month", money(*m)),
        CostBasis::PeakStorage {
            peak,
            price,
            storage_class,
        } => format!(
            "peak {} × {price} {currency}/GiB-month ({storage_class})",
            Bytes(*peak)
        ),
        CostBasis::Drills { per_year, each } => {
            format!("{per_year:.1} drills × {} {currency}", money(*each))
        }
    }
}

/// Written as `drplan simulate -f json` always has: target, wanted and
/// achieved as words, the verdict as a key.
impl serde::Serialize for TargetCheck {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut st = s.serialize_struct("TargetCheck", 4)?;
        st.serialize_field("target", self.kind.label())?;
        st.serialize_field("wanted", &target_wanted(self))?;
        st.serialize_field("achieved", &target_achieved(self))?;
        st.serialize_field("verdict", &self.verdict)?;
        st.end()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::montecarlo::Verdict;
    use crate::model::ClusterId;

    fn check(kind: TargetKind, achieved: Achievement) -> TargetCheck {
        TargetCheck {
            kind,
            cluster: ClusterId(0),
            required: 300.0,
            achieved,
            verdict: Verdict::Met,
        }
    }

    /// The report's split cell and the table's one-line figure say the same thing.
    #[test]
    fn parts_and_one_line_agree_for_every_kind() {
        let e = Estimate {
            value: 0.99981,
            low: 0.99972,
            high: 0.99994,
        };
        for kind in [
            TargetKind::Availability,
            TargetKind::DataLossProbability,
            TargetKind::Rto,
            TargetKind::Rpo,
        ] {
            let t = check(kind, Achievement::Estimate(e));
            let (value, interval) = target_achieved_parts(&t);
            let interval = interval.expect("an estimate has an interval");
            assert_eq!(
                format!("{value} [{interval}]"),
                target_achieved(&t),
                "{kind:?}"
            );
        }
        let t = check(TargetKind::Rpo, Achievement::OnlyTotalLosses(3));
        assert_eq!(target_achieved_parts(&t), (target_achieved(&t), None));
        assert!(target_achieved(&t).contains("every copy lost 3 time(s)"));
        assert_eq!(target_wanted(&t), "5 min");
        let mut t = check(TargetKind::Availability, Achievement::Estimate(e));
        t.required = 0.9995;
        assert_eq!(target_wanted(&t), "99.9500 %");
    }
}
