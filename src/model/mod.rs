//! The scenario model: what the user wrote ([`raw`], serde), checked and
//! resolved once ([`validate`]) into typed, cross-referenced structures that
//! every analysis reads ([`Scenario`]). Units are parsed here and nowhere else.
//!
//! Not here: any computation on the model (see `analysis`), any formatting.

pub mod catalogue;
pub mod compression;
pub mod diagnostics;
pub mod economics;
pub mod edit;
pub mod failure;
pub mod ha;
pub mod ids;
pub mod infra;
pub mod load;
pub mod postgres;
pub mod raw;
pub mod retention;
pub mod schedule;
pub mod tiers;
pub mod units;
pub mod validate;

use std::path::PathBuf;

pub use catalogue::{Chain, FailureClass, TargetKind, TierRef};
pub use compression::Compression;
pub use diagnostics::{LoadError, Problem};
pub use economics::{Costs, Drills, Simulation, Targets, TierDrill};
pub use failure::{Distribution, FailureMode, Failures};
pub use ha::{Ha, HaManager, PatroniTimings, SyncMethod, SyncRule};
pub use ids::{
    BarmanId, CloudId, ClusterId, HostId, LinkId, MetroId, PassiveId, RackId, RegionId, SiteId,
};
pub use infra::{DiskKind, Disks, Host, HostRole, Link, Metro, Rack, Raid, Region, Site};
pub use load::{load_file, load_file_with_text, load_str, scenario_paths};
pub use postgres::{
    Cluster, DEFAULT_FAILOVER_SECS, DEFAULT_REPOINT_SECS, ReplicationMode, Standby,
};
pub use retention::{RetentionPolicy, WindowUnit};
pub use schedule::{Schedule, TimeOfDay, Weekday};
pub use tiers::{
    BackupMethod, BarmanServer, CloudCompression, CloudProvider, CloudTier, CloudVia, PassiveNode,
    ReuseBackup, WalArchiving,
};
pub use units::{ByteRate, Bytes, Duration, Probability, Rate};
pub use validate::is_hostname;

/// A validated DR layout: every reference resolved, every unit typed.
#[derive(Debug, Clone, PartialEq)]
pub struct Scenario {
    /// Short name (safe as a file name).
    pub name: String,
    /// Free text.
    pub description: Option<String>,
    /// File it was loaded from.
    pub source: PathBuf,
    /// Barman version the layout targets (major, minor).
    pub barman_version: (u32, u32),
    /// Geographic regions.
    pub regions: Vec<Region>,
    /// Metro areas.
    pub metros: Vec<Metro>,
    /// Datacenters.
    pub sites: Vec<Site>,
    /// Servers.
    pub hosts: Vec<Host>,
    /// Inter-site links.
    pub links: Vec<Link>,
    /// PostgreSQL clusters.
    pub clusters: Vec<Cluster>,
    /// Local Barman servers.
    pub barman_servers: Vec<BarmanServer>,
    /// Passive Barman nodes.
    pub passive_nodes: Vec<PassiveNode>,
    /// barman-cloud tiers.
    pub cloud_tiers: Vec<CloudTier>,
    /// Prices.
    pub costs: Costs,
    /// Targets.
    pub targets: Targets,
    /// Monte Carlo settings.
    pub simulation: Simulation,
    /// Restore drills, if any.
    pub drills: Option<Drills>,
}

impl Scenario {
    /// The site a host stands in.
    pub fn site_of(&self, host: HostId) -> SiteId {
        self.hosts[host.0].site
    }
    /// The metro a site lies in.
    pub fn metro_of(&self, site: SiteId) -> MetroId {
        self.sites[site.0].metro
    }
    /// The region a site lies in.
    pub fn region_of(&self, site: SiteId) -> RegionId {
        self.metros[self.sites[site.0].metro.0].region
    }
    /// The rack record of a rack id.
    pub fn rack(&self, id: RackId) -> &Rack {
        &self.sites[id.site.0].racks[id.index]
    }
    /// The links joining two sites (empty when they are the same site).
    pub fn links_between(&self, a: SiteId, b: SiteId) -> impl Iterator<Item = LinkId> + '_ {
        self.links
            .iter()
            .enumerate()
            .filter(move |(_, l)| l.joins(a, b))
            .map(|(i, _)| LinkId(i))
    }
    /// Passive nodes that mirror a Barman server.
    pub fn passives_of(&self, barman: BarmanId) -> impl Iterator<Item = PassiveId> + '_ {
        self.passive_nodes
            .iter()
            .enumerate()
            .filter(move |(_, p)| p.primary == barman)
            .map(|(i, _)| PassiveId(i))
    }
}
