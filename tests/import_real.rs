//! `drplan import` against a live Barman: tests/realenv/import-source.sh
//! runs PostgreSQL 15 + Barman (from the test venv), takes three streaming
//! backups under pgbench load and saves `barman diagnose`, `list-backups`
//! and `show-backup` as JSON, with what it measured directly (database size
//! from PostgreSQL, WAL bytes from `pg_current_wal_lsn()` differences, the
//! stored size of every archived segment). The imported scenario must
//! validate and agree within 5 %. A missing component fails the test.

use std::collections::HashMap;
use std::path::Path;
use std::process::Command;

const TOLERANCE: f64 = 0.05;

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
}
