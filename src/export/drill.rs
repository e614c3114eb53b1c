//! The restore-drill scripts: on the Barman server, stamp the cluster's
//! canary row (`public.drplan_canary`, created by the roles script and
//! stamped every minute by cron on the primary), restore the latest backup
//! onto the scenario's recovery host — with all the WAL Barman has
//! (`DRILL_TARGET=latest`, the default: the restored stamp tells the RPO
//! achieved) or to a restore point it creates just after the stamp
//! (`DRILL_TARGET=point`: the restored stamp must be the one written) —
//! start it on a spare port with
//! archiving off (a restored cluster inherits `archive_command` and would
//! ship its new timeline into production's archive), wait for promotion,
//! run the scenario's check query, and report the measured RTO against the
//! target. The restored cluster starts with the primary's
//! `max_connections`, `max_worker_processes`, `max_wal_senders`,
//! `max_prepared_transactions`, `max_locks_per_transaction` and `wal_level`
//! as `pg_controldata` records them, since the configuration of a Debian
//! cluster is not in the backup and recovery aborts below them. Exit 0 when
//! the drill passes within the RTO and RPO targets, 1 when it passes but
//! misses one, 2 when it fails; on 1 or 2 the `DRILL_NOTIFY` hook is
//! called. It deletes only what it created: a `DRILL_DIR` that already
//! exists is refused and left as it is. A restored cluster without the
//! canary fails the drill.
//!
//! `drills.tiers` adds drills of other tiers on their own schedules: a
//! passive node (the same script, run on that node, with no connection to
//! the primary: the restored stamp is compared with the drill's start) and a
//! bucket written by barman-cloud (run as postgres on the recovery host:
//! `barman-cloud-restore` of the newest backup and `barman-cloud-wal-restore`
//! for every WAL file the bucket holds).

use super::drill_script::{self, BARMAN_FNS, BARMAN_RESTORE, BUCKET_FNS, BUCKET_RESTORE, Params};
use super::{Artifact, ExportContext, Renderer, Result, barman_server, cloud, quote};
use crate::model::{BarmanServer, Cluster, HostId, TierRef};

/// Renders the drill scripts: the default one on the Barman host of each
/// cluster, and one per tier drill.
pub struct Drill;

/// File name of a cluster's drill script.
pub fn script_name(c: &Cluster) -> String {
    format!("drplan-restore-drill-{}", c.name)
}

/// File name of a tier drill's script.
pub fn tier_script_name(c: &Cluster, tier: &str) -> String {
    format!("drplan-restore-drill-{}-{tier}", c.name)
}

/// The Barman server each cluster's drill restores from: the first local
/// Barman server of the cluster.
pub fn drill_sources<'a>(ctx: &'a ExportContext) -> Vec<(&'a BarmanServer, &'a Cluster)> {
    let s = ctx.scenario;
    if s.drills.is_none() {
        return Vec::new();
    }
    s.clusters
        .iter()
        .enumerate()
        .filter_map(|(ci, c)| ctx.servers_of(ci).next().map(|b| (b, c)))
        .collect()
}

/// A tier drill as exported: where its script runs, as whom, under which name.
pub struct TierDrillScript<'a> {
    /// The tier.
    pub tier: TierRef,
    /// Its cluster.
    pub cluster: &'a Cluster,
    /// Host the script runs on.
    pub host: HostId,
    /// OS user it runs as.
    pub user: &'a str,
    /// Full path of the script.
    pub path: String,
    /// How often (days).
    pub every_days: f64,
}

/// Every tier drill of the scenario.
pub fn tier_drills<'a>(ctx: &'a ExportContext) -> Vec<TierDrillScript<'a>> {
    let s = ctx.scenario;
    let l = &ctx.layout;
    let Some(d) = &s.drills else {
        return Vec::new();
    };
    d.tiers
        .iter()
        .map(|td| {
            let cluster = &s.clusters[s.tier_cluster(td.tier).0];
            let name = s.tier_name(td.tier);
            let (host, user) = match td.tier {
                TierRef::Passive(p) => (s.passive_nodes[p.0].host, l.barman_user.as_str()),
                // Restored where it runs: on the recovery host, as postgres.
                TierRef::Cloud(_) | TierRef::Barman(_) => (d.host, l.postgres_user.as_str()),
            };
            TierDrillScript {
                tier: td.tier,
                cluster,
                host,
                user,
                path: format!("{}/{}", l.sbin_dir, tier_script_name(cluster, name)),
                every_days: td.every.as_days(),
            }
        })
        .collect()
}

fn sh_quote(v: &str) -> String {
    quote::shell(v)
}

impl Renderer for Drill {
    fn render(&self, ctx: &ExportContext, out: &mut Vec<Artifact>) -> Result<()> {
        let s = ctx.scenario;
        let Some(d) = &s.drills else { return Ok(()) };
        let l = &ctx.layout;
        let drill_host = ctx.host(d.host);
        let banner = ctx.banner("#");
        let rto = s.targets.rto.map_or(0, |r| r.as_secs().round() as u64);
        let rpo = s.targets.rpo.map_or(0, |r| r.as_secs().round() as u64);
        let ssh_to_drill = |from: HostId| {
            if from == d.host {
                String::new()
            } else {
                quote::shell_words(&[
                    "ssh".to_string(),
                    "-o".into(),
                    "BatchMode=yes".into(),
                    format!("{}@{}", l.postgres_user, drill_host.address),
                ])
            }
        };
        let barman_vars = format!("BARMAN_CONF=${{BARMAN_CONF:-{}}}\n", l.barman_conf);
        let common = |c: &'_ Cluster| {
            (
                l.pg_bin(c),
                if c.port < 64_000 {
                    c.port + 1000
                } else {
                    c.port - 1000
                },
            )
        };
        for (b, c) in drill_sources(ctx) {
            let barman_host = ctx.host(b.host);
            let pg = ctx.host(c.primary);
            let (pg_bin, drill_port) = common(c);
            let script = drill_script::script(&Params {
                banner: &banner,
                cluster: &c.name,
                dir_name: &c.name,
                source_doc: format!("from Barman server `{}` on {}", c.name, barman_host.name),
                run_as: "the Barman user",
                run_host: &barman_host.name,
                drill_host: &drill_host.name,
                source_vars: barman_vars.clone(),
                source_fns: BARMAN_FNS.into(),
                source_log: "Barman config $BARMAN_CONF",
                restore: BARMAN_RESTORE.into(),
                remote_q: sh_quote(&ssh_to_drill(b.host)),
                pg_bin,
                drill_port,
                socket: &l.pg_socket_dir,
                conninfo_q: sh_quote(&barman_server::conninfo(
                    &pg.address,
                    c.port,
                    &l.barman_role,
                )),
                check_q: sh_quote(&d.check_query),
                rto,
                rpo,
            });
            out.push(
                Artifact::on_host(
                    &barman_host.name,
                    &format!("{}/{}", l.sbin_dir, script_name(c)),
                    &format!("restore drill of `{}` onto {}", c.name, drill_host.name),
                    script,
                )
                .executable(),
            );
        }
        for (i, t) in tier_drills(ctx).into_iter().enumerate() {
            let c = t.cluster;
            let name = s.tier_name(t.tier);
            let host = ctx.host(t.host);
            let (pg_bin, port) = common(c);
            // Its own port and folder: drills of several tiers may overlap.
            let drill_port = if port < 64_000 {
                port + 1 + i as u16
            } else {
                port - 1 - i as u16
            };
            let dir_name = format!("{}-{name}", c.name);
            let (source_doc, source_vars, source_fns, source_log, restore) = match t.tier {
                TierRef::Passive(_) => (
                    format!("from the passive Barman node `{name}` on {}", host.name),
                    barman_vars.clone(),
                    BARMAN_FNS.to_string(),
                    "Barman config $BARMAN_CONF",
                    BARMAN_RESTORE.to_string(),
                ),
                TierRef::Cloud(k) => {
                    let k = &s.cloud_tiers[k.0];
                    let opts = cloud::options(k);
                    (
                        format!(
                            "from bucket `{name}` ({}, written by barman-cloud)",
                            cloud::destination(k)
                        ),
                        format!(
                            "CLOUD_URL=${{CLOUD_URL:-{}}}\n# barman-cloud options; credentials come from the environment or the provider's profile.\nCLOUD_OPTS=${{CLOUD_OPTS:-{}}}\n",
                            sh_quote(&cloud::destination(k)),
                            sh_quote(&opts.join(" "))
                        ),
                        BUCKET_FNS.to_string(),
                        "bucket $CLOUD_URL",
                        BUCKET_RESTORE.to_string(),
                    )
                }
                TierRef::Barman(_) => continue,
            };
            let script = drill_script::script(&Params {
                banner: &banner,
                cluster: &c.name,
                dir_name: &dir_name,
                source_doc,
                run_as: t.user,
                run_host: &host.name,
                drill_host: &drill_host.name,
                source_vars,
                source_fns,
                source_log,
                restore,
                remote_q: sh_quote(&ssh_to_drill(t.host)),
                pg_bin,
                drill_port,
                socket: &l.pg_socket_dir,
                // No connection to the primary from here: the restored
                // stamp is compared with the drill's start.
                conninfo_q: sh_quote(""),
                check_q: sh_quote(&d.check_query),
                rto,
                rpo,
            });
            out.push(
                Artifact::on_host(
                    &host.name,
                    &t.path,
                    &format!(
                        "restore drill of `{}` from tier {name} onto {}",
                        c.name, drill_host.name
                    ),
                    script,
                )
                .executable(),
            );
        }
        Ok(())
    }
}
