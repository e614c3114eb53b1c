//! A cluster's `ha:` section: the manager, Patroni's DCS members and timings,
//! and the synchronous-replication rule. Impossible combinations (an even
//! number of DCS members, `ANY 2` over one sync standby, Patroni settings
//! without Patroni, …) are located errors with a hint.

use super::super::ha::{Ha, HaManager, PatroniTimings, SyncMethod, SyncRule};
use super::super::ids::HostId;
use super::super::raw::{RawCluster, RawHa, Sp, Text};
use super::super::units::{Duration, parse_bytes, parse_duration};
use super::ctx::{Ctx, Names};

/// Most DCS members drplan analyses (etcd recommends 3, 5 or 7).
pub const MAX_DCS_MEMBERS: usize = 9;

/// What the `ha:` section of a cluster resolves to.
pub(crate) struct Resolved {
    /// The section, when given.
    pub ha: Option<Ha>,
    /// The synchronous rule, when some standby is `mode: sync`.
    pub sync: Option<SyncRule>,
    /// The failover time Patroni's timings give, when the manager is Patroni.
    pub failover_time: Option<Duration>,
}

/// Resolve the `ha:` section of `raw`; `sync_standbys` counts its `mode: sync` standbys.
pub(crate) fn ha(
    ctx: &mut Ctx,
    raw: &RawCluster,
    host_names: &Names,
    sync_standbys: usize,
) -> Resolved {
    let name = raw.name.as_str();
    let Some(h) = &raw.ha else {
        // Plain PostgreSQL: every standby written `mode: sync` confirms each commit.
        return Resolved {
            ha: None,
            sync: (sync_standbys > 0).then_some(SyncRule {
                method: SyncMethod::First,
                count: sync_standbys,
                strict: true,
            }),
            failover_time: None,
        };
    };
    let manager = match h.manager.as_str() {
        "patroni" => HaManager::Patroni,
        "repmgr" => HaManager::Repmgr,
        "manual" => HaManager::Manual,
        other => {
            ctx.err_label(
                &h.manager,
                format!("unknown HA manager `{other}`"),
                "unknown manager",
                "write `patroni`, `repmgr` or `manual`",
            );
            HaManager::Manual
        }
    };
    let patroni = manager == HaManager::Patroni;
    let dcs = dcs_members(ctx, h, host_names, name, patroni);
    if !patroni {
        only_patroni(ctx, h);
    }
    let timings = patroni.then(|| timings(ctx, h));
    if patroni && let Some(t) = &raw.failover_time {
        ctx.err_label(
            t,
            format!("cluster `{name}` is managed by Patroni: its failover time follows from ttl and loop_wait"),
            "set by Patroni's timings",
            "remove `failover_time`; set `ha.ttl` and `ha.loop_wait` instead (failover ≈ ttl − loop_wait / 2 + 2 s)",
        );
    }
    let sync = if patroni {
        patroni_sync(ctx, h, name, sync_standbys)
    } else {
        names_sync(ctx, h, name, sync_standbys)
    };
    Resolved {
        failover_time: timings.map(|t| t.failover_time()),
        ha: Some(Ha {
            manager,
            dcs,
            patroni: timings,
        }),
        sync,
    }
}

fn dcs_members(
    ctx: &mut Ctx,
    h: &RawHa,
    host_names: &Names,
    cluster: &str,
    patroni: bool,
) -> Vec<HostId> {
    if !patroni {
        if let Some(first) = h.dcs.first() {
            ctx.err_label(
                first,
                format!(
                    "`dcs` lists quorum members, but `{}` keeps no quorum store",
                    h.manager.as_str()
                ),
                "only Patroni uses a DCS",
                "remove `dcs`, or use `manager: patroni`",
            );
        }
        return Vec::new();
    }
    if h.dcs.is_empty() {
        ctx.err_label(
            &h.manager,
            format!("cluster `{cluster}` is managed by Patroni but lists no DCS member"),
            "no quorum store",
            "add `dcs: [host-a, host-b, host-c]`: the hosts running an etcd member, three in three sites",
        );
        return Vec::new();
    }
    let from = format!("the DCS of cluster `{cluster}`");
    let mut out: Vec<HostId> = Vec::new();
    for m in &h.dcs {
        let Some(i) = ctx.resolve(host_names, m, &from) else {
            continue;
        };
        if out.contains(&HostId(i)) {
            ctx.err_label(
                m,
                format!("host `{}` is listed twice as a DCS member", m.as_str()),
                "listed twice",
                "one etcd member per host: a second one on the same host fails with it",
            );
            continue;
        }
        out.push(HostId(i));
    }
    let n = h.dcs.len();
    let last = &h.dcs[n - 1];
    if n.is_multiple_of(2) {
        ctx.err_label(
            last,
            format!(
                "{n} DCS members need {} for a majority and survive {} failure(s), no more than {} member(s) would",
                n / 2 + 1,
                n - (n / 2 + 1),
                n - 1
            ),
            "even number of members",
            "use an odd number (3 or 5), the third in a third site: with two sites, losing the one holding the majority stops automatic failover",
        );
    } else if n > MAX_DCS_MEMBERS {
        ctx.err_label(
            last,
            format!("{n} DCS members; drplan analyses at most {MAX_DCS_MEMBERS}"),
            "too many members",
            "etcd recommends 3, 5 or 7 members",
        );
    }
    out
}

/// Patroni-only keys given without Patroni.
fn only_patroni(ctx: &mut Ctx, h: &RawHa) {
    let texts = [
        ("ttl", &h.ttl),
        ("loop_wait", &h.loop_wait),
        ("retry_timeout", &h.retry_timeout),
        ("maximum_lag_on_failover", &h.maximum_lag_on_failover),
    ];
    let mut spans: Vec<(&str, Option<(usize, usize)>)> = texts
        .iter()
        .filter_map(|(k, t)| t.as_ref().map(|t| (*k, t.span)))
        .collect();
    if let Some(b) = &h.synchronous_mode {
        spans.push(("synchronous_mode", b.span));
    }
    if let Some(b) = &h.synchronous_mode_strict {
        spans.push(("synchronous_mode_strict", b.span));
    }
    if let Some(b) = &h.synchronous_node_count {
        spans.push(("synchronous_node_count", b.span));
    }
    for (key, span) in spans {
        ctx.err_label(
            &Sp { value: (), span },
            format!("`{key}` is a Patroni setting, but the manager is `{}`", h.manager.as_str()),
            "Patroni only",
            "use `manager: patroni`, or remove it (without Patroni, `synchronous_standby_names: \"FIRST 1\"` or `\"ANY 1\"` sets the synchronous rule)",
        );
    }
}

/// A whole number of seconds, at least `min`.
fn seconds(ctx: &mut Ctx, t: &Option<Text>, key: &str, default: f64, min: f64) -> Duration {
    let Some(t) = t else {
        return Duration::from_secs(default);
    };
    let Some(d) = ctx.parse(t, "duration", parse_duration) else {
        return Duration::from_secs(default);
    };
    let s = d.as_secs();
    if s.fract() != 0.0 || s < min || s > 86_400.0 {
        ctx.err_label(
            t,
            format!("Patroni's `{key}` is a whole number of seconds from {min} to 86400"),
            "not whole seconds",
            format!("Patroni's default is {default} s"),
        );
        return Duration::from_secs(default);
    }
    d
}

fn timings(ctx: &mut Ctx, h: &RawHa) -> PatroniTimings {
    let d = PatroniTimings::defaults();
    let ttl = seconds(ctx, &h.ttl, "ttl", d.ttl.as_secs(), 1.0);
    let loop_wait = seconds(ctx, &h.loop_wait, "loop_wait", d.loop_wait.as_secs(), 1.0);
    let retry_timeout = seconds(
        ctx,
        &h.retry_timeout,
        "retry_timeout",
        d.retry_timeout.as_secs(),
        1.0,
    );
    let need = loop_wait.as_secs() + 2.0 * retry_timeout.as_secs();
    if ttl.as_secs() < need {
        let at = h
            .ttl
            .as_ref()
            .or(h.loop_wait.as_ref())
            .or(h.retry_timeout.as_ref())
            .unwrap_or(&h.manager);
        ctx.err_label(
            at,
            format!(
                "ttl {} s is shorter than loop_wait + 2 × retry_timeout = {need} s",
                ttl.as_secs()
            ),
            "leader key expires too early",
            "Patroni needs ttl ≥ loop_wait + 2 × retry_timeout, or a slow DCS makes the leader demote itself: e.g. ttl 30 s, loop_wait 10 s, retry_timeout 10 s",
        );
    }
    let maximum_lag_on_failover =
        h.maximum_lag_on_failover
            .as_ref()
            .map_or(d.maximum_lag_on_failover, |t| {
                ctx.parse(t, "size", parse_bytes)
                    .unwrap_or(d.maximum_lag_on_failover)
            });
    PatroniTimings {
        ttl,
        loop_wait,
        retry_timeout,
        maximum_lag_on_failover,
    }
}

fn patroni_sync(ctx: &mut Ctx, h: &RawHa, cluster: &str, sync_standbys: usize) -> Option<SyncRule> {
    if let Some(t) = &h.synchronous_standby_names {
        ctx.err_label(
            t,
            "Patroni writes synchronous_standby_names itself",
            "managed by Patroni",
            "remove it; use `synchronous_mode: true` (and `synchronous_node_count`) instead",
        );
    }
    let on = h.synchronous_mode.as_ref().is_some_and(|b| b.value);
    let strict = h.synchronous_mode_strict.as_ref().is_some_and(|b| b.value);
    if let Some(b) = &h.synchronous_mode_strict
        && b.value
        && !on
    {
        ctx.err_label(
            b,
            "synchronous_mode_strict without synchronous_mode",
            "has no effect",
            "add `synchronous_mode: true`",
        );
    }
    if !on {
        if sync_standbys > 0 {
            ctx.err_label(
                &h.manager,
                format!("cluster `{cluster}` has `mode: sync` standbys, but Patroni's synchronous_mode is off: they would replicate asynchronously"),
                "synchronous_mode is off",
                "add `synchronous_mode: true` (writes turn asynchronous while no sync standby is up) or also `synchronous_mode_strict: true` (writes block), or write the standbys `mode: async`",
            );
        }
        return None;
    }
    if sync_standbys == 0 {
        let at = h
            .synchronous_mode
            .as_ref()
            .map_or(h.manager.span, |b| b.span);
        ctx.err_label(
            &Sp {
                value: (),
                span: at,
            },
            format!("synchronous_mode is on, but cluster `{cluster}` has no `mode: sync` standby"),
            "nothing to be synchronous with",
            "write the standbys Patroni may pick `mode: sync` (the others become `nosync`)",
        );
        return None;
    }
    let count = h.synchronous_node_count.as_ref().map_or(1, |n| {
        let v = n.value as usize;
        if v == 0 || v > sync_standbys {
            ctx.err_label(
                n,
                format!("synchronous_node_count {v} with {sync_standbys} `mode: sync` standby(s)"),
                "impossible count",
                format!("use a count from 1 to {sync_standbys}"),
            );
        }
        v.clamp(1, sync_standbys)
    });
    Some(SyncRule {
        method: SyncMethod::First,
        count,
        strict,
    })
}

/// Parse "FIRST 1" / "ANY 2".
fn names_sync(ctx: &mut Ctx, h: &RawHa, cluster: &str, sync_standbys: usize) -> Option<SyncRule> {
    let Some(t) = &h.synchronous_standby_names else {
        return (sync_standbys > 0).then_some(SyncRule {
            method: SyncMethod::First,
            count: sync_standbys,
            strict: true,
        });
    };
    let mut words = t.as_str().split_whitespace();
    let method = match words.next().map(str::to_ascii_uppercase).as_deref() {
        Some("FIRST") => Some(SyncMethod::First),
        Some("ANY") => Some(SyncMethod::Any),
        _ => None,
    };
    let count = words.next().and_then(|w| w.parse::<usize>().ok());
    let (Some(method), Some(count), None) = (method, count, words.next()) else {
        ctx.err_label(
            t,
            format!("`{}` is not a synchronous rule", t.as_str()),
            "expected FIRST n or ANY n",
            "write `FIRST 1` (the first connected sync standby in file order) or `ANY 1` (any of them); drplan lists the `mode: sync` standbys",
        );
        return None;
    };
    if sync_standbys == 0 {
        ctx.err_label(
            t,
            format!("cluster `{cluster}` has no `mode: sync` standby to wait for"),
            "no sync standby",
            "write the standbys commits wait for `mode: sync`, or remove the rule",
        );
        return None;
    }
    if count == 0 || count > sync_standbys {
        ctx.err_label(
            t,
            format!(
                "`{}` waits for {count} standby(s), but cluster `{cluster}` has {sync_standbys} `mode: sync` standby(s)",
                t.as_str()
            ),
            "impossible count",
            format!(
                "use a count from 1 to {sync_standbys}, or write more standbys `mode: sync`"
            ),
        );
        return None;
    }
    Some(SyncRule {
        method,
        count,
        strict: true,
    })
}
