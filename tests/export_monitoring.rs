//! Monitoring in `drplan export`: Barman's check thresholds derived from the
//! plan (checked against numbers worked out by hand from same-dc.yaml), and
//! the exported Prometheus rules accepted by `promtool check rules` (Debian's
//! `prometheus` package, installed by scripts/test-env.sh; missing = failure).
//! tests/realenv/export-e2e.sh runs the metrics script against a real Barman.

use std::process::Command;

fn export(scenario: &str) -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    let st = Command::new(env!("CARGO_BIN_EXE_drplan"))
        .args(["export", scenario, "--out"])
        .arg(tmp.path())
        .output()
        .expect("drplan runs");
    assert!(st.status.success(), "{scenario}: {st:?}");
    tmp
}

#[test]
fn thresholds_follow_the_plan() {
    let out = export("scenarios/same-dc.yaml");
    let conf = std::fs::read_to_string(out.path().join("backup-1/etc/barman.d/main.conf")).unwrap();
    // Daily backups of 500 GiB at 250 MiB/s: 24 h + 2048 s, +25 % = 30.7 h -> 31.
    assert!(
        conf.contains("\nlast_backup_maximum_age = 31 hours\n"),
        "{conf}"
    );
    // 40 GiB of WAL a day fills a 16 MiB segment every 34 s (archive_timeout 60 s
    // is longer): three of those is under the one-hour floor.
    assert!(
        conf.contains("\nlast_wal_maximum_age = 1 hours\n"),
        "{conf}"
    );
    // Half of 500 GiB.
    assert!(
        conf.contains("\nlast_backup_minimum_size = 256000 Mi\n"),
        "{conf}"
    );
    let readme = std::fs::read_to_string(out.path().join("README.md")).unwrap();
    assert!(
        readme.contains(
            "| main (backup-1) | 31 hours | 1 hours | 256000 MiB | `barman check --nagios main` |"
        ),
        "{readme}"
    );
    for alert in [
        "BarmanCheckFailed",
        "BarmanBackupTooOld",
        "BarmanWalLag",
        "BarmanVolumeFillsWithin30Days",
    ] {
        assert!(
            readme.contains(&format!("| {alert} |")),
            "{alert} undocumented"
        );
    }
}

#[test]
fn exported_rules_pass_promtool() {
    for scenario in [
        "scenarios/same-dc.yaml",
        "scenarios/metro.yaml",
        "scenarios/geo.yaml",
        "tests/fixtures/export/lab.yaml",
    ] {
        let out = export(scenario);
        let rules = out.path().join("prometheus/drplan-barman.rules.yml");
        let text = std::fs::read_to_string(&rules).unwrap();
        let st = Command::new("promtool")
            .args(["check", "rules"])
            .arg(&rules)
            .output()
            .expect("promtool is installed (apt-get install prometheus; scripts/test-env.sh)");
        let said = String::from_utf8_lossy(&st.stdout);
        assert!(
            st.status.success(),
            "{scenario}: {said}{}\n{text}",
            String::from_utf8_lossy(&st.stderr)
        );
        let n = text.matches("- alert: ").count();
        assert!(
            said.contains(&format!("SUCCESS: {n} rules found")),
            "{scenario}: {said}"
        );
        assert!(text.contains("BarmanBackupTooOld") && text.contains("BarmanWalLag"));
    }
}

#[test]
fn a_passive_node_is_watched_one_sync_behind_its_primary() {
    // metro.yaml with a slow link and a 6-hour sync, so that the passive
    // node's thresholds differ from its primary's.
    let text = std::fs::read_to_string("scenarios/metro.yaml")
        .unwrap()
        .replace("bandwidth: \"10 Gbit/s\"", "bandwidth: \"100 Mbit/s\"")
        .replace("sync_interval: \"1 min\"", "sync_interval: \"6 h\"");
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("metro-slow.yaml");
    std::fs::write(&path, text).unwrap();
    let out = export(path.to_str().unwrap());
    let passive =
        std::fs::read_to_string(out.path().join("backup-2/etc/barman.d/main.conf")).unwrap();
    // Daily backups (86 400 s) + a 500 GiB backup at 250 MiB/s (2 048 s) +
    // one sync (21 600 s) + copying 500 GiB over 100 Mbit/s (42 949.7 s),
    // +25 % = 191 247 s = 53.1 h -> 54.
    assert!(
        passive.contains("\nlast_backup_maximum_age = 54 hours\n"),
        "{passive}"
    );
    // Three WAL segments (3 x 33.75 s at 40 GiB/day) + one sync = 21 701 s -> 7 h.
    assert!(
        passive.contains("\nlast_wal_maximum_age = 7 hours\n"),
        "{passive}"
    );
    assert!(
        passive.contains("\nlast_backup_minimum_size = 256000 Mi\n"),
        "{passive}"
    );
    // The primary's are unchanged by its passive copy.
    let primary =
        std::fs::read_to_string(out.path().join("backup-1/etc/barman.d/main.conf")).unwrap();
    assert!(primary.contains("\nlast_backup_maximum_age = 31 hours\n"));
    // The passive host gets the metrics script, labelled with its tier, and
    // the rules alert on its own thresholds.
    let script = std::fs::read_to_string(
        out.path()
            .join("backup-2/usr/local/sbin/drplan-barman-metrics"),
    )
    .unwrap();
    assert!(
        script.contains("barman_check_ok{server=\\\"main\\\",tier=\\\"barman-par2\\\"} $ok"),
        "{script}"
    );
    let rules =
        std::fs::read_to_string(out.path().join("prometheus/drplan-barman.rules.yml")).unwrap();
    assert!(
        rules.contains(&format!(
            "barman_last_backup_timestamp_seconds{{server=\"main\",tier=\"barman-par2\"}} > {}",
            54 * 3600
        )),
        "{rules}"
    );
    let readme = std::fs::read_to_string(out.path().join("README.md")).unwrap();
    assert!(
        readme.contains("| main (backup-2) | 54 hours | 7 hours | 256000 MiB |"),
        "{readme}"
    );
}

#[test]
fn a_hook_fed_bucket_has_its_upload_queue_watched() {
    let out = export("tests/fixtures/export/lab.yaml");
    let script = std::fs::read_to_string(
        out.path()
            .join("backup-1/usr/local/sbin/drplan-barman-metrics"),
    )
    .unwrap();
    assert!(
        script.contains("find /var/lib/barman/drplan-cloud-queue/main -type f"),
        "the queue the drplan-cloud-wal hook spools to:\n{script}"
    );
    assert!(
        script.contains(
            "barman_cloud_wal_queue_segments{server=\\\"main\\\",tier=\\\"s3-offsite\\\"} $queued"
        ),
        "{script}"
    );
    let rules =
        std::fs::read_to_string(out.path().join("prometheus/drplan-barman.rules.yml")).unwrap();
    assert!(
        rules.contains(
            "expr: 'barman_cloud_wal_queue_segments{server=\"main\",tier=\"s3-offsite\"} > 0'"
        ),
        "{rules}"
    );
    // A passive node has no hook of its own: no queue metric on its host.
    let passive = std::fs::read_to_string(
        out.path()
            .join("backup-2/usr/local/sbin/drplan-barman-metrics"),
    )
    .unwrap();
    assert!(!passive.contains("cloud_wal_queue"), "{passive}");
}
