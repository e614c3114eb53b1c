//! Calibration of the disk model against a real PostgreSQL 15 + Barman
//! (issue #5): `tests/realenv/disk-calibration.sh` runs a short schedule —
//! REDUNDANCY 2, minimum_redundancy 1, streaming backups, pgbench load between
//! them, `barman cron` after each — and measures base/ and wals/ at the peak
//! (new backup DONE, before cron) and after cron. The measured inputs (data
//! size at each backup, WAL positions, compression ratio, retention) go through
//! the engine's rules ([`drplan::analysis::disk::replay`]); the prediction must
//! be within 5 % of what Barman really keeps, at every step.
//!
//! The script needs PostgreSQL 15, rsync and the Barman venv that
//! `scripts/test-env.sh` installs; without them it fails, and so does this test.

use std::collections::HashMap;
use std::path::Path;
use std::process::Command;

use drplan::analysis::disk::replay::{Cycle, Predicted, ReplaySpec, replay};
use drplan::model::RetentionPolicy;

/// Tolerance of the issue: the prediction within 5 % of the measurement.
const TOLERANCE: f64 = 0.05;
const MIB: f64 = 1024.0 * 1024.0;

/// One `KIND n key=value ...` line of the script.
#[derive(Debug)]
struct Line {
    n: usize,
    fields: HashMap<String, String>,
}

impl Line {
    fn num(&self, key: &str) -> f64 {
        let v = self
            .fields
            .get(key)
            .unwrap_or_else(|| panic!("line {} has no {key}: {:?}", self.n, self.fields));
        v.parse()
            .unwrap_or_else(|e| panic!("line {}: {key}={v} is not a number: {e}", self.n))
    }
}

fn lines(out: &str, kind: &str) -> Vec<Line> {
    out.lines()
        .filter_map(|l| l.strip_prefix(kind)?.strip_prefix(' '))
        .map(|rest| {
            let mut words = rest.split_whitespace();
            let first = words.next().unwrap_or_default();
            let (n, kv) = match first.parse::<usize>() {
                Ok(n) => (n, words.collect::<Vec<_>>()),
                Err(_) => (0, std::iter::once(first).chain(words).collect()),
            };
            let fields = kv
                .iter()
                .filter_map(|w| w.split_once('='))
                .map(|(k, v)| (k.to_owned(), v.to_owned()))
                .collect();
            Line { n, fields }
        })
        .collect()
}

/// Run the script; any failure (missing component included) fails the test.
fn run_script() -> String {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/realenv/disk-calibration.sh");
    // WAL uncompressed by default: pgbench's WAL compresses so well that gzip
    // leaves it at about 1 % of the store and the WAL rules would go untested.
    // CALIB_COMPRESSION=gzip runs the gzip calibration.
    let compression = std::env::var("CALIB_COMPRESSION").unwrap_or_else(|_| "none".into());
    let out = Command::new("timeout")
        .args(["600", "bash"])
        .arg(&script)
        .env("CALIB_COMPRESSION", compression)
        .output()
        .expect("run timeout + bash (coreutils)");
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.success() && stdout.lines().any(|l| l == "RESULT: PASS"),
        "{} failed ({}):\n--- stdout\n{stdout}\n--- stderr\n{stderr}",
        script.display(),
        out.status
    );
    stdout
}

fn rel(predicted: f64, measured: f64) -> f64 {
    (predicted - measured) / measured
}

#[test]
fn disk_model_matches_real_barman_within_5_percent() {
    let out = run_script();
    let config = lines(&out, "CONFIG");
    let backups = lines(&out, "BACKUP");
    let peaks = lines(&out, "PEAK");
    let steps = lines(&out, "STEP");
    let compression = lines(&out, "WAL_COMPRESSION");
    assert_eq!(config.len(), 1, "one CONFIG line:\n{out}");
    assert_eq!(compression.len(), 1, "one WAL_COMPRESSION line:\n{out}");
    assert!(backups.len() >= 4, "at least 4 backups:\n{out}");
    assert_eq!(peaks.len(), backups.len(), "a PEAK per backup:\n{out}");
    assert_eq!(steps.len(), backups.len(), "a STEP per backup:\n{out}");

    let redundancy = config[0].num("redundancy") as u32;
    let spec = ReplaySpec {
        retention: RetentionPolicy::Redundancy(redundancy),
        minimum_redundancy: config[0].num("minimum_redundancy") as u32,
        compression_ratio: compression[0].num("raw_bytes") / compression[0].num("stored_bytes"),
    };
    // A backup with backup_method = postgres is a full copy: the model sizes
    // it as the data size (sum of pg_database_size) measured when it began.
    let cycles: Vec<Cycle> = backups
        .iter()
        .zip(peaks.iter().zip(&steps))
        .map(|(b, (p, s))| {
            assert!(b.n == p.n && p.n == s.n, "lines out of order:\n{out}");
            Cycle {
                begin: b.num("begin_s"),
                end: b.num("end_s"),
                backup_bytes: b.num("db_bytes"),
                wal_at_begin: b.num("begin_wal_bytes"),
                wal_at_done: p.num("wal_generated_bytes"),
                wal_after_cron: s.num("wal_generated_bytes"),
            }
        })
        .collect();
    let predicted: Vec<Predicted> = replay(&spec, &cycles);

    println!(
        "compression {:.2}:1, REDUNDANCY {redundancy}",
        spec.compression_ratio
    );
    println!(
        "| step | when | backups | measured base | measured WAL | measured total | predicted base | predicted WAL | predicted total | error |"
    );
    println!("|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|");
    let mut failures = Vec::new();
    for (i, p) in predicted.iter().enumerate() {
        for (when, m, u) in [
            ("peak", &peaks[i], p.peak),
            ("after cron", &steps[i], p.retained),
        ] {
            let (base, wal) = (m.num("base_bytes"), m.num("wal_bytes"));
            let measured = base + wal;
            let err = rel(u.total(), measured);
            println!(
                "| {} | {when} | {} | {:.1} MiB | {:.1} MiB | {:.1} MiB | {:.1} MiB | {:.1} MiB | {:.1} MiB | {:+.2} % |",
                m.n,
                m.num("backups"),
                base / MIB,
                wal / MIB,
                measured / MIB,
                u.backups / MIB,
                u.wal / MIB,
                u.total() / MIB,
                err * 100.0
            );
            if u.count as f64 != m.num("backups") {
                failures.push(format!(
                    "step {} {when}: model keeps {} backups, Barman {}",
                    m.n,
                    u.count,
                    m.num("backups")
                ));
            }
            if err.abs() > TOLERANCE {
                failures.push(format!(
                    "step {} {when}: predicted {:.1} MiB, measured {:.1} MiB ({:+.2} %)",
                    m.n,
                    u.total() / MIB,
                    measured / MIB,
                    err * 100.0
                ));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "disk model off by more than {} %:\n{}\n--- script output\n{out}",
        TOLERANCE * 100.0,
        failures.join("\n")
    );
    // The peak of the schedule (retained + 1 backup) is within the tolerance too.
    let measured_peak = peaks
        .iter()
        .map(|m| m.num("base_bytes") + m.num("wal_bytes"))
        .fold(0.0, f64::max);
    let predicted_peak = predicted.iter().map(|p| p.peak.total()).fold(0.0, f64::max);
    println!(
        "peak: measured {:.1} MiB, predicted {:.1} MiB ({:+.2} %)",
        measured_peak / MIB,
        predicted_peak / MIB,
        rel(predicted_peak, measured_peak) * 100.0
    );
    assert!(
        rel(predicted_peak, measured_peak).abs() <= TOLERANCE,
        "peak: predicted {predicted_peak}, measured {measured_peak}"
    );
}
