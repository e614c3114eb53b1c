//! The top level of a scenario file, its defaults, costs, targets, simulation and drills.

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::Deserialize;

use super::cluster::RawCluster;
use super::infra::{RawFailureMode, RawHost, RawLink, RawMetro, RawRegion, RawSite};
use super::spanned::{Loose, Sp, Text};
use super::tiers::{RawBarman, RawCloud, RawPassive};

/// Failure modes of one kind of component.
#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawKindDefaults {
    /// Outage.
    #[serde(default)]
    pub outage: Option<RawFailureMode>,
    /// Destruction.
    #[serde(default)]
    pub destruction: Option<RawFailureMode>,
}

/// Failure rates that apply to every component of a kind unless it overrides them.
#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawDefaults {
    /// Regions.
    #[serde(default)]
    pub region: RawKindDefaults,
    /// Metro areas.
    #[serde(default)]
    pub metro: RawKindDefaults,
    /// Sites.
    #[serde(default)]
    pub site: RawKindDefaults,
    /// Racks.
    #[serde(default)]
    pub rack: RawKindDefaults,
    /// Hosts.
    #[serde(default)]
    pub host: RawKindDefaults,
    /// Links (outage only).
    #[serde(default)]
    pub link: RawKindDefaults,
    /// Cloud object storage.
    #[serde(default)]
    pub cloud: RawKindDefaults,
    /// One disk; `repair` is the rebuild time.
    #[serde(default)]
    pub disk: Option<RawFailureMode>,
}

/// Prices.
#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawCosts {
    /// ISO currency code (default EUR).
    #[serde(default)]
    pub currency: Option<Text>,
    /// Cost of an hour of downtime.
    #[serde(default)]
    pub downtime_per_hour: Option<Sp<f64>>,
    /// Cost of an hour of lost data.
    #[serde(default)]
    pub data_loss_per_hour: Option<Sp<f64>>,
    /// Fixed cost per incident.
    #[serde(default)]
    pub per_incident: Option<Sp<f64>>,
    /// Price per GiB-month by storage class.
    #[serde(default)]
    pub storage: BTreeMap<String, Sp<f64>>,
    /// Egress price per GiB.
    #[serde(default)]
    pub egress_per_gib: Option<Sp<f64>>,
    /// Cost of one restore drill.
    #[serde(default)]
    pub per_drill: Option<Sp<f64>>,
}

/// Targets.
#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawTargets {
    /// Recovery point objective, e.g. "5 min".
    #[serde(default)]
    pub rpo: Option<Text>,
    /// Recovery time objective, e.g. "1 h".
    #[serde(default)]
    pub rto: Option<Text>,
    /// Yearly availability, e.g. "99.95%".
    #[serde(default)]
    pub availability: Option<Text>,
    /// Highest acceptable P(any data loss) per year, e.g. "0.1%".
    #[serde(default)]
    pub data_loss_probability: Option<Text>,
}

/// Monte Carlo settings.
#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawSimulation {
    /// Length of one history (default "10 years").
    #[serde(default)]
    pub horizon: Option<Text>,
    /// Number of histories (default 100000).
    #[serde(default)]
    pub trials: Option<Sp<u64>>,
    /// Random seed (default 1).
    #[serde(default)]
    pub seed: Option<u64>,
}

/// Restore drills.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawDrills {
    /// How often, e.g. "30 days".
    pub every: Text,
    /// Recovery host (role recovery).
    pub host: Text,
    /// SQL that must return true on the restored cluster.
    #[serde(default)]
    pub check_query: Option<Text>,
    /// Other tiers to drill on their own schedule (a passive node, a
    /// bucket): `every` above drills the cluster's first Barman server.
    #[serde(default)]
    pub tiers: Vec<RawTierDrill>,
}

/// A drill of one more tier.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawTierDrill {
    /// Name of a passive node or a cloud tier.
    pub tier: Text,
    /// How often, e.g. "90 days".
    pub every: Text,
}

/// A drplan scenario: one disaster-recovery layout for PostgreSQL with Barman.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "DrplanScenario")]
pub struct RawScenario {
    /// Short name, safe as a file name.
    pub name: Text,
    /// What this layout is.
    #[serde(default)]
    pub description: Option<String>,
    /// Barman version the layout targets, e.g. "3.19" (default).
    #[serde(default)]
    pub barman_version: Option<Sp<Loose>>,
    /// Failure rates per kind of component (cite a source for each).
    #[serde(default)]
    pub defaults: RawDefaults,
    /// Regions.
    pub regions: Vec<RawRegion>,
    /// Metro areas.
    pub metros: Vec<RawMetro>,
    /// Datacenters.
    pub sites: Vec<RawSite>,
    /// Servers.
    pub hosts: Vec<RawHost>,
    /// Links between sites.
    #[serde(default)]
    pub links: Vec<RawLink>,
    /// PostgreSQL clusters.
    pub clusters: Vec<RawCluster>,
    /// Local Barman servers.
    #[serde(default)]
    pub barman: Vec<RawBarman>,
    /// Passive Barman nodes.
    #[serde(default)]
    pub passive: Vec<RawPassive>,
    /// barman-cloud tiers.
    #[serde(default)]
    pub cloud: Vec<RawCloud>,
    /// Prices.
    #[serde(default)]
    pub costs: RawCosts,
    /// Targets.
    #[serde(default)]
    pub targets: RawTargets,
    /// Monte Carlo settings.
    #[serde(default)]
    pub simulation: RawSimulation,
    /// Restore drills.
    #[serde(default)]
    pub drills: Option<RawDrills>,
}
