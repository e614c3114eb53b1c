//! Logical corruption, once detected: a point-in-time restore from a tier
//! undoes it, the commits since it happened are lost; with no tier left the
//! damage stays.

use super::super::compile::ClusterModel;
use super::super::sampling::Stream;
use super::{Phase, State};
use crate::model::FailureClass;

impl State {
    /// Logical corruption found at `t`: undo it by a point-in-time restore
    /// from the best tier, losing the commits since it happened.
    pub(super) fn corruption_detected(&mut self, m: &ClusterModel, t: f64, stream: &mut Stream) {
        let since = if self.corruption_at.is_nan() {
            t
        } else {
            self.corruption_at
        };
        self.corruption_at = f64::NAN;
        let lost = (t - since).max(0.0);
        if self.phase != Phase::Up {
            self.out
                .losses
                .push((lost, FailureClass::LogicalCorruption));
            return;
        }
        match self.best_tier(m) {
            Some((i, _)) => {
                self.out
                    .losses
                    .push((lost, FailureClass::LogicalCorruption));
                self.open(t, FailureClass::LogicalCorruption);
                self.restore_from(m, i, t, stream);
            }
            // No point-in-time copy: the damage stays; count it as losing everything.
            None => self
                .out
                .losses
                .push((f64::INFINITY, FailureClass::LogicalCorruption)),
        }
    }
}
