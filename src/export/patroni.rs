//! High availability under Patroni: a `patroni.yml` per node of a Patroni
//! cluster and the etcd member configuration (`/etc/default/etcd`, Debian's
//! `etcd-server`) per DCS member.
//!
//! `patroni.yml` carries the cluster-wide settings in `bootstrap.dcs` (ttl,
//! loop_wait, retry_timeout, synchronous_mode*, maximum_lag_on_failover, the
//! PostgreSQL parameters Barman needs — the list the `conf.d` snippet holds
//! for clusters without Patroni — and a **permanent physical slot** per
//! streaming Barman server, so that the slot exists on whichever node
//! leads), and per node the addresses, the Debian `bin_dir`, `pg_hba` lines
//! and the `nosync` tag of asynchronous standbys. No password: Patroni reads
//! `PATRONI_SUPERUSER_PASSWORD` and `PATRONI_REPLICATION_PASSWORD` from its
//! environment. Every string goes through [`quote::yaml_string`].

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::net::IpAddr;

use super::{
    Artifact, ExportContext, ExportError, Renderer, Result, pg_minimums, postgresql, quote,
};
use crate::model::{Cluster, HostId, PatroniTimings, ReplicationMode};

/// Renders `/etc/patroni/<version>-<cluster>.yml` and `/etc/default/etcd`.
pub struct Patroni;

/// Patroni's REST API port.
pub const RESTAPI_PORT: u16 = 8008;
/// etcd's client port.
pub const ETCD_CLIENT_PORT: u16 = 2379;
/// etcd's peer port.
pub const ETCD_PEER_PORT: u16 = 2380;
/// The database role Patroni replicates with.
pub const REPLICATION_ROLE: &str = "replicator";

/// Where a node's Patroni configuration goes (Debian's `patroni@<version>-<cluster>`).
pub fn config_path(c: &Cluster) -> String {
    format!("/etc/patroni/{}-{}.yml", c.version_string(), c.name)
}

/// `host:port`, with an IPv6 address in brackets.
fn host_port(address: &str, port: u16) -> String {
    match address.parse::<IpAddr>() {
        Ok(IpAddr::V6(_)) => format!("[{address}]:{port}"),
        _ => format!("{address}:{port}"),
    }
}

/// An address as pg_hba wants it: an IP gets its host mask, a name stays.
fn hba_address(a: &str) -> String {
    match a.parse::<IpAddr>() {
        Ok(IpAddr::V4(_)) => format!("{a}/32"),
        Ok(IpAddr::V6(_)) => format!("{a}/128"),
        Err(_) => a.to_string(),
    }
}

fn y(v: &str) -> String {
    quote::yaml_string(v)
}

/// The Patroni permanent slot of each streaming Barman server of cluster `ci`.
pub fn barman_slots(ctx: &ExportContext, ci: usize) -> Vec<String> {
    ctx.servers_of(ci)
        .filter(|b| b.wal_archiving.streams())
        .map(|b| ctx.slot_name(b))
        .collect()
}

fn bootstrap(ctx: &ExportContext, ci: usize, t: &PatroniTimings) -> String {
    let c = &ctx.scenario.clusters[ci];
    let mut o = String::new();
    let secs = |d: crate::model::Duration| d.as_secs().round() as u64;
    let _ = writeln!(
        o,
        "# Cluster-wide settings: read once, when the first node bootstraps the cluster.\n# Later changes: `patronictl -c {} edit-config` (this section is then ignored).\nbootstrap:\n  dcs:",
        config_path(c)
    );
    let _ = writeln!(
        o,
        "    # A crashed leader is replaced after about ttl - loop_wait / 2 + 2 s ({} s) on average.\n    ttl: {}\n    loop_wait: {}\n    retry_timeout: {}\n    # A replica further behind than this is never promoted.\n    maximum_lag_on_failover: {}",
        secs(t.failover_time()),
        secs(t.ttl),
        secs(t.loop_wait),
        secs(t.retry_timeout),
        t.maximum_lag_on_failover.0
    );
    match c.sync {
        Some(rule) => {
            let _ = writeln!(
                o,
                "    # Commits wait for {} of the nodes not tagged nosync; {}.\n    synchronous_mode: true\n    synchronous_mode_strict: {}\n    synchronous_node_count: {}",
                rule.count,
                if rule.strict {
                    "while none is up, writes BLOCK (strict)"
                } else {
                    "while none is up, Patroni turns replication asynchronous and a failover then loses the lag"
                },
                rule.strict,
                rule.count
            );
        }
        None => {
            let _ = writeln!(o, "    synchronous_mode: false");
        }
    }
    let (senders, slots) = pg_minimums::needed(ctx, ci);
    let _ = writeln!(
        o,
        "    postgresql:\n      # pg_rewind lets a failed leader rejoin as a replica (needs wal_log_hints or checksums).\n      use_pg_rewind: true\n      parameters:\n        # `logical` if the cluster uses logical decoding.\n        wal_level: {}\n        wal_log_hints: {}\n        max_wal_senders: {senders}\n        max_replication_slots: {slots}",
        y("replica"),
        y("on")
    );
    for st in postgresql::settings(ctx, ci) {
        for line in st.comment.lines() {
            let _ = writeln!(o, "        # {line}");
        }
        let _ = writeln!(o, "        {}: {}", st.name, y(&st.value));
    }
    let slots = barman_slots(ctx, ci);
    if !slots.is_empty() {
        let _ = writeln!(
            o,
            "    # Barman's slots, kept by Patroni on whichever node leads (4.x also on replicas,\n    # in advance): after a failover Barman streams on from the new leader, no WAL gap.\n    slots:"
        );
        for s in slots {
            let _ = writeln!(o, "      {}:\n        type: {}", y(&s), y("physical"));
        }
    }
    let _ = writeln!(
        o,
        "  initdb:\n    - encoding: {}\n    - {}",
        y("UTF8"),
        y("data-checksums")
    );
    o
}

fn node(ctx: &ExportContext, ci: usize, h: HostId, t: &PatroniTimings) -> String {
    let s = ctx.scenario;
    let l = &ctx.layout;
    let c = &s.clusters[ci];
    let ha = c.ha.as_ref().map(|h| h.dcs.clone()).unwrap_or_default();
    let host = ctx.host(h);
    let mut o = ctx.banner("#");
    let _ = writeln!(
        o,
        "#\n# Patroni for node `{}` of PostgreSQL {} cluster `{}`. Passwords are not here:\n# Patroni reads PATRONI_SUPERUSER_PASSWORD and PATRONI_REPLICATION_PASSWORD from its\n# environment (an EnvironmentFile of mode 0600 for patroni@{}-{}).\n",
        host.name,
        c.version_string(),
        c.name,
        c.version_string(),
        c.name
    );
    let _ = writeln!(
        o,
        "scope: {}\nnamespace: {}\nname: {}\n",
        y(&c.name),
        y("/service/"),
        y(&host.name)
    );
    let api = host_port(&host.address, RESTAPI_PORT);
    let _ = writeln!(
        o,
        "restapi:\n  listen: {}\n  connect_address: {}\n",
        y(&api),
        y(&api)
    );
    let _ = writeln!(
        o,
        "# The DCS: a majority of these {} etcd members must be up for a leader to keep its role.\netcd3:\n  hosts:",
        ha.len()
    );
    for m in &ha {
        let _ = writeln!(
            o,
            "    - {}",
            y(&host_port(&ctx.host(*m).address, ETCD_CLIENT_PORT))
        );
    }
    o.push('\n');
    o.push_str(&bootstrap(ctx, ci, t));
    let pg = host_port(&host.address, c.port);
    let _ = writeln!(
        o,
        "\npostgresql:\n  listen: {}\n  connect_address: {}\n  data_dir: {}\n  # Debian keeps the binaries of each major version apart.\n  bin_dir: {}\n  pgpass: {}\n  authentication:\n    superuser:\n      username: {}\n    replication:\n      username: {}\n  parameters:\n    unix_socket_directories: {}",
        y(&pg),
        y(&pg),
        y(&l.pg_data_dir(c)),
        y(&l.pg_bin(c)),
        y(&format!("/var/lib/postgresql/.pgpass.patroni-{}", c.name)),
        y(&l.postgres_user),
        y(REPLICATION_ROLE),
        y(&l.pg_socket_dir)
    );
    let _ = writeln!(o, "  pg_hba:\n    - {}", y("local all all peer"));
    for n in c.hosts() {
        let a = hba_address(&ctx.host(n).address);
        let _ = writeln!(
            o,
            "    - {}\n    - {}",
            y(&format!(
                "host replication {REPLICATION_ROLE} {a} scram-sha-256"
            )),
            y(&format!("host all {} {a} scram-sha-256", l.postgres_user))
        );
    }
    for b in ctx.servers_of(ci) {
        let a = hba_address(&ctx.host(b.host).address);
        let _ = writeln!(
            o,
            "    - {}",
            y(&format!(
                "host postgres {} {a} scram-sha-256",
                l.barman_role
            ))
        );
        if b.uses_replication() {
            let _ = writeln!(
                o,
                "    - {}",
                y(&format!(
                    "host replication {} {a} scram-sha-256",
                    l.streaming_role
                ))
            );
        }
    }
    let nosync = c
        .standbys
        .iter()
        .any(|sb| sb.host == h && sb.mode == ReplicationMode::Async);
    let _ = writeln!(
        o,
        "\ntags:\n  # An asynchronous standby ({}) is never picked as synchronous.\n  nosync: {nosync}\n  nofailover: false",
        if nosync { "this one" } else { "not this one" }
    );
    o
}

/// The etcd member configuration of DCS member `m` among `members`.
fn etcd(ctx: &ExportContext, c: &Cluster, m: HostId, members: &[HostId]) -> Result<String> {
    let url = |h: HostId, port: u16| format!("http://{}", host_port(&ctx.host(h).address, port));
    let initial: Vec<String> = members
        .iter()
        .map(|&h| format!("{}={}", ctx.host(h).name, url(h, ETCD_PEER_PORT)))
        .collect();
    let mut o = ctx.banner("#");
    let _ = writeln!(
        o,
        "#\n# etcd member `{}` of the DCS of cluster `{}` (Debian's etcd-server reads this file).\n# Start every member within a minute of the others the first time; then set\n# ETCD_INITIAL_CLUSTER_STATE=existing. Prefer TLS (ETCD_*_CERT_FILE) outside a trusted network.",
        ctx.host(m).name,
        c.name
    );
    let pairs = [
        ("ETCD_NAME", ctx.host(m).name.clone()),
        ("ETCD_DATA_DIR", "/var/lib/etcd/default".to_string()),
        ("ETCD_LISTEN_PEER_URLS", url(m, ETCD_PEER_PORT)),
        (
            "ETCD_LISTEN_CLIENT_URLS",
            format!(
                "{},http://127.0.0.1:{ETCD_CLIENT_PORT}",
                url(m, ETCD_CLIENT_PORT)
            ),
        ),
        ("ETCD_INITIAL_ADVERTISE_PEER_URLS", url(m, ETCD_PEER_PORT)),
        ("ETCD_ADVERTISE_CLIENT_URLS", url(m, ETCD_CLIENT_PORT)),
        ("ETCD_INITIAL_CLUSTER", initial.join(",")),
        ("ETCD_INITIAL_CLUSTER_TOKEN", format!("drplan-{}", c.name)),
        ("ETCD_INITIAL_CLUSTER_STATE", "new".to_string()),
    ];
    for (k, v) in pairs {
        if v.contains(['\n', '\r', '\0']) {
            return Err(ExportError::Unsupported {
                what: format!(
                    "etcd setting {k} of `{}` holds a line break",
                    ctx.host(m).name
                ),
                hint: "use plain host names and addresses".into(),
            });
        }
        let _ = writeln!(o, "{k}={}", quote::shell(&v));
    }
    Ok(o)
}

impl Renderer for Patroni {
    fn render(&self, ctx: &ExportContext, out: &mut Vec<Artifact>) -> Result<()> {
        let s = ctx.scenario;
        let mut etcd_of: BTreeMap<usize, (usize, Vec<HostId>)> = BTreeMap::new();
        for (ci, c) in s.clusters.iter().enumerate() {
            let Some(t) = c.patroni() else { continue };
            for h in c.hosts() {
                out.push(Artifact::on_host(
                    &ctx.host(h).name,
                    &config_path(c),
                    &format!("Patroni configuration of cluster `{}` on this node", c.name),
                    node(ctx, ci, h, t),
                ));
            }
            let members = c.ha.as_ref().map(|h| h.dcs.clone()).unwrap_or_default();
            for &m in &members {
                if let Some((other, theirs)) = etcd_of.get(&m.0)
                    && *theirs != members
                {
                    return Err(ExportError::Unsupported {
                        what: format!(
                            "host `{}` is a DCS member of clusters `{}` and `{}` with different member lists",
                            ctx.host(m).name,
                            s.clusters[*other].name,
                            c.name
                        ),
                        hint: "a host runs one etcd member: clusters sharing it must list the same DCS members".into(),
                    });
                }
                etcd_of.insert(m.0, (ci, members.clone()));
            }
        }
        for (m, (ci, members)) in etcd_of {
            let c = &s.clusters[ci];
            out.push(Artifact::on_host(
                &ctx.host(HostId(m)).name,
                "/etc/default/etcd",
                "etcd member of the Patroni DCS",
                etcd(ctx, c, HostId(m), &members)?,
            ));
        }
        Ok(())
    }
}
