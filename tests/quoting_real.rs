//! The quoting module read back by the real parsers: random strings quoted
//! by `drplan::export::quote` come back unchanged from bash and dash
//! (`sh -c`, as Barman and cron run commands), from libpq's conninfo parser
//! (`PQconninfoParse` through psycopg2's `parse_dsn`, in the test venv that
//! holds Barman) and from Python's `configparser` set up as Barman sets it up
//! (`ConfigParser(strict=False)`, basic interpolation), YAML scalars from
//! PyYAML's `safe_load` (as Patroni reads `patroni.yml`). A missing bash, dash
//! or venv fails the test. SQL literals and identifiers go through a real
//! PostgreSQL 15 (psql), `postgresql.conf` values through its configuration
//! file parser.

use std::io::Write;
use std::process::{Command, Stdio};

use drplan::export::quote;
use proptest::prelude::*;
use proptest::strategy::ValueTree;

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
    fn yaml_strings_survive_pyyaml(values in proptest::collection::vec(text_without(&[]), 1..12)) {
        let mut text = String::from("scope: x\nlist:\n");
        for v in &values {
            text.push_str(&format!("  - {}\n", quote::yaml_string(v)));
        }
        let script = "import json,sys,yaml\nd = yaml.safe_load(sys.stdin.read())\nprint(json.dumps(d['list']))";
        let out = run(Command::new(VENV_PYTHON).args(["-c", script]), &text);
        let parsed: Vec<String> = serde_json::from_str(&out).unwrap();
        prop_assert_eq!(&parsed, &values);
        // And drplan's own YAML parser (the lint reads patroni.yml with it).
        let mine: std::collections::BTreeMap<String, serde_json::Value> = serde_saphyr::from_str(&text).unwrap();
        prop_assert_eq!(mine.get("list"), Some(&serde_json::json!(values)));
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
    for v in ["a\narchive_mode = off", "x\r", "nul\0"] {
        assert!(quote::pg_conf_value(v).is_err(), "{v:?}");
    }
}

/// A PostgreSQL 15 (Debian's `postgresql-15`) in a temporary folder,
/// reachable only through its own unix socket; stopped on drop.
struct Pg {
    dir: tempfile::TempDir,
}

const PG_BIN: &str = "/usr/lib/postgresql/15/bin";

/// initdb and postgres refuse to run as root: as root, run them as the
/// unprivileged `DRPLAN_TEST_USER` (default `postgres`, as the harness does).
fn test_user() -> Option<String> {
    let uid = Command::new("id").arg("-u").output().expect("id runs");
    (String::from_utf8_lossy(&uid.stdout).trim() == "0")
        .then(|| std::env::var("DRPLAN_TEST_USER").unwrap_or_else(|_| "postgres".into()))
}

/// A command running PostgreSQL's `bin`, unprivileged.
fn pg_cmd(bin: &str) -> Command {
    let path = format!("{PG_BIN}/{bin}");
    match test_user() {
        Some(u) => {
            let mut c = Command::new("runuser");
            c.args(["-u", &u, "--", &path]);
            c
        }
        None => Command::new(path),
    }
}

impl Pg {
    /// initdb with `conf` appended to postgresql.conf, then start.
    fn start(conf: &str) -> Pg {
        let dir = tempfile::tempdir().unwrap();
        if let Some(u) = test_user() {
            let st = Command::new("chown")
                .arg(&u)
                .arg(dir.path())
                .status()
                .unwrap();
            assert!(st.success(), "chown {u} (the test user must exist)");
        }
        let data = dir.path().join("data");
        let st = pg_cmd("initdb")
            .args([
                "--no-sync",
                "-A",
                "trust",
                "-E",
                "UTF8",
                "--locale",
                "C",
                "-U",
                "postgres",
                "-D",
            ])
            .arg(&data)
            .output()
            .expect("initdb of postgresql-15 (scripts/test-env.sh installs it)");
        assert!(
            st.status.success(),
            "initdb: {}",
            String::from_utf8_lossy(&st.stderr)
        );
        let mut f = std::fs::OpenOptions::new()
            .append(true)
            .open(data.join("postgresql.conf"))
            .unwrap();
        writeln!(
            f,
            "listen_addresses = ''\nunix_socket_directories = '{}'\n{conf}",
            dir.path().display()
        )
        .unwrap();
        let st = pg_cmd("pg_ctl")
            .args(["-w", "-s", "-l"])
            .arg(dir.path().join("log"))
            .arg("-D")
            .arg(&data)
            .arg("start")
            .output()
            .unwrap();
        let log = std::fs::read_to_string(dir.path().join("log")).unwrap_or_default();
        assert!(st.status.success(), "pg_ctl start: {log}");
        Pg { dir }
    }

    /// Run `sql` through psql (stdin, no psqlrc, stop on error); its output.
    fn psql(&self, sql: &str) -> String {
        run(
            pg_cmd("psql")
                .args([
                    "-X",
                    "-q",
                    "-A",
                    "-t",
                    "-v",
                    "ON_ERROR_STOP=1",
                    "-U",
                    "postgres",
                    "-d",
                    "postgres",
                    "-h",
                ])
                .arg(self.dir.path()),
            sql,
        )
    }
}

impl Drop for Pg {
    fn drop(&mut self) {
        let _ = pg_cmd("pg_ctl")
            .args(["-w", "-s", "-m", "immediate", "-D"])
            .arg(self.dir.path().join("data"))
            .arg("stop")
            .output();
    }
}

/// Random values quoted as SQL literals and identifiers come back unchanged
/// from PostgreSQL; values quoted for `postgresql.conf` come back from the
/// server's configuration file parser (custom `drplan.*` settings).
#[test]
fn sql_and_postgresql_conf_values_survive_postgresql() {
    let mut runner = proptest::test_runner::TestRunner::new(ProptestConfig {
        cases: 1,
        ..ProptestConfig::default()
    });
    let conf_values = proptest::collection::vec(text_without(&['\0', '\n', '\r']), 24)
        .new_tree(&mut runner)
        .unwrap()
        .current();
    let mut conf = String::new();
    for (i, v) in conf_values.iter().enumerate() {
        conf.push_str(&format!(
            "drplan.k{i} = {}\n",
            quote::pg_conf_value(v).unwrap()
        ));
    }
    let pg = Pg::start(&conf);
    let read: Vec<String> = serde_json::from_str(&pg.psql(&format!(
        "SELECT json_build_array({});",
        (0..conf_values.len())
            .map(|i| format!("current_setting('drplan.k{i}')"))
            .collect::<Vec<_>>()
            .join(", ")
    )))
    .unwrap();
    assert_eq!(read, conf_values, "postgresql.conf values read back");

    let mut runner = proptest::test_runner::TestRunner::new(ProptestConfig {
        cases: 24,
        ..ProptestConfig::default()
    });
    let values = proptest::collection::vec(text_without(&['\0']), 1..12);
    runner
        .run(&values, |values| {
            let lits: Vec<String> = values.iter().map(|v| quote::sql_literal(v)).collect();
            let back: Vec<String> = serde_json::from_str(
                &pg.psql(&format!("SELECT json_build_array({});", lits.join(", "))),
            )
            .unwrap();
            prop_assert_eq!(&back, &values);
            // Identifiers: non-empty, within NAMEDATALEN (63 bytes), distinct.
            let mut idents: Vec<String> = values
                .iter()
                .enumerate()
                .map(|(i, v)| {
                    let mut v: String = v.chars().take(10).collect();
                    v.push_str(&format!("#{i}"));
                    v
                })
                .collect();
            idents.dedup();
            let cols: Vec<String> = idents
                .iter()
                .map(|v| format!("{} int", quote::sql_ident(v)))
                .collect();
            let back: Vec<String> = serde_json::from_str(&pg.psql(&format!(
                "BEGIN; CREATE TEMP TABLE t ({}); SELECT json_agg(attname ORDER BY attnum) FROM pg_attribute WHERE attrelid = 't'::regclass AND attnum > 0; ROLLBACK;",
                cols.join(", ")
            )))
            .unwrap();
            prop_assert_eq!(&back, &idents);
            Ok(())
        })
        .unwrap();
    // And with the old escape-string behaviour a session might still have,
    // a literal without backslashes reads the same (the export's literals
    // never carry one; check_query is validated separately).
    let back = pg.psql("SET standard_conforming_strings = off; SELECT 'it''s';");
    assert_eq!(back.trim(), "it's");
}
