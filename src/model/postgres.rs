//! PostgreSQL clusters: where they run, how big they are and how fast they
//! write WAL, and how their standbys replicate.

use super::failure::FailureMode;
use super::ha::{Ha, SyncRule};
use super::ids::HostId;
use super::units::{ByteRate, Bytes, Duration};

/// Lowest PostgreSQL major version that Barman's streaming backup supports.
pub const MIN_STREAMING_VERSION: (u32, u32) = (9, 4);

/// Replication mode of a standby.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ReplicationMode {
    /// Commits wait for the standby: a failover loses nothing.
    Sync,
    /// Commits do not wait: a failover loses the replication lag.
    Async,
}

/// A standby replica of a cluster (high availability, not a backup).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Standby {
    /// Where it runs.
    pub host: HostId,
    /// How it replicates.
    pub mode: ReplicationMode,
}

/// A PostgreSQL cluster (one primary and its standbys).
#[derive(Debug, Clone, PartialEq)]
pub struct Cluster {
    /// Unique name; also the Barman server name.
    pub name: String,
    /// Major version (e.g. 15), or (9, 6) style for versions before 10.
    pub version: (u32, u32),
    /// Host of the primary.
    pub primary: HostId,
    /// Standbys.
    pub standbys: Vec<Standby>,
    /// Size of all databases today.
    pub data_size: Bytes,
    /// Yearly growth of the data (0.2 = +20 %/yr).
    pub growth_per_year: f64,
    /// WAL generated per day.
    pub wal_per_day: Bytes,
    /// `archive_timeout`: forces a WAL switch (a full 16 MiB segment) at least this often.
    pub archive_timeout: Option<Duration>,
    /// WAL segment size (16 MiB unless initdb changed it).
    pub wal_segment_size: Bytes,
    /// Free space for `pg_wal` on the primary: how much a stuck slot may retain.
    pub pg_wal_free: Option<Bytes>,
    /// WAL replay speed during recovery.
    pub replay_rate: ByteRate,
    /// TCP port PostgreSQL listens on.
    pub port: u16,
    /// Operator errors / bugs that replicate everywhere; `repair` is the time to detect.
    pub logical_corruption: Option<FailureMode>,
    /// From the serving node failing to a standby taking writes: detection,
    /// promotion and clients re-pointed ([`DEFAULT_FAILOVER_SECS`] unless set).
    pub failover_time: Duration,
    /// The runbook: how long the serving site may be unable to serve before
    /// disaster is declared (`None`: never, every outage is waited out).
    pub declare_disaster_after: Option<Duration>,
    /// After a DR restore, time to re-point clients (DNS, pools, application
    /// configuration) at the recovery host ([`DEFAULT_REPOINT_SECS`] unless set).
    pub repoint_time: Duration,
    /// The HA manager, its quorum store and timings, when the scenario says.
    pub ha: Option<Ha>,
    /// What a commit waits for; `None` when no standby is `mode: sync`.
    pub sync: Option<SyncRule>,
}

/// Default re-point time after a DR restore, 15 minutes: unlike a failover
/// inside the site (a virtual IP or a leader-following pool), clients of a
/// restored cluster in another site follow a DNS change or a configuration
/// push, minutes of TTL plus someone checking the application reconnects.
pub const DEFAULT_REPOINT_SECS: f64 = 900.0;

/// Default failover time, 5 minutes: Patroni's defaults detect a dead leader
/// within `ttl` = 30 s and promote within a `loop_wait` (10 s) or two; the
/// rest is clients re-pointing (connection pools, DNS or a virtual IP) and
/// margin for a standby that must first replay its received WAL.
pub const DEFAULT_FAILOVER_SECS: f64 = 300.0;

impl Cluster {
    /// The primary's host, then every standby's: where settings must be in
    /// place for the cluster to accept Barman after a failover.
    pub fn hosts(&self) -> impl Iterator<Item = HostId> + '_ {
        std::iter::once(self.primary).chain(self.standbys.iter().map(|sb| sb.host))
    }
    /// The nodes a commit can wait for: the primary (a standby once another
    /// node leads) and every `mode: sync` standby, in file order.
    pub fn sync_nodes(&self) -> impl Iterator<Item = HostId> + '_ {
        std::iter::once(self.primary).chain(
            self.standbys
                .iter()
                .filter(|sb| sb.mode == ReplicationMode::Sync)
                .map(|sb| sb.host),
        )
    }
    /// Patroni's timings when Patroni manages the cluster.
    pub fn patroni(&self) -> Option<&super::ha::PatroniTimings> {
        self.ha.as_ref().and_then(|h| h.patroni.as_ref())
    }
    /// The major version as PostgreSQL prints it ("15", "9.6").
    pub fn version_string(&self) -> String {
        if self.version.0 >= 10 {
            self.version.0.to_string()
        } else {
            format!("{}.{}", self.version.0, self.version.1)
        }
    }
}
