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
    let line = stdout
        .lines()
        .find_map(|l| l.strip_prefix("STAGE drill: PASS "))
        .expect("the drill stage reports its figures");
    let figure = |key: &str| -> u64 {
        line.split_whitespace()
            .find_map(|w| w.strip_prefix(key))
            .and_then(|v| v.strip_suffix('s'))
            .and_then(|v| v.parse().ok())
            .unwrap_or_else(|| panic!("no {key} in `{line}`"))
    };
    let (rto, rpo) = (figure("RTO="), figure("RPO="));
    let targets = drplan::model::load_file(std::path::Path::new("tests/fixtures/export/lab.yaml"))
        .unwrap()
        .targets;
    let (rto_target, rpo_target) = (
        targets.rto.unwrap().as_secs(),
        targets.rpo.unwrap().as_secs(),
    );
    assert!(
        (rto as f64) <= rto_target,
        "drill RTO {rto} s above the target {rto_target} s"
    );
    assert!(
        (rpo as f64) <= rpo_target,
        "drill RPO {rpo} s above the target {rpo_target} s"
    );
    eprintln!("{stdout}");
}
