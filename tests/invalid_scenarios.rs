//! Every file in `tests/fixtures/invalid/` is rejected: exit code 2, no panic,
//! every problem located (file:line:column) with a hint, and a message that
//! stays stable (insta snapshots in `tests/snapshots/`).

use std::path::PathBuf;

use assert_cmd::Command;
use drplan::cli::render_plain;
use drplan::model::load_file;

fn fixtures() -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir("tests/fixtures/invalid")
        .expect("fixture folder")
        .map(|e| e.expect("entry").path())
        .collect();
    v.sort();
    assert!(v.len() >= 15, "the corpus covers every kind of bad input");
    v
}

#[test]
fn every_problem_is_located_and_explained() {
    for path in fixtures() {
        let err = load_file(&path).expect_err(&format!("{} must be rejected", path.display()));
        assert!(!err.problems().is_empty(), "{}", path.display());
        for p in err.problems() {
            assert!(
                p.span.is_some(),
                "{}: `{}` has no location",
                path.display(),
                p.message
            );
            assert!(
                p.help.is_some(),
                "{}: `{}` has no hint",
                path.display(),
                p.message
            );
        }
        let rendered = render_plain(&err);
        let header = regex::Regex::new(&format!(
            r"\[{}:\d+:\d+\]",
            regex::escape(&path.display().to_string())
        ))
        .unwrap();
        assert!(
            header.is_match(&rendered),
            "{} lacks file:line:column:\n{rendered}",
            path.display()
        );
        let name = path.file_stem().unwrap().to_string_lossy().into_owned();
        insta::assert_snapshot!(name, rendered);
    }
}

#[test]
fn the_cli_exits_2_and_never_panics() {
    for path in fixtures() {
        let out = Command::cargo_bin("drplan")
            .unwrap()
            .arg("validate")
            .arg(&path)
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{}: {stderr}", path.display());
        assert!(!stderr.contains("panicked"), "{}: {stderr}", path.display());
        assert!(
            stderr.contains(&path.display().to_string()),
            "{} is named",
            path.display()
        );
    }
}

#[test]
fn all_problems_of_a_file_are_reported_together() {
    let err = load_file("tests/fixtures/invalid/multiple-errors.yaml".as_ref()).unwrap_err();
    let messages: Vec<&str> = err.problems().iter().map(|p| p.message.as_str()).collect();
    assert_eq!(messages.len(), 4, "{messages:#?}");
    assert!(messages.iter().any(|m| m.contains("metro `cty`")));
    assert!(messages.iter().any(|m| m.contains("role `backup`")));
    assert!(messages.iter().any(|m| m.contains("`GiB/s`")));
    assert!(messages.iter().any(|m| m.contains("25:00")));
}

#[test]
fn a_folder_with_one_bad_file_fails_but_reports_the_good_ones() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(
        "tests/fixtures/valid/minimal.yaml",
        dir.path().join("a.yaml"),
    )
    .unwrap();
    std::fs::copy(
        "tests/fixtures/invalid/bad-unit.yaml",
        dir.path().join("b.yaml"),
    )
    .unwrap();
    let out = Command::cargo_bin("drplan")
        .unwrap()
        .arg("validate")
        .arg(dir.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stdout).contains("a.yaml"));
    assert!(String::from_utf8_lossy(&out.stderr).contains("b.yaml"));
}
