//! Reading scenario files: size and content checks, YAML parsing with
//! serde-saphyr (duplicate keys rejected, alias/size budget against YAML
//! bombs), then validation into a [`Scenario`].

use std::path::{Path, PathBuf};

use miette::NamedSource;
use serde_saphyr::{Budget, Options};

use super::Scenario;
use super::diagnostics::{LoadError, Problem};
use super::raw::RawScenario;
use super::validate::{scan_secrets, validate};

/// Largest scenario file accepted.
pub const MAX_FILE_BYTES: usize = 32 << 20;

/// Load and validate one scenario file.
pub fn load_file(path: &Path) -> Result<Scenario, LoadError> {
    load_file_with_text(path).map(|(s, _)| s)
}

/// Load and validate a scenario file, reading it once; also return its text
/// (for what the report quotes from its comments).
pub fn load_file_with_text(path: &Path) -> Result<(Scenario, String), LoadError> {
    let bytes = std::fs::read(path).map_err(|source| LoadError::Io {
        path: path.to_owned(),
        source,
    })?;
    let s = load_bytes(&bytes, path)?;
    Ok((s, String::from_utf8_lossy(&bytes).into_owned()))
}

/// Load and validate scenario text; `path` names it in messages.
pub fn load_str(src: &str, path: &Path) -> Result<Scenario, LoadError> {
    load_bytes(src.as_bytes(), path)
}

/// The scenario files of a directory (`*.yaml`, `*.yml`, sorted), or the path itself.
pub fn scenario_paths(path: &Path) -> Result<Vec<PathBuf>, LoadError> {
    if !path.is_dir() {
        return Ok(vec![path.to_owned()]);
    }
    let io = |source| LoadError::Io {
        path: path.to_owned(),
        source,
    };
    let mut out = Vec::new();
    for entry in std::fs::read_dir(path).map_err(io)? {
        let p = entry.map_err(io)?.path();
        let yaml = p.extension().is_some_and(|e| e == "yaml" || e == "yml");
        if yaml && p.is_file() {
            out.push(p);
        }
    }
    out.sort();
    Ok(out)
}

fn invalid(path: &Path, text: String, problems: Vec<Problem>) -> LoadError {
    let name = path.display().to_string();
    LoadError::Invalid {
        src: NamedSource::new(name.clone(), text),
        name,
        problems,
    }
}

fn load_bytes(bytes: &[u8], path: &Path) -> Result<Scenario, LoadError> {
    if bytes.len() > MAX_FILE_BYTES {
        let p = Problem::at(
            None,
            format!(
                "the file is {} bytes, more than the {} a scenario may have",
                bytes.len(),
                MAX_FILE_BYTES
            ),
            "",
            "even a 10 000-host scenario is a few MiB of YAML; is this the right file?",
        );
        return Err(invalid(path, String::new(), vec![p]));
    }
    let text = match std::str::from_utf8(bytes) {
        Ok(t) if !t.contains('\0') => t.to_owned(),
        Ok(t) => {
            let at = t.find('\0').unwrap_or(0);
            return Err(binary(path, &t[..at], at));
        }
        Err(e) => {
            let good = String::from_utf8_lossy(&bytes[..e.valid_up_to()]).into_owned();
            let at = good.len();
            return Err(binary(path, &good, at));
        }
    };
    if text
        .trim()
        .lines()
        .all(|l| l.trim().is_empty() || l.trim_start().starts_with('#'))
    {
        let p = Problem::at(
            Some((0, 0)),
            "the file is empty",
            "no YAML here",
            "start from `drplan init --layout same-dc my-layout` or a file in scenarios/",
        );
        return Err(invalid(path, text, vec![p]));
    }
    let raw: RawScenario = match serde_saphyr::from_str_with_options(&text, options()) {
        Ok(r) => r,
        Err(e) => {
            let p = syntax_problem(&e, &text);
            return Err(invalid(path, text, vec![p]));
        }
    };
    let secrets = scan_secrets(&text);
    let problems = match validate(raw, path) {
        Ok(s) if secrets.is_empty() => return Ok(s),
        Ok(_) => Vec::new(),
        Err(p) => p,
    };
    Err(invalid(path, text, with_secrets(problems, secrets)))
}

/// Add the line-level secret findings that no value-level check already
/// reported at the same place, keeping the problems in file order.
fn with_secrets(mut problems: Vec<Problem>, secrets: Vec<Problem>) -> Vec<Problem> {
    let overlaps = |a: &Problem, b: &Problem| match (a.span, b.span) {
        (Some(x), Some(y)) => {
            x.offset() < y.offset() + y.len().max(1) && y.offset() < x.offset() + x.len().max(1)
        }
        _ => false,
    };
    let fresh: Vec<Problem> = secrets
        .into_iter()
        .filter(|s| !problems.iter().any(|p| overlaps(p, s)))
        .collect();
    problems.extend(fresh);
    problems.sort_by_key(|p| p.span.map_or(usize::MAX, |s| s.offset()));
    problems
}

fn binary(path: &Path, good_prefix: &str, at: usize) -> LoadError {
    let p = Problem::at(
        Some((at, 0)),
        "the file is not UTF-8 text (binary data found)",
        "binary data starts here",
        "a scenario is a YAML text file; check that you passed the right path",
    );
    invalid(path, good_prefix.to_owned(), vec![p])
}

fn options() -> Options {
    let mut budget = Budget::default();
    // Large enough for a 10 000-host scenario; aliases stay tightly limited (YAML bombs).
    budget.max_events = 5_000_000;
    budget.max_aliases = 1_000;
    budget.max_anchors = 1_000;
    budget.max_depth = 32;
    budget.max_nodes = 2_000_000;
    let mut options = Options::default();
    options.budget = Some(budget);
    options
}

/// Turn a serde-saphyr error into a problem with a location and a hint.
fn syntax_problem(e: &serde_saphyr::Error, text: &str) -> Problem {
    let rendered = e.without_snippet().to_string();
    let message = rendered
        .lines()
        .next()
        .unwrap_or("invalid YAML")
        .trim()
        .to_owned();
    let message = strip_location_suffix(&message);
    let message = match message.split_once(", set DuplicateKeyPolicy") {
        Some((head, _)) => head.to_owned(),
        None => message,
    };
    let span = e.location().and_then(|loc| {
        let s = loc.span();
        match (s.byte_offset(), s.byte_len()) {
            (Some(o), Some(l)) if loc.line() > 0 => Some((o as usize, l as usize)),
            _ => line_col_offset(text, loc.line(), loc.column()).map(|o| (o, 0)),
        }
    });
    let message = describe_type(message);
    let lower = message.to_ascii_lowercase();
    let help = if lower.contains("unknown field") {
        "check the spelling; `drplan schema` prints every accepted key"
    } else if lower.contains("duplicate") {
        "a key may appear only once in a mapping: remove or merge the repeated one"
    } else if lower.contains("missing field") {
        "add the missing key; `drplan init` writes a complete example"
    } else if lower.contains("budget") || lower.contains("alias") || lower.contains("depth") {
        "the document is too large, too deep or uses too many aliases (a YAML bomb?)"
    } else if lower.contains("invalid type") || lower.starts_with("wrong type") {
        "this value has the wrong type; see `drplan schema` for what each key takes"
    } else {
        "fix the YAML syntax at this position"
    };
    Problem::at(span, message, "here", help)
}

/// serde names Rust types ("invalid u16"); say what the user must write instead.
fn describe_type(message: String) -> String {
    let wanted = match message.trim() {
        "invalid u8" | "invalid u16" => "a whole number from 0 to 65535",
        "invalid u32" | "invalid u64" | "invalid usize" => "a whole number (no unit, no quotes)",
        "invalid f32" | "invalid f64" => "a number (no unit, no quotes)",
        "invalid bool" => "true or false",
        _ => return message,
    };
    format!("wrong type: expected {wanted}")
}

fn strip_location_suffix(m: &str) -> String {
    match m.rfind(" at line ") {
        Some(i) => m[..i].to_owned(),
        None => m.to_owned(),
    }
}

fn line_col_offset(text: &str, line: u64, col: u64) -> Option<usize> {
    if line == 0 {
        return None;
    }
    let start: usize = text
        .split_inclusive('\n')
        .take((line - 1) as usize)
        .map(str::len)
        .sum();
    let line_text = text[start..].lines().next().unwrap_or("");
    let col_bytes: usize = line_text
        .chars()
        .take(col.saturating_sub(1) as usize)
        .map(char::len_utf8)
        .sum();
    Some((start + col_bytes).min(text.len()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn alias_budget_stops_a_billion_laughs() {
        // Parsed into a generic value, so nothing but the budget can stop it.
        let mut bomb = String::from(
            "a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n",
        );
        let mut prev = 'a';
        for n in "bcdefghij".chars() {
            let refs = vec![format!("*{prev}"); 10].join(",");
            bomb.push_str(&format!("{n}: &{n} [{refs}]\n"));
            prev = n;
        }
        let started = std::time::Instant::now();
        let r: Result<serde_json::Value, _> = serde_saphyr::from_str_with_options(&bomb, options());
        let err = r.expect_err("10^10 strings must not be expanded");
        let p = syntax_problem(&err, &bomb);
        assert!(p.span.is_some(), "the budget error has a location: {p:?}");
        assert!(
            started.elapsed() < std::time::Duration::from_secs(5),
            "rejected early, not after expanding"
        );
    }

    #[test]
    fn line_col_offsets_count_characters() {
        let text = "ab\nçd: x\n";
        assert_eq!(line_col_offset(text, 2, 1), Some(3));
        assert_eq!(line_col_offset(text, 2, 2), Some(5), "ç is two bytes");
    }
}
