//! The catalogue of what a scenario holds: every kind of backup tier
//! ([`TierRef`]), every kind of thing that fails ([`FailureClass`]) and the
//! one containment rule ([`Scenario::chain`]: host, disk array, rack, site,
//! metro, region). Analyses key their results by these and match on them
//! exhaustively, so a new tier kind or failure class is a compile error at
//! every place that must handle it; the words for people live with the
//! renderers, apart from the one short [`FailureClass::label`].

use super::Scenario;
use super::failure::{FailureMode, Failures};
use super::ids::{
    BarmanId, CloudId, ClusterId, HostId, LinkId, MetroId, PassiveId, RackId, RegionId, SiteId,
};

/// One backup tier of a scenario: something a cluster can be restored from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum TierRef {
    /// A local Barman server.
    Barman(BarmanId),
    /// A passive Barman node mirroring a Barman server from another site.
    Passive(PassiveId),
    /// A barman-cloud bucket.
    Cloud(CloudId),
}

/// Every kind of thing that fails, in report order (smallest first; logical
/// corruption, which destroys nothing physical, last).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum FailureClass {
    /// A host's disk array (lost at its MTTDL rate).
    DiskArray,
    /// A server.
    Host,
    /// A rack (power domain).
    Rack,
    /// A datacenter.
    Site,
    /// A metro area.
    Metro,
    /// A geographic region.
    Region,
    /// An inter-site link.
    Link,
    /// A cloud provider's storage.
    Cloud,
    /// An operator error or bug that replicates to every standby.
    LogicalCorruption,
}

impl FailureClass {
    /// Every class, in report order.
    pub const ALL: [Self; 9] = [
        Self::DiskArray,
        Self::Host,
        Self::Rack,
        Self::Site,
        Self::Metro,
        Self::Region,
        Self::Link,
        Self::Cloud,
        Self::LogicalCorruption,
    ];

    /// Position in [`Self::ALL`] (for per-class counters).
    pub fn index(self) -> usize {
        match self {
            Self::DiskArray => 0,
            Self::Host => 1,
            Self::Rack => 2,
            Self::Site => 3,
            Self::Metro => 4,
            Self::Region => 5,
            Self::Link => 6,
            Self::Cloud => 7,
            Self::LogicalCorruption => 8,
        }
    }

    /// Short name for people.
    pub fn label(self) -> &'static str {
        match self {
            Self::DiskArray => "disk array",
            Self::Host => "host",
            Self::Rack => "rack",
            Self::Site => "site",
            Self::Metro => "metro",
            Self::Region => "region",
            Self::Link => "link",
            Self::Cloud => "cloud",
            Self::LogicalCorruption => "logical corruption",
        }
    }
}

/// What a host depends on: it and everything that contains it, innermost
/// first. A copy of the data on the host is usable only while all are up.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Chain {
    /// The host.
    pub host: HostId,
    /// Whether the host has a modelled disk array (it fails on its own).
    pub disk_array: bool,
    /// Its rack, if placed in one.
    pub rack: Option<RackId>,
    /// Its site.
    pub site: SiteId,
    /// The site's metro area.
    pub metro: MetroId,
    /// The metro's region.
    pub region: RegionId,
}

impl Scenario {
    /// Every backup tier: Barman servers, then passive nodes, then buckets,
    /// each in file order.
    pub fn tiers(&self) -> impl Iterator<Item = TierRef> + '_ {
        let barman = (0..self.barman_servers.len()).map(|i| TierRef::Barman(BarmanId(i)));
        let passive = (0..self.passive_nodes.len()).map(|i| TierRef::Passive(PassiveId(i)));
        let cloud = (0..self.cloud_tiers.len()).map(|i| TierRef::Cloud(CloudId(i)));
        barman.chain(passive).chain(cloud)
    }

    /// The tier's name as the user wrote it.
    pub fn tier_name(&self, t: TierRef) -> &str {
        match t {
            TierRef::Barman(b) => &self.barman_servers[b.0].name,
            TierRef::Passive(p) => &self.passive_nodes[p.0].name,
            TierRef::Cloud(c) => &self.cloud_tiers[c.0].name,
        }
    }

    /// The cluster a tier protects (a passive node: its Barman server's).
    pub fn tier_cluster(&self, t: TierRef) -> ClusterId {
        match t {
            TierRef::Barman(b) => self.barman_servers[b.0].cluster,
            TierRef::Passive(p) => self.barman_servers[self.passive_nodes[p.0].primary.0].cluster,
            TierRef::Cloud(c) => self.cloud_tiers[c.0].cluster,
        }
    }

    /// The host a tier runs on; a bucket has none.
    pub fn tier_host(&self, t: TierRef) -> Option<HostId> {
        match t {
            TierRef::Barman(b) => Some(self.barman_servers[b.0].host),
            TierRef::Passive(p) => Some(self.passive_nodes[p.0].host),
            TierRef::Cloud(_) => None,
        }
    }

    /// The host and everything that contains it: the one containment rule.
    pub fn chain(&self, h: HostId) -> Chain {
        let host = &self.hosts[h.0];
        let metro = self.metro_of(host.site);
        Chain {
            host: h,
            disk_array: host.disks.is_some(),
            rack: host.rack,
            site: host.site,
            metro,
            region: self.metros[metro.0].region,
        }
    }

    /// The link a passive node syncs over: the fastest between its site and
    /// its Barman server's (the one `disk` loads with the sync traffic). The
    /// copy is fresh only while that link is up.
    pub fn sync_link(&self, p: PassiveId) -> Option<LinkId> {
        let pn = &self.passive_nodes[p.0];
        let a = self.site_of(self.barman_servers[pn.primary.0].host);
        let z = self.site_of(pn.host);
        self.fastest_link(a, z)
    }

    /// Visit every failure mode of the scenario with the class of what
    /// fails (a disk array's is the per-drive failure; logical corruption is
    /// the cluster's). Destructures the scenario without `..`, so a new kind
    /// of thing that fails is a compile error here.
    pub fn failure_modes_mut(&mut self, mut f: impl FnMut(FailureClass, &mut FailureMode)) {
        let Scenario {
            name: _,
            description: _,
            source: _,
            barman_version: _,
            regions,
            metros,
            sites,
            hosts,
            links,
            clusters,
            barman_servers: _,
            passive_nodes: _,
            cloud_tiers,
            costs: _,
            targets: _,
            simulation: _,
            drills: _,
        } = self;
        for r in regions {
            modes(&mut r.failures).for_each(|m| f(FailureClass::Region, m));
        }
        for x in metros {
            modes(&mut x.failures).for_each(|m| f(FailureClass::Metro, m));
        }
        for site in sites {
            modes(&mut site.failures).for_each(|m| f(FailureClass::Site, m));
            for r in &mut site.racks {
                modes(&mut r.failures).for_each(|m| f(FailureClass::Rack, m));
            }
        }
        for h in hosts {
            modes(&mut h.failures).for_each(|m| f(FailureClass::Host, m));
            if let Some(m) = h.disks.as_mut().and_then(|d| d.failure.as_mut()) {
                f(FailureClass::DiskArray, m);
            }
        }
        for l in links {
            modes(&mut l.failures).for_each(|m| f(FailureClass::Link, m));
        }
        for c in cloud_tiers {
            modes(&mut c.failures).for_each(|m| f(FailureClass::Cloud, m));
        }
        for c in clusters {
            if let Some(m) = &mut c.logical_corruption {
                f(FailureClass::LogicalCorruption, m);
            }
        }
    }

    /// The fastest link joining two sites (the last listed among equals);
    /// none within a site or when no link joins them.
    pub fn fastest_link(&self, a: SiteId, b: SiteId) -> Option<LinkId> {
        if a == b {
            return None;
        }
        self.links_between(a, b).max_by(|x, y| {
            self.links[x.0]
                .bandwidth
                .bytes_per_sec()
                .total_cmp(&self.links[y.0].bandwidth.bytes_per_sec())
        })
    }
}

/// A component's outage and destruction modes, where set.
fn modes(x: &mut Failures) -> impl Iterator<Item = &mut FailureMode> {
    [&mut x.outage, &mut x.destruction].into_iter().flatten()
}

/// Written as its label, as the JSON outputs always have.
impl serde::Serialize for FailureClass {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.label())
    }
}

/// Every kind of target a scenario can set (`targets:`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum TargetKind {
    /// Yearly availability of the service.
    Availability,
    /// Probability of losing any data to a failure within a year.
    DataLossProbability,
    /// Recovery time objective, judged on the p95 of incidents.
    Rto,
    /// Recovery point objective, judged on the p95 of losses.
    Rpo,
}

impl TargetKind {
    /// Short name for people, as `drplan simulate` prints it.
    pub fn label(self) -> &'static str {
        match self {
            Self::Availability => "availability",
            Self::DataLossProbability => "P(data loss)/yr",
            Self::Rto => "RTO (p95 of incidents)",
            Self::Rpo => "RPO (p95 of losses)",
        }
    }
}
