//! PostgreSQL settings Barman needs, as a `conf.d` snippet for the primary
//! and every standby (a promoted standby must accept Barman at once):
//! `archive_command` when WAL is shipped by PostgreSQL, `archive_timeout`,
//! and the
//! `max_slot_wal_keep_size` the disk projection recommends.

use std::fmt::Write as _;

use super::{Artifact, ExportContext, Renderer, Result, cloud, pg_minimums};
use crate::model::CloudVia;

/// Renders `conf.d/drplan-barman.conf` for each cluster's hosts.
pub struct PostgresSettings;

/// A `postgresql.conf` string value.
fn quote(v: &str) -> Result<String> {
    Ok(super::quote::pg_conf_value(v)?)
}

impl Renderer for PostgresSettings {
    fn render(&self, ctx: &ExportContext, out: &mut Vec<Artifact>) -> Result<()> {
        let s = ctx.scenario;
        for (ci, c) in s.clusters.iter().enumerate() {
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
            if let Some(to) = c.archive_timeout {
                let _ = writeln!(
                    t,
                    "# Forces a WAL switch at least this often: bounds the RPO of archive-based tiers."
                );
                let _ = writeln!(t, "archive_timeout = '{}s'", to.as_secs().round() as u64);
            }
            let keep = ctx
                .slot_keep
                .get(&c.name)
                .filter(|_| streaming > 0 && c.version.0 >= 13);
            {
                if let Some(bytes) = keep {
                    let mb = (bytes / (1024 * 1024)).max(1);
                    let _ = writeln!(
                        t,
                        "# A dead Barman makes its slot retain WAL until pg_wal fills and PostgreSQL stops.\n# This cap (from `drplan disk`: pg_wal free space less a margin) keeps the primary\n# up at the price of invalidating the slot: Barman then needs a new backup."
                    );
                    let _ = writeln!(t, "max_slot_wal_keep_size = '{mb}MB'");
                }
            }
            if !archive.is_empty() {
                let _ = writeln!(
                    t,
                    "# WAL shipped by PostgreSQL: every command must succeed before a segment is recycled."
                );
                let _ = writeln!(t, "archive_mode = on");
                let _ = writeln!(t, "archive_command = {}", quote(&archive.join(" && "))?);
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
