//! Defence in depth against injection: after rendering, every line that a
//! shell, libpq, cron or `pg_hba.conf` will read is parsed back and must
//! hold only what drplan means to write — shell commands whose unquoted
//! characters are plain (no `$`, `;`, `|`, backticks, globs), conninfo
//! strings with only drplan's own keys, each once, cron entries with an
//! escaped `%`, and `pg_hba.conf` addresses that are an IP or a host name.
//! Validation should already have stopped the scenario; this catches a
//! renderer that forgot to quote.

use super::lint_settings::Settings;
use super::{Artifact, ini};

/// Options Barman runs through a shell.
const SHELL_OPTIONS: [&str; 12] = [
    "ssh_command",
    "primary_ssh_command",
    "pre_archive_script",
    "pre_archive_retry_script",
    "post_archive_script",
    "post_archive_retry_script",
    "pre_backup_script",
    "pre_backup_retry_script",
    "post_backup_script",
    "post_backup_retry_script",
    "pre_recovery_script",
    "post_recovery_script",
];

/// Keys drplan writes in a conninfo.
const CONNINFO_KEYS: [&str; 5] = ["host", "port", "user", "dbname", "target_session_attrs"];

/// One injection finding: line (1-based) and what is wrong.
pub type Hit = (usize, String);

fn plain(c: char) -> bool {
    c.is_ascii_alphanumeric()
        || matches!(c, '@' | '%' | '+' | '=' | ':' | ',' | '.' | '/' | '_' | '-')
}

/// Split a command line into words the way a POSIX shell would, refusing
/// anything a shell would expand or treat as an operator outside single
/// quotes. `redirects` allows a trailing `>>FILE` and `2>&1` (cron's log).
pub fn shell_words(cmd: &str, redirects: bool) -> Result<Vec<String>, String> {
    let mut words = Vec::new();
    let mut cur: Option<String> = None;
    let mut chars = cmd.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            ' ' | '\t' => {
                if let Some(w) = cur.take() {
                    words.push(w);
                }
            }
            '\'' => {
                let w = cur.get_or_insert_with(String::new);
                loop {
                    match chars.next() {
                        Some('\'') => break,
                        Some(c) => w.push(c),
                        None => return Err("unterminated single quote".into()),
                    }
                }
            }
            '\\' => match chars.next() {
                Some(c) if c != '\n' => cur.get_or_insert_with(String::new).push(c),
                _ => return Err("a backslash at the end of the line".into()),
            },
            '>' if redirects && cur.is_none() && chars.peek() == Some(&'>') => {
                chars.next();
                cur = Some(">>".into());
            }
            '2' if redirects && cur.is_none() && chars.clone().collect::<String>() == ">&1" => {
                words.push("2>&1".into());
                break;
            }
            c if plain(c) => cur.get_or_insert_with(String::new).push(c),
            c => return Err(format!("unquoted `{}`", c.escape_default())),
        }
    }
    if let Some(w) = cur.take() {
        words.push(w);
    }
    if words.is_empty() {
        return Err("an empty command".into());
    }
    Ok(words)
}

/// Parse a conninfo string as libpq does (`key=value`, values bare or
/// single-quoted with backslash escapes).
pub fn conninfo_pairs(s: &str) -> Result<Vec<(String, String)>, String> {
    let mut out = Vec::new();
    let mut chars = s.chars().peekable();
    loop {
        while chars.peek().is_some_and(|c| c.is_whitespace()) {
            chars.next();
        }
        if chars.peek().is_none() {
            return Ok(out);
        }
        let mut key = String::new();
        while let Some(&c) = chars.peek() {
            if c == '=' || c.is_whitespace() {
                break;
            }
            key.push(c);
            chars.next();
        }
        while chars.peek().is_some_and(|c| c.is_whitespace()) {
            chars.next();
        }
        if chars.next() != Some('=') {
            return Err(format!("`{key}` without `=`"));
        }
        while chars.peek().is_some_and(|c| c.is_whitespace()) {
            chars.next();
        }
        let mut value = String::new();
        if chars.peek() == Some(&'\'') {
            chars.next();
            loop {
                match chars.next() {
                    Some('\\') => value.extend(chars.next()),
                    Some('\'') => break,
                    Some(c) => value.push(c),
                    None => return Err("unterminated quoted value".into()),
                }
            }
        } else {
            while let Some(&c) = chars.peek() {
                if c.is_whitespace() {
                    break;
                }
                if c == '\\' {
                    chars.next();
                    value.extend(chars.next());
                } else {
                    value.push(c);
                    chars.next();
                }
            }
        }
        out.push((key, value));
    }
}

/// Problems of one conninfo string.
fn conninfo(s: &str) -> Option<String> {
    let pairs = match conninfo_pairs(s) {
        Ok(p) => p,
        Err(e) => return Some(format!("conninfo does not parse: {e}")),
    };
    for (i, (k, _)) in pairs.iter().enumerate() {
        if !CONNINFO_KEYS.contains(&k.as_str()) {
            return Some(format!("conninfo sets `{k}`, which drplan never writes"));
        }
        if pairs[..i].iter().any(|(k2, _)| k2 == k) {
            return Some(format!("conninfo sets `{k}` twice"));
        }
    }
    None
}

/// Injection findings in one generated file.
pub fn check(settings: &Settings, a: &Artifact) -> Vec<Hit> {
    let mut hits = Vec::new();
    if a.target == settings.barman_conf || a.target.starts_with(&format!("{}/", settings.conf_dir))
    {
        let (parsed, _) = ini::parse(&a.contents);
        for o in parsed {
            let key = o.key.as_str();
            if SHELL_OPTIONS.contains(&key)
                && let Err(e) = shell_words(&o.value, false)
            {
                hits.push((o.line, format!("`{key}` is not a plain command line ({e})")));
            }
            if matches!(key, "conninfo" | "streaming_conninfo")
                && let Some(e) = conninfo(&o.value)
            {
                hits.push((o.line, format!("`{key}`: {e}")));
            }
        }
    } else if a.target.starts_with("/etc/cron.d/") {
        for (i, line) in a.contents.lines().enumerate() {
            if let Some(e) = cron_line(line) {
                hits.push((i + 1, e));
            }
        }
    } else if a.target.ends_with("/pg_hba.conf.drplan") {
        for (i, line) in a.contents.lines().enumerate() {
            let f: Vec<&str> = line.split_whitespace().collect();
            if f.first().is_none_or(|w| w.starts_with('#')) {
                continue;
            }
            let addr = f.get(3).copied().unwrap_or("");
            let ip = addr.split_once('/').is_some_and(|(ip, m)| {
                ip.parse::<std::net::IpAddr>().is_ok() && m.parse::<u8>().is_ok()
            });
            let keyword =
                ["all", "samehost", "samenet"].contains(&addr.to_ascii_lowercase().as_str());
            if f.len() != 5 || keyword || !(ip || crate::model::is_hostname(addr)) {
                hits.push((
                    i + 1,
                    format!("pg_hba line with address `{addr}`: not one IP or host name"),
                ));
            }
        }
    }
    hits
}

fn cron_line(line: &str) -> Option<String> {
    let t = line.trim();
    if t.is_empty() || t.starts_with('#') {
        return None;
    }
    if let Some((k, _)) = t.split_once('=')
        && !k.contains(' ')
    {
        return (!matches!(k, "SHELL" | "PATH" | "MAILTO"))
            .then(|| format!("cron sets `{k}`, which drplan never writes"));
    }
    let fields: Vec<&str> = t.splitn(7, ' ').collect();
    if fields.len() < 7 {
        return Some("a cron entry needs five time fields, a user and a command".into());
    }
    let command = fields[6];
    let mut unescaped = String::with_capacity(command.len());
    let mut chars = command.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' if chars.peek() == Some(&'%') => {
                unescaped.push('%');
                chars.next();
            }
            '%' => {
                return Some(
                    "an unescaped `%` in a cron command (cron reads it as a line break)".into(),
                );
            }
            c => unescaped.push(c),
        }
    }
    shell_words(&unescaped, true)
        .err()
        .map(|e| format!("cron command is not a plain command line ({e})"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoted_words_come_back_and_operators_are_refused() {
        assert_eq!(
            shell_words("ssh 'a b' x'$(id)'", false).unwrap(),
            vec!["ssh", "a b", "x$(id)"]
        );
        for bad in [
            "a $(id)", "a;b", "a | b", "a `id`", "a > b", "x\"y\"", "a *",
        ] {
            assert!(shell_words(bad, false).is_err(), "{bad}");
        }
        assert_eq!(
            shell_words("/s/drill >>/var/log/d.log 2>&1", true).unwrap(),
            vec!["/s/drill", ">>/var/log/d.log", "2>&1"]
        );
        assert!(shell_words("/s/drill >>/x 2>&1", false).is_err());
    }

    #[test]
    fn conninfo_round_trip_and_injected_keys() {
        let s = super::super::quote::conninfo(&[("host", "a b' sslmode=disable"), ("port", "1")]);
        assert_eq!(
            conninfo_pairs(&s).unwrap(),
            vec![
                ("host".to_string(), "a b' sslmode=disable".to_string()),
                ("port".to_string(), "1".to_string())
            ]
        );
        assert!(conninfo("host=x sslmode=disable").is_some());
        assert!(conninfo("host=x host=y").is_some());
        assert!(conninfo("host=x port=5432 user=barman dbname=postgres").is_none());
    }

    #[test]
    fn cron_lines() {
        assert!(cron_line("* * * * * barman barman -c /etc/barman.conf cron").is_none());
        assert!(cron_line("* * * * * barman date +%F").is_some());
        assert!(cron_line(r"* * * * * barman date +\%F").is_none());
        assert!(cron_line("* * * * * barman x $(id)").is_some());
        assert!(cron_line("BASH_ENV=/tmp/x").is_some());
    }
}
