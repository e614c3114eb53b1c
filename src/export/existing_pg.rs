//! PostgreSQL settings of a deployed cluster (`postgresql.conf`,
//! `conf.d/*.conf`), checked for what silently breaks Barman's WAL archiving:
//! an `archive_command` that never runs because `archive_mode` is off, an
//! `archive_mode` with nothing to run (WAL piles up in `pg_wal` until the
//! disk is full), `max_slot_wal_keep_size = -1` (a stalled Barman fills
//! `pg_wal`), and a setting given twice with different values, where the
//! file read last silently wins.

use std::collections::BTreeMap;

use super::lint::{Finding, Severity};

/// One `name = value` of a PostgreSQL configuration file.
#[derive(Debug, Clone)]
struct Setting {
    name: String,
    path: String,
    line: usize,
    value: String,
}

/// `name = value`, `name value`, `# comment` (also at the end of a line,
/// outside quotes); quoted values lose their quotes.
fn parse_line(raw: &str) -> Option<(String, String)> {
    let mut text = String::new();
    let mut quoted = false;
    for c in raw.chars() {
        match c {
            '\'' => {
                quoted = !quoted;
                text.push(c);
            }
            '#' if !quoted => break,
            _ => text.push(c),
        }
    }
    let text = text.trim();
    if text.is_empty() {
        return None;
    }
    let (name, rest) = match text.find(|c: char| c == '=' || c.is_whitespace()) {
        Some(p) => (&text[..p], text[p..].trim_start()),
        None => (text, ""),
    };
    let value = rest.strip_prefix('=').unwrap_or(rest).trim();
    let value = value
        .strip_prefix('\'')
        .and_then(|v| v.strip_suffix('\''))
        .unwrap_or(value)
        .replace("''", "'");
    Some((name.trim().to_ascii_lowercase(), value))
}

/// Every setting in the order PostgreSQL reads them: `postgresql.conf`
/// line by line, the `conf.d/` files (by name) where its `include_dir` is,
/// then whatever no include names.
fn in_order(files: &[(String, &str)]) -> Vec<Setting> {
    let is_main = |p: &str| p == "postgresql.conf" || p.ends_with("/postgresql.conf");
    let mut included: Vec<&(String, &str)> = files
        .iter()
        .filter(|(p, _)| !is_main(p) && !p.ends_with("postgresql.auto.conf"))
        .collect();
    included.sort_by(|a, b| a.0.cmp(&b.0));
    let mut pending = included;
    let mut out = Vec::new();
    let settings = |path: &str,
                    text: &str,
                    out: &mut Vec<Setting>,
                    at_include: &mut dyn FnMut(&mut Vec<Setting>)| {
        for (i, raw) in text.lines().enumerate() {
            let Some((name, value)) = parse_line(raw) else {
                continue;
            };
            if name == "include_dir" {
                at_include(out);
                continue;
            }
            if name == "include" || name == "include_if_exists" {
                continue;
            }
            out.push(Setting {
                name,
                path: path.to_string(),
                line: i + 1,
                value,
            });
        }
    };
    let flush = |pending: &mut Vec<&(String, &str)>, out: &mut Vec<Setting>| {
        for (p, t) in pending.drain(..) {
            for (i, raw) in t.lines().enumerate() {
                if let Some((name, value)) = parse_line(raw) {
                    out.push(Setting {
                        name,
                        path: p.clone(),
                        line: i + 1,
                        value,
                    });
                }
            }
        }
    };
    for (p, t) in files.iter().filter(|(p, _)| is_main(p)) {
        settings(p, t, &mut out, &mut |o| flush(&mut pending, o));
    }
    flush(&mut pending, &mut out);
    for (p, t) in files
        .iter()
        .filter(|(p, _)| p.ends_with("postgresql.auto.conf"))
    {
        settings(p, t, &mut out, &mut |_| {});
    }
    out
}

/// Check the PostgreSQL files of one host.
pub fn check(files: &[(String, &str)], out: &mut Vec<Finding>) {
    let mut all: BTreeMap<String, Vec<Setting>> = BTreeMap::new();
    for s in in_order(files) {
        all.entry(s.name.clone()).or_default().push(s);
    }
    let last = |name: &str| all.get(name).and_then(|v| v.last());
    let mut push = |s: &Setting, severity, message: String, hint: &str| {
        out.push(Finding {
            severity,
            path: s.path.clone(),
            line: Some(s.line),
            message,
            hint: hint.to_string(),
        });
    };
    for list in all.values() {
        let final_value = &list[list.len() - 1];
        for earlier in &list[..list.len() - 1] {
            if earlier.value != final_value.value {
                push(
                    earlier,
                    Severity::Warning,
                    format!(
                        "`{}` is overridden by {}:{} (`{}`): this value is silently ignored",
                        earlier.name, final_value.path, final_value.line, final_value.value
                    ),
                    "set each parameter in one place",
                );
            }
        }
    }
    let mode = last("archive_mode");
    let mode_on = mode.is_some_and(|m| {
        matches!(
            m.value.to_ascii_lowercase().as_str(),
            "on" | "always" | "true" | "yes" | "1"
        )
    });
    let command = last("archive_command").filter(|c| !c.value.is_empty());
    let library = last("archive_library").filter(|c| !c.value.is_empty());
    if let (Some(c), false) = (command, mode_on) {
        push(
            c,
            Severity::Error,
            "archive_command is set but archive_mode is off: it never runs and Barman receives no WAL by archiving".into(),
            "set archive_mode = on (needs a restart)",
        );
    }
    if let (Some(m), true, None, None) = (mode, mode_on, command, library) {
        push(
            m,
            Severity::Error,
            "archive_mode is on with no archive_command or archive_library: every WAL segment stays in pg_wal until the disk is full".into(),
            "set archive_command (e.g. barman-wal-archive) or turn archive_mode off when Barman streams WAL",
        );
    }
    if let Some(k) = last("max_slot_wal_keep_size").filter(|k| k.value.trim() == "-1") {
        push(
            k,
            Severity::Warning,
            "max_slot_wal_keep_size = -1: a stalled Barman slot keeps WAL in pg_wal until the primary's disk is full".into(),
            "cap it (drplan disk recommends a value from the plan)",
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(files: &[(&str, &str)]) -> Vec<String> {
        let owned: Vec<(String, &str)> = files.iter().map(|(p, t)| (p.to_string(), *t)).collect();
        let mut out = Vec::new();
        check(&owned, &mut out);
        out.iter().map(ToString::to_string).collect()
    }

    #[test]
    fn values_lose_quotes_and_trailing_comments() {
        assert_eq!(
            parse_line("archive_command = 'a ''b'' # c'  # really a comment"),
            Some(("archive_command".into(), "a 'b' # c".into()))
        );
        assert_eq!(
            parse_line("wal_level replica"),
            Some(("wal_level".into(), "replica".into()))
        );
        assert_eq!(parse_line("   # only a comment"), None);
    }

    #[test]
    fn archive_command_without_archive_mode_is_an_error_at_its_line() {
        let e = run(&[(
            "conf.d/x.conf",
            "wal_level = replica\narchive_command = 'barman-wal-archive bk main %p'\n",
        )]);
        assert_eq!(e.len(), 1, "{e:?}");
        assert!(
            e[0].starts_with(
                "error: conf.d/x.conf:2: archive_command is set but archive_mode is off"
            ),
            "{e:?}"
        );
    }

    #[test]
    fn archive_mode_without_a_command_and_overrides_across_files() {
        let e = run(&[
            ("main/conf.d/b.conf", "archive_mode = off\n"),
            (
                "main/postgresql.conf",
                "archive_mode = on\narchive_command = 'x'\n",
            ),
        ]);
        // No include_dir in postgresql.conf: conf.d comes last, its `off` wins and the command never runs.
        assert!(
            e.iter().any(|m| m.contains(
                "main/postgresql.conf:1: `archive_mode` is overridden by main/conf.d/b.conf:1"
            )),
            "{e:?}"
        );
        assert!(
            e.iter().any(|m| m.contains(
                "main/postgresql.conf:2: archive_command is set but archive_mode is off"
            )),
            "{e:?}"
        );
        // With include_dir, what follows it in postgresql.conf wins over conf.d.
        let e = run(&[
            ("main/conf.d/b.conf", "archive_mode = off\n"),
            (
                "main/postgresql.conf",
                "include_dir = 'conf.d'\narchive_mode = on\narchive_command = 'x'\n",
            ),
        ]);
        assert!(
            e.iter().any(|m| m.contains(
                "main/conf.d/b.conf:1: `archive_mode` is overridden by main/postgresql.conf:2"
            )),
            "{e:?}"
        );
        assert!(
            !e.iter().any(|m| m.contains("archive_mode is off")),
            "{e:?}"
        );
        let e = run(&[("postgresql.conf", "archive_mode = on\n")]);
        assert!(
            e.iter().any(
                |m| m.contains("postgresql.conf:1: archive_mode is on with no archive_command")
            ),
            "{e:?}"
        );
    }
}
