//! `drplan lint` on configuration found in the field: a fixture host
//! (tests/fixtures/lint/broken/etc) with one of Barman's silent failure modes
//! per line, each reported with its file and line; the bundled scenarios'
//! exported configuration, linted back from disk, reports nothing.

mod common;
use common::{Ran, Test};
use std::path::Path;

const BROKEN: &str = "tests/fixtures/lint/broken/etc";

fn drplan(args: &[&str]) -> Ran {
    Test::new().args(args).any_status().run()
}

fn findings(out: &Ran) -> Vec<serde_json::Value> {
    let stdout = out.stdout.as_str();
    serde_json::from_str(stdout).unwrap_or_else(|e| panic!("not JSON ({e}): {stdout}"))
}

#[test]
fn every_silent_failure_of_the_fixture_is_reported_at_its_line() {
    let out = drplan(&["lint", "--format", "json", BROKEN]);
    assert_eq!(out.status, Some(1), "{out:?}");
    let found = findings(&out);
    // (file under the fixture, line (0 = the whole file), words of the message)
    let expected: &[(&str, usize, &str)] = &[
        ("barman.d/main.conf", 6, "inline comment"),
        ("barman.d/main.conf", 8, "compression `zstandard`"),
        ("barman.d/main.conf", 9, "unknown option `retention_polcy`"),
        ("barman.d/main.conf", 11, "stops local WAL archiving"),
        ("barman.d/reporting.cfg", 0, "does not end in `.conf`"),
        ("barman.d/zz-cloud.conf", 2, "also defined in"),
        ("barman.d/zz-cloud.conf", 3, "blocks archiving"),
        ("barman.d/secret.conf", 3, "looks like a secret"),
        ("barman.conf", 0, "cloud_staging_directory"),
        (
            "postgresql/15/main/conf.d/barman.conf",
            4,
            "archive_mode is off",
        ),
        // postgresql.conf sets it again after its include_dir: conf.d loses.
        (
            "postgresql/15/main/conf.d/barman.conf",
            3,
            "`max_wal_senders` is overridden by tests/fixtures/lint/broken/etc/postgresql/15/main/postgresql.conf:4",
        ),
        ("barman.d/zz-cloud.conf", 0, "without --wait"),
    ];
    for (file, line, words) in expected {
        let path = format!("{BROKEN}/{file}");
        let hit = found.iter().find(|f| {
            f["path"] == path.as_str()
                && f["line"].as_u64().unwrap_or(0) == *line as u64
                && f["message"].as_str().is_some_and(|m| m.contains(words))
        });
        let hit =
            hit.unwrap_or_else(|| panic!("no finding `{words}` at {path}:{line}; got {found:#?}"));
        assert!(
            !hit["hint"].as_str().unwrap_or_default().is_empty(),
            "{hit}"
        );
    }
    // The typo gets its suggestion, as in the export.
    let typo = found
        .iter()
        .find(|f| f["message"].as_str().unwrap().contains("retention_polcy"))
        .unwrap();
    assert!(
        typo["hint"]
            .as_str()
            .unwrap()
            .contains("`retention_policy`"),
        "{typo}"
    );
    // The position-0 bug of passive nodes is not reported: no passive node here.
    assert!(
        !found
            .iter()
            .any(|f| f["message"].as_str().unwrap().contains("position 0")),
        "{found:#?}"
    );
}

#[test]
fn text_output_locates_each_finding_and_counts_them() {
    let out = drplan(&["lint", &format!("{BROKEN}/barman.d/main.conf")]);
    assert_eq!(out.status, Some(1));
    let text = out.stdout.as_str();
    assert!(
        text.contains(&format!(
            "error: {BROKEN}/barman.d/main.conf:9: unknown option `retention_polcy` in [main]"
        )),
        "{text}"
    );
    assert!(text.contains("\n  hint: "), "{text}");
    // The typo also means the server has no retention policy at all.
    assert!(
        text.contains(&format!(
            "warning: {BROKEN}/barman.d/main.conf: [main] has no retention_policy"
        )),
        "{text}"
    );
    assert!(
        text.contains("drplan lint: 4 error(s), 1 warning(s)"),
        "{text}"
    );
}

#[test]
fn unreadable_input_exits_2_with_the_path() {
    let out = drplan(&["lint", "tests/fixtures/lint/no-such-dir"]);
    assert_eq!(out.status, Some(2));
    let err = out.stderr.as_str();
    assert!(
        err.contains("tests/fixtures/lint/no-such-dir") && err.contains("no such file"),
        "{err}"
    );
    let tmp = tempfile::tempdir().unwrap();
    let bin = tmp.path().join("barman.conf");
    std::fs::write(&bin, b"[barman]\nbarman_home = \xff\xfe\n").unwrap();
    let out = drplan(&["lint", bin.to_str().unwrap()]);
    assert_eq!(out.status, Some(2));
    assert!(out.stderr.as_str().contains("not UTF-8"));
    let empty = tempfile::tempdir().unwrap();
    let out = drplan(&["lint", empty.path().to_str().unwrap()]);
    assert_eq!(out.status, Some(2));
}

#[test]
fn exported_bundled_configurations_lint_clean_from_disk() {
    for scenario in ["same-dc", "metro", "geo"] {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("export");
        let file = format!("scenarios/{scenario}.yaml");
        let st = drplan(&["export", &file, "--out", out.to_str().unwrap()]);
        assert!(st.status == Some(0), "export {scenario}: {st:?}");
        let hosts: Vec<_> = std::fs::read_dir(&out)
            .unwrap()
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.join("etc/barman.conf").exists())
            .collect();
        assert!(!hosts.is_empty(), "{scenario}: no Barman host exported");
        // The whole export at once (passive nodes next to their primaries) …
        let all = drplan(&[
            "lint",
            "--format",
            "json",
            "--scenario",
            &file,
            out.to_str().unwrap(),
        ]);
        assert_eq!(
            findings(&all),
            Vec::<serde_json::Value>::new(),
            "{scenario}: {all:?}"
        );
        assert_eq!(all.status, Some(0));
        // … and each host's /etc on its own, as a DBA would run it there.
        for h in &hosts {
            let one = drplan(&[
                "lint",
                "--barman-version",
                "3.19",
                h.join("etc").to_str().unwrap(),
            ]);
            assert_eq!(
                one.status,
                Some(0),
                "{scenario} {}: {}",
                h.display(),
                one.stdout.as_str()
            );
        }
    }
    assert!(Path::new(BROKEN).is_dir());
}
