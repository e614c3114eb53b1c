//! Net benefit of each backup tier: what a passive node or a cloud tier costs
//! per year against the expected annual loss it avoids. The baseline is the
//! same scenario with that one tier removed (and the host of a passive node,
//! when nothing else runs on it); both are simulated with the same seed and
//! trial count, so the difference is not blurred by independent noise.
//!
//! Links stay in the baseline: they also carry replication and other tiers.
//! Not here: the local Barman server, which every layout needs to back up.

use super::{Candidate, assess};
use crate::analysis::montecarlo::SimOptions;
use crate::model::{Scenario, TierRef};

/// Whether a tier is worth its price.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum TierVerdict {
    /// It avoids more expected loss than it costs.
    PaysForItself,
    /// It costs more than the expected loss it avoids.
    CostsMoreThanItSaves,
    /// The difference is within the simulation's noise (95 % intervals).
    Inconclusive,
}

impl TierVerdict {
    /// In words.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::PaysForItself => "pays for itself",
            Self::CostsMoreThanItSaves => "costs more than it saves",
            Self::Inconclusive => "within the noise",
        }
    }
}

/// What one tier costs and buys, per year.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct TierBenefit {
    /// Tier name.
    pub tier: String,
    /// "passive node" or "cloud".
    pub kind: &'static str,
    /// Cost it adds: the layout's yearly cost with it minus without it.
    pub cost_per_year: f64,
    /// Expected annual loss without the tier minus with it.
    pub loss_avoided: f64,
    /// Half-width of the 95 % interval of `loss_avoided` (sum of both half-widths, conservative).
    pub loss_avoided_margin: f64,
    /// Loss avoided minus cost.
    pub net_benefit: f64,
    /// Years of avoided loss that pay one year of the tier (cost / loss avoided);
    /// `None` when it avoids no loss. Below 1: it pays for itself.
    pub payback_years: Option<f64>,
    /// Verdict.
    pub verdict: TierVerdict,
    /// TCO of the baseline (the layout without this tier).
    pub baseline_tco: f64,
}

/// Weigh one tier: `with` is the full layout's candidate, `without` the baseline's.
pub fn weigh(tier: &str, kind: &'static str, with: &Candidate, without: &Candidate) -> TierBenefit {
    let cost = with.cost.total - without.cost.total;
    let avoided = without.loss.total.value - with.loss.total.value;
    let margin = with.loss.total.half_width() + without.loss.total.half_width();
    let net = avoided - cost;
    let verdict = if net.abs() <= margin {
        TierVerdict::Inconclusive
    } else if net > 0.0 {
        TierVerdict::PaysForItself
    } else {
        TierVerdict::CostsMoreThanItSaves
    };
    TierBenefit {
        tier: tier.to_string(),
        kind,
        cost_per_year: cost,
        loss_avoided: avoided,
        loss_avoided_margin: margin,
        net_benefit: net,
        payback_years: (avoided > 0.0).then(|| cost.max(0.0) / avoided),
        verdict,
        baseline_tco: without.tco.value,
    }
}

/// Net benefit of every passive node and cloud tier of `s`, against `full`
/// (the candidate of `s` itself, simulated with `o`).
pub fn tier_benefits(s: &Scenario, full: &Candidate, o: &SimOptions) -> Vec<TierBenefit> {
    let mut out = Vec::new();
    for t in s.tiers() {
        let kind = match t {
            TierRef::Barman(_) => continue,
            TierRef::Passive(_) => "passive node",
            TierRef::Cloud(_) => "cloud",
        };
        if let Some(base) = s.without_tier(t).and_then(|b| assess(&b, o)) {
            out.push(weigh(s.tier_name(t), kind, full, &base));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::load_file;
    use std::path::Path;

    #[test]
    fn removing_a_passive_node_removes_its_host_and_renumbers() {
        let s = load_file(Path::new("scenarios/metro.yaml")).expect("metro loads");
        let b = s
            .without_tier(TierRef::Passive(crate::model::PassiveId(0)))
            .expect("a passive node can be removed");
        assert!(b.passive_nodes.is_empty());
        assert_eq!(b.hosts.len(), s.hosts.len() - 1);
        assert!(b.hosts.iter().all(|h| h.name != "backup-2"));
        // drill-1 came after backup-2: its id moved down by one and still names it.
        let drill = b.drills.as_ref().expect("drills");
        assert_eq!(b.hosts[drill.host.0].name, "drill-1");
        assert_eq!(b.hosts[b.clusters[0].primary.0].name, "pg-1");
        assert_eq!(b.hosts[b.barman_servers[0].host.0].name, "backup-1");
    }

    #[test]
    fn a_tier_that_avoids_more_than_it_costs_pays_for_itself() {
        let mut with = super::super::tests::cand("with", 1_000.0, 100.0, true);
        let mut without = super::super::tests::cand("without", 400.0, 5_100.0, true);
        with.tco.value = 1_100.0;
        without.tco.value = 5_500.0;
        let b = weigh("t", "cloud", &with, &without);
        assert_eq!(b.cost_per_year, 600.0);
        assert_eq!(b.loss_avoided, 5_000.0);
        assert_eq!(b.net_benefit, 4_400.0);
        assert_eq!(b.payback_years, Some(600.0 / 5_000.0));
        assert_eq!(b.verdict, TierVerdict::PaysForItself);
        let b = weigh("t", "cloud", &without, &with);
        assert_eq!(b.payback_years, None, "it avoids no loss");
        assert_eq!(b.verdict, TierVerdict::CostsMoreThanItSaves);
    }
}
