//! The cloud tier's WAL hook, exported as a wrapper script
//! (`/usr/local/sbin/drplan-cloud-wal-<server>`) instead of a bare
//! `barman-cloud-wal-archive`. `pre_archive_retry_script` is a *retry* hook:
//! Barman re-runs it until it exits 0, 62 (ABORT_CONTINUE) or 63
//! (ABORT_STOP), so a bare upload stops local archiving during any S3
//! problem (outage, expired key, missing Python module) and piles raw WAL in
//! `streaming/`. The wrapper gives each upload a bounded time; on failure it
//! queues the segment's name in a spool folder under the Barman home and
//! exits 62, so Barman archives the segment locally. Its `--catch-up` mode
//! (cron, every few minutes) uploads queued segments in name order, read
//! back with `barman get-wal`, and removes each from the queue once
//! uploaded. The trade-off: during an outage the bucket lags behind and its
//! RPO is the outage, not one segment; local archiving never waits.

use super::quote::shell;
use super::{Artifact, ExportContext, Renderer, Result, cloud};
use crate::model::{CloudTier, CloudVia, Cluster};

/// Seconds one upload may take before the segment is queued instead.
pub const UPLOAD_TIMEOUT_S: u64 = 30;

/// Cron fields of the catch-up job.
pub const CATCH_UP_FIELDS: &str = "*/5 * * * *";

/// File name of the wrapper for a Barman server.
pub fn script_name(c: &Cluster) -> String {
    format!("drplan-cloud-wal-{}", c.name)
}

/// Where the wrapper lives on the Barman host.
pub fn script_path(ctx: &ExportContext, c: &Cluster) -> String {
    format!("{}/{}", ctx.layout.sbin_dir, script_name(c))
}

/// The spool folder of queued segment names.
pub fn queue_dir(ctx: &ExportContext, c: &Cluster) -> String {
    format!("{}/drplan-cloud-queue/{}", ctx.layout.barman_home, c.name)
}

/// Renders the wrapper on the Barman host of every cloud tier that rides on
/// Barman hooks.
pub struct CloudWalHook;

impl Renderer for CloudWalHook {
    fn render(&self, ctx: &ExportContext, out: &mut Vec<Artifact>) -> Result<()> {
        let s = ctx.scenario;
        for t in &s.cloud_tiers {
            let CloudVia::Hooks(b) = t.via else { continue };
            let c = &s.clusters[t.cluster.0];
            let host = &s.hosts[s.barman_servers[b.0].host.0].name;
            out.push(
                Artifact::on_host(
                    host,
                    &script_path(ctx, c),
                    &format!("WAL upload hook of cloud tier {} (never blocks local archiving; queues and catches up)", t.name),
                    script(ctx, t, c),
                )
                .executable(),
            );
        }
        Ok(())
    }
}

fn script(ctx: &ExportContext, t: &CloudTier, c: &Cluster) -> String {
    format!(
        r#"#!/usr/bin/env bash
{banner}#
# WAL upload of cloud tier {tier} for Barman server `{server}`.
#
# As Barman's pre_archive_retry_script (no argument): uploads the segment
# Barman is about to archive, giving the upload {timeout} s. Barman re-runs a
# retry hook until it exits 0, 62 (ABORT_CONTINUE) or 63 (ABORT_STOP), so a
# bare barman-cloud-wal-archive would stop local archiving during any bucket
# problem. On failure, or while older segments wait in the queue, the
# segment's name goes to the queue and the hook exits 62: Barman archives it
# locally. Only a queue that cannot be written makes Barman retry.
#
# With --catch-up (cron): uploads the queued segments in name order, read
# back with `barman get-wal`, and removes each once uploaded. It stops at the
# first failure and exits 1, so the queue keeps its order; cron reports it.
#
# Trade-off: while the bucket is unreachable it lags behind (its RPO is the
# outage); local archiving never waits for it. A queue that stays non-empty
# is an alert: `ls {queue}`.
set -uo pipefail
export LC_ALL=C
QUEUE={queue_q}
BARMAN_CONF={conf}
SERVER={server_q}
upload() {{
    timeout -k 5 {timeout} {upload} "$1"
}}
log() {{
    echo "{name}: $*" >&2
}}
hook() {{
    local file=${{BARMAN_FILE:?run by Barman as pre_archive_retry_script}}
    local seg=${{BARMAN_SEGMENT:-${{file##*/}}}}
    mkdir -p "$QUEUE" || exit 1
    if [[ -z $(ls -A "$QUEUE") ]] && upload "$file"; then
        exit 0
    fi
    : >"$QUEUE/$seg" || exit 1
    log "queued $seg for the catch-up: the bucket did not take it within {timeout} s or older segments wait"
    exit 62
}}
catch_up() {{
    mkdir -p "$QUEUE" || exit 1
    exec 9>"$QUEUE.lock"
    flock -n 9 || exit 0
    local tmp f seg n=0
    tmp=$(mktemp -d "${{TMPDIR:-/tmp}}/drplan-cloud-wal.XXXXXX") || exit 1
    trap 'rm -rf "$tmp"' EXIT
    for f in "$QUEUE"/*; do
        [[ -e $f ]] || continue
        seg=${{f##*/}}
        if ! barman -q -c "$BARMAN_CONF" get-wal -o "$tmp" "$SERVER" "$seg"; then
            log "cannot read $seg from Barman; $(ls "$QUEUE" | wc -l) segment(s) still queued"
            exit 1
        fi
        if ! upload "$tmp/$seg"; then
            log "upload of $seg failed; $(ls "$QUEUE" | wc -l) segment(s) still queued"
            exit 1
        fi
        rm -f "$tmp/$seg" "$f"
        n=$((n + 1))
    done
    [[ $n -eq 0 ]] || log "caught up: $n segment(s) uploaded"
}}
case ${{1:-}} in
    "") hook ;;
    --catch-up) catch_up ;;
    *) log "usage: {name} [--catch-up]"; exit 2 ;;
esac
"#,
        banner = ctx.banner("#"),
        tier = t.name,
        server = c.name,
        server_q = shell(&c.name),
        name = script_name(c),
        timeout = UPLOAD_TIMEOUT_S,
        queue = queue_dir(ctx, c),
        queue_q = shell(&queue_dir(ctx, c)),
        conf = shell(&ctx.layout.barman_conf),
        upload = cloud::wal_archive(t, c),
    )
}
