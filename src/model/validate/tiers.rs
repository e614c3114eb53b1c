//! Barman tiers: local servers, passive nodes (in another site than their
//! primary, reachable over a link) and barman-cloud tiers.

use super::super::compression::{self, Compression};
use super::super::ids::{BarmanId, ClusterId, HostId, RegionId};
use super::super::infra::{Host, HostRole, Link};
use super::super::postgres::Cluster;
use super::super::raw::{RawBarman, RawCloud, RawPassive, RawScenario, Text};
use super::super::retention::{RetentionPolicy, parse_retention};
use super::super::schedule::{Schedule, TimeOfDay, parse_schedule};
use super::super::tiers::{
    BackupMethod, BarmanServer, CloudCompression, CloudProvider, CloudTier, CloudVia, PassiveNode,
    ReuseBackup, WalArchiving,
};
use super::super::units::{
    ByteRate, Duration, Probability, parse_byte_rate, parse_bytes, parse_duration, parse_percent,
};
use super::cluster::{check_streaming_version, expect_role};
use super::ctx::{Ctx, Names};
use super::failures::failures;
use super::safety;

const DEFAULT_THROUGHPUT: f64 = 200.0 * 1024.0 * 1024.0;

/// What tier validation needs from earlier sections.
pub(crate) struct TierInputs<'a> {
    pub raw: &'a RawScenario,
    pub hosts: &'a [Host],
    pub links: &'a [Link],
    pub clusters: &'a [Cluster],
    pub host_names: &'a Names,
    pub cluster_names: &'a Names,
    pub region_names: &'a Names,
    pub barman_version: (u32, u32),
}

fn retention(ctx: &mut Ctx, t: &Text) -> RetentionPolicy {
    ctx.parse(t, "retention policy", parse_retention)
        .unwrap_or(RetentionPolicy::Redundancy(1))
}

fn schedule(ctx: &mut Ctx, t: &Text) -> Schedule {
    ctx.parse(t, "schedule", parse_schedule)
        .unwrap_or(Schedule::Daily {
            at: TimeOfDay { hour: 0, minute: 0 },
        })
}

fn storage_class(ctx: &mut Ctx, raw: &RawScenario, t: &Option<Text>, default: &str) -> String {
    let class = t.as_ref().map_or(default, Text::as_str).to_owned();
    if let Some(t) = t
        && !raw.costs.storage.is_empty()
        && !raw.costs.storage.contains_key(&class)
    {
        let known: Vec<&str> = raw.costs.storage.keys().map(String::as_str).collect();
        ctx.err_label(
            t,
            format!("storage class `{class}` has no price in costs.storage"),
            "unknown storage class",
            format!("known classes: {}", known.join(", ")),
        );
    }
    class
}

fn min_redundancy(
    ctx: &mut Ctx,
    raw: &Option<super::super::raw::Sp<u32>>,
    policy: RetentionPolicy,
) -> u32 {
    let Some(m) = raw else { return 1 };
    if let RetentionPolicy::Redundancy(n) = policy
        && m.value > n
    {
        ctx.err(m, format!("minimum_redundancy {} is above the policy's REDUNDANCY {n}", m.value), "Barman then keeps more than the policy says; raise REDUNDANCY or lower minimum_redundancy");
    }
    m.value
}

fn enum_of<T: Copy>(
    ctx: &mut Ctx,
    t: &Option<Text>,
    what: &str,
    options: &[(T, &str)],
    default: T,
) -> T {
    let Some(t) = t else { return default };
    match options.iter().find(|(_, n)| *n == t.as_str()) {
        Some((v, _)) => *v,
        None => {
            let names: Vec<&str> = options.iter().map(|(_, n)| *n).collect();
            ctx.err_label(
                t,
                format!("unknown {what} `{}`", t.as_str()),
                format!("unknown {what}"),
                format!("accepted: {}", names.join(", ")),
            );
            default
        }
    }
}

pub(crate) fn barman(
    ctx: &mut Ctx,
    inp: &TierInputs<'_>,
    b: &RawBarman,
    raw_clusters: &[super::super::raw::RawCluster],
) -> BarmanServer {
    let name = ctx.declare(&b.name, "Barman server");
    let from = format!("Barman server `{name}`");
    let host = ctx.resolve(inp.host_names, &b.host, &from);
    if let Some(h) = host {
        expect_role(
            ctx,
            inp.hosts,
            h,
            &b.host,
            HostRole::Barman,
            "a Barman server",
        );
    }
    let cluster = ctx.resolve(inp.cluster_names, &b.cluster, &from);
    let backup_method = enum_of(
        ctx,
        &b.backup_method,
        "backup_method",
        &[
            (BackupMethod::Postgres, "postgres"),
            (BackupMethod::Rsync, "rsync"),
        ],
        BackupMethod::Postgres,
    );
    let wal_archiving = enum_of(
        ctx,
        &b.wal_archiving,
        "wal_archiving",
        &[
            (WalArchiving::Streaming, "streaming"),
            (WalArchiving::ArchiveCommand, "archive-command"),
            (WalArchiving::Both, "both"),
        ],
        WalArchiving::Streaming,
    );
    if let Some(c) = cluster {
        let streaming = backup_method == BackupMethod::Postgres
            || wal_archiving != WalArchiving::ArchiveCommand;
        if streaming {
            check_streaming_version(ctx, &raw_clusters[c], &inp.clusters[c], &b.name);
        }
    }
    let reuse_backup = enum_of(
        ctx,
        &b.reuse_backup,
        "reuse_backup",
        &[
            (ReuseBackup::Off, "off"),
            (ReuseBackup::Copy, "copy"),
            (ReuseBackup::Link, "link"),
        ],
        ReuseBackup::Off,
    );
    if let (Some(t), BackupMethod::Postgres) = (&b.reuse_backup, backup_method)
        && reuse_backup != ReuseBackup::Off
    {
        ctx.err(t, "reuse_backup only works with backup_method rsync", "with backup_method postgres every backup is a full copy; remove reuse_backup or use rsync");
    }
    let compression = match &b.compression {
        None => Compression::Gzip,
        Some(t) => match Compression::parse(t.as_str()) {
            Some(c) => c,
            None => {
                ctx.err_label(
                    t,
                    format!("Barman does not support compression `{}`", t.as_str()),
                    "unsupported compression",
                    format!(
                        "Barman silently ignores unknown values; use one of {}",
                        compression::known_names()
                    ),
                );
                Compression::Gzip
            }
        },
    };
    let compression_ratio = match &b.compression_ratio {
        Some(r) if r.value.is_finite() && r.value >= 1.0 => r.value,
        Some(r) => {
            ctx.err(
                r,
                "compression_ratio must be 1 or more (uncompressed:compressed)",
                "e.g. 4.0 for gzip on real WAL",
            );
            compression.typical_ratio()
        }
        None if compression == Compression::Custom => {
            ctx.err(
                &b.compression.clone().unwrap_or_else(|| b.name.clone()),
                "custom compression needs `compression_ratio`",
                "measure it on your WAL and write e.g. `compression_ratio: 3.5`",
            );
            1.0
        }
        None => compression.typical_ratio(),
    };
    if let Some(w) = &b.wal_retention_policy
        && !w.as_str().eq_ignore_ascii_case("main")
    {
        ctx.err(
            w,
            format!("Barman has no wal_retention_policy `{}`", w.as_str()),
            "the only value Barman accepts is `main`",
        );
    }
    let retention = retention(ctx, &b.retention_policy);
    BarmanServer {
        host: HostId(host.unwrap_or(0)),
        cluster: ClusterId(cluster.unwrap_or(0)),
        backup_method,
        wal_archiving,
        reuse_backup,
        changed_fraction: b
            .changed_fraction
            .as_ref()
            .and_then(|t| ctx.parse(t, "percentage", parse_percent))
            .map_or(1.0, Probability::value),
        schedule: schedule(ctx, &b.schedule),
        compression,
        compression_ratio,
        minimum_redundancy: min_redundancy(ctx, &b.minimum_redundancy, retention),
        retention,
        backup_throughput: ctx.parse_or(
            &b.backup_throughput,
            "data rate",
            parse_byte_rate,
            ByteRate::from_bytes_per_sec(DEFAULT_THROUGHPUT),
        ),
        restore_throughput: ctx.parse_or(
            &b.restore_throughput,
            "data rate",
            parse_byte_rate,
            ByteRate::from_bytes_per_sec(DEFAULT_THROUGHPUT),
        ),
        volume: b
            .volume
            .as_ref()
            .and_then(|t| ctx.parse(t, "size", parse_bytes)),
        storage_class: storage_class(ctx, inp.raw, &b.storage_class, "local"),
        silent_failure: ctx.parse_or(
            &b.silent_failure,
            "percentage",
            parse_percent,
            Probability::new(0.0),
        ),
        name,
    }
}

pub(crate) fn passive(
    ctx: &mut Ctx,
    inp: &TierInputs<'_>,
    p: &RawPassive,
    barmans: &[BarmanServer],
    barman_names: &Names,
) -> PassiveNode {
    let name = ctx.declare(&p.name, "passive node");
    let from = format!("passive node `{name}`");
    let host = ctx.resolve(inp.host_names, &p.host, &from);
    if let Some(h) = host {
        expect_role(
            ctx,
            inp.hosts,
            h,
            &p.host,
            HostRole::BarmanPassive,
            "a passive Barman node",
        );
    }
    let primary = ctx.resolve(barman_names, &p.primary, &from);
    if let (Some(h), Some(b)) = (host, primary) {
        let mine = inp.hosts[h].site;
        let theirs = inp.hosts[barmans[b].host.0].site;
        if mine == theirs {
            ctx.err_label(
                &p.host,
                format!("{from} is in the same site as its primary Barman `{}`", barmans[b].name),
                "same site as the primary",
                "a passive node protects against the loss of the primary's site: put it on a host in another site",
            );
        } else if !inp.links.iter().any(|l| l.joins(mine, theirs)) {
            ctx.err_label(
                &p.primary,
                format!(
                    "no link joins the sites of {from} and its primary Barman `{}`",
                    barmans[b].name
                ),
                "unreachable primary",
                "add a `links:` entry between the two sites: the passive node syncs over ssh/rsync",
            );
        }
    }
    let retention = retention(ctx, &p.retention_policy);
    PassiveNode {
        host: HostId(host.unwrap_or(0)),
        primary: BarmanId(primary.unwrap_or(0)),
        minimum_redundancy: min_redundancy(ctx, &p.minimum_redundancy, retention),
        retention,
        sync_interval: ctx.parse_or(
            &p.sync_interval,
            "duration",
            parse_duration,
            Duration::from_secs(60.0),
        ),
        restore_throughput: ctx.parse_or(
            &p.restore_throughput,
            "data rate",
            parse_byte_rate,
            ByteRate::from_bytes_per_sec(DEFAULT_THROUGHPUT),
        ),
        volume: p
            .volume
            .as_ref()
            .and_then(|t| ctx.parse(t, "size", parse_bytes)),
        storage_class: storage_class(ctx, inp.raw, &p.storage_class, "local"),
        name,
    }
}

fn cloud_compression(ctx: &mut Ctx, t: &Option<Text>, for_backups: bool) -> CloudCompression {
    const ALL: [(CloudCompression, &str); 7] = [
        (CloudCompression::None, "none"),
        (CloudCompression::Gzip, "gzip"),
        (CloudCompression::Bzip2, "bzip2"),
        (CloudCompression::Snappy, "snappy"),
        (CloudCompression::Lz4, "lz4"),
        (CloudCompression::Xz, "xz"),
        (CloudCompression::Zstd, "zstd"),
    ];
    let c = enum_of(ctx, t, "cloud compression", &ALL, CloudCompression::Gzip);
    if for_backups && !c.valid_for_backups() {
        if let Some(t) = t {
            ctx.err(
                t,
                format!("barman-cloud-backup cannot compress with `{}`", t.as_str()),
                "barman-cloud-backup offers gzip, bzip2, snappy, lz4 (zstd and xz are WAL-only)",
            );
        }
        return CloudCompression::Gzip;
    }
    c
}

fn cloud_schedule(ctx: &mut Ctx, c: &RawCloud, via: CloudVia) -> Option<Schedule> {
    match (&c.schedule, via) {
        (Some(t), CloudVia::ArchiveCommand) => Some(schedule(ctx, t)),
        (None, CloudVia::ArchiveCommand) => {
            ctx.err_label(
                &c.via,
                "`via: archive-command` needs `schedule:` for barman-cloud-backup",
                "needs a schedule",
                "add e.g. `schedule: \"daily at 02:00\"`",
            );
            None
        }
        (Some(t), _) => {
            ctx.err(t, "with hooks or native cloud paths every Barman backup is uploaded: `schedule` does not apply", "remove `schedule`, or use `via: archive-command` to upload on a schedule of its own");
            None
        }
        (None, _) => None,
    }
}

pub(crate) fn cloud(
    ctx: &mut Ctx,
    inp: &TierInputs<'_>,
    c: &RawCloud,
    barmans: &[BarmanServer],
    barman_names: &Names,
) -> CloudTier {
    let name = ctx.declare(&c.name, "cloud tier");
    let from = format!("cloud tier `{name}`");
    let cluster = ctx.resolve(inp.cluster_names, &c.cluster, &from);
    let barman = c
        .barman
        .as_ref()
        .and_then(|b| ctx.resolve(barman_names, b, &from));
    let via_kind = c.via.as_str();
    let via = match (via_kind, barman) {
        ("hooks", Some(b)) => CloudVia::Hooks(BarmanId(b)),
        ("native", Some(b)) => CloudVia::Native(BarmanId(b)),
        ("archive-command", _) => {
            if let Some(b) = &c.barman {
                ctx.err(
                    b,
                    "`barman` is only used with `via: hooks` or `via: native`",
                    "with `via: archive-command` PostgreSQL uploads WAL itself; remove `barman`",
                );
            }
            CloudVia::ArchiveCommand
        }
        ("hooks" | "native", None) => {
            if c.barman.is_none() {
                ctx.err_label(
                    &c.via,
                    format!("`via: {via_kind}` needs `barman:` (the Barman server that uploads)"),
                    "needs a Barman server",
                    "add `barman: <name of a barman entry>`",
                );
            }
            CloudVia::ArchiveCommand
        }
        _ => {
            ctx.err_label(&c.via, format!("unknown cloud upload path `{via_kind}`"), "unknown `via`", "accepted: hooks (Barman hook scripts), native (Barman ≥ 3.18 cloud paths), archive-command (from PostgreSQL)");
            CloudVia::ArchiveCommand
        }
    };
    if let (CloudVia::Native(_), (maj, min)) = (via, inp.barman_version)
        && (maj, min) < (3, 18)
    {
        ctx.err(
            &c.via,
            format!(
                "native cloud paths need Barman 3.18 or later, the scenario targets {maj}.{min}"
            ),
            "use `via: hooks`, or set `barman_version: \"3.19\"`",
        );
    }
    if let (Some(b), Some(cl)) = (via.barman(), cluster)
        && barmans[b.0].cluster.0 != cl
    {
        let at = c.barman.clone().unwrap_or_else(|| c.via.clone());
        ctx.err(
            &at,
            format!(
                "Barman server `{}` backs up another cluster than {from}",
                barmans[b.0].name
            ),
            "the uploading Barman server must back up the same cluster",
        );
    }
    let provider = enum_of(
        ctx,
        &Some(c.provider.clone()),
        "cloud provider",
        &[
            (CloudProvider::S3, "aws-s3"),
            (CloudProvider::AzureBlob, "azure-blob-storage"),
            (CloudProvider::Gcs, "google-cloud-storage"),
        ],
        CloudProvider::S3,
    );
    safety::bucket(ctx, &c.bucket, provider);
    ctx.no_secret(&c.bucket, "bucket");
    for t in [&c.prefix, &c.endpoint_url].into_iter().flatten() {
        ctx.no_secret(t, "cloud location");
    }
    if let Some(p) = &c.prefix {
        safety::prefix(ctx, p);
    }
    if let Some(u) = &c.endpoint_url {
        safety::endpoint_url(ctx, u);
    }
    if provider == CloudProvider::AzureBlob && c.endpoint_url.is_none() {
        safety::azure_needs_account(ctx, &c.provider);
    }
    let region = ctx.resolve(inp.region_names, &c.region, &from);
    CloudTier {
        cluster: ClusterId(cluster.unwrap_or(0)),
        via,
        provider,
        bucket: c.bucket.value.clone(),
        prefix: c.prefix.as_ref().map(|t| t.value.clone()),
        endpoint_url: c.endpoint_url.as_ref().map(|t| t.value.clone()),
        region: RegionId(region.unwrap_or(0)),
        storage_class: storage_class(ctx, inp.raw, &Some(c.storage_class.clone()), "object"),
        retention: retention(ctx, &c.retention_policy),
        schedule: cloud_schedule(ctx, c, via),
        wal_compression: cloud_compression(ctx, &c.wal_compression, false),
        backup_compression: cloud_compression(ctx, &c.backup_compression, true),
        bandwidth: ctx
            .parse(&c.bandwidth, "data rate", parse_byte_rate)
            .unwrap_or_default(),
        failures: failures(ctx, &c.outage, &c.destruction, &inp.raw.defaults.cloud),
        name,
    }
}
