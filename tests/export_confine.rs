//! `drplan export` writes only inside `--out`: a directory symlink inside
//! the output folder is refused (nothing written through it), manifest
//! entries with `../` or absolute paths are refused (the file they name is
//! neither deleted nor rewritten), and an export killed with SIGKILL at
//! random points, 200 times, never touches anything outside `--out`; the
//! next run leaves no temporary file and proceeds without `--force`.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

fn bin() -> &'static str {
    env!("CARGO_BIN_EXE_drplan")
}

fn export(scenario: &Path, out: &Path) -> std::process::Output {
    Command::new(bin())
        .arg("export")
        .arg(scenario)
        .arg("--out")
        .arg(out)
        .output()
        .expect("drplan runs")
}

/// Every file below `dir` with its contents, sorted (links listed, not followed).
fn snapshot(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut v = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap().flatten() {
            let t = e.file_type().unwrap();
            if t.is_dir() {
                stack.push(e.path());
            } else if t.is_symlink() {
                v.push((e.path(), b"<link>".to_vec()));
            } else {
                v.push((e.path(), std::fs::read(e.path()).unwrap()));
            }
        }
    }
    v.sort();
    v
}

fn temp_files(dir: &Path) -> Vec<PathBuf> {
    snapshot(dir)
        .into_iter()
        .map(|(p, _)| p.strip_prefix(dir).unwrap().to_path_buf())
        .filter(|p| {
            p.components()
                .any(|c| c.as_os_str().to_string_lossy().starts_with(".tmp"))
                || p.to_string_lossy().contains(".drplan-tmp")
        })
        .collect()
}

#[cfg(unix)]
#[test]
fn a_directory_symlink_inside_out_is_never_followed() {
    let root = tempfile::tempdir().unwrap();
    let out = root.path().join("out");
    let outside = root.path().join("outside");
    std::fs::create_dir_all(&out).unwrap();
    std::fs::create_dir_all(outside.join("etc/barman.d")).unwrap();
    std::fs::write(outside.join("etc/barman.d/main.conf"), "precious\n").unwrap();
    std::os::unix::fs::symlink(&outside, out.join("backup-1")).unwrap();
    let before = snapshot(&outside);
    for force in [false, true] {
        let mut cmd = Command::new(bin());
        cmd.args(["export", "scenarios/geo.yaml", "--out"])
            .arg(&out);
        if force {
            cmd.arg("--force");
        }
        let o = cmd.output().unwrap();
        assert_eq!(o.status.code(), Some(2), "force={force}: {o:?}");
        let err = String::from_utf8_lossy(&o.stderr);
        assert!(err.contains("symbolic link"), "{err}");
    }
    assert_eq!(snapshot(&outside), before, "nothing outside --out changed");
}

#[test]
fn manifest_entries_outside_out_are_refused_and_their_files_kept() {
    let root = tempfile::tempdir().unwrap();
    let out = root.path().join("out");
    let victim = root.path().join("victim.conf");
    std::fs::write(&victim, "keep me\n").unwrap();
    // The entry's hash matches the victim: an export trusting it would delete it.
    let o = export(Path::new("scenarios/geo.yaml"), &out);
    assert!(o.status.success(), "{o:?}");
    let manifest = out.join(".drplan-export.json");
    let good = std::fs::read_to_string(&manifest).unwrap();
    use sha2_hash::hex_sha256;
    let h = hex_sha256(b"keep me\n");
    for entry in ["../victim.conf".to_string(), victim.display().to_string()] {
        let mut m: serde_json::Value = serde_json::from_str(&good).unwrap();
        m["files"][&entry] = serde_json::Value::String(h.clone());
        std::fs::write(&manifest, serde_json::to_string(&m).unwrap()).unwrap();
        // The scenario no longer produces it, so a trusting export would remove it.
        let o = export(Path::new("scenarios/geo.yaml"), &out);
        assert_eq!(o.status.code(), Some(2), "{entry}: {o:?}");
        let err = String::from_utf8_lossy(&o.stderr);
        assert!(err.contains("refusing to write the export"), "{err}");
        assert_eq!(std::fs::read_to_string(&victim).unwrap(), "keep me\n");
    }
}

/// A tiny SHA-256 through the `sha256sum` tool (coreutils), so the test does
/// not depend on drplan's own hashing code.
mod sha2_hash {
    use std::io::Write;
    use std::process::{Command, Stdio};

    pub fn hex_sha256(bytes: &[u8]) -> String {
        let mut c = Command::new("sha256sum")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .expect("sha256sum");
        c.stdin.take().unwrap().write_all(bytes).unwrap();
        let out = c.wait_with_output().unwrap();
        String::from_utf8(out.stdout).unwrap()[..64].to_string()
    }
}

#[test]
fn kill_9_at_random_points_never_needs_force_and_leaves_no_temp_file() {
    let root = tempfile::tempdir().unwrap();
    let out = root.path().join("parent/out");
    let sibling = root.path().join("parent/sibling");
    std::fs::create_dir_all(&sibling).unwrap();
    std::fs::write(sibling.join("keep"), "untouched\n").unwrap();
    // Two versions of the layout, so killed runs interrupt real updates.
    let geo = std::fs::read_to_string("scenarios/geo.yaml").unwrap();
    let a = root.path().join("a.yaml");
    let b = root.path().join("b.yaml");
    std::fs::write(&a, &geo).unwrap();
    let changed = geo.replace("RECOVERY WINDOW OF 60 DAYS", "RECOVERY WINDOW OF 61 DAYS");
    assert_ne!(changed, geo);
    std::fs::write(&b, changed).unwrap();
    let outside_before = snapshot(&sibling);

    // How long one update takes: kills land anywhere within it. The first
    // export creates every file and is slower than the updates that follow,
    // and a loaded machine changes the time from run to run, so the window
    // shrinks whenever a run finished before its kill.
    assert!(export(&a, &out).status.success());
    let t = Instant::now();
    assert!(export(&b, &out).status.success());
    assert!(export(&a, &out).status.success());
    let mut span = (t.elapsed().as_micros() / 2).max(1000) as u64;

    let mut rng: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut next = || {
        rng ^= rng << 13;
        rng ^= rng >> 7;
        rng ^= rng << 17;
        rng
    };
    let mut killed = 0;
    for i in 0..200 {
        let s = if i % 2 == 0 { &b } else { &a };
        let mut child = Command::new(bin())
            .arg("export")
            .arg(s)
            .arg("--out")
            .arg(&out)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(Duration::from_micros(next() % span));
        if child.try_wait().unwrap().is_none() {
            child.kill().unwrap(); // SIGKILL
            killed += 1;
        } else {
            span = (span * 9 / 10).max(200);
        }
        let st = child.wait().unwrap();
        assert!(st.success() || st.code().is_none(), "run {i}: {st}");
        // The next run (the other version) proceeds without --force.
        let other = if i % 2 == 0 { &a } else { &b };
        let o = export(other, &out);
        assert!(
            o.status.success(),
            "run {i}: the export after a kill needs --force:\n{}",
            String::from_utf8_lossy(&o.stderr)
        );
        assert_eq!(temp_files(&out), Vec::<PathBuf>::new(), "run {i}");
        // And the files are exactly the export (a dry run sees nothing to do).
        let d = Command::new(bin())
            .arg("export")
            .arg(other)
            .arg("--out")
            .arg(&out)
            .arg("--dry-run")
            .output()
            .unwrap();
        let plan = String::from_utf8_lossy(&d.stdout);
        assert!(
            plan.contains("0 to create, 0 to update, 0 edited (need --force), 0 to remove"),
            "run {i}: {plan}"
        );
    }
    assert_eq!(snapshot(&sibling), outside_before);
    let entries: Vec<_> = std::fs::read_dir(root.path().join("parent"))
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(entries.len(), 2, "nothing new beside --out: {entries:?}");
    assert!(
        killed >= 50,
        "only {killed} of 200 runs were killed mid-way"
    );
    eprintln!("{killed} of 200 exports killed mid-run (kill window at the end: {span} µs)");
}
