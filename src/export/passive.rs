//! The passive Barman node: the same server name as the primary Barman,
//! `primary_ssh_command` instead of any PostgreSQL connection, the primary's
//! compression (WAL files are copied as stored) and its own retention.

use super::barman_server::compression_value;
use super::ini::Section;
use super::{Artifact, ExportContext, Renderer, Result, quote};
use crate::model::PassiveId;

/// Renders `/etc/barman.d/<cluster>.conf` on every passive node.
pub struct PassiveNodes;

impl Renderer for PassiveNodes {
    fn render(&self, ctx: &ExportContext, out: &mut Vec<Artifact>) -> Result<()> {
        let s = ctx.scenario;
        let l = &ctx.layout;
        for (i, p) in s.passive_nodes.iter().enumerate() {
            let primary = &s.barman_servers[p.primary.0];
            let c = ctx.cluster_of(primary);
            let primary_host = ctx.host(primary.host);
            let mut sec = Section::new(&c.name);
            sec.set(
                "description",
                format!(
                    "passive copy of {} from {} (tier {}, scenario {})",
                    c.name, primary_host.name, p.name, s.name
                ),
                "",
            );
            sec.set(
                "primary_ssh_command",
                quote::shell_words(&[
                    "ssh".to_string(),
                    format!("{}@{}", l.barman_user, primary_host.address),
                ]),
                "Makes this server passive: `barman cron` pulls backups and WAL from the primary Barman\nover this command (rsync -e). Restrict the key on the primary (see README).",
            );
            if let Some(comp) = compression_value(primary.compression, &primary.name)? {
                sec.set(
                    "compression",
                    comp,
                    "Must equal the primary Barman's compression.",
                );
            }
            sec.set(
                "path_prefix",
                l.pg_bin(c),
                "Recovery from this node uses the cluster's major version.",
            );
            sec.set(
                "retention_policy",
                p.retention.to_string(),
                "The passive node applies its own retention.",
            );
            sec.set("wal_retention_policy", "main", "");
            sec.set("minimum_redundancy", p.minimum_redundancy.to_string(), "");
            let th = super::monitoring::passive_thresholds(ctx, PassiveId(i));
            sec.set(
                "last_backup_maximum_age",
                format!("{} hours", th.backup_max_age_h),
                "barman check fails when the newest synced backup is older: the primary's threshold plus one sync\n(sync interval and copying a full backup over the link), +25 %.",
            );
            sec.set(
                "last_wal_maximum_age",
                format!("{} hours", th.wal_max_age_h),
                "barman check fails when no WAL was synced for this long: the primary's, plus one sync.",
            );
            sec.set(
                "last_backup_minimum_size",
                format!("{} Mi", th.backup_min_size_mib),
                "barman check fails when the newest synced backup is smaller than half of the planned data size.",
            );
            let contents = format!("{}\n{}", ctx.banner(";"), sec.render()?);
            out.push(Artifact::on_host(
                &ctx.host(p.host).name,
                &l.server_conf(&c.name),
                &format!("passive Barman server `{}` (tier {})", c.name, p.name),
                contents,
            ));
        }
        Ok(())
    }
}
