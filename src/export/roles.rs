//! The least-privilege roles Barman needs, as idempotent SQL to run once on
//! the primary: `barman` (no superuser) with EXECUTE on the backup, WAL
//! switch and restore-point functions, `pg_read_all_settings`,
//! `pg_read_all_stats` and, from PostgreSQL 15, `pg_checkpoint` (without it
//! `barman switch-wal --force` fails; Barman's docs omit it), and
//! `streaming_barman` with REPLICATION. No password is set here.

use std::fmt::Write as _;

use super::{Artifact, ExportContext, Renderer, Result};
use crate::model::Cluster;

/// Renders `barman-roles.sql` on each cluster's primary.
pub struct Roles;

/// The `GRANT` statements for a major version.
pub fn grants(c: &Cluster, role: &str) -> Vec<String> {
    let major = c.version.0;
    let mut g = Vec::new();
    let f = |sig: &str| format!("GRANT EXECUTE ON FUNCTION {sig} TO {role};");
    if major >= 15 {
        g.push(f("pg_backup_start(text, boolean)"));
        g.push(f("pg_backup_stop(boolean)"));
    } else {
        g.push(f("pg_start_backup(text, boolean, boolean)"));
        g.push(f("pg_stop_backup()"));
        g.push(f("pg_stop_backup(boolean, boolean)"));
    }
    if major >= 10 {
        g.push(f("pg_switch_wal()"));
    } else {
        g.push(f("pg_switch_xlog()"));
    }
    g.push(f("pg_create_restore_point(text)"));
    if major >= 10 {
        g.push(format!("GRANT pg_read_all_settings TO {role};"));
        g.push(format!("GRANT pg_read_all_stats TO {role};"));
    }
    if major >= 15 {
        g.push(format!("GRANT pg_checkpoint TO {role};"));
    }
    g
}

fn create_role(name: &str, attrs: &str) -> String {
    format!(
        "DO $$\nBEGIN\n    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '{name}') THEN\n        CREATE ROLE {name} {attrs};\n    END IF;\nEND\n$$;\n"
    )
}

impl Renderer for Roles {
    fn render(&self, ctx: &ExportContext, out: &mut Vec<Artifact>) -> Result<()> {
        let s = ctx.scenario;
        let l = &ctx.layout;
        for (ci, c) in s.clusters.iter().enumerate() {
            if ctx.servers_of(ci).next().is_none() {
                continue;
            }
            let mut t = ctx.banner("--");
            let _ = writeln!(
                t,
                "--\n-- Roles for Barman on PostgreSQL {} cluster `{}`. Run once on the primary as a\n-- superuser: psql -X -v ON_ERROR_STOP=1 -d postgres -f barman-roles-{}.sql\n-- Then set the passwords interactively (\\password {}, \\password {}) and put\n-- them in the Barman user's ~/.pgpass (mode 0600). No password is written here.\n",
                c.version_string(),
                c.name,
                c.name,
                l.barman_role,
                l.streaming_role
            );
            t.push_str(&create_role(&l.barman_role, "LOGIN"));
            let _ = writeln!(
                t,
                "-- Backups without superuser: start/stop, WAL switch, restore points (PITR markers)."
            );
            for g in grants(c, &l.barman_role) {
                let _ = writeln!(t, "{g}");
            }
            let _ = writeln!(
                t,
                "-- pg_basebackup and pg_receivewal use the replication protocol only."
            );
            t.push_str(&create_role(&l.streaming_role, "LOGIN REPLICATION"));
            if s.drills.is_some() {
                let _ = writeln!(
                    t,
                    "-- The restore drill's canary: cron stamps it every minute on the primary; a drill\n-- stamps it, restores, and reads back how old the restored stamp is (the RPO achieved).\nCREATE TABLE IF NOT EXISTS public.drplan_canary (id int PRIMARY KEY CHECK (id = 1), at timestamptz NOT NULL);\nINSERT INTO public.drplan_canary VALUES (1, clock_timestamp()) ON CONFLICT (id) DO NOTHING;\nGRANT SELECT, UPDATE ON public.drplan_canary TO {};",
                    l.barman_role
                );
            }
            out.push(Artifact::on_host(
                &ctx.host(c.primary).name,
                &format!("/var/lib/postgresql/drplan/barman-roles-{}.sql", c.name),
                &format!(
                    "roles for Barman on cluster `{}`: run once on the primary",
                    c.name
                ),
                t,
            ));
        }
        Ok(())
    }
}
