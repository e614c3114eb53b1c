//! A coherent system described by its minimal path sets: it works while every
//! component of at least one path works. DR layouts fit this form naturally:
//! a copy of the data (or a server that can take writes) survives when its
//! host, disks, rack, site, metro, region — and, for a remote copy, its link —
//! all survive; the system survives when any copy does.

/// A basic event: one component failing, with its probability.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct BasicEvent {
    /// Human name, e.g. "site `dc-par1`".
    pub label: String,
    /// Probability that the component is failed (in the question's sense).
    pub q: f64,
}

/// A system given by its path sets over basic events.
#[derive(Debug, Clone, PartialEq, Default, serde::Serialize)]
pub struct Structure {
    /// The components.
    pub events: Vec<BasicEvent>,
    /// Each path: the events that must all work; with a name for explanations.
    pub paths: Vec<Path>,
}

/// One way for the system to work.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Path {
    /// What this path is, e.g. "Barman `barman-par1`".
    pub label: String,
    /// Indices into `Structure::events` (sorted, unique).
    pub events: Vec<usize>,
}

/// Above this many paths the exact inclusion–exclusion is replaced by the min-cut upper bound.
pub const EXACT_PATH_LIMIT: usize = 14;

impl Structure {
    /// Add (or find) an event by label; returns its index.
    pub fn event(&mut self, label: impl Into<String>, q: f64) -> usize {
        let label = label.into();
        if let Some(i) = self.events.iter().position(|e| e.label == label) {
            return i;
        }
        self.events.push(BasicEvent {
            label,
            q: q.clamp(0.0, 1.0),
        });
        self.events.len() - 1
    }

    /// Add a path (its events are sorted and de-duplicated).
    pub fn path(&mut self, label: impl Into<String>, mut events: Vec<usize>) {
        events.sort_unstable();
        events.dedup();
        self.paths.push(Path {
            label: label.into(),
            events,
        });
    }

    /// Does the system work when exactly the events in `failed` have happened?
    pub fn works(&self, failed: &[bool]) -> bool {
        self.paths
            .iter()
            .any(|p| p.events.iter().all(|&e| !failed[e]))
    }

    /// Probability that the system fails, with event `i` forced failed
    /// (`Some(true)`), forced working (`Some(false)`) or at its own q (`None`).
    /// Exact by inclusion–exclusion over paths when there are at most
    /// [`EXACT_PATH_LIMIT`] of them.
    pub fn unavailability_with(&self, forced: Option<(usize, bool)>) -> f64 {
        let q = |e: usize| match forced {
            Some((i, true)) if i == e => 1.0,
            Some((i, false)) if i == e => 0.0,
            _ => self.events[e].q,
        };
        let n = self.paths.len();
        if n == 0 {
            return 1.0;
        }
        if n > EXACT_PATH_LIMIT {
            // Rare-event upper bound: sum over order ≤ 2 minimal cut sets.
            let cuts = super::cutsets::minimal_cut_sets(self, 2);
            let s: f64 = cuts
                .iter()
                .map(|c| c.iter().map(|&e| q(e)).product::<f64>())
                .sum();
            return s.min(1.0);
        }
        // P(at least one path works) = Σ_{T ≠ ∅} (−1)^{|T|+1} Π_{e ∈ ∪T} (1 − q_e)
        let mut works = 0.0;
        let mut members = vec![0u32; self.events.len()];
        for mask in 1u32..(1u32 << n) {
            members.iter_mut().for_each(|m| *m = 0);
            for (i, p) in self.paths.iter().enumerate() {
                if mask & (1 << i) != 0 {
                    for &e in &p.events {
                        members[e] = 1;
                    }
                }
            }
            let prod: f64 = members
                .iter()
                .enumerate()
                .filter(|(_, m)| **m == 1)
                .map(|(e, _)| 1.0 - q(e))
                .product();
            if mask.count_ones() % 2 == 1 {
                works += prod;
            } else {
                works -= prod;
            }
        }
        (1.0 - works).clamp(0.0, 1.0)
    }

    /// Probability that the system fails.
    pub fn unavailability(&self) -> f64 {
        self.unavailability_with(None)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn with(qs: &[f64], paths: &[&[usize]]) -> Structure {
        let mut s = Structure::default();
        for (i, q) in qs.iter().enumerate() {
            s.event(format!("c{i}"), *q);
        }
        for p in paths {
            s.path("p", p.to_vec());
        }
        s
    }

    #[test]
    fn closed_forms() {
        let close = |a: f64, b: f64| (a - b).abs() < 1e-12;
        // Series: 1 − Π(1 − qᵢ).
        assert!(close(
            with(&[0.1, 0.2], &[&[0, 1]]).unavailability(),
            1.0 - 0.9 * 0.8
        ));
        // Parallel: Π qᵢ.
        assert!(close(
            with(&[0.1, 0.2], &[&[0], &[1]]).unavailability(),
            0.02
        ));
        // 2-of-3 with equal q: 3q²(1 − q) + q³.
        let q: f64 = 0.1;
        let two_of_three = with(&[q, q, q], &[&[0, 1], &[0, 2], &[1, 2]]);
        assert!(close(
            two_of_three.unavailability(),
            3.0 * q * q * (1.0 - q) + q.powi(3)
        ));
        // A common cause shared by two parallel copies: q_cc + (1 − q_cc)·q₁q₂.
        let cc = with(&[0.1, 0.2, 0.05], &[&[0, 2], &[1, 2]]);
        assert!(close(cc.unavailability(), 0.05 + 0.95 * 0.1 * 0.2));
    }

    #[test]
    fn importance_of_a_common_cause_dominates() {
        let cc = with(&[0.1, 0.2, 0.05], &[&[0, 2], &[1, 2]]);
        let ranked = super::super::importance::importance(&cc);
        assert_eq!(
            ranked[0].label, "c2",
            "the shared component is hardened first"
        );
        // Birnbaum of the common cause: Q(failed) − Q(working) = 1 − 0.02.
        assert!((ranked[0].birnbaum - 0.98).abs() < 1e-12);
        let q = cc.unavailability();
        assert!((ranked[0].risk_achievement_worth - 1.0 / q).abs() < 1e-9);
        assert!((ranked[0].fussell_vesely - (q - 0.02) / q).abs() < 1e-12);
    }
}
