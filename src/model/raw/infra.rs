//! Raw regions, metros, sites, racks, hosts, disks, links and failure modes.

use schemars::JsonSchema;
use serde::Deserialize;

use super::spanned::{Sp, Text};

/// One failure mode: how often, and how long until it is back.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawFailureMode {
    /// "MTBF 5 years", "AFR 1.5%", "0.2/yr", "1 per 10 years" or "never".
    pub rate: Text,
    /// Mean time to repair / replace / rebuild, e.g. "4 h".
    #[serde(default)]
    pub repair: Option<Text>,
    /// Lifetime distribution: "exponential" (default), "weibull 0.7" (shape).
    #[serde(default)]
    pub distribution: Option<Text>,
    /// Repair-time distribution: "exponential" (default), "lognormal 0.8" (sigma), "fixed".
    #[serde(default)]
    pub repair_distribution: Option<Text>,
}

/// A geographic region.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawRegion {
    /// Unique name.
    pub name: Text,
    /// Region-wide outage (overrides `defaults.region.outage`).
    #[serde(default)]
    pub outage: Option<RawFailureMode>,
    /// Region-wide destruction.
    #[serde(default)]
    pub destruction: Option<RawFailureMode>,
}

/// A metro area.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawMetro {
    /// Unique name.
    pub name: Text,
    /// Region it lies in.
    pub region: Text,
    /// Metro-wide outage.
    #[serde(default)]
    pub outage: Option<RawFailureMode>,
    /// Metro-wide destruction.
    #[serde(default)]
    pub destruction: Option<RawFailureMode>,
}

/// A rack / power domain.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawRack {
    /// Unique name.
    pub name: Text,
    /// Rack outage (PDU, top-of-rack switch).
    #[serde(default)]
    pub outage: Option<RawFailureMode>,
    /// Rack destruction.
    #[serde(default)]
    pub destruction: Option<RawFailureMode>,
}

/// A datacenter.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawSite {
    /// Unique name.
    pub name: Text,
    /// Metro area it lies in.
    pub metro: Text,
    /// Racks / power domains.
    #[serde(default)]
    pub racks: Vec<RawRack>,
    /// Site outage.
    #[serde(default)]
    pub outage: Option<RawFailureMode>,
    /// Site destruction.
    #[serde(default)]
    pub destruction: Option<RawFailureMode>,
}

/// Data disks of a host.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawDisks {
    /// Number of disks.
    pub count: Sp<u32>,
    /// Size of each disk, e.g. "3.84 TB".
    pub size: Text,
    /// hdd, ssd or cloud-volume.
    #[serde(default)]
    pub kind: Option<Text>,
    /// none, raid1, raid5, raid6, raid10.
    #[serde(default)]
    pub raid: Option<Text>,
    /// Failure of one disk (overrides `defaults.disk`); `repair` is the rebuild time.
    #[serde(default)]
    pub failure: Option<RawFailureMode>,
}

/// A server.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawHost {
    /// Unique name.
    pub name: Text,
    /// DNS name or address for exported configuration (default: the name).
    #[serde(default)]
    pub address: Option<Text>,
    /// Site it stands in.
    pub site: Text,
    /// Rack of that site.
    #[serde(default)]
    pub rack: Option<Text>,
    /// primary, standby, barman, barman-passive or recovery.
    pub role: Text,
    /// Host outage (overrides `defaults.host.outage`).
    #[serde(default)]
    pub outage: Option<RawFailureMode>,
    /// Host destruction.
    #[serde(default)]
    pub destruction: Option<RawFailureMode>,
    /// Data disks.
    #[serde(default)]
    pub disks: Option<RawDisks>,
    /// Running cost per month.
    #[serde(default)]
    pub cost_per_month: Option<Sp<f64>>,
}

/// A network link between two sites.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawLink {
    /// Unique name.
    pub name: Text,
    /// The two sites it joins.
    pub between: Sp<Vec<Text>>,
    /// Usable bandwidth, e.g. "10 Gbit/s".
    pub bandwidth: Text,
    /// One-way latency, e.g. "2 ms".
    #[serde(default)]
    pub latency: Option<Text>,
    /// Link cuts (overrides `defaults.link.outage`).
    #[serde(default)]
    pub outage: Option<RawFailureMode>,
    /// Cost per month.
    #[serde(default)]
    pub cost_per_month: Option<Sp<f64>>,
}
