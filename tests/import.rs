//! `drplan import` on what real Barman versions wrote: tests/fixtures/import/
//! barman-3.19 and barman-3.10 were saved by tests/realenv/import-source.sh
//! (PostgreSQL 15, three streaming backups under pgbench load) together with
//! what that script measured directly (measured.txt). The imported scenario
//! must validate and agree with those measurements within 5 %; secrets in
//! the input never reach the output; malformed JSON is a located error.

use std::collections::HashMap;
use std::path::Path;
mod common;
use common::{Ran, Test};

use drplan::model::load_str;

const TOLERANCE: f64 = 0.05;

fn drplan(args: &[&str]) -> Ran {
    Test::new().args(args).any_status().run()
}

/// `MEASURE key=value …` lines of measured.txt, merged.
fn measured(dir: &str) -> HashMap<String, f64> {
    std::fs::read_to_string(Path::new(dir).join("measured.txt"))
        .unwrap()
        .lines()
        .filter_map(|l| l.strip_prefix("MEASURE "))
        .flat_map(|l| l.split_whitespace())
        .filter_map(|kv| kv.split_once('='))
        .map(|(k, v)| (k.to_string(), v.parse().unwrap()))
        .collect()
}

fn import(dir: &str) -> String {
    let out = drplan(&[
        "import",
        &format!("{dir}/diagnose.json"),
        "--list-backups",
        &format!("{dir}/list-backups.json"),
        "--show-backup",
        &format!("{dir}/show-backup.json"),
        "--name",
        "lab",
    ]);
    assert!(out.status == Some(0), "{dir}: {}", out.stderr.as_str());
    out.stdout
}

fn close(what: &str, got: f64, want: f64) {
    let err = (got - want).abs() / want;
    assert!(
        err <= TOLERANCE,
        "{what}: imported {got:.0}, measured {want:.0} ({:+.2} %)",
        100.0 * (got - want) / want
    );
}

#[test]
fn imports_of_two_barman_versions_validate_and_match_the_measurements() {
    for dir in [
        "tests/fixtures/import/barman-3.19",
        "tests/fixtures/import/barman-3.10",
    ] {
        let yaml = import(dir);
        let s = load_str(&yaml, Path::new("imported.yaml"))
            .unwrap_or_else(|e| panic!("{dir}: the import does not load: {e:?}\n{yaml}"));
        let m = measured(dir);
        assert_eq!(s.clusters.len(), 1, "{dir}");
        let c = &s.clusters[0];
        assert_eq!(c.name, "pg");
        assert_eq!(c.version_string(), "15");
        close(
            &format!("{dir}: data size"),
            c.data_size.0 as f64,
            m["db_bytes"],
        );
        let wal_per_day = m["wal_bytes"] / m["span_s"] * 86_400.0;
        close(
            &format!("{dir}: WAL per day"),
            c.wal_per_day.0 as f64,
            wal_per_day,
        );
        let b = &s.barman_servers[0];
        let ratio = m["wal_raw_bytes"] / m["wal_stored_bytes"];
        let got = b.compression_ratio;
        close(&format!("{dir}: WAL compression ratio"), got, ratio);
        // What the configuration says, whichever way the version writes it.
        assert!(
            yaml.contains("retention_policy: \"REDUNDANCY 3\""),
            "{yaml}"
        );
        assert!(yaml.contains("minimum_redundancy: 1"), "{yaml}");
        assert!(yaml.contains("compression: gzip"), "{yaml}");
        assert!(yaml.contains("wal_archiving: streaming"), "{yaml}");
        assert!(yaml.contains("backup_method: postgres"), "{yaml}");
        // Three backups a few seconds apart: no schedule can be read, and a
        // history of seconds says nothing about yearly growth.
        assert!(
            yaml.contains("# PLACEHOLDER: 3 backup(s), no regular schedule"),
            "{yaml}"
        );
        assert!(yaml.contains("growth: \"0%/yr\""), "{yaml}");
        assert!(
            yaml.contains("# PLACEHOLDER: sites cannot be measured"),
            "{yaml}"
        );
    }
}

#[test]
fn no_secret_of_the_input_reaches_the_scenario() {
    let src = std::fs::read_to_string("tests/fixtures/import/barman-3.19/diagnose.json").unwrap();
    let mut v: serde_json::Value = serde_json::from_str(&src).unwrap();
    let cfg = v.pointer_mut("/servers/pg/config").unwrap();
    cfg["conninfo"] =
        "host=db1.example.net port=5433 user=barman password=hunter2 dbname=postgres".into();
    cfg["streaming_conninfo"] =
        "postgresql://streaming_barman:swordfish@db1.example.net:5433/".into();
    cfg["post_backup_retry_script"] =
        "env AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMIK7MDENG barman-cloud-backup s3://b/p pg".into();
    cfg["description"] = "ask bob, the password is letmein".into();
    let tmp = tempfile::tempdir().unwrap();
    let file = tmp.path().join("diagnose.json");
    std::fs::write(&file, serde_json::to_string(&v).unwrap()).unwrap();
    let out = drplan(&["import", file.to_str().unwrap()]);
    assert!(out.status == Some(0), "{}", out.stderr.as_str());
    let yaml = out.stdout;
    for secret in [
        "hunter2",
        "swordfish",
        "wJalrXUtnFEMIK7MDENG",
        "letmein",
        "password",
    ] {
        assert!(!yaml.contains(secret), "`{secret}` in:\n{yaml}");
    }
    // What is not a secret is kept: the host, the port, the cloud hook found.
    assert!(yaml.contains("address: \"db1.example.net\""), "{yaml}");
    assert!(yaml.contains("port: 5433"), "{yaml}");
    assert!(
        yaml.contains("NOT IMPORTED: [pg] runs barman-cloud from post_backup_retry_script"),
        "{yaml}"
    );
    // Without list-backups the ratio comes from one segment, and says so.
    assert!(yaml.contains("one segment only"), "{yaml}");
    load_str(&yaml, Path::new("imported.yaml")).unwrap();
}

#[test]
fn malformed_json_is_a_located_error_with_exit_2() {
    let tmp = tempfile::tempdir().unwrap();
    let src = std::fs::read_to_string("tests/fixtures/import/barman-3.10/diagnose.json").unwrap();
    // Cut the file after line 3 (`"config": {`), as a copy-paste gone wrong would.
    let cut: String = src.lines().take(3).collect::<Vec<_>>().join("\n") + ",\n  }";
    let file = tmp.path().join("diagnose.json");
    std::fs::write(&file, &cut).unwrap();
    let out = drplan(&["import", file.to_str().unwrap()]);
    assert_eq!(out.status, Some(2));
    let err = out.stderr.as_str();
    assert!(
        err.contains("is not valid JSON") && err.contains("line 3"),
        "{err}"
    );
    assert!(err.contains("diagnose.json:3:20"), "{err}");
    // Valid JSON that is not diagnose output.
    std::fs::write(&file, "[1, 2]").unwrap();
    let out = drplan(&["import", file.to_str().unwrap()]);
    assert_eq!(out.status, Some(2));
    assert!(out.stderr.as_str().contains("not an object"));
    // list-backups of the wrong shape.
    let list = tmp.path().join("list.json");
    std::fs::write(&list, "{\"pg\": 3}").unwrap();
    let out = drplan(&[
        "import",
        "tests/fixtures/import/barman-3.19/diagnose.json",
        "--list-backups",
        list.to_str().unwrap(),
    ]);
    assert_eq!(out.status, Some(2));
    assert!(out.stderr.as_str().contains("not a list of backups"));
    // A missing file.
    let out = drplan(&["import", "tests/fixtures/import/none.json"]);
    assert_eq!(out.status, Some(2));
}

#[test]
fn out_never_clobbers_and_writes_a_scenario_that_validates() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("lab.yaml");
    let d = "tests/fixtures/import/barman-3.19/diagnose.json";
    let o = out.to_str().unwrap();
    assert!(drplan(&["import", d, "-o", o]).status == Some(0));
    let again = drplan(&["import", d, "-o", o]);
    assert_eq!(again.status, Some(2));
    assert!(drplan(&["import", d, "-o", o, "--force"]).status == Some(0));
    let v = drplan(&["validate", o]);
    assert!(v.status == Some(0), "{v:?}");
    let disk = drplan(&["disk", o]);
    assert!(matches!(disk.status, Some(0 | 1)), "{disk:?}");
}

#[test]
fn a_passive_node_with_cloud_hooks_is_imported_as_passive_and_cloud_tiers() {
    let d = "tests/fixtures/import/passive-cloud/diagnose.json";
    let out = drplan(&["import", d]);
    assert_eq!(out.status, Some(0), "{}", out.stderr);
    let yaml = out.stdout;
    let s = load_str(&yaml, Path::new("imported.yaml")).expect("the import validates");
    assert_eq!(s.passive_nodes.len(), 1, "{yaml}");
    let p = &s.passive_nodes[0];
    let primary = &s.barman_servers[p.primary.0];
    assert_eq!(
        s.hosts[primary.host.0].address.as_str(),
        "barman-par1.example.net",
        "the primary Barman is the host of primary_ssh_command, without user or options"
    );
    assert_eq!(p.retention, drplan::model::RetentionPolicy::Redundancy(3));
    assert_eq!(
        s.cloud_tiers.len(),
        1,
        "both hooks upload to one location:\n{yaml}"
    );
    let c = &s.cloud_tiers[0];
    assert_eq!(c.bucket, "acme-pg-backups");
    assert_eq!(c.prefix.as_deref(), Some("main"));
    assert_eq!(c.provider, drplan::model::CloudProvider::S3);
    assert_eq!(c.wal_compression, drplan::model::CloudCompression::Zstd);
    assert_eq!(c.backup_compression, drplan::model::CloudCompression::Gzip);
    assert_eq!(
        c.retention,
        drplan::model::RetentionPolicy::Redundancy(4),
        "from the barman-cloud-backup-delete hook"
    );
    for secret in ["wJalrXUtnFEMIK7MDENG", "AWS_SECRET", "prod", "barman@"] {
        assert!(!yaml.contains(secret), "`{secret}` in:\n{yaml}");
    }
    assert!(
        !yaml.contains("NOT IMPORTED: [pg] runs barman-cloud"),
        "{yaml}"
    );
}

#[test]
fn a_host_with_passive_copies_and_ordinary_servers_keeps_both_roles() {
    let out = drplan(&["import", "tests/fixtures/import/mixed/diagnose.json"]);
    assert_eq!(out.status, Some(0), "{}", out.stderr);
    let yaml = out.stdout;
    let s = load_str(&yaml, Path::new("imported.yaml")).expect("the import validates");
    assert_eq!(s.passive_nodes.len(), 1, "{yaml}");
    let p = &s.passive_nodes[0];
    let passive_host = &s.hosts[p.host.0];
    assert_eq!(passive_host.role, drplan::model::HostRole::BarmanPassive);
    // The ordinary server backs up from the measured host, which keeps the
    // role `barman`, in the passive copy's site (away from its primary).
    let reporting = s
        .barman_servers
        .iter()
        .find(|b| s.clusters[b.cluster.0].name == "reporting")
        .expect("the ordinary server is a Barman tier");
    let host = &s.hosts[reporting.host.0];
    assert_eq!(host.name, "vm", "{yaml}");
    assert_eq!(host.role, drplan::model::HostRole::Barman);
    assert_eq!(host.site, passive_host.site, "one machine, one site");
    assert_ne!(host.name, passive_host.name);
    let primary = &s.barman_servers[p.primary.0];
    assert_ne!(
        s.hosts[primary.host.0].site, passive_host.site,
        "the passive copy's primary is elsewhere"
    );
    assert!(yaml.contains("the same machine as vm"), "{yaml}");
}
