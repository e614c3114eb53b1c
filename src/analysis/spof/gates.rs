//! Gates over systems given by their minimal path sets: AND (every part
//! must work), OR (any alternative) and **k-of-n** (at least k of n members
//! work: a DCS quorum, `ANY k` / `FIRST k` synchronous replication). Each
//! gate yields path sets again, so the cut-set search, the exact probability
//! and the importance measures of [`super::structure`] apply unchanged.
//!
//! A path set is a list of event indices that must all work.

/// Path sets: the system works while every event of one of them works.
pub type Paths = Vec<Vec<usize>>;

/// Drop duplicate events inside each path, duplicate paths and any path that
/// contains another (it adds no way through).
pub fn minimal(mut paths: Paths) -> Paths {
    for p in &mut paths {
        p.sort_unstable();
        p.dedup();
    }
    paths.sort_by(|a, b| a.len().cmp(&b.len()).then_with(|| a.cmp(b)));
    paths.dedup();
    let mut out: Paths = Vec::with_capacity(paths.len());
    for p in paths {
        if !out
            .iter()
            .any(|o| o.iter().all(|e| p.binary_search(e).is_ok()))
        {
            out.push(p);
        }
    }
    out
}

/// AND: every part works (the cross product of their paths).
pub fn all(parts: &[Paths]) -> Paths {
    let mut acc: Paths = vec![Vec::new()];
    for part in parts {
        let mut next = Vec::with_capacity(acc.len() * part.len());
        for a in &acc {
            for b in part {
                let mut p = a.clone();
                p.extend_from_slice(b);
                next.push(p);
            }
        }
        acc = minimal(next);
    }
    acc
}

/// k-of-n: at least `k` of the members work. `k = 0` always works; `k`
/// above the number of members never does (no path).
pub fn k_of_n(k: usize, members: &[Paths]) -> Paths {
    if k == 0 {
        return vec![Vec::new()];
    }
    let mut out = Vec::new();
    let mut chosen = Vec::with_capacity(k);
    choose(k, members, 0, &mut chosen, &mut out);
    minimal(out)
}

fn choose(k: usize, members: &[Paths], from: usize, chosen: &mut Vec<usize>, out: &mut Paths) {
    if chosen.len() == k {
        let parts: Vec<Paths> = chosen.iter().map(|&i| members[i].clone()).collect();
        out.extend(all(&parts));
        return;
    }
    for i in from..members.len() {
        chosen.push(i);
        choose(k, members, i + 1, chosen, out);
        chosen.pop();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn two_of_three_is_every_pair() {
        let m: Vec<Paths> = (0..3).map(|i| vec![vec![i]]).collect();
        assert_eq!(k_of_n(2, &m), vec![vec![0, 1], vec![0, 2], vec![1, 2]]);
        assert_eq!(k_of_n(4, &m), Paths::new());
        assert_eq!(k_of_n(0, &m), vec![Vec::<usize>::new()]);
    }

    #[test]
    fn shared_containers_merge_and_supersets_go() {
        // Members 0 and 1 share event 9 (a site): {0,9} and {1,9}.
        let m = vec![vec![vec![0, 9]], vec![vec![1, 9]], vec![vec![2]]];
        assert_eq!(
            k_of_n(2, &m),
            vec![vec![0, 1, 9], vec![0, 2, 9], vec![1, 2, 9]]
        );
        assert_eq!(all(&[vec![vec![1], vec![2]], vec![vec![1]]]), vec![vec![1]]);
    }
}
