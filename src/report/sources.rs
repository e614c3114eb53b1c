//! Where failure rates come from: the comments the scenario author wrote
//! above each failure mode (the model keeps numbers, not prose). A small
//! indentation-based scan of the YAML text: comments attach to the key that
//! follows them, and a block's sources are the comments of its keys.

use std::collections::BTreeMap;

/// Comments of a scenario file keyed by the path of the key they precede,
/// list items flattened (`clusters/logical_corruption`).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SourceNotes {
    notes: BTreeMap<Vec<String>, Vec<String>>,
}

impl SourceNotes {
    /// Scan YAML text.
    pub fn scan(text: &str) -> Self {
        let mut notes: BTreeMap<Vec<String>, Vec<String>> = BTreeMap::new();
        let mut stack: Vec<(usize, String)> = Vec::new();
        let mut pending: Vec<String> = Vec::new();
        for line in text.lines() {
            let trimmed = line.trim_start();
            if trimmed.is_empty() {
                continue;
            }
            if let Some(c) = trimmed.strip_prefix('#') {
                pending.push(c.trim().to_string());
                continue;
            }
            let mut indent = line.len() - trimmed.len();
            let mut body = trimmed;
            if let Some(rest) = body.strip_prefix("- ") {
                indent += 2;
                body = rest.trim_start();
            }
            let Some((key, _)) = body.split_once(':') else {
                pending.clear();
                continue;
            };
            if key.contains(' ') || key.starts_with('{') || key.starts_with('"') {
                pending.clear();
                continue;
            }
            while stack.last().is_some_and(|(i, _)| *i >= indent) {
                stack.pop();
            }
            stack.push((indent, key.to_string()));
            if !pending.is_empty() {
                let path: Vec<String> = stack.iter().map(|(_, k)| k.clone()).collect();
                notes.entry(path).or_default().append(&mut pending);
            }
        }
        Self { notes }
    }

    /// The comments on a key and everything under it, joined into one text.
    pub fn under(&self, path: &[&str]) -> Option<String> {
        let lines: Vec<&str> = self
            .notes
            .iter()
            .filter(|(p, _)| p.len() >= path.len() && p.iter().zip(path).all(|(a, b)| a == b))
            .flat_map(|(_, v)| v.iter().map(String::as_str))
            .collect();
        (!lines.is_empty()).then(|| lines.join(" "))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const YAML: &str = "\
defaults:
  site:
    outage:
      # Uptime Institute 2023.
      rate: \"AFR 31%\"
      repair: \"8 h\"
    destruction:
      # Planning assumption:
      # one in 200 years.
      rate: \"1 per 200 years\"
clusters:
  - name: main
    logical_corruption:
      # Operator error every two years.
      rate: \"1 per 2 years\"
";

    #[test]
    fn comments_attach_to_the_block_they_precede() {
        let n = SourceNotes::scan(YAML);
        assert_eq!(
            n.under(&["defaults", "site", "outage"]).as_deref(),
            Some("Uptime Institute 2023.")
        );
        assert_eq!(
            n.under(&["defaults", "site", "destruction"]).as_deref(),
            Some("Planning assumption: one in 200 years.")
        );
        assert_eq!(
            n.under(&["clusters", "logical_corruption"]).as_deref(),
            Some("Operator error every two years.")
        );
        assert_eq!(n.under(&["defaults", "host"]), None);
    }
}
