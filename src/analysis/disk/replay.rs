//! Replays a measured backup sequence through the engine's storage rules, so
//! that the model can be compared with a real Barman server (the calibration
//! test `tests/disk_calibration.rs`, docs/disk-projection.md).
//!
//! [`engine`](super::engine) projects a plan: backup sizes from the data size
//! and growth, WAL as a constant rate. Here the same rules — the backup joins
//! the store, the peak is measured, `barman cron` applies retention, WAL is
//! kept from the begin of the oldest retained backup — are applied to what was
//! measured instead: each backup's size and the WAL position at each point.
//! It is not a second model: the accounting and the retention are the engine's.

use super::engine::{Store, StoreSpec, StoredBackup};
use crate::model::RetentionPolicy;

/// One measured cycle: a backup ran, was DONE, then `barman cron` ran.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Cycle {
    /// When the backup began, in seconds on any clock shared by all cycles.
    pub begin: f64,
    /// When it was DONE (same clock).
    pub end: f64,
    /// Bytes of the backup on the store (the data size for a plain copy).
    pub backup_bytes: f64,
    /// WAL position (raw bytes generated since any fixed origin) at the backup's begin.
    pub wal_at_begin: f64,
    /// WAL position when the backup was DONE, before cron: the peak.
    pub wal_at_done: f64,
    /// WAL position when measured after cron.
    pub wal_after_cron: f64,
}

/// The store's settings.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ReplaySpec {
    /// Retention policy.
    pub retention: RetentionPolicy,
    /// `minimum_redundancy`.
    pub minimum_redundancy: u32,
    /// Raw WAL bytes per stored byte (1 without compression).
    pub compression_ratio: f64,
}

/// Bytes on the store at one moment, split as the measurements are.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Usage {
    /// Bytes of the backups on the store.
    pub backups: f64,
    /// Bytes of WAL kept (after compression).
    pub wal: f64,
    /// How many backups are on the store.
    pub count: usize,
}

impl Usage {
    /// Backups plus WAL.
    pub fn total(&self) -> f64 {
        self.backups + self.wal
    }
}

/// What the model predicts for one cycle.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Predicted {
    /// The new backup is DONE, cron has not deleted yet: retained + 1.
    pub peak: Usage,
    /// After cron applied retention.
    pub retained: Usage,
}

/// Predict the store's usage at the peak and after cron, cycle by cycle.
/// Cycles must be in time order and must not overlap (Barman runs one backup
/// per server at a time).
pub fn replay(spec: &ReplaySpec, cycles: &[Cycle]) -> Vec<Predicted> {
    let store_spec = StoreSpec {
        backup_starts: Vec::new(),
        base_size: 0.0,
        growth_per_year: 0.0,
        size_factor: 1.0,
        throughput: 0.0,
        retention: spec.retention,
        minimum_redundancy: spec.minimum_redundancy,
        wal_per_sec: 0.0,
        dedup: None,
        horizon: 0.0,
    };
    let ratio = if spec.compression_ratio > 0.0 {
        spec.compression_ratio
    } else {
        1.0
    };
    let mut store = Store::default();
    let mut out = Vec::with_capacity(cycles.len());
    for (i, c) in cycles.iter().enumerate() {
        let snapshot = |s: &Store| (s.backup_bytes(), s.retained(), s.wal_kept_since());
        // WAL kept = from the WAL position where the oldest retained backup began.
        let usage = |(backups, count, since): (f64, usize, Option<f64>), wal_now: f64| {
            let from = since
                .and_then(|t| cycles[..=i].iter().find(|x| x.begin == t))
                .map_or(wal_now, |x| x.wal_at_begin);
            Usage {
                backups,
                wal: (wal_now - from).max(0.0) / ratio,
                count,
            }
        };
        let b = StoredBackup {
            begin: c.begin,
            end: c.end,
            size: c.backup_bytes,
        };
        let (peak, after) = store_spec.backup_done(&mut store, b, snapshot);
        out.push(Predicted {
            peak: usage(peak, c.wal_at_done),
            retained: usage(after, c.wal_after_cron),
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cycle(k: f64, size: f64) -> Cycle {
        Cycle {
            begin: 10.0 * k,
            end: 10.0 * k + 1.0,
            backup_bytes: size,
            wal_at_begin: 100.0 * k,
            wal_at_done: 100.0 * k + 20.0,
            wal_after_cron: 100.0 * k + 20.0,
        }
    }

    #[test]
    fn redundancy_two_peaks_at_three_backups() {
        let spec = ReplaySpec {
            retention: RetentionPolicy::Redundancy(2),
            minimum_redundancy: 1,
            compression_ratio: 2.0,
        };
        let cycles: Vec<Cycle> = (0..4).map(|k| cycle(f64::from(k), 1000.0)).collect();
        let p = replay(&spec, &cycles);
        assert_eq!(p[0].peak.count, 1);
        assert_eq!(
            p[0].retained.wal, 10.0,
            "20 raw bytes since the only backup began, 2:1"
        );
        assert_eq!(p[2].peak.count, 3, "retained + the new one before cron");
        assert_eq!(p[2].peak.backups, 3000.0);
        assert_eq!(
            p[2].peak.wal, 110.0,
            "WAL from backup 0's begin (0) to 220, halved"
        );
        assert_eq!(p[2].retained.count, 2);
        assert_eq!(
            p[2].retained.wal, 60.0,
            "WAL from backup 1's begin (100) to 220, halved"
        );
        assert_eq!(p[3].retained.total(), 2000.0 + 60.0);
    }
}
