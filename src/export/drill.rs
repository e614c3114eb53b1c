//! The restore-drill script: on the Barman server, stamp the cluster's
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
//! exists is refused and left as it is.

use super::{Artifact, ExportContext, Renderer, Result, barman_server, quote};
use crate::model::{BarmanServer, Cluster};

/// Renders the drill script on the Barman host of each cluster.
pub struct Drill;

/// File name of a cluster's drill script.
pub fn script_name(c: &Cluster) -> String {
    format!("drplan-restore-drill-{}", c.name)
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

fn sh_quote(v: &str) -> String {
    quote::shell(v)
}

impl Renderer for Drill {
    fn render(&self, ctx: &ExportContext, out: &mut Vec<Artifact>) -> Result<()> {
        let s = ctx.scenario;
        let Some(d) = &s.drills else { return Ok(()) };
        let l = &ctx.layout;
        for (b, c) in drill_sources(ctx) {
            let barman_host = ctx.host(b.host);
            let drill_host = ctx.host(d.host);
            let pg = ctx.host(c.primary);
            let remote = if d.host == b.host {
                String::new()
            } else {
                quote::shell_words(&[
                    "ssh".to_string(),
                    "-o".into(),
                    "BatchMode=yes".into(),
                    format!("{}@{}", l.postgres_user, drill_host.address),
                ])
            };
            let rto = s.targets.rto.map_or(0, |r| r.as_secs().round() as u64);
            let rpo = s.targets.rpo.map_or(0, |r| r.as_secs().round() as u64);
            let script = format!(
                r#"#!/usr/bin/env bash
{banner}#
# Restore drill of PostgreSQL cluster `{cluster}`: restores the latest backup
# from Barman server `{cluster}` on {barman_host} onto {drill_host} with
# point-in-time recovery, verifies it and reports the measured RTO and RPO.
# Run as the Barman user on {barman_host}. Every setting below can be
# overridden from the environment. Exit codes: 0 passed within the RTO and
# RPO targets, 1 passed but slower (SLOW) or staler (STALE) than a target,
# 2 failed. On 1 and 2 the command in DRILL_NOTIFY (if set) runs with three
# arguments: the server, FAIL, SLOW or STALE, and the reason; it is the
# place to page someone.
#
# The RPO comes from the canary row public.drplan_canary (see
# barman-roles-{cluster}.sql; cron stamps it every minute on the primary):
# the drill stamps it, then restores. With DRILL_TARGET=latest (default) the
# restore replays all the WAL Barman holds, and the stamp it brings back is
# what a loss of the primary at the drill's start would have kept: the RPO.
# With DRILL_TARGET=point it recovers to a restore point created after the
# stamp, and the restored stamp must be exactly the one written.
# DRILL_DIR must not exist: the drill refuses an existing folder and deletes
# only the folder and log it created itself.
set -Eeuo pipefail

BARMAN_CONF=${{BARMAN_CONF:-{conf}}}
SERVER={cluster}
# How to run commands on the recovery host; empty = this host.
DRILL_SSH=${{DRILL_SSH-{remote_q}}}
PG_BIN=${{PG_BIN:-{pg_bin}}}
DRILL_DIR=${{DRILL_DIR:-/var/lib/postgresql/drplan-drill/{cluster}}}
DRILL_PORT=${{DRILL_PORT:-{drill_port}}}
DRILL_SOCKET_DIR=${{DRILL_SOCKET_DIR:-{socket}}}
DRILL_DBUSER=${{DRILL_DBUSER:-postgres}}
# Barman's libpq connection to the primary (password from ~/.pgpass).
PRIMARY_CONNINFO=${{PRIMARY_CONNINFO:-{conninfo_q}}}
CHECK_QUERY=${{CHECK_QUERY:-{check_q}}}
RTO_TARGET_SECONDS=${{RTO_TARGET_SECONDS:-{rto}}}
RPO_TARGET_SECONDS=${{RPO_TARGET_SECONDS:-{rpo}}}
# latest: all the WAL Barman has (measures the RPO); point: a fresh restore point.
DRILL_TARGET=${{DRILL_TARGET:-latest}}
# Recover to this time instead (e.g. '2026-11-30 12:00:00+00'; no RPO then).
TARGET_TIME=${{TARGET_TIME:-}}
KEEP=${{KEEP:-0}}
# Command run when the drill fails or is too slow: DRILL_NOTIFY SERVER FAIL|SLOW REASON.
DRILL_NOTIFY=${{DRILL_NOTIFY:-}}

log() {{ printf '%s drill: %s\n' "$(date -u +%FT%TZ)" "$*"; }}
notify() {{
    if [[ -n $DRILL_NOTIFY ]]; then
        # shellcheck disable=SC2086 # DRILL_NOTIFY is a command line
        $DRILL_NOTIFY "$SERVER" "$1" "$2" || log "the notification hook failed: $DRILL_NOTIFY"
    fi
}}
fail() {{
    trap - ERR
    log "FAILED: $*"
    echo "RESULT: FAIL"
    notify FAIL "$*"
    exit 2
}}
on_drill() {{
    if [[ -n $DRILL_SSH ]]; then
        # shellcheck disable=SC2086 # DRILL_SSH is a command line
        $DRILL_SSH -- "$(printf '%q ' "$@")"
    else
        "$@"
    fi
}}
barman_() {{ barman -c "$BARMAN_CONF" "$@"; }}
started=0
# Set only once this run has made DRILL_DIR: nothing else is ever deleted.
created=0
cleanup() {{
    if ((started)); then
        on_drill "$PG_BIN/pg_ctl" -D "$DRILL_DIR" -m immediate -w stop >/dev/null 2>&1 || true
    fi
    if ((created)) && [[ $KEEP != 1 ]]; then
        on_drill rm -rf "$DRILL_DIR" "$DRILL_DIR.log" >/dev/null 2>&1 || true
    fi
}}
trap cleanup EXIT
trap 'fail "line $LINENO: $BASH_COMMAND"' ERR

t0=$(date +%s.%N)
log "cluster $SERVER, Barman config $BARMAN_CONF, recovery host: ${{DRILL_SSH:-this host}}"
if on_drill test -e "$DRILL_DIR" || on_drill test -L "$DRILL_DIR" || on_drill test -e "$DRILL_DIR.log"; then
    fail "$DRILL_DIR (or $DRILL_DIR.log) already exists; the drill never touches what it did not create: point DRILL_DIR at a new folder"
fi
# mkdir without -p fails if another run created it meanwhile.
on_drill mkdir -p "$(dirname "$DRILL_DIR")"
on_drill mkdir -m 0700 "$DRILL_DIR" || fail "cannot create $DRILL_DIR"
created=1

[[ $DRILL_TARGET == latest || $DRILL_TARGET == point ]] ||
    fail "DRILL_TARGET must be latest or point, not '$DRILL_TARGET'"
primary_sql() {{ "$PG_BIN/psql" -X -w -q -At -v ON_ERROR_STOP=1 -d "$PRIMARY_CONNINFO" -c "$1"; }}
# The canary stamp, in epoch milliseconds; empty without the canary table.
stamp=$(primary_sql "UPDATE public.drplan_canary SET at = clock_timestamp() WHERE id = 1 RETURNING (extract(epoch FROM at) * 1000)::bigint" 2>/dev/null || true)
[[ $stamp =~ ^[0-9]+$ ]] || {{
    stamp=
    log "no canary on the primary (public.drplan_canary, from barman-roles-$SERVER.sql): the RPO is not measured"
}}
if [[ -n $TARGET_TIME ]]; then
    target=(--target-time "$TARGET_TIME" --target-action promote)
elif [[ $DRILL_TARGET == point ]]; then
    # A restore point is a target that is always in the archive once the
    # segment holding it is archived (a time target needs a later commit).
    point="drplan_drill_$(date -u +%Y%m%dT%H%M%S)"
    primary_sql "SELECT pg_create_restore_point('$point')" >/dev/null ||
        fail "cannot create a restore point on the primary with $PRIMARY_CONNINFO"
    barman_ switch-wal --force --archive --archive-timeout 120 "$SERVER" >/dev/null ||
        fail "barman switch-wal --archive did not archive the restore point's WAL"
    target=(--target-name "$point" --target-action promote)
else
    # No target: recovery replays every WAL file Barman holds, then promotes.
    target=()
fi
log "recovering the latest backup of $SERVER (${{target[*]:-all the WAL Barman holds}})"
remote=()
[[ -n $DRILL_SSH ]] && remote=(--remote-ssh-command "$DRILL_SSH")
barman_ recover "${{remote[@]}}" "${{target[@]}}" "$SERVER" latest "$DRILL_DIR" ||
    fail "barman recover failed"

# Configuration kept outside the data folder (postgresql-common) is not in
# the backup: give the drill cluster a minimal one.
if ! on_drill test -f "$DRILL_DIR/postgresql.conf"; then
    on_drill sh -c "printf '%s\n' \"listen_addresses = ''\" >'$DRILL_DIR/postgresql.conf'"
fi
if ! on_drill test -f "$DRILL_DIR/pg_hba.conf"; then
    on_drill sh -c "printf '%s\n' 'local all all peer' >'$DRILL_DIR/pg_hba.conf'"
fi
on_drill chmod 0700 "$DRILL_DIR"
# Recovery aborts when these are below the primary's values, which a tuned
# primary whose configuration is not in the backup (or the minimal file
# above) would hit: start with the values pg_controldata records.
controldata=$(on_drill "$PG_BIN/pg_controldata" "$DRILL_DIR") ||
    fail "pg_controldata cannot read the restored data in $DRILL_DIR"
primary_opts=
for pair in max_connections:max_connections max_worker_processes:max_worker_processes \
    max_wal_senders:max_wal_senders max_prepared_xacts:max_prepared_transactions \
    max_locks_per_xact:max_locks_per_transaction wal_level:wal_level; do
    value=$(sed -n "s/^${{pair%%:*}} setting: *//p" <<<"$controldata")
    [[ $value =~ ^[a-z0-9]+$ ]] || fail "pg_controldata shows no ${{pair%%:*}} setting"
    primary_opts+=" -c ${{pair#*:}}=$value"
done
log "primary's settings from pg_controldata:$primary_opts"
log "starting the restored cluster on port $DRILL_PORT (archiving off)"
started=1
on_drill "$PG_BIN/pg_ctl" -D "$DRILL_DIR" -l "$DRILL_DIR.log" -w -t 3600 \
    -o "-c port=$DRILL_PORT -c listen_addresses='' -c unix_socket_directories='$DRILL_SOCKET_DIR' -c archive_mode=off -c hot_standby=on$primary_opts" start >/dev/null ||
    fail "the restored cluster did not start: $(on_drill tail -n 5 "$DRILL_DIR.log")"

sql() {{ on_drill "$PG_BIN/psql" -X -At -h "$DRILL_SOCKET_DIR" -p "$DRILL_PORT" -U "$DRILL_DBUSER" -d postgres -c "$1"; }}
# pg_ctl returns once connections are accepted, which with hot_standby is
# during recovery; a target that is not in the archive ends in FATAL later.
deadline=$((SECONDS + 3600))
until [[ $(sql "SELECT pg_is_in_recovery()" 2>/dev/null || true) == f ]]; do
    on_drill test -f "$DRILL_DIR/postmaster.pid" ||
        fail "the restored cluster stopped: $(on_drill tail -n 5 "$DRILL_DIR.log")"
    ((SECONDS < deadline)) || fail "not promoted after an hour"
    sleep 1
done
stop_line=$(on_drill grep -m1 'recovery stopping' "$DRILL_DIR.log" || true)
log "promoted: ${{stop_line#*LOG:  }}"
check=$(sql "$CHECK_QUERY") || fail "check query failed: $CHECK_QUERY"
[[ $check == t ]] || fail "check query returned '$check', expected t: $CHECK_QUERY"
t1=$(date +%s.%N)
rto=$(awk -v a="$t0" -v b="$t1" 'BEGIN {{ printf "%.0f", b - a }}')
log "check query passed: $CHECK_QUERY"
echo "RTO: ${{rto}} s (target ${{RTO_TARGET_SECONDS}} s)"
rpo=
if [[ -n $stamp && -z $TARGET_TIME ]]; then
    restored=$(sql "SELECT (extract(epoch FROM at) * 1000)::bigint FROM public.drplan_canary WHERE id = 1") ||
        fail "cannot read the canary of the restored cluster"
    [[ $restored =~ ^[0-9]+$ ]] || fail "the restored cluster has no canary row"
    if [[ $DRILL_TARGET == point ]]; then
        ((restored == stamp)) ||
            fail "the restored canary ($restored ms) is not the stamp written before the restore point ($stamp ms)"
        log "the restored canary is the stamp written just before the restore point"
    fi
    rpo=$(( (stamp - restored + 999) / 1000 ))
    ((rpo >= 0)) || rpo=0
    echo "RPO: ${{rpo}} s (target ${{RPO_TARGET_SECONDS}} s; ${{DRILL_TARGET}})"
fi
if ((RTO_TARGET_SECONDS > 0 && rto > RTO_TARGET_SECONDS)); then
    echo "RESULT: SLOW"
    notify SLOW "RTO ${{rto}} s above the target of ${{RTO_TARGET_SECONDS}} s"
    exit 1
fi
if [[ -n $rpo ]] && ((RPO_TARGET_SECONDS > 0 && rpo > RPO_TARGET_SECONDS)); then
    echo "RESULT: STALE"
    notify STALE "RPO ${{rpo}} s above the target of ${{RPO_TARGET_SECONDS}} s"
    exit 1
fi
echo "RESULT: PASS"
"#,
                banner = ctx.banner("#"),
                cluster = c.name,
                barman_host = barman_host.name,
                drill_host = drill_host.name,
                conf = l.barman_conf,
                remote_q = sh_quote(&remote),
                pg_bin = l.pg_bin(c),
                drill_port = if c.port < 64_000 {
                    c.port + 1000
                } else {
                    c.port - 1000
                },
                socket = l.pg_socket_dir,
                conninfo_q = sh_quote(&barman_server::conninfo(
                    &pg.address,
                    c.port,
                    &l.barman_role
                )),
                check_q = sh_quote(&d.check_query),
                rto = rto,
                rpo = rpo,
            );
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
        Ok(())
    }
}
