//! Minimal cut sets up to a given order: the minimal sets of components whose
//! joint failure stops every path. They are the minimal hitting sets of the
//! path sets, enumerated by branching on the components of a path that the
//! partial set does not hit yet, bounded by the order.

use std::collections::BTreeSet;

use super::structure::Structure;

/// Minimal cut sets of at most `max_order` events, sorted by order then events.
pub fn minimal_cut_sets(s: &Structure, max_order: usize) -> Vec<Vec<usize>> {
    if s.paths.is_empty() {
        return vec![Vec::new()];
    }
    let mut found: BTreeSet<Vec<usize>> = BTreeSet::new();
    let mut current = Vec::new();
    branch(s, max_order, &mut current, &mut found);
    // Keep only minimal sets: no other found set is a strict subset.
    let all: Vec<Vec<usize>> = found.into_iter().collect();
    let mut minimal: Vec<Vec<usize>> = all
        .iter()
        .filter(|c| {
            !all.iter()
                .any(|o| o.len() < c.len() && o.iter().all(|e| c.contains(e)))
        })
        .cloned()
        .collect();
    minimal.sort_by(|a, b| a.len().cmp(&b.len()).then_with(|| a.cmp(b)));
    minimal
}

fn branch(
    s: &Structure,
    max_order: usize,
    current: &mut Vec<usize>,
    found: &mut BTreeSet<Vec<usize>>,
) {
    // The first path that still works despite the current failures.
    let Some(open) = s
        .paths
        .iter()
        .find(|p| !p.events.iter().any(|e| current.contains(e)))
    else {
        let mut c = current.clone();
        c.sort_unstable();
        found.insert(c);
        return;
    };
    if current.len() == max_order {
        return;
    }
    for &e in &open.events {
        current.push(e);
        branch(s, max_order, current, found);
        current.pop();
    }
}

/// Does failing exactly `set` stop every path?
pub fn is_cut(s: &Structure, set: &[usize]) -> bool {
    let mut failed = vec![false; s.events.len()];
    for &e in set {
        failed[e] = true;
    }
    !s.works(&failed)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn structure(n: usize, paths: &[&[usize]]) -> Structure {
        let mut s = Structure::default();
        for i in 0..n {
            s.event(format!("c{}", i + 1), 0.1);
        }
        for (k, p) in paths.iter().enumerate() {
            s.path(format!("p{k}"), p.to_vec());
        }
        s
    }

    fn named(s: &Structure, cuts: Vec<Vec<usize>>) -> Vec<Vec<String>> {
        cuts.into_iter()
            .map(|c| c.into_iter().map(|e| s.events[e].label.clone()).collect())
            .collect()
    }

    #[test]
    fn series_every_component_is_a_spof() {
        let s = structure(3, &[&[0, 1, 2]]);
        assert_eq!(
            named(&s, minimal_cut_sets(&s, 3)),
            vec![vec!["c1"], vec!["c2"], vec!["c3"]]
        );
    }

    #[test]
    fn parallel_needs_all_to_fail() {
        let s = structure(3, &[&[0], &[1], &[2]]);
        assert_eq!(
            named(&s, minimal_cut_sets(&s, 3)),
            vec![vec!["c1", "c2", "c3"]]
        );
        assert!(
            minimal_cut_sets(&s, 2).is_empty(),
            "nothing of order ≤ 2 cuts a 1-of-3"
        );
    }

    #[test]
    fn two_out_of_three() {
        let s = structure(3, &[&[0, 1], &[0, 2], &[1, 2]]);
        assert_eq!(
            named(&s, minimal_cut_sets(&s, 3)),
            vec![vec!["c1", "c2"], vec!["c1", "c3"], vec!["c2", "c3"]]
        );
    }

    #[test]
    fn bridge_network() {
        // Source → 1 → 4 → sink, source → 2 → 5 → sink, bridge 3 between the middles.
        let s = structure(5, &[&[0, 3], &[1, 4], &[0, 2, 4], &[1, 2, 3]]);
        let cuts = named(&s, minimal_cut_sets(&s, 3));
        assert_eq!(
            cuts,
            vec![
                vec!["c1", "c2"],
                vec!["c4", "c5"],
                vec!["c1", "c3", "c5"],
                vec!["c2", "c3", "c4"]
            ]
        );
    }

    fn brute_force(s: &Structure, max_order: usize) -> Vec<Vec<usize>> {
        let n = s.events.len();
        let mut cuts: Vec<Vec<usize>> = (0u32..(1 << n))
            .map(|m| (0..n).filter(|i| m & (1 << i) != 0).collect::<Vec<_>>())
            .filter(|c| c.len() <= max_order && is_cut(s, c))
            .collect();
        let all = cuts.clone();
        cuts.retain(|c| {
            !all.iter()
                .any(|o| o.len() < c.len() && o.iter().all(|e| c.contains(e)))
        });
        cuts.sort_by(|a, b| a.len().cmp(&b.len()).then_with(|| a.cmp(b)));
        cuts
    }

    proptest! {
        #[test]
        fn agrees_with_brute_force(paths in prop::collection::vec(prop::collection::vec(0usize..8, 1..5), 1..6), order in 1usize..4) {
            let mut s = Structure::default();
            for i in 0..8 {
                s.event(format!("c{i}"), 0.1);
            }
            for (k, p) in paths.into_iter().enumerate() {
                s.path(format!("p{k}"), p);
            }
            let found = minimal_cut_sets(&s, order);
            for c in &found {
                prop_assert!(is_cut(&s, c), "{c:?} does not cut");
            }
            prop_assert_eq!(found, brute_force(&s, order));
        }
    }
}
