//! Running a real-component harness script of tests/realenv/ on the files
//! `drplan export` writes for a fixture (tests/fixtures/export/lab.yaml by default).

use std::process::Command;

/// Export the lab fixture into a temporary folder, run `script` (a path
/// under tests/realenv/) on it with `RENV_EXPORT_DIR` set, and return what
/// it printed once it passed (exit 0 and `RESULT: PASS`); panics otherwise,
/// with both output streams.
pub fn run_on_exported_lab(script: &str) -> String {
    run_on_export("tests/fixtures/export/lab.yaml", script)
}

/// Export `fixture` and run `script` on it, as [`run_on_exported_lab`] does.
pub fn run_on_export(fixture: &str, script: &str) -> String {
    let tmp = tempfile::Builder::new()
        .prefix("drplan-realenv")
        .tempdir()
        .unwrap();
    let out = tmp.path().join("export");
    let st = Command::new(env!("CARGO_BIN_EXE_drplan"))
        .args(["export", fixture, "--out"])
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
        .arg(script)
        .env("RENV_EXPORT_DIR", &out)
        .output()
        .expect("bash runs");
    let stdout = String::from_utf8_lossy(&run.stdout).into_owned();
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(
        run.status.success() && stdout.contains("RESULT: PASS"),
        "{script} failed ({}):\n{stdout}\n{stderr}",
        run.status
    );
    stdout
}
