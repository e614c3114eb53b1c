//! The quoting module read back by the real parsers: random strings quoted
//! by `drplan::export::quote` come back unchanged from bash and dash
//! (`sh -c`, as Barman and cron run commands), from libpq's conninfo parser
//! (`PQconninfoParse` through psycopg2's `parse_dsn`, in the test venv that
//! holds Barman) and from Python's `configparser` set up as Barman sets it up
//! (`ConfigParser(strict=False)`, basic interpolation). A missing bash, dash
//! or venv fails the test.

use std::io::Write;
use std::process::{Command, Stdio};

use drplan::export::quote;
use proptest::prelude::*;

const VENV_PYTHON: &str = "/var/tmp/drplan-test-venv/bin/python";

fn run(cmd: &mut Command, stdin: &str) -> String {
    let mut child = cmd
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("cannot run {cmd:?}: {e}"));
    child
        .stdin
        .take()
        .unwrap()
        .write_all(stdin.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "{cmd:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// Words as the shell `sh` sees them after parsing `line`.
fn shell_read_back(sh: &str, words: &[String]) -> Vec<String> {
    let line = format!("printf '%s\\0' {}", quote::shell_words(words));
    let out = run(Command::new(sh).arg("-c").arg(&line), "");
    let mut v: Vec<String> = out.split('\0').map(str::to_string).collect();
    assert_eq!(v.pop().as_deref(), Some(""), "NUL-terminated output");
    v
}

fn text_without(excluded: &'static [char]) -> impl Strategy<Value = String> {
    // Half the characters are the ones parsers treat specially.
    let special = proptest::sample::select(vec![
        '\'', '"', '\\', '$', '`', '%', ';', '&', '|', ' ', '\t', '=', '#', '(', ')', '*', '~',
        '-', '[', '\u{a0}', '\u{1f}',
    ]);
    proptest::collection::vec(prop_oneof![any::<char>(), special], 0..16).prop_map(move |cs| {
        cs.into_iter()
            .filter(|c| !excluded.contains(c))
            .collect::<String>()
    })
}

fn json(v: &[String]) -> String {
    serde_json::to_string(v).unwrap()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    #[test]
    fn shell_words_survive_bash_and_dash(words in proptest::collection::vec(text_without(&['\0']), 1..12)) {
        for sh in ["bash", "dash"] {
            prop_assert_eq!(&shell_read_back(sh, &words), &words, "{}", sh);
        }
    }

    #[test]
    fn conninfo_values_survive_libpq(values in proptest::collection::vec(text_without(&['\0']), 1..12)) {
        let dsns: Vec<String> = values
            .iter()
            .map(|v| quote::conninfo(&[("host", v), ("port", "5432"), ("application_name", v)]))
            .collect();
        let script = "import json,sys\nfrom psycopg2.extensions import parse_dsn\nprint(json.dumps([parse_dsn(d) for d in json.load(sys.stdin)]))";
        let out = run(Command::new(VENV_PYTHON).args(["-c", script]), &json(&dsns));
        let parsed: Vec<std::collections::BTreeMap<String, String>> = serde_json::from_str(&out).unwrap();
        for (v, p) in values.iter().zip(&parsed) {
            prop_assert_eq!(p.get("host"), Some(v));
            prop_assert_eq!(p.get("application_name"), Some(v));
            prop_assert_eq!(p.get("port").map(String::as_str), Some("5432"));
            prop_assert_eq!(p.len(), 3, "no extra keyword in {:?}", p);
        }
    }

    #[test]
    fn ini_values_survive_barmans_configparser(values in proptest::collection::vec(text_without(&['\0', '\n', '\r']), 1..12)) {
        let values: Vec<String> = values.into_iter().map(|v| v.trim_matches(quote::is_python_space).to_string()).collect();
        let mut text = String::from("[main]\n");
        for (i, v) in values.iter().enumerate() {
            text.push_str(&format!("k{i} = {}\n", quote::ini_value(v).unwrap()));
        }
        let script = "import json,sys\nfrom configparser import ConfigParser\np = ConfigParser(strict=False)\np.read_string(sys.stdin.read())\nprint(json.dumps([p.get('main', 'k%d' % i) for i in range(len(p.options('main')))]))";
        let out = run(Command::new(VENV_PYTHON).args(["-c", script]), &text);
        let parsed: Vec<String> = serde_json::from_str(&out).unwrap();
        prop_assert_eq!(parsed, values);
    }
}

#[test]
fn values_that_cannot_be_an_ini_value_are_refused() {
    for v in ["a\nreuse_backup = link", "x\r", " lead", "trail\t"] {
        assert!(quote::ini_value(v).is_err(), "{v:?}");
    }
}
