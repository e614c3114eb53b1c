//! `drplan export` proven on real software: the files exported for
//! tests/fixtures/export/lab.yaml are deployed on PostgreSQL 15, Barman from
//! PyPI, a private sshd (passive node) and a local S3 emulator (cloud tier)
//! by tests/realenv/export-e2e.sh, changing only hostnames, ports, paths and
//! the OS user. A missing component fails the test; it never skips.

use std::process::Command;

#[test]
fn exported_configuration_works_on_real_postgresql_and_barman() {
    let tmp = tempfile::Builder::new()
        .prefix("drplan-export-e2e")
        .tempdir()
        .unwrap();
    let out = tmp.path().join("export");
    let st = Command::new(env!("CARGO_BIN_EXE_drplan"))
        .args(["export", "tests/fixtures/export/lab.yaml", "--out"])
        .arg(&out)
        .status()
        .expect("drplan runs");
    assert!(st.success(), "drplan export failed");
    // The harness drops root privileges to run PostgreSQL: let that user read the export.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        for p in [tmp.path(), out.as_path()] {
            std::fs::set_permissions(p, std::fs::Permissions::from_mode(0o755)).unwrap();
        }
    }
    let run = Command::new("bash")
        .arg("tests/realenv/export-e2e.sh")
        .env("RENV_EXPORT_DIR", &out)
        .output()
        .expect("bash runs");
    let stdout = String::from_utf8_lossy(&run.stdout);
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(
        run.status.success() && stdout.contains("RESULT: PASS"),
        "export-e2e.sh failed ({}):\n{stdout}\n{stderr}",
        run.status
    );
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
