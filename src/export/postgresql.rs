//! PostgreSQL settings Barman needs, as a `conf.d` snippet for the primary
//! and every standby (a promoted standby must accept Barman at once):
//! `archive_command` when WAL is shipped by PostgreSQL, `archive_timeout`,
//! the `max_slot_wal_keep_size` the disk projection recommends, and the
//! synchronous rule (`synchronous_standby_names`, `synchronous_commit`) of
//! the scenario's `mode: sync` standbys. [`settings`] is the one list; a
//! Patroni cluster gets it in its `patroni.yml` instead (Patroni writes
//! `postgresql.conf` and manages the synchronous rule itself).

use std::fmt::Write as _;

use super::{Artifact, ExportContext, Renderer, Result, cloud, pg_minimums};
use crate::model::{CloudVia, Cluster};

/// Renders `conf.d/drplan-barman.conf` for each cluster's hosts.
pub struct PostgresSettings;

/// A `postgresql.conf` string value.
fn quote(v: &str) -> Result<String> {
    Ok(super::quote::pg_conf_value(v)?)
}

/// One PostgreSQL setting Barman or the synchronous rule needs, with why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Setting {
    /// Parameter name.
    pub name: &'static str,
    /// Its value as PostgreSQL reads it (unquoted).
    pub value: String,
    /// Whether `postgresql.conf` needs it quoted (a string, not a keyword).
    pub quoted: bool,
    /// Why, as comment lines (without the `#`).
    pub comment: String,
}

/// `synchronous_standby_names` of a cluster: the rule over the sync-capable
/// nodes, each named by its host (the `application_name` its
/// `primary_conninfo` must carry). The leader's own name in the list is
/// never connected, so one value serves every node.
pub fn synchronous_standby_names(ctx: &ExportContext, c: &Cluster) -> Option<String> {
    let rule = c.sync?;
    let names: Vec<String> = c
        .sync_nodes()
        .map(|h| super::quote::sql_ident(&ctx.host(h).name))
        .collect();
    Some(format!(
        "{} {} ({})",
        rule.method.as_str(),
        rule.count,
        names.join(", ")
    ))
}

/// The settings of cluster `ci` in file order: the one source of the
/// `conf.d` snippet and of Patroni's `postgresql.parameters`.
pub fn settings(ctx: &ExportContext, ci: usize) -> Vec<Setting> {
    let s = ctx.scenario;
    let c = &s.clusters[ci];
    let servers: Vec<_> = ctx.servers_of(ci).collect();
    let streaming = servers.iter().filter(|b| b.wal_archiving.streams()).count();
    let mut archive: Vec<String> = servers
        .iter()
        .filter(|b| b.wal_archiving.ships_by_archive_command())
        .map(|b| {
            format!(
                "{} %p",
                super::quote::shell_words(&[
                    "barman-wal-archive",
                    ctx.host(b.host).address.as_str(),
                    c.name.as_str()
                ])
            )
        })
        .collect();
    archive.extend(
        s.cloud_tiers
            .iter()
            .filter(|t| t.cluster.0 == ci && t.via == CloudVia::ArchiveCommand)
            .map(|t| format!("{} %p", cloud::wal_archive(t, c))),
    );
    let mut out = Vec::new();
    if let Some(to) = c.archive_timeout {
        out.push(Setting {
            name: "archive_timeout",
            value: format!("{}s", to.as_secs().round() as u64),
            quoted: true,
            comment:
                "Forces a WAL switch at least this often: bounds the RPO of archive-based tiers."
                    .into(),
        });
    }
    let keep = ctx
        .slot_keep
        .get(&c.name)
        .filter(|_| streaming > 0 && c.version.0 >= 13);
    if let Some(bytes) = keep {
        let mb = (bytes / (1024 * 1024)).max(1);
        out.push(Setting {
            name: "max_slot_wal_keep_size",
            value: format!("{mb}MB"),
            quoted: true,
            comment: "A dead Barman makes its slot retain WAL until pg_wal fills and PostgreSQL stops.\nThis cap (from `drplan disk`: pg_wal free space less a margin) keeps the primary\nup at the price of invalidating the slot: Barman then needs a new backup.".into(),
        });
    }
    if !archive.is_empty() {
        out.push(Setting {
            name: "archive_mode",
            value: "on".into(),
            quoted: false,
            comment: "WAL shipped by PostgreSQL: every command must succeed before a segment is recycled."
                .into(),
        });
        out.push(Setting {
            name: "archive_command",
            value: archive.join(" && "),
            quoted: true,
            comment: String::new(),
        });
    }
    if c.patroni().is_none()
        && let (Some(rule), Some(names)) = (c.sync, synchronous_standby_names(ctx, c))
    {
        let wait = if rule.count == 1 {
            "one standby".to_string()
        } else {
            format!("{} standbys", rule.count)
        };
        out.push(Setting {
            name: "synchronous_standby_names",
            value: names,
            quoted: true,
            comment: format!(
                "The scenario's `mode: sync` standbys: each commit waits for {wait} to flush it, so a\nfailover to one of them loses nothing. While fewer are connected, commits BLOCK\n(PostgreSQL does not fall back to asynchronous). Each node's primary_conninfo must\nset application_name to its host name as listed here."
            ),
        });
        out.push(Setting {
            name: "synchronous_commit",
            value: "on".into(),
            quoted: false,
            comment: "Commits wait for the synchronous standbys to flush the WAL (remote_write would\nlose it if a standby's OS crashed; off would lose it on a failover).".into(),
        });
    }
    out
}

impl Renderer for PostgresSettings {
    fn render(&self, ctx: &ExportContext, out: &mut Vec<Artifact>) -> Result<()> {
        let s = ctx.scenario;
        for (ci, c) in s.clusters.iter().enumerate() {
            if c.patroni().is_some() {
                // Patroni writes postgresql.conf itself: see patroni.rs.
                continue;
            }
            let mut t = ctx.banner("#");
            let _ = writeln!(
                t,
                "#\n# PostgreSQL {} cluster `{}`: settings for Barman. postgresql-common's\n# postgresql.conf reads conf.d/ (include_dir = 'conf.d'). Restart to apply.\n",
                c.version_string(),
                c.name
            );
            let (senders, slots) = pg_minimums::needed(ctx, ci);
            let _ = writeln!(
                t,
                "# wal_level (replica or logical), max_wal_senders (>= {senders}) and max_replication_slots\n# (>= {slots}) are not set here: this file is read last and would lower a higher value.\n# Run {} once instead: it raises only what is below the minimum.\n",
                pg_minimums::script_path(ctx, c)
            );
            for st in settings(ctx, ci) {
                for line in st.comment.lines() {
                    let _ = writeln!(t, "# {line}");
                }
                let value = if st.quoted {
                    quote(&st.value)?
                } else {
                    st.value.clone()
                };
                let _ = writeln!(t, "{} = {value}", st.name);
            }
            for h in c.hosts() {
                out.push(Artifact::on_host(
                    &ctx.host(h).name,
                    &format!("{}/conf.d/drplan-barman.conf", ctx.layout.pg_conf_dir(c)),
                    &format!("PostgreSQL settings of cluster `{}` for Barman", c.name),
                    t.clone(),
                ));
            }
        }
        Ok(())
    }
}
