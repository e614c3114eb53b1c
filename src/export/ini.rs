//! Barman's configuration syntax (Python `configparser`): a tiny writer that
//! keeps every comment on its own line — an inline `; comment` would become
//! part of the value, which Barman then rejects with only a WARNING — and a
//! reader used by the lint.

use std::fmt::Write as _;

use super::quote;

/// One `key = value` with an optional explanation above it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// Comment lines (without the `; `).
    pub comment: Vec<String>,
    /// Option name.
    pub key: String,
    /// Value, verbatim.
    pub value: String,
}

/// A `[section]`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Section {
    /// Section name (`barman` or a server name).
    pub name: String,
    /// Comment lines above the header.
    pub comment: Vec<String>,
    /// Its options, in order.
    pub entries: Vec<Entry>,
}

impl Section {
    /// A new, empty section.
    pub fn new(name: &str) -> Self {
        Self {
            name: name.to_string(),
            ..Self::default()
        }
    }
    /// Add an option with an explanation (may be empty).
    pub fn set(&mut self, key: &str, value: impl Into<String>, why: &str) -> &mut Self {
        self.entries.push(Entry {
            comment: why
                .lines()
                .filter(|l| !l.is_empty())
                .map(str::to_string)
                .collect(),
            key: key.to_string(),
            value: value.into(),
        });
        self
    }
    /// Render with `;` comments on their own lines and every value quoted
    /// for `configparser` ([`quote::ini_value`]); a value with a line break
    /// cannot be written.
    pub fn render(&self) -> Result<String, quote::Unquotable> {
        let mut s = String::new();
        for c in &self.comment {
            let _ = writeln!(s, "; {}", one_line(c));
        }
        let _ = writeln!(s, "[{}]", self.name);
        for e in &self.entries {
            for c in &e.comment {
                let _ = writeln!(s, "; {}", one_line(c));
            }
            let _ = writeln!(s, "{} = {}", e.key, quote::ini_value(&e.value)?);
        }
        Ok(s)
    }
}

/// A comment line with any stray line break flattened, so it stays a comment.
fn one_line(c: &str) -> String {
    c.replace(['\n', '\r'], " ")
}

/// A parsed option, with its 1-based line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Parsed {
    /// Section it is in.
    pub section: String,
    /// Option name.
    pub key: String,
    /// Value as Barman would see it.
    pub value: String,
    /// Line number.
    pub line: usize,
}

/// Read a configuration file the way `configparser` does (enough for
/// linting): sections, `key = value` or `key: value`, full-line `;`/`#`
/// comments. Lines that are neither are returned as errors with their number.
pub fn parse(text: &str) -> (Vec<Parsed>, Vec<(usize, String)>) {
    let mut out = Vec::new();
    let mut bad = Vec::new();
    let mut section = String::new();
    for (i, raw) in text.lines().enumerate() {
        let line = raw.trim();
        if line.is_empty() || line.starts_with(';') || line.starts_with('#') {
            continue;
        }
        if let Some(name) = line.strip_prefix('[').and_then(|l| l.strip_suffix(']')) {
            section = name.trim().to_string();
            continue;
        }
        let split = line.find(['=', ':']);
        match split {
            Some(p) if !section.is_empty() => out.push(Parsed {
                section: section.clone(),
                key: line[..p].trim().to_ascii_lowercase(),
                value: line[p + 1..].trim().to_string(),
                line: i + 1,
            }),
            _ => bad.push((i + 1, raw.to_string())),
        }
    }
    (out, bad)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn comments_stay_on_their_own_lines_and_parse_back() {
        let mut s = Section::new("main");
        s.set(
            "compression",
            "gzip",
            "WAL compression\nsame on the passive node",
        );
        let text = s.render().unwrap();
        assert_eq!(
            text,
            "[main]\n; WAL compression\n; same on the passive node\ncompression = gzip\n"
        );
        let (parsed, bad) = parse(&text);
        assert!(bad.is_empty());
        assert_eq!(parsed.len(), 1);
        assert_eq!(parsed[0].value, "gzip");
        assert_eq!(parsed[0].line, 4);
    }

    #[test]
    fn junk_lines_are_reported() {
        let (_, bad) = parse("key = outside\n[s]\nnot an option\n");
        assert_eq!(bad.iter().map(|b| b.0).collect::<Vec<_>>(), vec![1, 3]);
    }
}
