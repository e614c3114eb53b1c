//! High availability as exported, proven on real software: etcd (Debian's
//! etcd-server), Patroni 4 (`patroni[etcd3]` in the test venv) and two
//! PostgreSQL 15 nodes run from the files `drplan export` writes for
//! tests/fixtures/export/patroni.yaml, with Barman streaming from the leader
//! (tests/realenv/patroni-e2e.sh). The leader crashes, Patroni promotes the
//! sync replica, Barman follows and a PITR across the failover has every
//! row; with synchronous_mode_strict a commit blocks while the only sync
//! replica is down. A missing component fails the test; it never skips.

mod common;

#[test]
fn patroni_cluster_from_the_export_fails_over_and_barman_follows() {
    let stdout = common::realenv::run_on_export(
        "tests/fixtures/export/patroni.yaml",
        "tests/realenv/patroni-e2e.sh",
    );
    for stage in ["bootstrap", "strict", "failover", "follow"] {
        assert!(
            stdout.contains(&format!("STAGE {stage}: PASS")),
            "stage {stage} did not pass:\n{stdout}"
        );
    }
    let secs: f64 = stdout
        .lines()
        .find_map(|l| l.strip_prefix("FAILOVER_SECONDS="))
        .and_then(|v| v.trim().parse().ok())
        .expect("the failover stage reports its time");
    let s = drplan::model::load_file(std::path::Path::new("tests/fixtures/export/patroni.yaml"))
        .unwrap();
    let model = s.clusters[0].failover_time.as_secs();
    // The model's failover time (ttl − loop_wait / 2 + 2 s, the mean over
    // when the crash falls) against the measured one: the leader key expires
    // ttl after its last refresh, 0 to loop_wait before the crash, so one
    // crash lands within loop_wait / 2 of the mean, plus a second of slack
    // for the promotion.
    let loop_wait = s.clusters[0].patroni().unwrap().loop_wait.as_secs();
    let tolerance = loop_wait / 2.0 + 1.0;
    assert!(
        (secs - model).abs() <= tolerance,
        "failover measured {secs} s, model {model} s (tolerance {tolerance} s)"
    );
    eprintln!("{stdout}");
}
