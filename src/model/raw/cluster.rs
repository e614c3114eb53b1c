//! Raw PostgreSQL clusters.

use schemars::JsonSchema;
use serde::Deserialize;

use super::spanned::{Loose, Sp, Text};

/// A standby replica.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawStandby {
    /// Host it runs on.
    pub host: Text,
    /// sync or async.
    #[serde(default)]
    pub mode: Option<Text>,
}

/// Logical corruption: an operator error or bug that replicates everywhere.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawCorruption {
    /// How often, e.g. "1 per 2 years".
    pub rate: Text,
    /// How long until someone notices, e.g. "4 h".
    pub detected_after: Text,
}

/// A PostgreSQL cluster.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawCluster {
    /// Unique name; also the Barman server name.
    pub name: Text,
    /// PostgreSQL major version, e.g. 15 (or "9.6").
    pub version: Sp<Loose>,
    /// Host of the primary.
    pub primary: Text,
    /// Standby replicas.
    #[serde(default)]
    pub standbys: Vec<RawStandby>,
    /// Size of all databases today, e.g. "500 GiB".
    pub data_size: Text,
    /// Yearly growth, e.g. "20%/yr".
    #[serde(default)]
    pub growth: Option<Text>,
    /// WAL generated per day, e.g. "40 GiB".
    pub wal_per_day: Text,
    /// `archive_timeout`, e.g. "60 s".
    #[serde(default)]
    pub archive_timeout: Option<Text>,
    /// WAL segment size (default "16 MiB").
    #[serde(default)]
    pub wal_segment_size: Option<Text>,
    /// Free space for pg_wal on the primary, e.g. "200 GiB".
    #[serde(default)]
    pub pg_wal_free: Option<Text>,
    /// WAL replay speed during recovery (default "100 MiB/s").
    #[serde(default)]
    pub replay_rate: Option<Text>,
    /// PostgreSQL port (default 5432).
    #[serde(default)]
    pub port: Option<Sp<u16>>,
    /// Operator errors / bugs that only PITR undoes.
    #[serde(default)]
    pub logical_corruption: Option<RawCorruption>,
    /// Time from the serving node failing to a standby taking writes
    /// (detection + promotion + re-pointing clients), default "5 min"; "0 s" allowed.
    #[serde(default)]
    pub failover_time: Option<Text>,
    /// How long no node of the serving site may serve before disaster is
    /// declared and the cluster is restored in a surviving site, e.g. "1 h";
    /// "never" (default) waits every outage out.
    #[serde(default)]
    pub declare_disaster_after: Option<Text>,
    /// After a DR restore, time to re-point clients at the recovery host (default "15 min").
    #[serde(default)]
    pub repoint_time: Option<Text>,
    /// High availability as deployed: the manager, its quorum, synchronous replication.
    #[serde(default)]
    pub ha: Option<RawHa>,
}

/// High availability of a cluster.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawHa {
    /// What promotes a standby: `patroni`, `repmgr` or `manual`.
    pub manager: Text,
    /// Patroni: the hosts running an etcd member (an odd number; a majority must be up).
    #[serde(default)]
    pub dcs: Vec<Text>,
    /// Patroni `ttl` of the leader key (default "30 s").
    #[serde(default)]
    pub ttl: Option<Text>,
    /// Patroni `loop_wait` (default "10 s").
    #[serde(default)]
    pub loop_wait: Option<Text>,
    /// Patroni `retry_timeout` (default "10 s").
    #[serde(default)]
    pub retry_timeout: Option<Text>,
    /// Patroni `synchronous_mode`: Patroni manages `synchronous_standby_names`
    /// over the `mode: sync` standbys.
    #[serde(default)]
    pub synchronous_mode: Option<Sp<bool>>,
    /// Patroni `synchronous_mode_strict`: writes block rather than turn asynchronous.
    #[serde(default)]
    pub synchronous_mode_strict: Option<Sp<bool>>,
    /// Patroni `synchronous_node_count` (default 1).
    #[serde(default)]
    pub synchronous_node_count: Option<Sp<u32>>,
    /// Without Patroni: the method of `synchronous_standby_names` over the
    /// `mode: sync` standbys, `FIRST n` or `ANY n` (default: FIRST, every one).
    #[serde(default)]
    pub synchronous_standby_names: Option<Text>,
    /// Patroni `maximum_lag_on_failover` (default "1 MiB").
    #[serde(default)]
    pub maximum_lag_on_failover: Option<Text>,
}
