//! PostgreSQL clusters: version, primary and standbys, sizes and WAL rates.

use super::super::ids::HostId;
use super::super::infra::{Host, HostRole};
use super::super::postgres::{
    Cluster, DEFAULT_FAILOVER_SECS, DEFAULT_REPOINT_SECS, MIN_STREAMING_VERSION, ReplicationMode,
    Standby,
};
use super::super::raw::{Loose, RawCluster, Sp, Text};
use super::super::units::{
    ByteRate, Bytes, Duration, parse_byte_rate, parse_bytes, parse_duration, parse_growth,
};
use super::ctx::{Ctx, Names};
use super::failures::corruption;
use super::ha::ha;

/// Parse "15", "9.6" or "10.4" into (major, minor).
pub(crate) fn parse_version(ctx: &mut Ctx, t: &Sp<Loose>) -> (u32, u32) {
    let s = t.value.0.trim();
    let mut parts = s.split('.');
    let major = parts.next().and_then(|p| p.parse::<u32>().ok());
    let minor = parts.next().map_or(Some(0), |p| p.parse::<u32>().ok());
    match (major, minor, parts.next()) {
        (Some(a), Some(b), None) if (7..=30).contains(&a) => (a, b),
        _ => {
            ctx.err_label(
                t,
                format!("`{s}` is not a PostgreSQL version"),
                "expected e.g. 15",
                "write the major version: 13, 14, 15, 16, 17 (or 9.6 for old clusters)",
            );
            (15, 0)
        }
    }
}

/// Check that a host has the role its use needs.
pub(crate) fn expect_role(
    ctx: &mut Ctx,
    hosts: &[Host],
    id: usize,
    at: &Text,
    role: HostRole,
    used_as: &str,
) {
    if ctx.unknown_role.contains(&id) {
        return;
    }
    if let Some(h) = hosts.get(id)
        && h.role != role
    {
        ctx.err_label(
            at,
            format!(
                "host `{}` is used as {used_as} but has role `{}`",
                h.name,
                h.role.as_str()
            ),
            "role mismatch",
            format!(
                "give host `{}` `role: {}`, or point at a host that has it",
                h.name,
                role.as_str()
            ),
        );
    }
}

pub(crate) fn cluster(
    ctx: &mut Ctx,
    raw: &RawCluster,
    hosts: &[Host],
    host_names: &Names,
) -> Cluster {
    let name = ctx.declare(&raw.name, "cluster");
    let from = format!("cluster `{name}`");
    let version = parse_version(ctx, &raw.version);
    let primary = ctx.resolve(host_names, &raw.primary, &from);
    if let Some(p) = primary {
        expect_role(
            ctx,
            hosts,
            p,
            &raw.primary,
            HostRole::Primary,
            "the primary",
        );
    }
    let standbys: Vec<Standby> = raw
        .standbys
        .iter()
        .filter_map(|s| {
            let host = ctx.resolve(host_names, &s.host, &from)?;
            expect_role(ctx, hosts, host, &s.host, HostRole::Standby, "a standby");
            if Some(host) == primary {
                ctx.err(
                    &s.host,
                    "a standby cannot run on the primary's host",
                    "put the standby on its own host",
                );
            }
            let mode = match s.mode.as_ref().map(Text::as_str) {
                None | Some("async") => ReplicationMode::Async,
                Some("sync") => ReplicationMode::Sync,
                Some(other) => {
                    let t = s.mode.clone().unwrap_or_else(|| Text::bare(String::new()));
                    ctx.err(
                        &t,
                        format!("unknown replication mode `{other}`"),
                        "write `mode: sync` or `mode: async`",
                    );
                    ReplicationMode::Async
                }
            };
            Some(Standby {
                host: HostId(host),
                mode,
            })
        })
        .collect();
    let sync_standbys = standbys
        .iter()
        .filter(|s| s.mode == ReplicationMode::Sync)
        .count();
    let resolved = ha(ctx, raw, host_names, sync_standbys);
    let data_size = ctx
        .parse(&raw.data_size, "size", parse_bytes)
        .unwrap_or_default();
    let wal_per_day = ctx
        .parse(&raw.wal_per_day, "size", parse_bytes)
        .unwrap_or_default();
    let archive_timeout = raw
        .archive_timeout
        .as_ref()
        .and_then(|t| ctx.parse(t, "duration", parse_duration));
    if let (Some(t), Some(d)) = (&raw.archive_timeout, archive_timeout)
        && d.as_secs() < 1.0
    {
        ctx.err(
            t,
            "archive_timeout must be at least 1 s",
            "PostgreSQL's archive_timeout is in seconds; 60 s is a common value",
        );
    }
    let segment = ctx.parse_or(&raw.wal_segment_size, "size", parse_bytes, Bytes(16 << 20));
    if let Some(t) = &raw.wal_segment_size {
        let mib = segment.0 >> 20;
        if !segment.0.is_multiple_of(1 << 20)
            || !mib.is_power_of_two()
            || !(1..=1024).contains(&mib)
        {
            ctx.err(
                t,
                "the WAL segment size must be a power of two from 1 MiB to 1 GiB",
                "PostgreSQL's default is 16 MiB",
            );
        }
    }
    let logical_corruption = raw
        .logical_corruption
        .as_ref()
        .and_then(|c| corruption(ctx, &c.rate, &c.detected_after));
    let port = raw.port.as_ref().map_or(5432, |p| {
        if p.value < 1024 && p.value != 0 {
            ctx.err(
                p,
                "ports below 1024 need root; PostgreSQL never runs as root",
                "use 5432 or another port ≥ 1024",
            );
        }
        p.value
    });
    Cluster {
        name,
        version,
        primary: HostId(primary.unwrap_or(0)),
        standbys,
        data_size,
        growth_per_year: ctx.parse_or(&raw.growth, "yearly growth", parse_growth, 0.0),
        wal_per_day,
        archive_timeout,
        wal_segment_size: segment,
        pg_wal_free: raw
            .pg_wal_free
            .as_ref()
            .and_then(|t| ctx.parse(t, "size", parse_bytes)),
        replay_rate: ctx.parse_or(
            &raw.replay_rate,
            "data rate",
            parse_byte_rate,
            ByteRate::from_bytes_per_sec(100.0 * 1024.0 * 1024.0),
        ),
        port,
        logical_corruption,
        failover_time: resolved.failover_time.unwrap_or_else(|| {
            ctx.parse_or(
                &raw.failover_time,
                "duration",
                parse_duration,
                Duration::from_secs(DEFAULT_FAILOVER_SECS),
            )
        }),
        declare_disaster_after: raw.declare_disaster_after.as_ref().and_then(|t| {
            if t.as_str().trim().eq_ignore_ascii_case("never") {
                None
            } else {
                ctx.parse(t, "duration or `never`", parse_duration)
            }
        }),
        repoint_time: ctx.parse_or(
            &raw.repoint_time,
            "duration",
            parse_duration,
            Duration::from_secs(DEFAULT_REPOINT_SECS),
        ),
        ha: resolved.ha,
        sync: resolved.sync,
    }
}

/// Barman streaming backups need PostgreSQL ≥ 9.4.
pub(crate) fn check_streaming_version(ctx: &mut Ctx, raw: &RawCluster, c: &Cluster, tier: &Text) {
    if c.version < MIN_STREAMING_VERSION {
        ctx.err_label(
            &raw.version,
            format!(
                "cluster `{}` runs PostgreSQL {}, but Barman tier `{}` uses streaming, which needs 9.4 or later",
                c.name,
                c.version_string(),
                tier.as_str()
            ),
            "too old for streaming",
            "use `backup_method: rsync` with `wal_archiving: archive-command`, or upgrade PostgreSQL",
        );
    }
}

/// Parse a Barman version such as "3.19" or "3.19.1" into (major, minor).
pub(crate) fn parse_barman_version(s: &str) -> Option<(u32, u32)> {
    let mut it = s.trim().split('.');
    let major = it.next()?.parse().ok()?;
    let minor = it.next().map_or(Some(0), |m| m.parse().ok())?;
    (2..=9).contains(&major).then_some((major, minor))
}
