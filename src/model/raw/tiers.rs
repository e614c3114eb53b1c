//! Raw Barman tiers: local servers, passive nodes, cloud tiers.

use schemars::JsonSchema;
use serde::Deserialize;

use super::infra::RawFailureMode;
use super::spanned::{Sp, Text};

/// A local Barman server.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawBarman {
    /// Unique tier name.
    pub name: Text,
    /// Host it runs on (role barman).
    pub host: Text,
    /// Cluster it backs up.
    pub cluster: Text,
    /// postgres (default) or rsync.
    #[serde(default)]
    pub backup_method: Option<Text>,
    /// streaming (default), archive-command or both.
    #[serde(default)]
    pub wal_archiving: Option<Text>,
    /// off, copy or link (rsync only).
    #[serde(default)]
    pub reuse_backup: Option<Text>,
    /// Share of data files changed between backups, e.g. "15%" (reuse_backup = link).
    #[serde(default)]
    pub changed_fraction: Option<Text>,
    /// "daily at 01:00", "weekly on sun at 02:00", "every 12 h".
    pub schedule: Text,
    /// WAL compression: gzip, bzip2, pigz, pygzip, pybzip2, xz, zstd, lz4, snappy, custom, none.
    #[serde(default)]
    pub compression: Option<Text>,
    /// Uncompressed:compressed WAL ratio, overriding the method's typical one.
    #[serde(default)]
    pub compression_ratio: Option<Sp<f64>>,
    /// Barman syntax: "RECOVERY WINDOW OF 30 DAYS" or "REDUNDANCY 3".
    pub retention_policy: Text,
    /// Never keep fewer backups than this (default 1).
    #[serde(default)]
    pub minimum_redundancy: Option<Sp<u32>>,
    /// Only "main" exists in Barman.
    #[serde(default)]
    pub wal_retention_policy: Option<Text>,
    /// Base backup speed (default "200 MiB/s").
    #[serde(default)]
    pub backup_throughput: Option<Text>,
    /// Restore speed (default "200 MiB/s").
    #[serde(default)]
    pub restore_throughput: Option<Text>,
    /// Size of the backup volume, e.g. "8 TiB".
    #[serde(default)]
    pub volume: Option<Text>,
    /// Key into costs.storage (default "local").
    #[serde(default)]
    pub storage_class: Option<Text>,
    /// Probability that a backup is silently unrestorable, e.g. "1%".
    #[serde(default)]
    pub silent_failure: Option<Text>,
}

/// A passive Barman node.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawPassive {
    /// Unique tier name.
    pub name: Text,
    /// Host it runs on (role barman-passive), in another site than its primary.
    pub host: Text,
    /// The Barman server it mirrors.
    pub primary: Text,
    /// Its own retention, Barman syntax.
    pub retention_policy: Text,
    /// Never keep fewer backups than this (default 1).
    #[serde(default)]
    pub minimum_redundancy: Option<Sp<u32>>,
    /// How often its barman cron syncs (default "1 min").
    #[serde(default)]
    pub sync_interval: Option<Text>,
    /// Restore speed (default "200 MiB/s", further limited by the WAN link).
    #[serde(default)]
    pub restore_throughput: Option<Text>,
    /// Size of the backup volume.
    #[serde(default)]
    pub volume: Option<Text>,
    /// Key into costs.storage (default "local").
    #[serde(default)]
    pub storage_class: Option<Text>,
}

/// A barman-cloud tier.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawCloud {
    /// Unique tier name.
    pub name: Text,
    /// Cluster it protects.
    pub cluster: Text,
    /// hooks (Barman hook scripts), native (Barman ≥ 3.18 cloud paths) or archive-command (from PostgreSQL).
    pub via: Text,
    /// The Barman server that uploads (for hooks and native).
    #[serde(default)]
    pub barman: Option<Text>,
    /// aws-s3, azure-blob-storage or google-cloud-storage.
    pub provider: Text,
    /// Bucket name.
    pub bucket: Text,
    /// Key prefix in the bucket.
    #[serde(default)]
    pub prefix: Option<Text>,
    /// Endpoint of an S3-compatible store.
    #[serde(default)]
    pub endpoint_url: Option<Text>,
    /// Region the bucket lives in.
    pub region: Text,
    /// Key into costs.storage, e.g. "s3-standard-ia".
    pub storage_class: Text,
    /// Cloud retention, Barman syntax (applied with barman-cloud-backup-delete).
    pub retention_policy: Text,
    /// When `barman-cloud-backup` runs (via archive-command only; with hooks or
    /// native paths every Barman backup is uploaded).
    #[serde(default)]
    pub schedule: Option<Text>,
    /// none, gzip, bzip2, snappy, lz4, xz, zstd (default gzip).
    #[serde(default)]
    pub wal_compression: Option<Text>,
    /// none, gzip, bzip2, snappy, lz4 (default gzip).
    #[serde(default)]
    pub backup_compression: Option<Text>,
    /// Bandwidth to and from the bucket, e.g. "1 Gbit/s".
    pub bandwidth: Text,
    /// Provider outage (overrides defaults.cloud.outage).
    #[serde(default)]
    pub outage: Option<RawFailureMode>,
    /// Loss of stored objects (overrides defaults.cloud.destruction).
    #[serde(default)]
    pub destruction: Option<RawFailureMode>,
}
