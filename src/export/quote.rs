//! Quoting for every context a generated value lands in: a POSIX shell word
//! (Barman runs hooks, `ssh_command` and `primary_ssh_command` through a
//! shell; cron runs its command line through one), a libpq conninfo value, a
//! Barman ini value (Python `configparser` with interpolation), a cron
//! command line (`%` means newline there), a `postgresql.conf` value, SQL
//! identifiers and literals, and a YAML scalar (Patroni's configuration).
//!
//! Validation ([`crate::model`]) keeps hostile values out of a scenario in
//! the first place; these functions make sure that whatever gets through is
//! still read back as one plain value by the real parser, and the export
//! lint ([`super::lint`]) checks the rendered lines once more. Values made
//! only of characters no parser treats specially stay bare, so ordinary
//! exports read as an operator would write them.

use std::fmt;

/// A value that no quoting can carry into its context.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unquotable {
    /// The context (e.g. "ini value").
    pub context: &'static str,
    /// What makes it impossible.
    pub reason: &'static str,
}

impl fmt::Display for Unquotable {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "cannot write this {}: {}", self.context, self.reason)
    }
}

impl std::error::Error for Unquotable {}

fn is_bare_shell(c: char) -> bool {
    c.is_ascii_alphanumeric()
        || matches!(c, '@' | '%' | '+' | '=' | ':' | ',' | '.' | '/' | '_' | '-')
}

/// One shell word: bare when it holds only characters no shell treats
/// specially (like Python's `shlex.quote`), otherwise single-quoted with
/// each `'` written as `'\''`. The empty string becomes `''`.
pub fn shell(v: &str) -> String {
    if !v.is_empty() && v.chars().all(is_bare_shell) {
        v.to_string()
    } else {
        format!("'{}'", v.replace('\'', r"'\''"))
    }
}

/// A command line: every word quoted with [`shell`], joined by spaces.
pub fn shell_words<S: AsRef<str>>(words: &[S]) -> String {
    words
        .iter()
        .map(|w| shell(w.as_ref()))
        .collect::<Vec<_>>()
        .join(" ")
}

/// A libpq conninfo value: bare when made of letters, digits and `._-/:`,
/// otherwise single-quoted with `\` and `'` backslash-escaped (libpq's
/// `conninfo_parse`).
pub fn conninfo_value(v: &str) -> String {
    let bare = !v.is_empty()
        && v.chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-' | '/' | ':'));
    if bare {
        v.to_string()
    } else {
        let mut s = String::with_capacity(v.len() + 2);
        s.push('\'');
        for c in v.chars() {
            if matches!(c, '\\' | '\'') {
                s.push('\\');
            }
            s.push(c);
        }
        s.push('\'');
        s
    }
}

/// A whole conninfo string from `key=value` pairs (keys are drplan's own).
pub fn conninfo(pairs: &[(&str, &str)]) -> String {
    pairs
        .iter()
        .map(|(k, v)| format!("{k}={}", conninfo_value(v)))
        .collect::<Vec<_>>()
        .join(" ")
}

/// A Barman ini value as `configparser` reads it back: `%` doubled (Barman's
/// parser interpolates `%(name)s`); a line break (a new option or a
/// continuation), a NUL, or leading/trailing blanks (stripped by the parser)
/// cannot be written.
pub fn ini_value(v: &str) -> Result<String, Unquotable> {
    let err = |reason| Unquotable {
        context: "ini value",
        reason,
    };
    if v.contains(['\n', '\r', '\0']) {
        return Err(err("it contains a line break or NUL"));
    }
    if v.trim_matches(is_python_space) != v {
        return Err(err(
            "it starts or ends with blanks, which the parser strips",
        ));
    }
    Ok(v.replace('%', "%%"))
}

/// What Python's `str.strip` removes: Unicode white space and the ASCII
/// separators U+001C–U+001F.
pub fn is_python_space(c: char) -> bool {
    c.is_whitespace() || ('\u{1c}'..='\u{1f}').contains(&c)
}

/// A cron command (the part after the user field): cron turns an unescaped
/// `%` into a newline fed to standard input, so each is written `\%`; a line
/// break would end the entry.
pub fn cron_command(command: &str) -> Result<String, Unquotable> {
    if command.contains(['\n', '\r', '\0']) {
        return Err(Unquotable {
            context: "cron command",
            reason: "it contains a line break or NUL",
        });
    }
    Ok(command.replace('%', r"\%"))
}

/// A string value in `postgresql.conf` (and its `conf.d` snippets): always
/// single-quoted, `'` doubled and `\` doubled, because the configuration
/// file parser (unlike SQL with `standard_conforming_strings`) reads
/// backslash escapes. A line break or NUL cannot be written.
pub fn pg_conf_value(v: &str) -> Result<String, Unquotable> {
    if v.contains(['\n', '\r', '\0']) {
        return Err(Unquotable {
            context: "postgresql.conf value",
            reason: "it contains a line break or NUL",
        });
    }
    Ok(format!("'{}'", v.replace('\\', "\\\\").replace('\'', "''")))
}

/// A SQL identifier, always double-quoted (`"` doubled), so a name is never
/// read as a keyword or folded to lower case.
pub fn sql_ident(v: &str) -> String {
    format!("\"{}\"", v.replace('"', "\"\""))
}

/// A SQL string literal with `standard_conforming_strings = on` (the
/// default since PostgreSQL 9.1): `'` doubled, backslashes literal.
pub fn sql_literal(v: &str) -> String {
    format!("'{}'", v.replace('\'', "''"))
}

/// A YAML string scalar, always double-quoted: `\\` and `"` escaped, and
/// every character outside YAML's printable set (controls, line breaks,
/// DEL, C1, U+FFFE/U+FFFF) written as `\uXXXX`, so that any string reads
/// back unchanged (PyYAML, as Patroni reads its configuration) and can never
/// open a new key, a comment or a flow collection.
pub fn yaml_string(v: &str) -> String {
    let mut s = String::with_capacity(v.len() + 2);
    s.push('"');
    for c in v.chars() {
        match c {
            '\\' => s.push_str("\\\\"),
            '"' => s.push_str("\\\""),
            ' '..='~' => s.push(c),
            c if ('\u{a0}'..='\u{fffd}').contains(&c) || c > '\u{ffff}' => s.push(c),
            c => s.push_str(&format!("\\u{:04x}", u32::from(c))),
        }
    }
    s.push('"');
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_values_stay_bare() {
        assert_eq!(
            shell("barman@backup-1.example.net"),
            "barman@backup-1.example.net"
        );
        assert_eq!(shell("s3://bucket/main"), "s3://bucket/main");
        assert_eq!(conninfo_value("pg-1.example.net"), "pg-1.example.net");
        assert_eq!(ini_value("on").unwrap(), "on");
    }

    #[test]
    fn hostile_values_are_quoted_for_their_context() {
        assert_eq!(shell("main$(touch x)"), "'main$(touch x)'");
        assert_eq!(shell("it's"), r"'it'\''s'");
        assert_eq!(shell(""), "''");
        assert_eq!(conninfo_value("a b"), "'a b'");
        assert_eq!(conninfo_value(r"o'k\"), r"'o\'k\\'");
        assert_eq!(conninfo_value(""), "''");
        assert_eq!(
            conninfo(&[("host", "x sslmode=disable"), ("port", "5432")]),
            "host='x sslmode=disable' port=5432"
        );
        assert_eq!(ini_value("100%").unwrap(), "100%%");
        assert!(ini_value("a\nb = c").is_err());
        assert!(ini_value(" lead").is_err());
        assert_eq!(cron_command("date +%F").unwrap(), r"date +\%F");
        assert!(cron_command("a\n* * * * * root evil").is_err());
        assert_eq!(sql_ident(r#"we"ird"#), r#""we""ird""#);
        assert_eq!(sql_literal("o'k"), "'o''k'");
        assert_eq!(yaml_string("a\"b\\c"), r#""a\"b\\c""#);
        assert_eq!(yaml_string("x\nkey: 1 # c"), r#""x\u000akey: 1 # c""#);
    }
}
