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
    /// Events per year of this failure (for rare-event rates; 0 when unknown).
    pub rate_per_year: f64,
    /// Mean years until the component is back after the failure.
    pub repair_years: f64,
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

/// Most sub-problems the exact computation memoises before it settles for
/// the min-cut upper bound (never reached by scenarios of a few sites).
pub const EXACT_BUDGET: usize = 200_000;

impl Structure {
    /// Add (or find) an event by label; returns its index.
    pub fn event(&mut self, label: impl Into<String>, q: f64) -> usize {
        self.event_with_rate(label, q, 0.0, 0.0)
    }

    /// Add (or find) an event with its rate per year and mean repair time in years.
    pub fn event_with_rate(
        &mut self,
        label: impl Into<String>,
        q: f64,
        rate_per_year: f64,
        repair_years: f64,
    ) -> usize {
        let label = label.into();
        if let Some(i) = self.events.iter().position(|e| e.label == label) {
            return i;
        }
        self.events.push(BasicEvent {
            label,
            q: q.clamp(0.0, 1.0),
            rate_per_year,
            repair_years,
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
    /// Exact, by pivotal decomposition (factoring) on the events shared by
    /// paths, whatever the number of paths — k-of-n gates expand into many
    /// (see [`super::gates`]); past [`EXACT_BUDGET`] sub-problems, the
    /// rare-event upper bound over the minimal cut sets of order ≤ 3.
    pub fn unavailability_with(&self, forced: Option<(usize, bool)>) -> f64 {
        let q = |e: usize| match forced {
            Some((i, true)) if i == e => 1.0,
            Some((i, false)) if i == e => 0.0,
            _ => self.events[e].q,
        };
        if self.paths.is_empty() {
            return 1.0;
        }
        let paths = super::gates::minimal(self.paths.iter().map(|p| p.events.clone()).collect());
        let mut memo = std::collections::HashMap::new();
        match works(paths, &q, &mut memo) {
            Some(w) => (1.0 - w).clamp(0.0, 1.0),
            None => {
                let cuts = super::cutsets::minimal_cut_sets(self, 3);
                let s: f64 = cuts
                    .iter()
                    .map(|c| c.iter().map(|&e| q(e)).product::<f64>())
                    .sum();
                s.min(1.0)
            }
        }
    }

    /// Probability that the system fails.
    pub fn unavailability(&self) -> f64 {
        self.unavailability_with(None)
    }
}

/// P(some path works), by factoring on the event most paths share: with it
/// working it leaves every path, failed it takes the paths through it.
/// `None` when the memo outgrows [`EXACT_BUDGET`].
fn works(
    paths: Vec<Vec<usize>>,
    q: &dyn Fn(usize) -> f64,
    memo: &mut std::collections::HashMap<Vec<Vec<usize>>, f64>,
) -> Option<f64> {
    if paths.is_empty() {
        return Some(0.0);
    }
    if paths.iter().any(Vec::is_empty) {
        return Some(1.0);
    }
    if let [only] = paths.as_slice() {
        return Some(only.iter().map(|&e| 1.0 - q(e)).product());
    }
    if let Some(&w) = memo.get(&paths) {
        return Some(w);
    }
    if memo.len() > EXACT_BUDGET {
        return None;
    }
    let mut count: std::collections::BTreeMap<usize, usize> = std::collections::BTreeMap::new();
    for p in &paths {
        for &e in p {
            *count.entry(e).or_default() += 1;
        }
    }
    let pivot = count
        .iter()
        .max_by(|a, b| a.1.cmp(b.1).then(b.0.cmp(a.0)))
        .map(|(&e, _)| e)?;
    let up = super::gates::minimal(
        paths
            .iter()
            .map(|p| p.iter().copied().filter(|&e| e != pivot).collect())
            .collect(),
    );
    let down: Vec<Vec<usize>> = paths
        .iter()
        .filter(|p| !p.contains(&pivot))
        .cloned()
        .collect();
    let qe = q(pivot);
    let w = (1.0 - qe) * works(up, q, memo)? + qe * works(down, q, memo)?;
    memo.insert(paths, w);
    Some(w)
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

    /// Inclusion–exclusion over the paths: the oracle for the factoring.
    fn by_inclusion_exclusion(s: &Structure) -> f64 {
        let n = s.paths.len();
        let mut works = 0.0;
        for mask in 1u32..(1u32 << n) {
            let mut members = vec![false; s.events.len()];
            for (i, p) in s.paths.iter().enumerate() {
                if mask & (1 << i) != 0 {
                    for &e in &p.events {
                        members[e] = true;
                    }
                }
            }
            let prod: f64 = (0..s.events.len())
                .filter(|&e| members[e])
                .map(|e| 1.0 - s.events[e].q)
                .product();
            works += if mask.count_ones() % 2 == 1 {
                prod
            } else {
                -prod
            };
        }
        1.0 - works
    }

    proptest::proptest! {
        #[test]
        fn factoring_agrees_with_inclusion_exclusion(
            qs in proptest::collection::vec(0.0f64..1.0, 8),
            paths in proptest::collection::vec(proptest::collection::vec(0usize..8, 1..5), 1..9),
        ) {
            let mut s = Structure::default();
            for (i, q) in qs.iter().enumerate() {
                s.event(format!("c{i}"), *q);
            }
            for p in paths {
                s.path("p", p);
            }
            let exact = by_inclusion_exclusion(&s);
            proptest::prop_assert!((s.unavailability() - exact).abs() < 1e-9, "{} vs {exact}", s.unavailability());
        }
    }
}
