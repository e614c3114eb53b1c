//! Single points of failure, minimal cut sets and importance measures.
//!
//! Each cluster is asked three questions kept apart — service, data, logical
//! corruption ([`build`]) — each a system of path sets ([`structure`]). Minimal
//! cut sets up to an order ([`cutsets`]) name the combinations of losses that
//! defeat it; importance measures ([`importance`]) rank what to harden first.
//! The inter-site network is checked for articulation sites and bridge links
//! ([`network`]). Probabilities come from [`probability`].

pub mod build;
pub mod cutsets;
pub mod gates;
pub mod ha;
pub mod importance;
pub mod network;
pub mod probability;
pub mod structure;

use std::collections::HashSet;

use petgraph::stable_graph::NodeIndex;

pub use build::Question;
pub use importance::Importance;
pub use network::NetworkFindings;
pub use structure::Structure;

use crate::analysis::topology::Topology;
use crate::model::{ClusterId, Scenario};

/// One minimal cut set, explained.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct CutSet {
    /// The components that fail together.
    pub components: Vec<String>,
    /// Product of their probabilities (independent failures).
    pub probability: f64,
    /// In words: what losing them loses.
    pub explanation: String,
}

/// The answer to one question for one cluster.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Finding {
    /// The cluster.
    pub cluster: String,
    /// The question.
    pub question: Question,
    /// What the probabilities mean.
    pub measure: &'static str,
    /// The ways the system can work.
    pub paths: Vec<String>,
    /// Copies left out because their own RPO exceeds the target.
    pub excluded: Vec<String>,
    /// Minimal cut sets up to the order asked, by order then probability.
    pub cut_sets: Vec<CutSet>,
    /// Probability that the question's answer is "no" (exact).
    pub failure_probability: f64,
    /// Components ranked by importance.
    pub importance: Vec<Importance>,
    /// What to change, in words (e.g. where to put a DCS member).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub hints: Vec<String>,
    /// Topology nodes of single points of failure (order-1 cut sets).
    #[serde(skip)]
    pub spof_nodes: Vec<NodeIndex>,
}

impl Finding {
    /// The single points of failure (cut sets of one component).
    pub fn spofs(&self) -> impl Iterator<Item = &CutSet> {
        self.cut_sets.iter().filter(|c| c.components.len() == 1)
    }
}

/// Everything `drplan spof` reports for a scenario.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct SpofReport {
    /// Scenario name.
    pub scenario: String,
    /// Largest cut-set order searched.
    pub max_order: usize,
    /// One finding per cluster and question.
    pub findings: Vec<Finding>,
    /// The inter-site network.
    pub network: NetworkFindings,
}

impl SpofReport {
    /// Topology nodes to highlight: single points of failure for service or data.
    pub fn highlight(&self) -> HashSet<NodeIndex> {
        self.findings
            .iter()
            .flat_map(|f| f.spof_nodes.iter().copied())
            .collect()
    }
    /// True when some cluster's data has a single point of failure.
    pub fn has_data_spof(&self) -> bool {
        self.findings
            .iter()
            .any(|f| f.question == Question::Data && f.spofs().next().is_some())
    }
}

fn explain(built: &build::Built, cut: &[usize]) -> String {
    let s = &built.structure;
    let names: Vec<&str> = cut.iter().map(|&e| s.events[e].label.as_str()).collect();
    if let Some(q) = &built.quorum
        && let Some(words) = ha::explain(built.question, q, &join_and(&names), cut)
    {
        return words;
    }
    let mut lost: Vec<&str> = Vec::new();
    for p in s
        .paths
        .iter()
        .filter(|p| p.events.iter().any(|e| cut.contains(e)))
    {
        if !lost.contains(&p.label.as_str()) {
            lost.push(&p.label);
        }
    }
    let what = if s.paths.len() == 1 {
        "the only one there is"
    } else {
        "every one there is"
    };
    format!(
        "losing {} takes {} — {what}",
        join_and(&names),
        join_and(&lost)
    )
}

fn join_and(items: &[&str]) -> String {
    match items {
        [] => String::new(),
        [one] => (*one).to_owned(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

/// Analyse one question of one cluster.
pub fn analyse_question(
    s: &Scenario,
    t: &Topology,
    c: ClusterId,
    q: Question,
    max_order: usize,
) -> Finding {
    let built = build::build(s, t, c, q);
    let st = &built.structure;
    let cuts = cutsets::minimal_cut_sets(st, max_order);
    let mut cut_sets: Vec<CutSet> = cuts
        .iter()
        .map(|cut| CutSet {
            components: cut.iter().map(|&e| st.events[e].label.clone()).collect(),
            probability: cut.iter().map(|&e| st.events[e].q).product(),
            explanation: explain(&built, cut),
        })
        .collect();
    cut_sets.sort_by(|a, b| {
        a.components
            .len()
            .cmp(&b.components.len())
            .then(b.probability.total_cmp(&a.probability))
    });
    let spof_nodes = cuts
        .iter()
        .filter(|c| c.len() == 1)
        .map(|c| built.nodes[c[0]])
        .collect();
    let mut paths: Vec<String> = Vec::new();
    for p in &st.paths {
        if !paths.contains(&p.label) {
            paths.push(p.label.clone());
        }
    }
    let hints = match q {
        Question::AutomaticFailover => built
            .quorum
            .as_ref()
            .and_then(ha::hint)
            .into_iter()
            .collect(),
        Question::Service | Question::Data | Question::LogicalCorruption => Vec::new(),
    };
    Finding {
        cluster: s.clusters[c.0].name.clone(),
        question: q,
        measure: q.measure(),
        paths,
        excluded: built.excluded.clone(),
        cut_sets,
        failure_probability: st.unavailability(),
        importance: importance::importance(st),
        hints,
        spof_nodes,
    }
}

/// Analyse every cluster of a scenario.
pub fn analyse(s: &Scenario, t: &Topology, max_order: usize) -> SpofReport {
    let findings = (0..s.clusters.len())
        .flat_map(|c| {
            let dcs = s.clusters[c].ha.as_ref().is_some_and(|h| !h.dcs.is_empty());
            [
                Question::Service,
                Question::AutomaticFailover,
                Question::Data,
                Question::LogicalCorruption,
            ]
            .into_iter()
            .filter(move |&q| dcs || q != Question::AutomaticFailover)
            .map(move |q| analyse_question(s, t, ClusterId(c), q, max_order))
        })
        .collect();
    SpofReport {
        scenario: s.name.clone(),
        max_order,
        findings,
        network: network::network_findings(s),
    }
}
