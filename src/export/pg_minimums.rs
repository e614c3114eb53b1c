//! PostgreSQL settings as minimums: `wal_level`, `max_wal_senders` and
//! `max_replication_slots` are not written into the `conf.d` snippet —
//! `include_dir = 'conf.d'` is read last, so a fixed value there would lower
//! a `logical` cluster to `replica` (PostgreSQL then refuses to start while a
//! logical slot exists) or cut the slots of a cluster that has more. Instead
//! each host gets a script that reads the running values with `SHOW` and
//! raises each one only when it is below what Barman needs, with `ALTER
//! SYSTEM`, and says whether a restart is needed.

use super::{Artifact, ExportContext, Renderer, Result, quote};
use crate::model::Cluster;

/// Renders `drplan-raise-settings-<cluster>` for each cluster's hosts.
pub struct PgMinimums;

/// `(max_wal_senders, max_replication_slots)` the cluster needs at least:
/// two senders per Barman server (backup + WAL stream), one sender and slot
/// per standby and per streaming Barman, two spare, never below 10.
pub fn needed(ctx: &ExportContext, ci: usize) -> (usize, usize) {
    let c = &ctx.scenario.clusters[ci];
    let servers: Vec<_> = ctx.servers_of(ci).collect();
    let streaming = servers.iter().filter(|b| b.wal_archiving.streams()).count();
    let senders = (2 * servers.len() + c.standbys.len() + 2).max(10);
    let slots = (streaming + c.standbys.len() + 2).max(10);
    (senders, slots)
}

/// Where the script goes on a PostgreSQL host.
pub fn script_path(ctx: &ExportContext, c: &Cluster) -> String {
    format!("{}/drplan-raise-settings-{}", ctx.layout.sbin_dir, c.name)
}

impl Renderer for PgMinimums {
    fn render(&self, ctx: &ExportContext, out: &mut Vec<Artifact>) -> Result<()> {
        let s = ctx.scenario;
        let l = &ctx.layout;
        for (ci, c) in s.clusters.iter().enumerate() {
            // Patroni sets these from bootstrap.dcs (see patroni.rs).
            if ctx.servers_of(ci).next().is_none() || c.patroni().is_some() {
                continue;
            }
            let (senders, slots) = needed(ctx, ci);
            let script = format!(
                r#"#!/usr/bin/env bash
{banner}#
# Raises, never lowers, what Barman needs on PostgreSQL cluster `{cluster}`:
# wal_level at least replica (logical stays logical), max_wal_senders at least
# {senders}, max_replication_slots at least {slots}. Reads the running values with
# SHOW and changes only those below the minimum, with ALTER SYSTEM
# (postgresql.auto.conf); prints each decision and whether a restart is needed.
# Run as {pg_user} on the primary and on every standby.
set -euo pipefail
PSQL=${{PSQL:-{psql}}}
export PGHOST=${{PGHOST:-{socket}}} PGPORT=${{PGPORT:-{port}}}
q() {{ "$PSQL" -X -w -At -v ON_ERROR_STOP=1 -d postgres -c "$1"; }}
changed=0
raise() {{
    local name=$1 min=$2 cur
    cur=$(q "SHOW $name")
    if ((cur < min)); then
        q "ALTER SYSTEM SET $name = $min" >/dev/null
        echo "$name: $cur -> $min"
        changed=1
    else
        echo "$name: $cur (kept; at least $min needed)"
    fi
}}
level=$(q "SHOW wal_level")
if [[ $level == minimal ]]; then
    q "ALTER SYSTEM SET wal_level = replica" >/dev/null
    echo "wal_level: minimal -> replica"
    changed=1
else
    echo "wal_level: $level (kept; replica or logical needed)"
fi
raise max_wal_senders {senders}
raise max_replication_slots {slots}
if ((changed)); then
    echo "RESTART NEEDED for the raised settings to take effect"
else
    echo "NOTHING TO CHANGE"
fi
"#,
                banner = ctx.banner("#"),
                cluster = c.name,
                pg_user = l.postgres_user,
                psql = quote::shell(&format!("{}/psql", l.pg_bin(c))),
                socket = quote::shell(&l.pg_socket_dir),
                port = c.port,
            );
            for h in c.hosts() {
                out.push(
                    Artifact::on_host(
                        &ctx.host(h).name,
                        &script_path(ctx, c),
                        &format!(
                            "raises wal_level, max_wal_senders and max_replication_slots of `{}` to Barman's minimums (never lowers them)",
                            c.name
                        ),
                        script.clone(),
                    )
                    .executable(),
                );
            }
        }
        Ok(())
    }
}
