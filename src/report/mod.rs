//! Renderers: turn the model and analysis results into text for people and
//! tools. A renderer never recomputes an analysis.

pub mod disk_table;
pub mod graph;
pub mod simulate_table;
pub mod spof_table;
