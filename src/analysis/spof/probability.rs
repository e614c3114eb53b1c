//! Failure probabilities of components for the two kinds of question:
//! steady-state unavailability for the service (q = MTTR / (MTBF + MTTR)),
//! probability of destruction within a year for the data (1 − e^(−λ)).
//! A disk array fails when more disks fail than its RAID level tolerates.

use crate::model::{Disks, FailureMode, Failures, units::YEAR};

/// Steady-state probability of being down (outage or destruction).
pub fn down(f: &Failures) -> f64 {
    let q = |m: &Option<FailureMode>| m.map_or(0.0, |m| m.unavailability());
    1.0 - (1.0 - q(&f.outage)) * (1.0 - q(&f.destruction))
}

/// Probability that the component is destroyed within a year.
pub fn destroyed_in_a_year(f: &Failures) -> f64 {
    f.destruction.map_or(0.0, |m| m.rate.yearly_probability())
}

/// Steady-state probability that the array has lost more disks than it tolerates.
pub fn array_down(d: &Disks) -> f64 {
    let Some(m) = d.failure else { return 0.0 };
    let q = m.unavailability();
    let n = d.count;
    let t = d.raid.tolerated_failures(n);
    // P(more than t of n disks down), binomial.
    (t + 1..=n)
        .map(|k| binom(n, k) * q.powi(k as i32) * (1.0 - q).powi((n - k) as i32))
        .sum()
}

/// Probability that the array loses its data within a year: t + 1 overlapping
/// failures, λ_loss = λ^(t+1) · MTTR^t · n(n−1)…(n−t) (the usual MTTDL
/// approximation: RAID 5 gives n(n−1)λ²·MTTR).
pub fn array_lost_in_a_year(d: &Disks) -> f64 {
    let Some(m) = d.failure else { return 0.0 };
    let lambda = m.rate.events_per_year();
    let mttr_years = m.repair.as_secs() / YEAR;
    let n = d.count;
    let t = d.raid.tolerated_failures(n);
    if t >= n {
        return 0.0;
    }
    let ways: f64 = (0..=t).map(|i| f64::from(n - i)).product();
    let rate = ways * lambda.powi(t as i32 + 1) * mttr_years.powi(t as i32);
    -(-rate).exp_m1()
}

fn binom(n: u32, k: u32) -> f64 {
    (0..k).fold(1.0, |acc, i| acc * f64::from(n - i) / f64::from(i + 1))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{DiskKind, Distribution, Raid, Rate, units::Duration};

    fn disks(count: u32, raid: Raid) -> Disks {
        Disks {
            count,
            size: crate::model::Bytes(1),
            kind: DiskKind::Ssd,
            raid,
            failure: Some(FailureMode {
                rate: Rate::per_year(0.1),
                lifetime: Distribution::Exponential,
                repair: Duration::from_secs(YEAR / 100.0),
                repair_distribution: Distribution::Exponential,
            }),
        }
    }

    #[test]
    fn raid_levels_order_as_expected() {
        let none = array_lost_in_a_year(&disks(1, Raid::None));
        let mirror = array_lost_in_a_year(&disks(2, Raid::Raid1));
        assert!(
            (none - (1.0 - (-0.1f64).exp())).abs() < 1e-12,
            "one disk: its own AFR"
        );
        // RAID 1 of two: rate 2·λ²·MTTR = 2 · 0.01 · 0.01 = 2e-4 per year.
        assert!((mirror - (1.0 - (-2e-4f64).exp())).abs() < 1e-12);
        assert!(
            array_lost_in_a_year(&disks(6, Raid::Raid6))
                < array_lost_in_a_year(&disks(6, Raid::Raid5))
        );
        // Steady state: a mirror is down only when both disks are.
        let q: f64 = 0.01 / (10.0 + 0.01);
        assert!((array_down(&disks(2, Raid::Raid1)) - q * q).abs() < 1e-15);
    }
}
