//! Values that parse but that the model would misread or the export would
//! silently break: a standby listed twice, port 0, a passive sync more often
//! than cron can run it, a drill every "0 days", a cluster shrinking by
//! 100 % a year, no free space for `pg_wal`, host names that differ only by
//! case (their export folders collide on case-insensitive file systems), a
//! Barman server that no link joins to its primary, links or buckets
//! with no bandwidth, and a disaster declared with no host to restore onto.
//! Each is reported at its value with a hint.

use std::collections::HashMap;

use super::super::Drills;
use super::super::infra::{Host, HostRole, Link};
use super::super::postgres::Cluster;
use super::super::raw::RawScenario;
use super::super::tiers::{BarmanServer, CloudTier, PassiveNode};
use super::ctx::Ctx;

/// The typed values the checks read, beside the raw scenario for spans.
pub(crate) struct Typed<'a> {
    pub hosts: &'a [Host],
    pub links: &'a [Link],
    pub clusters: &'a [Cluster],
    pub barman: &'a [BarmanServer],
    pub passive: &'a [PassiveNode],
    pub cloud: &'a [CloudTier],
    pub drills: Option<&'a Drills>,
}

pub(crate) fn check(ctx: &mut Ctx, raw: &RawScenario, t: &Typed<'_>) {
    let mut lower: HashMap<String, &str> = HashMap::new();
    for h in &raw.hosts {
        let name = h.name.as_str();
        match lower.get(&name.to_ascii_lowercase()) {
            Some(other) if *other != name => ctx.err_label(
                &h.name,
                format!("host `{name}` differs from host `{other}` only by case"),
                "same name, other case",
                "host names become export folders, which collide on case-insensitive file systems: give each host a name that differs by more than case",
            ),
            _ => {
                lower.insert(name.to_ascii_lowercase(), name);
            }
        }
    }
    for (rl, l) in raw.links.iter().zip(t.links) {
        if l.bandwidth.bytes_per_sec() <= 0.0 {
            ctx.err(
                &rl.bandwidth,
                format!("link `{}` has no bandwidth", l.name),
                "give the usable bandwidth, e.g. \"1 Gbit/s\": transfer and restore times are divided by it",
            );
        }
    }
    for (rc, c) in raw.cloud.iter().zip(t.cloud) {
        if c.bandwidth.bytes_per_sec() <= 0.0 {
            ctx.err(
                &rc.bandwidth,
                format!("cloud tier `{}` has no bandwidth", c.name),
                "give the bandwidth to and from the bucket, e.g. \"1 Gbit/s\"",
            );
        }
    }
    let recovery_host = t.hosts.iter().any(|h| h.role == HostRole::Recovery);
    for (rc, c) in raw.clusters.iter().zip(t.clusters) {
        if let (Some(at), Some(_), false) = (
            &rc.declare_disaster_after,
            c.declare_disaster_after,
            recovery_host,
        ) {
            ctx.err_label(
                at,
                format!(
                    "cluster `{}` declares a disaster after {at_s}, but no host has `role: recovery` to restore onto",
                    c.name,
                    at_s = at.as_str()
                ),
                "nowhere to restore",
                "add a host with `role: recovery` (in another site, to survive a site loss), or write `declare_disaster_after: never`: the outage is then waited out",
            );
        }
        for (i, s) in rc.standbys.iter().enumerate() {
            if rc.standbys[..i]
                .iter()
                .any(|o| o.host.value == s.host.value)
            {
                ctx.err_label(
                    &s.host,
                    format!(
                        "cluster `{}` lists standby `{}` twice",
                        c.name,
                        s.host.as_str()
                    ),
                    "listed twice",
                    "list each standby host once",
                );
            }
        }
        if let Some(p) = &rc.port
            && p.value == 0
        {
            ctx.err(
                p,
                "port 0 is not a port PostgreSQL can listen on",
                "use 5432 or another port ≥ 1024",
            );
        }
        if let Some(g) = &rc.growth
            && c.growth_per_year <= -1.0
        {
            ctx.err(
                g,
                "a yearly growth of −100 % or less would make the cluster vanish",
                "write the expected growth, e.g. \"20%/yr\", or \"-10%/yr\" for a shrinking cluster",
            );
        }
        if let (Some(f), Some(free)) = (&rc.pg_wal_free, c.pg_wal_free)
            && free.0 == 0
        {
            ctx.err(
                f,
                "pg_wal_free 0 leaves no room for WAL: PostgreSQL stops at once when archiving lags",
                "give the free space of the pg_wal volume, e.g. \"50 GiB\"",
            );
        }
    }
    for (rp, p) in raw.passive.iter().zip(t.passive) {
        if let Some(s) = &rp.sync_interval
            && p.sync_interval.as_secs() < 60.0
        {
            ctx.err(
                s,
                format!(
                    "passive node `{}` syncs every {}: cron runs a job at most once a minute",
                    p.name, p.sync_interval
                ),
                "use a sync_interval of 1 min or more",
            );
        }
    }
    for (rb, b) in raw.barman.iter().zip(t.barman) {
        let Some(c) = t.clusters.get(b.cluster.0) else {
            continue;
        };
        let (Some(mine), Some(pg)) = (t.hosts.get(b.host.0), t.hosts.get(c.primary.0)) else {
            continue;
        };
        if mine.site != pg.site && !t.links.iter().any(|l| l.joins(mine.site, pg.site)) {
            ctx.err_label(
                &rb.host,
                format!(
                    "Barman server `{}` is in another site than the primary of `{}` and no link joins them",
                    b.name, c.name
                ),
                "unreachable primary",
                "add a `links:` entry between the two sites (with its bandwidth), or put the Barman server in the primary's site",
            );
        }
    }
    if let (Some(rd), Some(d)) = (&raw.drills, t.drills)
        && d.every.as_days() < 1.0
    {
        ctx.err(
            &rd.every,
            format!("a drill every {} cannot be scheduled", d.every),
            "drills run from cron at most daily: write e.g. \"30 days\"",
        );
    }
}
