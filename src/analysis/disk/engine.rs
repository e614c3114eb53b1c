//! The storage of one tier over time. Events in time order — backup starts,
//! backup ends, daily samples — and at each one `barman cron` applies the
//! retention policy (Barman runs it every minute; between events nothing can
//! change but WAL, which grows linearly). Storage at a time is the retained
//! backups (rsync `reuse_backup = link` shares unchanged files), the backup in
//! progress (proportional to its progress) and the WAL kept since the begin
//! of the oldest retained backup — all of it, when there is no backup yet.

#[cfg(test)]
use crate::analysis::retention::{BackupInfo, kept};
use crate::model::RetentionPolicy;
use crate::model::units::{DAY, YEAR};

/// Everything the engine needs about one store.
#[derive(Debug, Clone, PartialEq)]
pub struct StoreSpec {
    /// Start time of each backup (seconds from the start of the horizon, ascending).
    pub backup_starts: Vec<f64>,
    /// Bytes of a backup at time 0, before `size_factor`.
    pub base_size: f64,
    /// Yearly growth of the data (0.2 = +20 %/yr, compounding).
    pub growth_per_year: f64,
    /// Stored bytes per data byte (1 for plain copies, 1/ratio when compressed).
    pub size_factor: f64,
    /// Bytes per second a backup is written at.
    pub throughput: f64,
    /// Retention policy of this store.
    pub retention: RetentionPolicy,
    /// `minimum_redundancy`.
    pub minimum_redundancy: u32,
    /// WAL stored per second (after compression).
    pub wal_per_sec: f64,
    /// `Some(changed fraction)` for rsync with `reuse_backup = link`.
    pub dedup: Option<f64>,
    /// Length of the simulation in seconds.
    pub horizon: f64,
}

/// One stored backup.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct StoredBackup {
    /// When it started.
    pub begin: f64,
    /// When it ended (DONE).
    pub end: f64,
    /// Its size on this store.
    pub size: f64,
}

/// What the engine observed.
#[derive(Debug, Clone, PartialEq)]
pub struct StoreRun {
    /// Used bytes at the start of each day (index = day).
    pub daily: Vec<u64>,
    /// Highest usage seen.
    pub peak: u64,
    /// Seconds at which the peak was seen.
    pub peak_at: f64,
    /// Every backup this store received (for stores that copy from it).
    pub backups: Vec<StoredBackup>,
    /// How many backups were retained at the end.
    pub retained_at_end: usize,
}

impl StoreSpec {
    /// Size of a backup started at `t`.
    pub fn size_at(&self, t: f64) -> f64 {
        self.base_size * (1.0 + self.growth_per_year).powf(t / YEAR) * self.size_factor
    }

    /// Run the simulation.
    pub fn run(&self) -> StoreRun {
        let days = (self.horizon / DAY).ceil() as usize;
        let mut all: Vec<StoredBackup> = Vec::with_capacity(self.backup_starts.len());
        // Barman holds a lock per server: a backup does not start while one runs.
        let mut busy_until = f64::NEG_INFINITY;
        for &start in self.backup_starts.iter().filter(|s| **s < self.horizon) {
            if start < busy_until {
                continue;
            }
            let size = self.size_at(start);
            let end = start
                + if self.throughput > 0.0 {
                    size / self.throughput
                } else {
                    0.0
                };
            all.push(StoredBackup {
                begin: start,
                end,
                size,
            });
            busy_until = end;
        }
        // Backups never overlap, so they end in start order: merge them with the daily samples.
        let mut store = Store::default();
        let mut daily = vec![0u64; days + 1];
        let (mut peak, mut peak_at) = (0.0f64, 0.0);
        let mut next = 0;
        let observe = |u: f64, t: f64, peak: &mut f64, peak_at: &mut f64| {
            if u > *peak {
                *peak = u;
                *peak_at = t;
            }
        };
        for (d, slot) in daily.iter_mut().enumerate() {
            let t = d as f64 * DAY;
            while next < all.len() && all[next].end <= t {
                let b = all[next];
                let (before, after) =
                    self.backup_done(&mut store, b, |s| s.usage(b.end, self, None));
                observe(before, b.end, &mut peak, &mut peak_at);
                observe(after, b.end, &mut peak, &mut peak_at);
                next += 1;
            }
            self.cron(t, &mut store);
            let running = all.get(next).filter(|b| b.begin <= t);
            let u = store.usage(t, self, running);
            observe(u, t, &mut peak, &mut peak_at);
            *slot = u as u64;
        }
        StoreRun {
            daily,
            peak: peak as u64,
            peak_at,
            retained_at_end: store.retained(),
            backups: all,
        }
    }

    /// Backup `b` is DONE: it joins the store, then `barman cron` applies
    /// retention. Returns `usage` before cron (the peak: retained + the new
    /// backup) and after it.
    pub(super) fn backup_done<U>(
        &self,
        store: &mut Store,
        b: StoredBackup,
        usage: impl Fn(&Store) -> U,
    ) -> (U, U) {
        store.push(b, self.dedup);
        let before = usage(store);
        self.cron(b.end, store);
        (before, usage(store))
    }

    /// `barman cron`: retention deletes the oldest DONE backups (see [`kept`]),
    /// which here are always a prefix of the end-ordered list.
    fn cron(&self, now: f64, store: &mut Store) {
        let n = store.done.len();
        let keep_by_policy = match self.retention {
            RetentionPolicy::Redundancy(r) => (r as usize).min(n),
            RetentionPolicy::RecoveryWindow { .. } => {
                let point = now - self.retention.window().map_or(0.0, |w| w.as_secs());
                let inside = store
                    .done
                    .iter()
                    .rev()
                    .take_while(|b| b.end >= point)
                    .count();
                (inside + 1).min(n)
            }
        };
        let keep = keep_by_policy.max((self.minimum_redundancy as usize).min(n));
        for _ in keep..n {
            store.pop_oldest(self.dedup);
        }
    }
}

/// Retained DONE backups, oldest first, with their bytes on disk kept up to date.
#[derive(Default)]
pub(super) struct Store {
    done: std::collections::VecDeque<StoredBackup>,
    bytes: f64,
}

impl Store {
    fn stored(b: &StoredBackup, first: bool, dedup: Option<f64>) -> f64 {
        match dedup {
            Some(changed) if !first => b.size * changed,
            _ => b.size,
        }
    }

    fn push(&mut self, b: StoredBackup, dedup: Option<f64>) {
        self.bytes += Self::stored(&b, self.done.is_empty(), dedup);
        self.done.push_back(b);
    }

    fn pop_oldest(&mut self, dedup: Option<f64>) {
        let Some(old) = self.done.pop_front() else {
            return;
        };
        self.bytes -= Self::stored(&old, true, dedup);
        // With hard links the next backup now holds the full copy.
        if let (Some(next), Some(_)) = (self.done.front(), dedup) {
            self.bytes += Self::stored(next, true, dedup) - Self::stored(next, false, dedup);
        }
    }

    /// How many backups are retained.
    pub(super) fn retained(&self) -> usize {
        self.done.len()
    }

    /// Bytes of the retained backups.
    pub(super) fn backup_bytes(&self) -> f64 {
        self.bytes
    }

    /// Begin of the oldest retained backup: WAL is kept from there on.
    pub(super) fn wal_kept_since(&self) -> Option<f64> {
        self.done.front().map(|b| b.begin)
    }

    fn usage(&self, t: f64, spec: &StoreSpec, running: Option<&StoredBackup>) -> f64 {
        let mut total = self.bytes;
        if let Some(b) = running {
            let progress = if b.end > b.begin {
                ((t - b.begin) / (b.end - b.begin)).clamp(0.0, 1.0)
            } else {
                1.0
            };
            total += Self::stored(b, self.done.is_empty(), spec.dedup) * progress;
        }
        let since = self.wal_kept_since().unwrap_or(0.0);
        total + spec.wal_per_sec * (t - since).max(0.0)
    }
}

/// The retention of `StoreSpec::cron` must be Barman's: checked against `retention::kept`.
#[cfg(test)]
pub(crate) fn fast_cron_matches_barman(
    ends: &[f64],
    retention: RetentionPolicy,
    min: u32,
    now: f64,
) -> bool {
    let spec = StoreSpec {
        backup_starts: Vec::new(),
        base_size: 1.0,
        growth_per_year: 0.0,
        size_factor: 1.0,
        throughput: 1.0,
        retention,
        minimum_redundancy: min,
        wal_per_sec: 0.0,
        dedup: None,
        horizon: 1.0,
    };
    let mut store = Store::default();
    for &e in ends {
        store.push(
            StoredBackup {
                begin: e,
                end: e,
                size: 1.0,
            },
            None,
        );
    }
    spec.cron(now, &mut store);
    let infos: Vec<BackupInfo> = ends
        .iter()
        .map(|&end| BackupInfo { end, done: true })
        .collect();
    let expected = kept(&infos, retention, min, now)
        .iter()
        .filter(|k| **k)
        .count();
    store.done.len() == expected
}

#[cfg(test)]
mod tests {
    use super::*;

    fn daily_spec(redundancy: u32) -> StoreSpec {
        StoreSpec {
            backup_starts: (0..60).map(|d| d as f64 * DAY + 3600.0).collect(),
            base_size: 100.0,
            growth_per_year: 0.0,
            size_factor: 1.0,
            throughput: 100.0 / 3600.0,
            retention: RetentionPolicy::Redundancy(redundancy),
            minimum_redundancy: 1,
            wal_per_sec: 0.0,
            dedup: None,
            horizon: 60.0 * DAY,
        }
    }

    #[test]
    fn peak_is_retained_plus_one() {
        let r = daily_spec(3).run();
        assert_eq!(r.peak, 400, "3 retained + the new one before cron deletes");
        assert_eq!(r.retained_at_end, 3);
        assert_eq!(
            r.daily[30], 300,
            "between backups: exactly the retained ones"
        );
    }

    #[test]
    fn without_backups_wal_grows_forever() {
        let mut s = daily_spec(3);
        s.backup_starts.clear();
        s.wal_per_sec = 1.0;
        let r = s.run();
        assert_eq!(r.daily[10], (10.0 * DAY) as u64);
        assert_eq!(r.peak, (60.0 * DAY) as u64);
    }

    #[test]
    fn wal_is_kept_from_the_oldest_retained_backup() {
        let mut s = daily_spec(2);
        s.wal_per_sec = 1.0 / DAY; // one byte a day
        let r = s.run();
        // At the start of day 30 the backups of days 28 and 29 (begun at 01:00) are retained.
        let expected = 200.0 + (30.0 * DAY - (28.0 * DAY + 3600.0)) / DAY;
        assert!(
            (r.daily[30] as f64 - expected).abs() <= 1.0,
            "{} vs {expected}",
            r.daily[30]
        );
    }

    proptest::proptest! {
        #[test]
        fn fast_retention_is_barmans(mut ends in proptest::collection::vec(0.0f64..1e7, 0..40), n in 1u32..8, w in 1u32..60, min in 0u32..5, now in 0.0f64..2e7, red in proptest::bool::ANY) {
            ends.sort_by(f64::total_cmp);
            let policy = if red { RetentionPolicy::Redundancy(n) } else { RetentionPolicy::RecoveryWindow { count: w, unit: crate::model::WindowUnit::Days } };
            proptest::prop_assert!(fast_cron_matches_barman(&ends, policy, min, now));
        }
    }

    #[test]
    fn overlapping_backups_are_skipped_like_barman_does() {
        let mut s = daily_spec(3);
        s.throughput = 100.0 / (30.0 * 3600.0); // 30 h per backup, scheduled daily
        let r = s.run();
        assert!(r.backups.windows(2).all(|w| w[1].begin >= w[0].end));
        assert!(r.backups.len() < 40);
    }

    #[test]
    fn rsync_link_stores_only_changes_after_the_first() {
        let mut s = daily_spec(4);
        s.dedup = Some(0.1);
        let r = s.run();
        assert_eq!(
            r.daily[30],
            100 + 3 * 10,
            "one full copy plus three 10 % deltas"
        );
    }
}
