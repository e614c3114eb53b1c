//! Everything as JSON: `{"layouts": [...], "sensitivity": {...} | null}`.

use super::Exporter;
use crate::analysis::cost::Comparison;

/// JSON.
pub struct Json;

impl Exporter for Json {
    fn render(&self, cmp: &Comparison) -> String {
        let mut s =
            serde_json::to_string_pretty(cmp).unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"));
        s.push('\n');
        s
    }
}
