//! The exported cloud WAL hook never stops local archiving (issue 15): the
//! files exported for tests/fixtures/export/lab.yaml are deployed on
//! PostgreSQL 15, Barman from PyPI and the moto S3 emulator by
//! tests/realenv/cloud-outage.sh, which freezes the emulator, checks that
//! new segments still reach Barman's `wals/` within a minute and wait in the
//! queue, then resumes it and checks that the exported catch-up leaves no
//! gap in the bucket. A missing component fails the test; it never skips.

use std::process::Command;

#[test]
fn a_bucket_outage_never_stops_local_wal_archiving() {
    let tmp = tempfile::Builder::new()
        .prefix("drplan-cloud-outage")
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
        .arg("tests/realenv/cloud-outage.sh")
        .env("RENV_EXPORT_DIR", &out)
        .output()
        .expect("bash runs");
    let stdout = String::from_utf8_lossy(&run.stdout);
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(
        run.status.success()
            && stdout.contains("RESULT: PASS")
            && stdout.contains("STAGE cloud-outage: PASS"),
        "cloud-outage.sh failed ({}):\n{stdout}\n{stderr}",
        run.status
    );
    eprintln!("{stdout}");
}
