//! `drplan export` proven on real software: the files exported for
//! tests/fixtures/export/lab.yaml are deployed on PostgreSQL 15, Barman from
//! PyPI, a private sshd (passive node) and a local S3 emulator (cloud tier)
//! by tests/realenv/export-e2e.sh, changing only hostnames, ports, paths and
//! the OS user. A missing component fails the test; it never skips.

mod common;

#[test]
fn exported_configuration_works_on_real_postgresql_and_barman() {
    let stdout = common::realenv::run_on_exported_lab("tests/realenv/export-e2e.sh");
    for stage in ["streaming", "passive", "cloud", "drill-guard", "drill"] {
        assert!(
            stdout.contains(&format!("STAGE {stage}: PASS")),
            "stage {stage} did not pass:\n{stdout}"
        );
    }
    let rto: u64 = stdout
        .lines()
        .find_map(|l| l.strip_prefix("STAGE drill: PASS RTO="))
        .and_then(|v| v.strip_suffix('s'))
        .and_then(|v| v.parse().ok())
        .expect("the drill reports its RTO");
    let target = drplan::model::load_file(std::path::Path::new("tests/fixtures/export/lab.yaml"))
        .unwrap()
        .targets
        .rto
        .unwrap()
        .as_secs();
    assert!(
        (rto as f64) <= target,
        "drill RTO {rto} s above the target {target} s"
    );
    eprintln!("{stdout}");
}
