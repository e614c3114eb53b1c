//! The validation context: collects problems, parses unit strings at their
//! span, checks names and resolves references with "did you mean" hints.

use std::collections::HashMap;

use super::super::diagnostics::Problem;
use super::super::raw::{Sp, Text};
use super::super::units::UnitError;

/// Collects problems while the raw scenario is turned into the typed one.
#[derive(Default)]
pub(crate) struct Ctx {
    /// Everything found so far.
    pub problems: Vec<Problem>,
    /// Every name declared so far, with its kind, for global uniqueness.
    names: HashMap<String, &'static str>,
    /// Hosts whose role could not be parsed: role checks on them would only repeat that problem.
    pub unknown_role: std::collections::HashSet<usize>,
}

/// Names of one kind, for resolving references.
#[derive(Default)]
pub(crate) struct Names {
    kind: &'static str,
    index: HashMap<String, usize>,
    order: Vec<String>,
}

impl Names {
    pub fn new(kind: &'static str) -> Self {
        Self {
            kind,
            ..Self::default()
        }
    }
    /// How many names were inserted.
    pub fn len(&self) -> usize {
        self.order.len()
    }
    pub fn insert(&mut self, name: &str) {
        let i = self.order.len();
        self.index.entry(name.to_owned()).or_insert(i);
        self.order.push(name.to_owned());
    }
}

impl Ctx {
    /// Record a problem at a value.
    pub fn err<T>(&mut self, at: &Sp<T>, message: impl Into<String>, help: impl Into<String>) {
        self.err_label(at, message, "", help);
    }

    /// Record a problem with a label under the snippet.
    pub fn err_label<T>(
        &mut self,
        at: &Sp<T>,
        message: impl Into<String>,
        label: impl Into<String>,
        help: impl Into<String>,
    ) {
        let label: String = label.into();
        let label = if label.is_empty() {
            "here".to_owned()
        } else {
            label
        };
        self.problems
            .push(Problem::at(at.span, message, label, help));
    }

    /// Parse a unit string; on failure record it and return `None`.
    pub fn parse<T>(
        &mut self,
        t: &Text,
        what: &str,
        f: fn(&str) -> Result<T, UnitError>,
    ) -> Option<T> {
        match f(t.as_str()) {
            Ok(v) => Some(v),
            Err(UnitError { message, hint }) => {
                self.err_label(
                    t,
                    format!("bad {what}: {message}"),
                    format!("expected a {what}"),
                    hint,
                );
                None
            }
        }
    }

    /// Parse an optional unit string, falling back to `default` when absent or bad.
    pub fn parse_or<T>(
        &mut self,
        t: &Option<Text>,
        what: &str,
        f: fn(&str) -> Result<T, UnitError>,
        default: T,
    ) -> T {
        match t {
            Some(t) => self.parse(t, what, f).unwrap_or(default),
            None => default,
        }
    }

    /// Check that a name is safe as a file name and unique across the scenario.
    pub fn declare(&mut self, t: &Text, kind: &'static str) -> String {
        let name = t.as_str();
        let safe = !name.is_empty()
            && name.len() <= 63
            && name != "."
            && name != ".."
            && !name.contains("..")
            && name
                .chars()
                .next()
                .is_some_and(|c| c.is_ascii_alphanumeric())
            && name
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'));
        if !safe {
            self.err_label(
                t,
                format!("the {kind} name `{name}` is not safe as a file name"),
                "unsafe name",
                "names become file and Barman server names: use 1–63 letters, digits, `-`, `_`, `.`, starting with a letter or digit, without `/` or `..`",
            );
        }
        if let Some(other) = self.names.get(name) {
            let other = *other;
            self.err_label(
                t,
                format!("the name `{name}` is used twice (already a {other})"),
                "duplicate name",
                "every site, rack, host, link, cluster and tier needs its own name",
            );
        } else {
            self.names.insert(name.to_owned(), kind);
        }
        name.to_owned()
    }

    /// Resolve a reference to a declared name of one kind.
    pub fn resolve(&mut self, names: &Names, t: &Text, from: &str) -> Option<usize> {
        if let Some(&i) = names.index.get(t.as_str()) {
            return Some(i);
        }
        let kind = names.kind;
        let help = match closest(t.as_str(), &names.order) {
            Some(c) => format!("did you mean `{c}`?"),
            None if names.order.is_empty() => format!("the scenario declares no {kind}"),
            None => format!("known {kind}s: {}", names.order.join(", ")),
        };
        self.err_label(
            t,
            format!(
                "{from} refers to {kind} `{}`, which is not declared",
                t.as_str()
            ),
            format!("unknown {kind}"),
            help,
        );
        None
    }

    /// Reject values that carry a password: secrets belong in `.pgpass` or the environment.
    pub fn no_secret(&mut self, t: &Text, what: &str) {
        let lower = t.as_str().to_ascii_lowercase();
        let url_credentials = lower.split_once("://").is_some_and(|(_, rest)| {
            rest.split('/')
                .next()
                .is_some_and(|auth| auth.contains(':') && auth.contains('@'))
        });
        if lower.contains("password") || lower.contains("secret") || url_credentials {
            self.err_label(
                t,
                format!("the {what} seems to contain a password or secret"),
                "inline secret",
                "never put secrets in a scenario: drplan's exported config reads passwords from ~/.pgpass and cloud credentials from the environment or an instance role",
            );
        }
    }
}

/// The declared name closest to `wanted`, if close enough to be a typo.
fn closest<'a>(wanted: &str, names: &'a [String]) -> Option<&'a str> {
    names
        .iter()
        .map(|n| (strsim::levenshtein(wanted, n), n))
        .filter(|(d, n)| *d <= 2.max(n.len() / 4))
        .min_by_key(|(d, _)| *d)
        .map(|(_, n)| n.as_str())
}
