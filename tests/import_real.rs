//! `drplan import` against a live Barman: tests/realenv/import-source.sh
//! runs PostgreSQL 15 + Barman (from the test venv), takes three streaming
//! backups under pgbench load and saves `barman diagnose`, `list-backups`
//! and `show-backup` as JSON, with what it measured directly (database size
//! from PostgreSQL, WAL bytes from `pg_current_wal_lsn()` differences, the
//! stored size of every archived segment). The imported scenario must
//! validate and agree within 5 %. A missing component fails the test.
//!
//! The script then takes the next backups on the same schedule (load, backup,
//! `barman cron`) and measures base/ and wals/ when each is DONE and after
//! cron: the disk model on the imported scenario must project that within
//! 5 % at every step (see [`projection_of_the_imported_scenario`]).

use std::collections::HashMap;
use std::path::Path;
use std::process::Command;

use drplan::analysis::disk::replay::{Cycle, ReplaySpec, replay};

const TOLERANCE: f64 = 0.05;
const MIB: f64 = 1024.0 * 1024.0;

fn close(what: &str, got: f64, want: f64) {
    let err = (got - want).abs() / want;
    assert!(
        err <= TOLERANCE,
        "{what}: imported {got:.2}, measured {want:.2} ({:+.2} %)",
        100.0 * (got - want) / want
    );
    eprintln!(
        "{what}: imported {got:.2}, measured {want:.2} ({:+.2} %)",
        100.0 * (got - want) / want
    );
}

#[test]
fn import_of_a_live_barman_matches_what_postgresql_measured() {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/realenv/import-source.sh");
    let run = Command::new("timeout")
        .args(["600", "bash"])
        .arg(&script)
        .output()
        .expect("run timeout + bash");
    let stdout = String::from_utf8_lossy(&run.stdout).into_owned();
    assert!(
        run.status.success() && stdout.lines().any(|l| l == "RESULT: PASS"),
        "{} failed ({}):\n{stdout}\n{}",
        script.display(),
        run.status,
        String::from_utf8_lossy(&run.stderr)
    );
    let tmp = tempfile::tempdir().unwrap();
    let mut steps: HashMap<(String, usize), HashMap<String, f64>> = HashMap::new();
    let mut file: Option<(String, String)> = None;
    let mut m: HashMap<String, f64> = HashMap::new();
    for line in stdout.lines() {
        if let Some(name) = line.strip_prefix("BEGIN FILE ") {
            file = Some((name.to_string(), String::new()));
        } else if line.starts_with("END FILE ") {
            let (name, text) = file.take().expect("BEGIN before END");
            std::fs::write(tmp.path().join(name), text).unwrap();
        } else if let Some((_, text)) = file.as_mut() {
            text.push_str(line);
            text.push('\n');
        } else if let Some(kv) = line.strip_prefix("MEASURE ") {
            for (k, v) in kv.split_whitespace().filter_map(|w| w.split_once('=')) {
                m.insert(k.to_string(), v.parse().unwrap());
            }
        } else if let Some((kind, rest)) = ["BACKUP ", "PEAK ", "STEP "]
            .iter()
            .find_map(|k| Some((k.trim(), line.strip_prefix(k)?)))
        {
            let mut w = rest.split_whitespace();
            let n: usize = w.next().unwrap().parse().unwrap();
            let kv = w
                .filter_map(|w| w.split_once('='))
                .map(|(k, v)| (k.to_string(), v.parse().unwrap()))
                .collect();
            steps.insert((kind.to_string(), n), kv);
        }
    }
    let p = |n: &str| tmp.path().join(n).to_str().unwrap().to_string();
    let out = p("imported.yaml");
    let st = Command::new(env!("CARGO_BIN_EXE_drplan"))
        .args([
            "import",
            &p("diagnose.json"),
            "--list-backups",
            &p("list-backups.json"),
        ])
        .args(["--show-backup", &p("show-backup.json"), "-o", &out])
        .output()
        .expect("drplan runs");
    assert!(
        st.status.success(),
        "{}",
        String::from_utf8_lossy(&st.stderr)
    );
    let s = drplan::model::load_file(Path::new(&out)).expect("the imported scenario validates");
    let c = &s.clusters[0];
    close("data size (bytes)", c.data_size.0 as f64, m["db_bytes"]);
    close(
        "WAL per day (bytes)",
        c.wal_per_day.0 as f64,
        m["wal_bytes"] / m["span_s"] * 86_400.0,
    );
    close(
        "WAL compression ratio",
        s.barman_servers[0].compression_ratio,
        m["wal_raw_bytes"] / m["wal_stored_bytes"],
    );
    let v = Command::new(env!("CARGO_BIN_EXE_drplan"))
        .args(["validate", &out])
        .status()
        .unwrap();
    assert!(v.success());
    projection_of_the_imported_scenario(&s, &steps, m["backups"] as usize);
}

/// The disk model's rules ([`drplan::analysis::disk`], through
/// [`replay`]) on the imported scenario — its retention policy,
/// `minimum_redundancy`, WAL compression ratio and data size (every backup is a
/// full copy of it: growth is 0 as imported) — against what Barman keeps when
/// the next backups are taken, at the peak (new backup DONE) and after cron.
///
/// Fed explicitly, not imported: when each backup ran and the WAL position at
/// each point. The import cannot read them from this history: its backups are
/// seconds apart, so no schedule is imported (the gaps are under an hour, see
/// the `schedule` placeholder) and no growth (it needs a week), and the WAL
/// comes in pgbench bursts between backups rather than at the steady rate the
/// scenario's WAL per day stands for (that rate is checked above).
fn projection_of_the_imported_scenario(
    s: &drplan::model::Scenario,
    steps: &HashMap<(String, usize), HashMap<String, f64>>,
    imported: usize,
) {
    let b = &s.barman_servers[0];
    let size = s.clusters[0].data_size.0 as f64;
    let spec = ReplaySpec {
        retention: b.retention,
        minimum_redundancy: b.minimum_redundancy,
        compression_ratio: b.compression_ratio,
    };
    let get = |kind: &str, n: usize| {
        steps
            .get(&(kind.to_string(), n))
            .unwrap_or_else(|| panic!("no {kind} {n} line"))
    };
    let total = (1..)
        .take_while(|n| steps.contains_key(&("BACKUP".into(), *n)))
        .count();
    let cycles: Vec<Cycle> = (1..=total)
        .map(|n| {
            let (bk, peak, step) = (get("BACKUP", n), get("PEAK", n), get("STEP", n));
            Cycle {
                begin: bk["begin_s"],
                end: bk["end_s"],
                backup_bytes: size,
                wal_at_begin: bk["begin_wal_bytes"],
                wal_at_done: peak["wal_generated_bytes"],
                wal_after_cron: step["wal_generated_bytes"],
            }
        })
        .collect();
    let predicted = replay(&spec, &cycles);
    let mut failures = Vec::new();
    for (i, p) in predicted.iter().enumerate() {
        let n = i + 1;
        for (when, m, u) in [
            ("peak", get("PEAK", n), p.peak),
            ("after cron", get("STEP", n), p.retained),
        ] {
            let measured = m["base_bytes"] + m["wal_bytes"];
            let err = (u.total() - measured) / measured;
            let next = n > imported;
            eprintln!(
                "backup {n}{} {when}: {} backups, measured {:.1} MiB, projected {:.1} MiB ({:+.2} %)",
                if next { " (after the import)" } else { "" },
                m["backups"],
                measured / MIB,
                u.total() / MIB,
                err * 100.0
            );
            if next && (err.abs() > TOLERANCE || u.count as f64 != m["backups"]) {
                failures.push(format!(
                    "backup {n} {when}: projected {} backups, {:.1} MiB; Barman {} backups, {:.1} MiB",
                    u.count,
                    u.total() / MIB,
                    m["backups"],
                    measured / MIB
                ));
            }
        }
    }
    assert!(total > imported, "no backup after the import");
    assert!(
        failures.is_empty(),
        "projection off by more than 5 %:\n{}",
        failures.join("\n")
    );
}
