//! Disk projection against numbers derived by hand (docs/disk-projection.md):
//! the formulas are written out here, the engine must reproduce them.

use std::path::Path;

mod common;
use common::Test;
use drplan::analysis::disk::{DiskOptions, project};
use drplan::model::load_str;

const GIB: f64 = 1024.0 * 1024.0 * 1024.0;
const DAY: f64 = 86_400.0;

fn scenario(
    retention: &str,
    schedule: &str,
    growth: &str,
    volume: &str,
) -> drplan::model::Scenario {
    let text = format!(
        r#"
name: worked-example
regions: [{{ name: eu }}]
metros: [{{ name: city, region: eu }}]
sites: [{{ name: dc1, metro: city }}]
hosts:
  - {{ name: pg, site: dc1, role: primary }}
  - {{ name: bk, site: dc1, role: barman }}
clusters:
  - name: main
    version: 15
    primary: pg
    data_size: "500 GiB"
    growth: "{growth}"
    wal_per_day: "40 GiB"
    archive_timeout: "60 s"
    pg_wal_free: "200 GiB"
barman:
  - name: bk-main
    host: bk
    cluster: main
    schedule: "{schedule}"
    compression: gzip
    retention_policy: "{retention}"
    minimum_redundancy: 1
    backup_throughput: "250 MiB/s"
    volume: "{volume}"
"#
    );
    load_str(&text, Path::new("worked-example.yaml")).unwrap()
}

fn close(actual: u64, expected: f64, what: &str) {
    let rel = (actual as f64 - expected).abs() / expected;
    assert!(
        rel < 1e-4,
        "{what}: {:.2} GiB vs {:.2} GiB by hand",
        actual as f64 / GIB,
        expected / GIB
    );
}

#[test]
fn thirty_day_window_daily_backups() {
    let s = scenario(
        "RECOVERY WINDOW OF 30 DAYS",
        "daily at 01:00",
        "0%",
        "20 TiB",
    );
    let r = project(&s, DiskOptions::default());
    let t = &r.tiers[0];
    // A backup takes 500 GiB / 250 MiB/s = 2048 s.
    let duration = 500.0 * 1024.0 / 250.0;
    // WAL: 40 GiB/day beats the archive_timeout floor (86400/60 × 16 MiB = 22.5 GiB/day); gzip 4:1.
    let wal_per_day = 40.0 * GIB / 4.0;
    assert_eq!(t.wal_per_day, wal_per_day as u64);
    // Between backups: 30 backups end inside the window + the newest one before it = 31.
    assert_eq!(t.retained_backups, 31);
    // Peak, when backup N is DONE and before cron: N-31..N = 32 backups,
    // plus the WAL since the begin of backup N-31 (31 days and one backup earlier).
    let peak = 32.0 * 500.0 * GIB + wal_per_day * (31.0 + duration / DAY);
    close(t.peak, peak, "peak");
    close(t.recommended_volume, peak * 1.3, "recommended volume");
    assert!(t.volume_full_day.is_none());
    // Backups stop: WAL is never removed; the 20 TiB volume fills after (20 TiB − peak) / 10 GiB a day.
    let days = (20.0 * 1024.0 * GIB - peak) / wal_per_day;
    assert!((t.days_to_full_if_backups_stop.unwrap() - days).abs() < 0.01);
    // The slot keeps raw WAL on the primary: 200 GiB at 40 GiB a day.
    assert!((r.slots[0].days_until_pg_wal_full - 5.0).abs() < 1e-9);
}

#[test]
fn redundancy_two_peaks_at_three_backups() {
    let s = scenario("REDUNDANCY 2", "daily at 01:00", "0%", "2 TiB");
    let t = &project(&s, DiskOptions::default()).tiers[0];
    let duration = 500.0 * 1024.0 / 250.0;
    let wal_per_day = 10.0 * GIB;
    assert_eq!(t.retained_backups, 2);
    close(
        t.peak,
        3.0 * 500.0 * GIB + wal_per_day * (2.0 + duration / DAY),
        "peak",
    );
}

#[test]
fn weekly_backups_with_a_30_day_window() {
    let s = scenario(
        "RECOVERY WINDOW OF 30 DAYS",
        "weekly on sun at 01:00",
        "0%",
        "20 TiB",
    );
    let t = &project(&s, DiskOptions::default()).tiers[0];
    // Backups 7 days apart: 4 or 5 end inside 30 days, plus the newest before.
    assert!(
        (5..=6).contains(&t.retained_backups),
        "{}",
        t.retained_backups
    );
    assert!(t.peak as f64 <= 7.0 * 500.0 * GIB + 10.0 * GIB * 38.0);
}

#[test]
fn growth_raises_the_peak_and_a_small_volume_breaches() {
    let flat = project(
        &scenario("REDUNDANCY 2", "daily at 01:00", "0%", "2 TiB"),
        DiskOptions::default(),
    );
    let grow = project(
        &scenario("REDUNDANCY 2", "daily at 01:00", "50%/yr", "2 TiB"),
        DiskOptions::default(),
    );
    assert!(grow.tiers[0].peak > flat.tiers[0].peak);
    assert!(flat.tiers[0].volume_full_day.is_none());
    // 1.5 TB of backups + WAL: a 1 TiB volume fills on the day the second backup is DONE.
    let small = project(
        &scenario("REDUNDANCY 2", "daily at 01:00", "0%", "1 TiB"),
        DiskOptions::default(),
    );
    assert!(small.breached());
    assert!(small.tiers[0].volume_full_day.unwrap() < 3.0);
}

#[test]
fn cli_formats_and_exit_code() {
    let disk = |args: &[&str]| Test::new().arg("disk").args(args);
    disk(&["scenarios/geo.yaml"])
        .stdout_contains("barman-fra1")
        .stdout_contains("s3-offsite")
        .stdout_contains("max_slot_wal_keep_size")
        .run();
    let json = disk(&["scenarios/metro.yaml", "--format", "json"])
        .run()
        .json();
    assert_eq!(json["tiers"].as_array().unwrap().len(), 2);
    let csv = disk(&[
        "scenarios/same-dc.yaml",
        "--format",
        "csv",
        "--horizon",
        "10 days",
    ])
    .run()
    .stdout;
    assert_eq!(csv.lines().count(), 1 + 11, "header + days 0..=10");
    disk(&["scenarios/geo.yaml", "--headroom", "lots"])
        .status(2)
        .run();
}
