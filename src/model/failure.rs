//! How components fail and come back: a rate, a lifetime distribution, a
//! repair time and its distribution, kept apart for outage (service down,
//! data intact) and destruction (the copies on the component are lost).

use super::units::{Duration, Rate};

/// Shape of a lifetime or repair-time distribution; the mean comes from the
/// failure rate or the repair time.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Distribution {
    /// Memoryless: constant hazard.
    Exponential,
    /// Weibull with this shape (< 1 infant mortality, > 1 wear-out).
    Weibull {
        /// Shape parameter k > 0.
        shape: f64,
    },
    /// Log-normal with this sigma of the underlying normal.
    LogNormal {
        /// Standard deviation of ln(X).
        sigma: f64,
    },
    /// Always exactly the mean.
    Fixed,
}

/// One failure mode of a component.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct FailureMode {
    /// Mean number of events per year.
    pub rate: Rate,
    /// Distribution of the time between events (mean `1 / rate`).
    pub lifetime: Distribution,
    /// Mean time until the component is back (repair, replacement, rebuild).
    pub repair: Duration,
    /// Distribution of the repair time (mean `repair`).
    pub repair_distribution: Distribution,
}

impl FailureMode {
    /// Long-run fraction of time spent failed: MTTR / (MTBF + MTTR).
    pub fn unavailability(&self) -> f64 {
        let mtbf = self.rate.mean_interval_secs();
        let mttr = self.repair.as_secs();
        if !mtbf.is_finite() {
            return 0.0;
        }
        mttr / (mtbf + mttr)
    }
}

/// The two ways a component fails.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Failures {
    /// Service down, data intact (power cut, crash, network loss).
    pub outage: Option<FailureMode>,
    /// The data on the component is gone (fire, flood, dead array).
    pub destruction: Option<FailureMode>,
}
