//! Backup tiers: a local Barman server, a passive Barman node that mirrors it
//! from another site, and barman-cloud object storage.

use super::compression::Compression;
use super::failure::Failures;
use super::ids::{BarmanId, ClusterId, HostId, RegionId};
use super::retention::RetentionPolicy;
use super::schedule::Schedule;
use super::units::{ByteRate, Bytes, Duration, Probability};

/// Barman `backup_method`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BackupMethod {
    /// `postgres`: pg_basebackup over the replication protocol.
    Postgres,
    /// `rsync`: file copy over ssh (allows `reuse_backup = link`).
    Rsync,
}

/// How WAL reaches Barman.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WalArchiving {
    /// `streaming_archiver = on` (pg_receivewal through a slot): RPO ≈ seconds.
    Streaming,
    /// `archive_command` ships each completed segment: RPO ≤ one segment or `archive_timeout`.
    ArchiveCommand,
    /// Both, as Barman recommends for belt and braces.
    Both,
}

impl WalArchiving {
    /// Whether WAL is streamed (pg_receivewal through a slot).
    pub fn streams(self) -> bool {
        matches!(self, Self::Streaming | Self::Both)
    }
    /// Whether PostgreSQL's `archive_command` ships WAL to Barman.
    pub fn ships_by_archive_command(self) -> bool {
        matches!(self, Self::ArchiveCommand | Self::Both)
    }
}

/// Barman `reuse_backup` for rsync backups.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReuseBackup {
    /// Full copy every time.
    Off,
    /// Copy unchanged files from the previous backup.
    Copy,
    /// Hard-link unchanged files (deduplication on disk).
    Link,
}

/// A local Barman server backing up one cluster.
#[derive(Debug, Clone, PartialEq)]
pub struct BarmanServer {
    /// Unique tier name.
    pub name: String,
    /// Host it runs on.
    pub host: HostId,
    /// Cluster it backs up.
    pub cluster: ClusterId,
    /// `backup_method`.
    pub backup_method: BackupMethod,
    /// How WAL arrives.
    pub wal_archiving: WalArchiving,
    /// `reuse_backup` (rsync only).
    pub reuse_backup: ReuseBackup,
    /// Fraction of data files that change between two backups (for `reuse_backup = link`).
    pub changed_fraction: f64,
    /// When full backups run.
    pub schedule: Schedule,
    /// WAL `compression`.
    pub compression: Compression,
    /// Uncompressed:compressed ratio of WAL (from `compression` unless overridden).
    pub compression_ratio: f64,
    /// `retention_policy`.
    pub retention: RetentionPolicy,
    /// `minimum_redundancy`.
    pub minimum_redundancy: u32,
    /// Base backup speed.
    pub backup_throughput: ByteRate,
    /// Restore speed from this server.
    pub restore_throughput: ByteRate,
    /// Size of the backup volume, if known.
    pub volume: Option<Bytes>,
    /// Key into `costs.storage_per_gib_month`.
    pub storage_class: String,
    /// Probability that a given backup is silently unrestorable.
    pub silent_failure: Probability,
}

impl BarmanServer {
    /// Whether Barman needs a replication connection (pg_basebackup or pg_receivewal).
    pub fn uses_replication(&self) -> bool {
        self.backup_method == BackupMethod::Postgres || self.wal_archiving.streams()
    }
}

/// A passive Barman node that mirrors a Barman server from another site.
#[derive(Debug, Clone, PartialEq)]
pub struct PassiveNode {
    /// Unique tier name.
    pub name: String,
    /// Host it runs on.
    pub host: HostId,
    /// The Barman server it copies.
    pub primary: BarmanId,
    /// Its own retention.
    pub retention: RetentionPolicy,
    /// `minimum_redundancy`.
    pub minimum_redundancy: u32,
    /// How often its `barman cron` syncs.
    pub sync_interval: Duration,
    /// Restore speed from this node.
    pub restore_throughput: ByteRate,
    /// Size of the backup volume, if known.
    pub volume: Option<Bytes>,
    /// Key into `costs.storage_per_gib_month`.
    pub storage_class: String,
}

/// Object-storage provider.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CloudProvider {
    /// Amazon S3 or an S3-compatible store.
    S3,
    /// Azure Blob Storage.
    AzureBlob,
    /// Google Cloud Storage.
    Gcs,
}

impl CloudProvider {
    /// URL scheme of the barman-cloud destination.
    pub fn scheme(self) -> &'static str {
        match self {
            Self::S3 => "s3",
            Self::AzureBlob => "azure",
            Self::Gcs => "gs",
        }
    }
    /// `--cloud-provider` value of the barman-cloud tools.
    pub fn barman_name(self) -> &'static str {
        match self {
            Self::S3 => "aws-s3",
            Self::AzureBlob => "azure-blob-storage",
            Self::Gcs => "google-cloud-storage",
        }
    }
}

/// How WAL and backups reach the bucket.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CloudVia {
    /// Barman hook scripts on a Barman server (`pre_archive_retry_script`,
    /// `post_backup_retry_script`).
    Hooks(BarmanId),
    /// Barman ≥ 3.18 native cloud paths on a Barman server.
    Native(BarmanId),
    /// PostgreSQL's `archive_command` + scheduled `barman-cloud-backup` on the PostgreSQL host.
    ArchiveCommand,
}

impl CloudVia {
    /// The Barman server that uploads, if any.
    pub fn barman(self) -> Option<BarmanId> {
        match self {
            Self::Hooks(b) | Self::Native(b) => Some(b),
            Self::ArchiveCommand => None,
        }
    }
}

/// Compression of barman-cloud uploads (the two tools differ: no zstd for backups).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CloudCompression {
    /// No compression.
    None,
    /// `--gzip`.
    Gzip,
    /// `--bzip2`.
    Bzip2,
    /// `--snappy`.
    Snappy,
    /// `--lz4`.
    Lz4,
    /// `--xz` (WAL only).
    Xz,
    /// `--zstd` (WAL only).
    Zstd,
}

impl CloudCompression {
    /// Command-line flag, if any.
    pub fn flag(self) -> Option<&'static str> {
        match self {
            Self::None => None,
            Self::Gzip => Some("--gzip"),
            Self::Bzip2 => Some("--bzip2"),
            Self::Snappy => Some("--snappy"),
            Self::Lz4 => Some("--lz4"),
            Self::Xz => Some("--xz"),
            Self::Zstd => Some("--zstd"),
        }
    }
    /// Typical ratio on real data.
    pub fn typical_ratio(self) -> f64 {
        match self {
            Self::None => 1.0,
            Self::Gzip => 4.0,
            Self::Bzip2 => 6.0,
            Self::Snappy => 2.4,
            Self::Lz4 => 2.5,
            Self::Xz => 6.5,
            Self::Zstd => 4.5,
        }
    }
    /// Whether `barman-cloud-backup` supports it (it has no zstd and no xz).
    pub fn valid_for_backups(self) -> bool {
        !matches!(self, Self::Zstd | Self::Xz)
    }
}

/// A barman-cloud tier.
#[derive(Debug, Clone, PartialEq)]
pub struct CloudTier {
    /// Unique tier name.
    pub name: String,
    /// Cluster it protects.
    pub cluster: ClusterId,
    /// How data reaches the bucket.
    pub via: CloudVia,
    /// Provider.
    pub provider: CloudProvider,
    /// Bucket / container name.
    pub bucket: String,
    /// Key prefix inside the bucket.
    pub prefix: Option<String>,
    /// Custom endpoint (S3-compatible stores).
    pub endpoint_url: Option<String>,
    /// Region the bucket lives in.
    pub region: RegionId,
    /// Key into `costs.storage_per_gib_month`.
    pub storage_class: String,
    /// Cloud retention (`barman-cloud-backup-delete -r`).
    pub retention: RetentionPolicy,
    /// When base backups are uploaded: `None` means after every backup of the
    /// uploading Barman server (hooks, native paths).
    pub schedule: Option<Schedule>,
    /// WAL compression.
    pub wal_compression: CloudCompression,
    /// Base backup compression.
    pub backup_compression: CloudCompression,
    /// Bandwidth to and from the bucket.
    pub bandwidth: ByteRate,
    /// Provider outages and (rare) data loss.
    pub failures: Failures,
}
