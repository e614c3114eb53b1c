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
