//! The passive node's cron wrapper. Barman (3.17–3.19 at least) can leave
//! `sync-wals.info` with position `0` when the primary had exactly one
//! archived WAL at the first sync; every later `barman cron` on the passive
//! node then fails with an argparse error that never heals while
//! `barman check` keeps saying OK. The wrapper rewrites the position to 1
//! (the primary then rescans its WAL list by name, copying nothing twice)
//! before running `barman cron`.

use super::{Artifact, ExportContext, Renderer, Result};

/// File name of the wrapper in [`super::Layout::sbin_dir`].
pub const NAME: &str = "drplan-passive-cron";

/// Renders the wrapper on every passive node host.
pub struct PassiveGuard;

impl Renderer for PassiveGuard {
    fn render(&self, ctx: &ExportContext, out: &mut Vec<Artifact>) -> Result<()> {
        let mut hosts: Vec<usize> = ctx
            .scenario
            .passive_nodes
            .iter()
            .map(|p| p.host.0)
            .collect();
        hosts.sort_unstable();
        hosts.dedup();
        for h in hosts {
            let l = &ctx.layout;
            let script = format!(
                r#"#!/usr/bin/env bash
{banner}#
# `barman cron` for a passive Barman node, with a guard against Barman's
# "last_position 0" state: when the primary Barman had exactly one archived
# WAL at the first sync, the passive node stores position 0 in
# <server>/wals/sync-wals.info and every later sync fails with
#   barman sync-info: error: argument last_position: '0' is not a valid positive integer
# while `barman check` still reports OK. Position 1 makes the primary rescan
# its WAL list by name, which copies nothing twice.
set -uo pipefail
BARMAN_CONF=${{BARMAN_CONF:-{conf}}}
BARMAN_HOME=${{BARMAN_HOME:-{home}}}
for info in "$BARMAN_HOME"/*/wals/sync-wals.info; do
    [[ -f $info ]] || continue
    IFS=$'\t' read -r wal pos <"$info" || true
    if [[ ${{pos:-}} == 0 && -n ${{wal:-}} ]]; then
        printf '%s\t1' "$wal" >"$info.drplan-tmp" && mv -f "$info.drplan-tmp" "$info"
        echo "drplan-passive-cron: repaired $info (position 0 -> 1 after $wal)" >&2
    fi
done
exec barman -c "$BARMAN_CONF" cron "$@"
"#,
                banner = ctx.banner("#"),
                conf = l.barman_conf,
                home = l.barman_home,
            );
            out.push(
                Artifact::on_host(
                    &ctx.scenario.hosts[h].name,
                    &format!("{}/{NAME}", l.sbin_dir),
                    "passive node cron wrapper (repairs Barman's position-0 sync state)",
                    script,
                )
                .executable(),
            );
        }
        Ok(())
    }
}
