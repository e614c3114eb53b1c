//! Barman's retention rules, exactly as `barman cron` applies them
//! (`barman/retention_policies.py`):
//!
//! - only backups in state DONE count;
//! - `REDUNDANCY n` keeps the newest n;
//! - `RECOVERY WINDOW OF W` keeps every backup that ended at or after
//!   now − W, plus the newest one that ended before (it is needed to reach
//!   the start of the window);
//! - `minimum_redundancy` never lets the count of DONE backups drop below it.
//!
//! Everything else is obsolete and deleted at the next `barman cron`.

use crate::model::RetentionPolicy;

/// What retention needs to know about one backup.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct BackupInfo {
    /// When it ended, in seconds on any common clock.
    pub end: f64,
    /// True when the backup is DONE (FAILED, WAITING_FOR_WALS… do not count).
    pub done: bool,
}

/// For each backup, whether Barman keeps it at time `now`. Backups that are
/// not DONE are reported as not kept (they are never counted).
pub fn kept(
    backups: &[BackupInfo],
    policy: RetentionPolicy,
    minimum_redundancy: u32,
    now: f64,
) -> Vec<bool> {
    let mut order: Vec<usize> = (0..backups.len()).filter(|&i| backups[i].done).collect();
    // Newest first.
    order.sort_by(|&a, &b| backups[b].end.total_cmp(&backups[a].end));
    let mut keep = vec![false; backups.len()];
    match policy {
        RetentionPolicy::Redundancy(n) => {
            for &i in order.iter().take(n as usize) {
                keep[i] = true;
            }
        }
        RetentionPolicy::RecoveryWindow { .. } => {
            let point = now - policy.window().map_or(0.0, |w| w.as_secs());
            let mut found_before = false;
            for &i in &order {
                if backups[i].end >= point {
                    keep[i] = true;
                } else if !found_before {
                    keep[i] = true;
                    found_before = true;
                }
            }
        }
    }
    for &i in order.iter().take(minimum_redundancy as usize) {
        keep[i] = true;
    }
    keep
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::WindowUnit;
    use proptest::prelude::*;

    const DAY: f64 = 86_400.0;

    fn daily(n: usize) -> Vec<BackupInfo> {
        (0..n)
            .map(|i| BackupInfo {
                end: i as f64 * DAY,
                done: true,
            })
            .collect()
    }

    fn window(days: u32) -> RetentionPolicy {
        RetentionPolicy::RecoveryWindow {
            count: days,
            unit: WindowUnit::Days,
        }
    }

    fn count(k: &[bool]) -> usize {
        k.iter().filter(|x| **x).count()
    }

    #[test]
    fn redundancy_keeps_the_newest() {
        let k = kept(&daily(5), RetentionPolicy::Redundancy(2), 0, 10.0 * DAY);
        assert_eq!(k, vec![false, false, false, true, true]);
        let one = kept(&daily(5), RetentionPolicy::Redundancy(1), 0, 10.0 * DAY);
        assert_eq!(one, vec![false, false, false, false, true]);
    }

    #[test]
    fn window_keeps_the_newest_backup_before_the_window() {
        // Backups end on days 0..=9; now = day 9.5; a 3-day window starts at day 6.5.
        let k = kept(&daily(10), window(3), 0, 9.5 * DAY);
        // Days 7, 8, 9 are inside; day 6 is the newest before the window.
        assert_eq!(
            k,
            vec![
                false, false, false, false, false, false, true, true, true, true
            ]
        );
    }

    #[test]
    fn a_backup_ending_exactly_at_the_window_start_is_inside() {
        // now − W = day 6 exactly: day 6 is inside (Barman compares end_time < point for "before").
        let k = kept(&daily(10), window(3), 0, 9.0 * DAY);
        assert_eq!(count(&k), 5, "days 6..=9 inside plus day 5 before");
        assert!(k[5] && !k[4]);
    }

    #[test]
    fn weekly_backups_with_a_30_day_window() {
        let weekly: Vec<BackupInfo> = (0..10)
            .map(|i| BackupInfo {
                end: i as f64 * 7.0 * DAY,
                done: true,
            })
            .collect();
        // now = day 63.5; window start = day 33.5: weeks 35..63 (5 backups) inside, week 28 before.
        let k = kept(&weekly, window(30), 0, 63.5 * DAY);
        assert_eq!(count(&k), 6);
        assert!(k[4] && !k[3], "28 kept as the newest before, 21 obsolete");
    }

    #[test]
    fn failed_backups_never_count() {
        let mut b = daily(3);
        b[2].done = false;
        let k = kept(&b, RetentionPolicy::Redundancy(1), 0, 5.0 * DAY);
        assert_eq!(
            k,
            vec![false, true, false],
            "the failed newest is ignored; the newest DONE is kept"
        );
    }

    #[test]
    fn no_backups_keeps_nothing() {
        assert!(kept(&[], window(30), 1, 0.0).is_empty());
    }

    #[test]
    fn minimum_redundancy_overrides_the_window() {
        // All backups are far older than the window: the window alone keeps one.
        let k = kept(&daily(5), window(1), 3, 100.0 * DAY);
        assert_eq!(count(&k), 3);
        assert!(k[2] && k[3] && k[4]);
    }

    proptest! {
        #[test]
        fn never_fewer_than_minimum_redundancy(
            ends in prop::collection::vec((0.0f64..1e7, any::<bool>()), 0..40),
            n in 1u32..10, w in 1u32..60, min in 0u32..6, now in 0.0f64..2e7, redundancy in any::<bool>(),
        ) {
            let b: Vec<BackupInfo> = ends.iter().map(|&(end, done)| BackupInfo { end, done }).collect();
            let policy = if redundancy { RetentionPolicy::Redundancy(n) } else { window(w) };
            let k = kept(&b, policy, min, now);
            let done = b.iter().filter(|x| x.done).count();
            prop_assert!(count(&k) >= done.min(min as usize));
            prop_assert!(count(&k) >= done.min(1), "a policy always keeps at least one DONE backup");
            for (i, x) in b.iter().enumerate() {
                prop_assert!(!k[i] || x.done, "only DONE backups are kept");
            }
            // The newest DONE backup is always kept.
            if let Some(newest) = (0..b.len()).filter(|&i| b[i].done).max_by(|&i, &j| b[i].end.total_cmp(&b[j].end)) {
                prop_assert!(k[newest]);
            }
        }
    }
}
