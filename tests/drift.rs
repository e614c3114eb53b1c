//! `drplan drift`: the plan of tests/fixtures/drift/plan.yaml against what
//! Barman 3.19 reported (tests/fixtures/import/barman-3.19). The plan keeps
//! two backups and expects 100 GiB of WAL a day on a 40 GiB volume; Barman
//! keeps three and PostgreSQL wrote ~430 GiB a day: both are named with the
//! value to write, the volume is projected to fill, exit 1. The plan that
//! `drplan import` writes from the same files shows no drift.

use std::process::{Command, Output};

const DIR: &str = "tests/fixtures/import/barman-3.19";
const PLAN: &str = "tests/fixtures/drift/plan.yaml";

fn drplan(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_drplan"))
        .args(args)
        .output()
        .expect("drplan runs")
}

fn rows(out: &Output) -> Vec<serde_json::Value> {
    serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stdout)))
}

fn drifted(rows: &[serde_json::Value]) -> Vec<String> {
    rows.iter()
        .filter(|r| r["drift"] == true)
        .map(|r| r["check"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn retention_and_wal_per_day_that_differ_are_named_with_the_fix() {
    let diagnose = format!("{DIR}/diagnose.json");
    let list = format!("{DIR}/list-backups.json");
    let out = drplan(&["drift", PLAN, &diagnose, "--list-backups", &list]);
    assert_eq!(out.status.code(), Some(1), "{out:?}");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("DRIFT [pg] retention_policy: planned REDUNDANCY 2, measured REDUNDANCY 3"),
        "{text}"
    );
    assert!(
        text.contains("DRIFT [pg] wal_per_day: planned 100.00 GiB"),
        "{text}"
    );
    assert!(
        text.contains("barman[vm-pg].retention_policy: \"REDUNDANCY 3\""),
        "{text}"
    );
    assert!(text.contains("clusters[pg].wal_per_day: \""), "{text}");
    assert!(
        text.contains("ok    [pg] compression: planned gzip, measured gzip"),
        "{text}"
    );

    let out = drplan(&[
        "drift",
        PLAN,
        &diagnose,
        "--list-backups",
        &list,
        "-f",
        "json",
    ]);
    let r = rows(&out);
    assert_eq!(
        drifted(&r),
        ["retention", "wal_per_day", "volume"],
        "{r:#?}"
    );
    let wal = r.iter().find(|x| x["check"] == "wal_per_day").unwrap();
    let diff = wal["difference"].as_f64().unwrap();
    // ~430 GiB measured against 100 GiB planned.
    assert!((3.0..3.6).contains(&diff), "{wal}");
    // With the measured WAL the 40 GiB volume fills, and the row says when.
    let vol = r.iter().find(|x| x["check"] == "volume").unwrap();
    assert!(
        vol["measured"]
            .as_str()
            .unwrap()
            .contains("fills on 2026-12-"),
        "{vol}"
    );
    // A wide enough tolerance accepts the WAL volume, not the retention.
    let out = drplan(&[
        "drift",
        PLAN,
        &diagnose,
        "--list-backups",
        &list,
        "-f",
        "json",
        "--tolerance",
        "400%",
    ]);
    assert!(!drifted(&rows(&out)).contains(&"wal_per_day".to_string()));
    assert!(drifted(&rows(&out)).contains(&"retention".to_string()));
}

#[test]
fn the_imported_plan_has_no_drift_until_backups_are_late() {
    let tmp = tempfile::tempdir().unwrap();
    let plan = tmp.path().join("plan.yaml");
    let diagnose = format!("{DIR}/diagnose.json");
    let list = format!("{DIR}/list-backups.json");
    let p = plan.to_str().unwrap();
    assert!(
        drplan(&["import", &diagnose, "--list-backups", &list, "-o", p])
            .status
            .success()
    );
    let out = drplan(&["drift", p, &diagnose, "--list-backups", &list, "-f", "json"]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    assert!(drifted(&rows(&out)).is_empty());
    // Three days later without a new backup: the plan says daily.
    let mut v: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&diagnose).unwrap()).unwrap();
    let ts = v["global"]["system_info"]["timestamp"]
        .as_str()
        .unwrap()
        .to_string();
    let later = ts.replacen("2026-12-02", "2026-12-05", 1);
    assert_ne!(ts, later);
    v["global"]["system_info"]["timestamp"] = later.into();
    let late = tmp.path().join("late.json");
    std::fs::write(&late, v.to_string()).unwrap();
    let out = drplan(&["drift", p, late.to_str().unwrap(), "-f", "json"]);
    assert_eq!(out.status.code(), Some(1));
    let r = rows(&out);
    assert!(drifted(&r).contains(&"backup_age".to_string()), "{r:#?}");
}

#[test]
fn bad_inputs_exit_2() {
    assert_eq!(
        drplan(&["drift", PLAN, "tests/fixtures/none.json"])
            .status
            .code(),
        Some(2)
    );
    let d = format!("{DIR}/diagnose.json");
    assert_eq!(
        drplan(&["drift", PLAN, &d, "--tolerance", "lots"])
            .status
            .code(),
        Some(2)
    );
}
