//! Restores: from the tier that loses the least after every node's data is
//! gone, and the runbook's disaster recovery — once no node has been able to
//! serve for `declare_disaster_after`, the freshest surviving tier is restored
//! onto a recovery host that is up (so in a surviving site), which then
//! serves after the restore and the clients' re-pointing.

use super::super::compile::ClusterModel;
use super::super::sampling::Stream;
use super::shape::{bit, bits};
use super::{Phase, State};
use crate::model::FailureClass;

impl State {
    /// The best tier to restore from: least data lost, then fastest (the
    /// lowest index among equals).
    pub(super) fn best_tier(&self, m: &ClusterModel) -> Option<(usize, f64)> {
        let lost_at = self.incident.map_or(0.0, |(s, _)| s);
        let mut best: Option<(usize, f64)> = None;
        for i in bits(self.tier_ok & self.tier_up) {
            let stale = if self.cut & bit(i) == 0 {
                0.0
            } else {
                (lost_at - self.feed_cut[i]).max(0.0)
            };
            let loss = m.tiers[i].rpo + stale;
            let better = best.is_none_or(|(b, bl)| {
                loss.total_cmp(&bl)
                    .then(m.tiers[i].restore.total_cmp(&m.tiers[b].restore))
                    .is_lt()
            });
            if better {
                best = Some((i, loss));
            }
        }
        best
    }

    /// Restore from tier `i`: the tier's restore time, twice that when the
    /// backup used turns out silently broken (the one before it is used).
    pub(super) fn restore_from(&mut self, m: &ClusterModel, i: usize, t: f64, stream: &mut Stream) {
        let mut d = m.tiers[i].restore;
        if stream.uniform() < m.tiers[i].silent {
            d *= 2.0;
        }
        self.phase = Phase::Restoring { until: t + d };
    }

    pub(super) fn start_restore(
        &mut self,
        m: &ClusterModel,
        t: f64,
        stream: &mut Stream,
        class: FailureClass,
    ) {
        match self.best_tier(m) {
            Some((i, loss)) => {
                if loss > 0.0 {
                    self.out.losses.push((loss, class));
                }
                self.restore_from(m, i, t, stream);
            }
            None if self.tier_ok != 0 => self.phase = Phase::Waiting,
            None => {
                self.out.losses.push((f64::INFINITY, class));
                self.phase = Phase::WaitingHost;
            }
        }
    }

    /// The runbook: once no node has served for `declare_after`, restore
    /// the freshest surviving tier onto a recovery host that is up.
    pub(super) fn declare(
        &mut self,
        m: &ClusterModel,
        t: f64,
        stream: &mut Stream,
        class: FailureClass,
    ) {
        let since = self.incident.map_or(t, |(s, _)| s);
        let hosts = self.node_up & self.shape.recovery;
        if t < since + m.declare_after || hosts == 0 {
            return;
        }
        let Some((i, loss)) = self.best_tier(m) else {
            return;
        };
        if loss > 0.0 {
            self.out.losses.push((loss, class));
        }
        let to = hosts.trailing_zeros() as usize;
        let k = (self.shape.recovery & (bit(to) - 1)).count_ones() as usize;
        let mut d = m.dr_restore[k * m.tiers.len() + i];
        if stream.uniform() < m.tiers[i].silent {
            d *= 2.0;
        }
        self.phase = Phase::RestoringOnto {
            until: t + d + m.repoint,
            to,
        };
    }
}
