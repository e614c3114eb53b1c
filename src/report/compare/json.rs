//! Everything as JSON.

use super::Exporter;
use crate::analysis::cost::Candidate;

/// JSON.
pub struct Json;

impl Exporter for Json {
    fn render(&self, cands: &[Candidate]) -> String {
        let mut s = serde_json::to_string_pretty(cands)
            .unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"));
        s.push('\n');
        s
    }
}
