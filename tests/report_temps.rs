//! `drplan report` killed at any point leaves no temporary file behind once
//! it has run again: its outputs are written through temporary files named
//! for the writing process, and the next run removes those of dead ones.

use std::process::{Command, Stdio};

fn temps(dir: &std::path::Path) -> Vec<String> {
    std::fs::read_dir(dir)
        .map(|r| {
            r.filter_map(|e| e.ok())
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .filter(|n| n.starts_with('.'))
                .collect()
        })
        .unwrap_or_default()
}

#[test]
fn a_killed_report_leaves_no_temporary_file_after_the_next_run() {
    let out = tempfile::tempdir().unwrap();
    let run = || {
        let mut c = Command::new(env!("CARGO_BIN_EXE_drplan"));
        c.args([
            "report",
            "scenarios/same-dc.yaml",
            "--rerun-trials",
            "0",
            "-f",
            "html,pdf",
            "--out",
        ])
        .arg(out.path())
        .stdout(Stdio::null())
        .stderr(Stdio::null());
        c
    };
    // How long a whole run takes here, to spread the kills over it.
    let t0 = std::time::Instant::now();
    assert!(run().status().unwrap().success());
    let whole = t0.elapsed();
    let mut killed = 0;
    for i in 1..=12u32 {
        let mut child = run().spawn().unwrap();
        std::thread::sleep(whole * i / 12);
        if child.try_wait().unwrap().is_none() {
            child.kill().unwrap(); // SIGKILL
            killed += 1;
        }
        child.wait().unwrap();
    }
    assert!(
        killed >= 6,
        "only {killed} of 12 runs were killed before they ended"
    );
    // Whatever the kills left — and a temp of a writer killed mid-write,
    // planted so that the window is surely hit — the next run cleans up.
    let mut gone = Command::new("true").spawn().unwrap();
    let pid = gone.id();
    gone.wait().unwrap();
    let planted = out.path().join(format!(".drplan-tmp-{pid}-Xk3f9a"));
    std::fs::write(&planted, b"half a report").unwrap();
    assert!(run().status().unwrap().success());
    assert_eq!(temps(out.path()), Vec::<String>::new());
    for f in ["same-dc.html", "same-dc.pdf"] {
        assert!(out.path().join(f).is_file(), "{f} written");
    }
}
