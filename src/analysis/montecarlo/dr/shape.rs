//! A cluster's copies as 64-bit masks (bit `i` is node or tier `i`), the
//! form the DR observer settles on without allocating.

use super::super::compile::ClusterModel;

/// Bit `i`.
#[inline]
pub(super) fn bit(i: usize) -> u64 {
    1u64 << i
}

/// The set bits of a mask, lowest first.
#[inline]
pub(super) fn bits(mut m: u64) -> impl Iterator<Item = usize> {
    std::iter::from_fn(move || {
        (m != 0).then(|| {
            let i = m.trailing_zeros() as usize;
            m &= m - 1;
            i
        })
    })
}

/// A mask of the first `n` bits.
fn first(n: usize) -> u64 {
    if n >= 64 { u64::MAX } else { bit(n) - 1 }
}

/// What settling needs of a cluster's model, as masks.
#[derive(Debug, Clone)]
pub(super) struct Shape {
    pub(super) all_nodes: u64,
    pub(super) all_tiers: u64,
    /// Synchronous nodes (and the primary).
    pub(super) sync: u64,
    /// Recovery hosts: nodes that hold data only after a DR restore.
    pub(super) recovery: u64,
    /// Tiers without a source, and the (tier, source) pairs of the others.
    pub(super) unfed: u64,
    pub(super) fed: Vec<(usize, usize)>,
}

impl Shape {
    pub(super) fn of(m: &ClusterModel) -> Self {
        let fed: Vec<_> = m
            .tiers
            .iter()
            .enumerate()
            .filter_map(|(i, t)| t.fed_by.map(|src| (i, src)))
            .collect();
        Self {
            all_nodes: first(m.nodes.len()),
            all_tiers: first(m.tiers.len()),
            sync: m
                .nodes
                .iter()
                .enumerate()
                .filter(|(_, n)| n.sync)
                .fold(0, |acc, (i, _)| acc | bit(i)),
            recovery: m
                .nodes
                .iter()
                .enumerate()
                .filter(|(_, n)| n.recovery)
                .fold(0, |acc, (i, _)| acc | bit(i)),
            unfed: fed
                .iter()
                .fold(first(m.tiers.len()), |acc, &(i, _)| acc & !bit(i)),
            fed,
        }
    }
}
