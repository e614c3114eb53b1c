//! The command line as users run it: validate, schema, init, graph, completions.

use std::process::Command as Process;

use assert_cmd::Command;
use predicates::prelude::*;

fn drplan() -> Command {
    Command::cargo_bin("drplan").unwrap()
}

#[test]
fn bundled_scenarios_validate() {
    drplan()
        .args(["validate", "scenarios/"])
        .assert()
        .success()
        .stdout(
            predicate::str::contains("same-dc.yaml")
                .and(predicate::str::contains("metro.yaml"))
                .and(predicate::str::contains("geo.yaml")),
        );
}

#[test]
fn usage_errors_exit_2() {
    drplan().arg("frobnicate").assert().code(2);
    drplan().args(["validate"]).assert().code(2);
    drplan()
        .args(["validate", "no/such/file.yaml"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("no/such/file.yaml"));
    let empty = tempfile::tempdir().unwrap();
    drplan()
        .arg("validate")
        .arg(empty.path())
        .assert()
        .code(2)
        .stderr(predicate::str::contains("no scenario files"));
}

fn yaml_to_json(path: &str) -> serde_json::Value {
    let text = std::fs::read_to_string(path).unwrap();
    serde_saphyr::from_str(&text).unwrap()
}

#[test]
fn the_schema_accepts_the_bundled_scenarios_and_rejects_typos() {
    let out = drplan().arg("schema").output().unwrap();
    assert!(out.status.success());
    let schema: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let validator = jsonschema::validator_for(&schema).expect("a valid JSON Schema");
    for s in [
        "scenarios/same-dc.yaml",
        "scenarios/metro.yaml",
        "scenarios/geo.yaml",
        "tests/fixtures/valid/minimal.yaml",
    ] {
        let doc = yaml_to_json(s);
        let errors: Vec<String> = validator.iter_errors(&doc).map(|e| e.to_string()).collect();
        assert!(errors.is_empty(), "{s}: {errors:#?}");
    }
    for bad in [
        "tests/fixtures/invalid/unknown-key.yaml",
        "tests/fixtures/invalid/missing-field.yaml",
        "tests/fixtures/invalid/wrong-type.yaml",
    ] {
        assert!(
            !validator.is_valid(&yaml_to_json(bad)),
            "{bad} must fail the schema"
        );
    }
}

#[test]
fn init_writes_a_valid_scenario_and_never_overwrites() {
    let dir = tempfile::tempdir().unwrap();
    for layout in ["same-dc", "metro", "geo"] {
        let name = format!("my-{layout}");
        drplan()
            .args(["init", "--layout", layout, &name, "--dir"])
            .arg(dir.path())
            .assert()
            .success();
        let path = dir.path().join(format!("{name}.yaml"));
        let s = drplan::model::load_file(&path).unwrap();
        assert_eq!(s.name, name);
        let before = std::fs::read(&path).unwrap();
        drplan()
            .args(["init", "--layout", layout, &name, "--dir"])
            .arg(dir.path())
            .assert()
            .code(2)
            .stderr(predicate::str::contains("never overwrites"));
        assert_eq!(
            std::fs::read(&path).unwrap(),
            before,
            "the file is untouched"
        );
    }
    drplan()
        .args(["init", "--layout", "geo", "../escape", "--dir"])
        .arg(dir.path())
        .assert()
        .code(2);
}

#[test]
fn graph_renders_with_graphviz() {
    let out = drplan()
        .args(["graph", "scenarios/geo.yaml", "--format", "dot"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let dot = String::from_utf8(out.stdout).unwrap();
    for name in [
        "dc-par1",
        "dc-fra1",
        "par1-fra1",
        "s3-offsite",
        "pg-1",
        "backup-2",
    ] {
        assert!(dot.contains(name), "{name} missing from the diagram");
    }
    let mut child = Process::new("dot")
        .arg("-Tsvg")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("graphviz `dot` must be installed (scripts/test-env.sh installs it)");
    use std::io::Write;
    child
        .stdin
        .take()
        .unwrap()
        .write_all(dot.as_bytes())
        .unwrap();
    let svg = child.wait_with_output().unwrap();
    assert!(
        svg.status.success(),
        "dot failed: {}",
        String::from_utf8_lossy(&svg.stderr)
    );
    let svg = String::from_utf8_lossy(&svg.stdout);
    assert!(svg.contains("<svg"), "an SVG document");
    // graphviz writes `-` as `&#45;` in SVG text.
    let text = svg.replace("&#45;", "-");
    for name in ["par1-fra1", "backup-2", "s3-offsite"] {
        assert!(text.contains(name), "{name} is drawn");
    }
    assert!(
        svg.matches("class=\"node\"").count() >= 7,
        "hosts, link and bucket are nodes"
    );
}

#[test]
fn graph_renders_mermaid_with_nested_sites() {
    let out = drplan()
        .args(["graph", "scenarios/metro.yaml", "--format", "mermaid"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let m = String::from_utf8(out.stdout).unwrap();
    assert!(m.starts_with("---\ntitle: metro\n---\nflowchart LR"));
    assert_eq!(
        m.matches("subgraph").count(),
        m.matches(" end\n").count() + m.matches("\nend\n").count()
    );
    assert!(m.contains("site dc-par2") && m.contains("passive sync every 1 min"));
}

#[test]
fn completions_are_printed() {
    drplan()
        .args(["completions", "bash"])
        .assert()
        .success()
        .stdout(predicate::str::contains("drplan"));
}

#[test]
fn graph_of_a_folder_writes_one_diagram_per_scenario() {
    let out = tempfile::tempdir().unwrap();
    drplan()
        .args(["graph", "scenarios/", "--format", "mermaid", "--out"])
        .arg(out.path())
        .assert()
        .success();
    for name in ["same-dc", "metro", "geo"] {
        let text = std::fs::read_to_string(out.path().join(format!("{name}.mmd"))).unwrap();
        assert!(text.contains(&format!("title: {name}")));
    }
    drplan()
        .args(["graph", "scenarios/"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("--out"));
}

#[test]
fn report_writes_one_file_per_scenario_and_a_comparison() {
    let out = tempfile::tempdir().unwrap();
    let dir = out.path().join("reports");
    drplan()
        .args(["report", "scenarios/", "--format", "html", "--out"])
        .arg(&dir)
        .assert()
        .success()
        .stdout(predicate::str::contains("comparison.html"));
    let mut files: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    files.sort();
    assert_eq!(
        files,
        ["comparison.html", "geo.html", "metro.html", "same-dc.html"]
    );
    let first = std::fs::read(dir.join("geo.html")).unwrap();
    drplan()
        .args(["report", "scenarios/geo.yaml", "--format", "html", "--out"])
        .arg(&dir)
        .assert()
        .success();
    assert_eq!(
        std::fs::read(dir.join("geo.html")).unwrap(),
        first,
        "same input, same bytes"
    );
    drplan()
        .args(["report", "scenarios/", "--format", "docx"])
        .assert()
        .code(2);
}

#[test]
fn simulate_adds_the_importance_sampling_estimate_on_request() {
    let out = drplan()
        .args(["simulate", "scenarios/metro.yaml", "--trials", "2000"])
        .args(["--rare-events", "--rare-factor", "50", "-f", "json"])
        .output()
        .unwrap();
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let is = &json["clusters"][0]["p_total_loss_per_year_importance"];
    assert_eq!(is["factor"], 50.0);
    assert_eq!(is["trials"], 2000);
    assert!(is["hits"].as_u64().unwrap() > 0, "{is}");
    let p = is["p_total_loss_per_year"]["value"].as_f64().unwrap();
    assert!(p > 0.0 && p < 0.01, "{is}");
    // Without the flag, no such field.
    let out = drplan()
        .args([
            "simulate",
            "scenarios/metro.yaml",
            "--trials",
            "200",
            "-f",
            "json",
        ])
        .output()
        .unwrap();
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(
        json["clusters"][0]
            .get("p_total_loss_per_year_importance")
            .is_none()
    );
    drplan()
        .args(["simulate", "scenarios/metro.yaml", "--rare-events"])
        .args(["--rare-factor", "0.5"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "--rare-factor must be a number ≥ 1",
        ));
}

/// A reader that stops early (`| head`) is not an error: the run ends quietly
/// with exit 0, whatever the subcommand, as `cat` and `rg` do.
#[test]
fn a_closed_stdout_ends_quietly_with_exit_0() {
    let bin = assert_cmd::cargo::cargo_bin("drplan");
    // The pipeline users type. drplan's own status (printed last) is its
    // verdict on the targets (0 or 1), never a panic's 101.
    let out = Process::new("bash")
        .arg("-c")
        .arg(format!(
            "'{}' simulate scenarios/geo.yaml --trials 2000 -f json | head -c 10; s=(\"${{PIPESTATUS[@]}}\"); echo \" ${{s[0]}}\"; exit ${{s[1]}}",
            bin.display()
        ))
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{:?}: {stderr}", out.status);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout == "{\n  \"scena 0\n" || stdout == "{\n  \"scena 1\n",
        "{stdout:?}"
    );
    assert!(!stderr.contains("panicked"), "{stderr}");
    // A reader gone before the first byte: every write fails with EPIPE.
    for args in [
        &[
            "simulate",
            "scenarios/geo.yaml",
            "--trials",
            "500",
            "-f",
            "json",
        ][..],
        &["spof", "scenarios/geo.yaml"],
        &[
            "cost",
            "scenarios/geo.yaml",
            "--trials",
            "500",
            "-f",
            "json",
        ],
        &["schema"],
        &["completions", "bash"],
    ] {
        let mut child = Process::new(&bin)
            .args(args)
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        drop(child.stdout.take());
        let out = child.wait_with_output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(0), "{args:?}: {stderr}");
        assert!(!stderr.contains("panicked"), "{args:?}: {stderr}");
    }
}
