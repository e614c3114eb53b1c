//! `pg_hba.conf` lines letting each Barman server in — the `barman` role to
//! the `postgres` database and the streaming role for replication — with
//! SCRAM passwords (kept in the Barman user's `.pgpass`). PostgreSQL before
//! 16 cannot include a file from `pg_hba.conf`, so these lines are merged
//! above the catch-all rules by the operator.

use std::fmt::Write as _;
use std::net::IpAddr;

use super::{Artifact, ExportContext, Renderer, Result};

/// Renders `pg_hba.conf.drplan` for each cluster's hosts.
pub struct PgHba;

/// An address as pg_hba wants it: an IP gets its host mask, a name stays.
fn hba_address(a: &str) -> String {
    match a.parse::<IpAddr>() {
        Ok(IpAddr::V4(_)) => format!("{a}/32"),
        Ok(IpAddr::V6(_)) => format!("{a}/128"),
        Err(_) => a.to_string(),
    }
}

impl Renderer for PgHba {
    fn render(&self, ctx: &ExportContext, out: &mut Vec<Artifact>) -> Result<()> {
        let s = ctx.scenario;
        let l = &ctx.layout;
        for (ci, c) in s.clusters.iter().enumerate() {
            let mut t = ctx.banner("#");
            let _ = writeln!(
                t,
                "#\n# Merge these lines into pg_hba.conf ABOVE any broader rule, then reload.\n# TYPE  DATABASE     USER               ADDRESS                          METHOD"
            );
            let mut any = false;
            for b in ctx.servers_of(ci) {
                let addr = hba_address(&ctx.host(b.host).address);
                let _ = writeln!(t, "# Barman tier {} on {}", b.name, ctx.host(b.host).name);
                let _ = writeln!(
                    t,
                    "host    postgres     {:<18} {:<32} scram-sha-256",
                    l.barman_role, addr
                );
                if b.uses_replication() {
                    let _ = writeln!(
                        t,
                        "host    replication  {:<18} {:<32} scram-sha-256",
                        l.streaming_role, addr
                    );
                }
                any = true;
            }
            // Patroni writes pg_hba.conf from its own configuration (see patroni.rs).
            if !any || c.patroni().is_some() {
                continue;
            }
            for h in c.hosts() {
                out.push(Artifact::on_host(
                    &ctx.host(h).name,
                    &format!("{}/pg_hba.conf.drplan", l.pg_conf_dir(c)),
                    &format!(
                        "pg_hba.conf lines for Barman (cluster `{}`): merge by hand",
                        c.name
                    ),
                    t.clone(),
                ));
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::hba_address;

    #[test]
    fn ips_get_a_host_mask_names_do_not() {
        assert_eq!(hba_address("10.0.0.5"), "10.0.0.5/32");
        assert_eq!(hba_address("::1"), "::1/128");
        assert_eq!(hba_address("backup-1.example.net"), "backup-1.example.net");
    }
}
