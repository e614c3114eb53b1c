//! `barman.conf`: the `[barman]` section, one per host that runs Barman.

use std::collections::BTreeSet;

use super::ini::Section;
use super::{Artifact, ExportContext, Renderer, Result};

/// Renders `/etc/barman.conf` on every Barman host (local or passive).
pub struct BarmanGlobal;

impl Renderer for BarmanGlobal {
    fn render(&self, ctx: &ExportContext, out: &mut Vec<Artifact>) -> Result<()> {
        let s = ctx.scenario;
        let hosts: BTreeSet<usize> = s
            .barman_servers
            .iter()
            .map(|b| b.host.0)
            .chain(s.passive_nodes.iter().map(|p| p.host.0))
            .collect();
        let l = &ctx.layout;
        for h in hosts {
            let host = &s.hosts[h];
            let mut g = Section::new("barman");
            g.set("barman_user", &l.barman_user, "Barman runs as this OS user (cron entries use it too).")
                .set("barman_home", &l.barman_home, "Must exist before the first `barman cron`; one folder per server inside.")
                .set("configuration_files_directory", &l.conf_dir, "Server files: only names ending in `.conf` are read.")
                .set("log_file", &l.log_file, "")
                .set("log_level", "INFO", "")
                .set(
                    "cloud_staging_directory",
                    format!("{}/cloud-staging", l.barman_home),
                    "Barman creates this on every check and backup, even without cloud storage;\nthe default (/tmp/barman/cloud-staging) is shared by every user of the host.",
                );
            let contents = format!("{}\n{}", ctx.banner(";"), g.render()?);
            out.push(Artifact::on_host(
                &host.name,
                &l.barman_conf,
                "global Barman configuration",
                contents,
            ));
        }
        Ok(())
    }
}
