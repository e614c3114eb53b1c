//! Physical layout: regions ⊃ metro areas ⊃ sites ⊃ racks (power domains) ⊃
//! hosts ⊃ disks, and the network links between sites. Losing a container
//! loses everything inside it.

use super::failure::{FailureMode, Failures};
use super::ids::{MetroId, RackId, RegionId, SiteId};
use super::units::{ByteRate, Bytes, Duration};

/// A geographic region: a region-wide disaster takes every metro in it.
#[derive(Debug, Clone, PartialEq)]
pub struct Region {
    /// Unique name.
    pub name: String,
    /// Region-wide events.
    pub failures: Failures,
}

/// A metro area: sites close enough to share an earthquake, flood or grid.
#[derive(Debug, Clone, PartialEq)]
pub struct Metro {
    /// Unique name.
    pub name: String,
    /// The region it lies in.
    pub region: RegionId,
    /// Metro-wide events.
    pub failures: Failures,
}

/// A datacenter or availability zone.
#[derive(Debug, Clone, PartialEq)]
pub struct Site {
    /// Unique name.
    pub name: String,
    /// The metro area it lies in.
    pub metro: MetroId,
    /// Its racks / power domains.
    pub racks: Vec<Rack>,
    /// Site-wide events.
    pub failures: Failures,
}

/// A rack or power domain inside a site.
#[derive(Debug, Clone, PartialEq)]
pub struct Rack {
    /// Unique name.
    pub name: String,
    /// Rack-wide events (PDU, top-of-rack switch).
    pub failures: Failures,
}

/// What a host is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum HostRole {
    /// Runs a PostgreSQL primary.
    Primary,
    /// Runs a PostgreSQL standby.
    Standby,
    /// Runs a Barman server that backs up a cluster.
    Barman,
    /// Runs a passive Barman node that copies another Barman.
    BarmanPassive,
    /// Restores backups in drills and disasters.
    Recovery,
    /// Runs only a DCS (etcd) member: a quorum witness for Patroni.
    Dcs,
}

impl HostRole {
    /// The spelling used in scenario files.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Primary => "primary",
            Self::Standby => "standby",
            Self::Barman => "barman",
            Self::BarmanPassive => "barman-passive",
            Self::Recovery => "recovery",
            Self::Dcs => "dcs",
        }
    }
}

/// The kind of storage device.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DiskKind {
    /// Spinning disk.
    Hdd,
    /// Solid-state disk.
    Ssd,
    /// A replicated cloud block volume.
    CloudVolume,
}

/// How the disks of a host are combined.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Raid {
    /// No redundancy: any disk failure loses the data.
    None,
    /// Mirror: survives all but one disk failing.
    Raid1,
    /// Striped parity: survives one failure.
    Raid5,
    /// Double parity: survives two failures.
    Raid6,
    /// Striped mirrors: survives one failure per mirror pair (modelled as one).
    Raid10,
}

impl Raid {
    /// How many concurrent disk failures the array survives with `count` disks.
    pub fn tolerated_failures(self, count: u32) -> u32 {
        match self {
            Raid::None => 0,
            Raid::Raid1 => count.saturating_sub(1),
            Raid::Raid5 | Raid::Raid10 => 1,
            Raid::Raid6 => 2,
        }
    }
}

/// The data disks of a host.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Disks {
    /// Number of disks in the array.
    pub count: u32,
    /// Size of each disk.
    pub size: Bytes,
    /// Device kind.
    pub kind: DiskKind,
    /// Redundancy scheme.
    pub raid: Raid,
    /// Failure of one disk; `repair` is the rebuild time.
    pub failure: Option<FailureMode>,
}

/// A server.
#[derive(Debug, Clone, PartialEq)]
pub struct Host {
    /// Unique name.
    pub name: String,
    /// DNS name or address used in exported configuration.
    pub address: String,
    /// The site it stands in.
    pub site: SiteId,
    /// Its rack / power domain, if modelled.
    pub rack: Option<RackId>,
    /// What it is for.
    pub role: HostRole,
    /// Host-level failures (crash, mainboard, OS).
    pub failures: Failures,
    /// Its data disks.
    pub disks: Option<Disks>,
    /// Running cost per month.
    pub cost_per_month: f64,
}

/// A network link between two sites.
#[derive(Debug, Clone, PartialEq)]
pub struct Link {
    /// Unique name.
    pub name: String,
    /// One end.
    pub a: SiteId,
    /// The other end.
    pub b: SiteId,
    /// Usable bandwidth.
    pub bandwidth: ByteRate,
    /// One-way latency.
    pub latency: Duration,
    /// Link cuts.
    pub failures: Failures,
    /// Cost per month.
    pub cost_per_month: f64,
}

impl Link {
    /// True when the link joins these two sites, in either direction.
    pub fn joins(&self, x: SiteId, y: SiteId) -> bool {
        (self.a == x && self.b == y) || (self.a == y && self.b == x)
    }
}

/// Convenience for a component that fails in one mode only.
pub fn outage_only(mode: Option<FailureMode>) -> Failures {
    Failures {
        outage: mode,
        destruction: None,
    }
}
