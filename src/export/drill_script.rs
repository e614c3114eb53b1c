//! The text of a restore-drill script, for each kind of source: a Barman
//! server (its local copy, or a passive node's), restored with
//! `barman recover`, or a bucket written by barman-cloud, restored with
//! `barman-cloud-restore` and `barman-cloud-wal-restore` on the recovery host.
//! See [`super::drill`] for what a drill checks.

/// What differs between the sources; every value is already shell-quoted
/// where the script needs it.
pub(super) struct Params<'a> {
    pub banner: &'a str,
    pub cluster: &'a str,
    /// Folder name of the restored cluster under drplan-drill/ (one per drill).
    pub dir_name: &'a str,
    pub source_doc: String,
    pub run_as: &'a str,
    pub run_host: &'a str,
    pub drill_host: &'a str,
    pub source_vars: String,
    pub source_fns: String,
    pub source_log: &'a str,
    pub restore: String,
    pub remote_q: String,
    pub pg_bin: String,
    pub drill_port: u16,
    pub socket: &'a str,
    pub conninfo_q: String,
    pub check_q: String,
    pub rto: u64,
    pub rpo: u64,
}

/// The script.
pub(super) fn script(p: &Params) -> String {
    let Params {
        banner,
        cluster,
        dir_name,
        source_doc,
        run_as,
        run_host,
        drill_host,
        source_vars,
        source_fns,
        source_log,
        restore,
        remote_q,
        pg_bin,
        drill_port,
        socket,
        conninfo_q,
        check_q,
        rto,
        rpo,
    } = p;
    format!(
        r#"#!/usr/bin/env bash
{banner}#
# Restore drill of PostgreSQL cluster `{cluster}`: restores the latest backup
# {source_doc} onto {drill_host},
# verifies it and reports the measured RTO and RPO.
# Run as {run_as} on {run_host}. Every setting below can be
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

{source_vars}SERVER={cluster}
# How to run commands on the recovery host; empty = this host.
DRILL_SSH=${{DRILL_SSH-{remote_q}}}
PG_BIN=${{PG_BIN:-{pg_bin}}}
DRILL_DIR=${{DRILL_DIR:-/var/lib/postgresql/drplan-drill/{dir_name}}}
DRILL_PORT=${{DRILL_PORT:-{drill_port}}}
DRILL_SOCKET_DIR=${{DRILL_SOCKET_DIR:-{socket}}}
DRILL_DBUSER=${{DRILL_DBUSER:-postgres}}
# libpq connection to the primary that stamps the canary (password from
# ~/.pgpass); empty: the restored stamp is compared with the drill's start.
PRIMARY_CONNINFO=${{PRIMARY_CONNINFO-{conninfo_q}}}
# The canary table (see barman-roles-{cluster}.sql).
DRILL_CANARY=${{DRILL_CANARY:-public.drplan_canary}}
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
{source_fns}started=0
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
log "cluster $SERVER, {source_log}, recovery host: ${{DRILL_SSH:-this host}}"
if on_drill test -e "$DRILL_DIR" || on_drill test -L "$DRILL_DIR" || on_drill test -e "$DRILL_DIR.log"; then
    fail "$DRILL_DIR (or $DRILL_DIR.log) already exists; the drill never touches what it did not create: point DRILL_DIR at a new folder"
fi
# mkdir without -p fails if another run created it meanwhile.
on_drill mkdir -p "$(dirname "$DRILL_DIR")"
on_drill mkdir -m 0700 "$DRILL_DIR" || fail "cannot create $DRILL_DIR"
created=1

[[ $DRILL_TARGET == latest || $DRILL_TARGET == point ]] ||
    fail "DRILL_TARGET must be latest or point, not '$DRILL_TARGET'"
[[ $DRILL_CANARY =~ ^[a-z_][a-z0-9_]*(\.[a-z_][a-z0-9_]*)?$ ]] || fail "DRILL_CANARY must be a table name, not '$DRILL_CANARY'"
primary_sql() {{ "$PG_BIN/psql" -X -w -q -At -v ON_ERROR_STOP=1 -d "$PRIMARY_CONNINFO" -c "$1"; }}
# The stamp the restored canary is compared with, in epoch milliseconds:
# written now on the primary, or (without a connection to it) the drill's start.
if [[ -n $PRIMARY_CONNINFO ]]; then
    stamp=$(primary_sql "UPDATE $DRILL_CANARY SET at = clock_timestamp() WHERE id = 1 RETURNING (extract(epoch FROM at) * 1000)::bigint") ||
        fail "cannot stamp the canary $DRILL_CANARY on the primary with $PRIMARY_CONNINFO (run barman-roles-$SERVER.sql there)"
    [[ $stamp =~ ^[0-9]+$ ]] || fail "the primary has no canary row in $DRILL_CANARY (run barman-roles-$SERVER.sql there)"
    stamped="the drill's stamp on the primary"
else
    [[ $DRILL_TARGET == latest ]] || fail "DRILL_TARGET=point needs PRIMARY_CONNINFO (a restore point is made on the primary)"
    stamp=$(awk -v t="$t0" 'BEGIN {{ printf "%.0f", t * 1000 }}')
    stamped="the drill's start (cron stamps the canary every minute, so this counts up to a minute more)"
fi
if [[ -n $TARGET_TIME ]]; then
    target=(--target-time "$TARGET_TIME" --target-action promote)
elif [[ $DRILL_TARGET == point ]]; then
    # A restore point is a target that is always in the archive once the
    # segment holding it is archived (a time target needs a later commit).
    point="drplan_drill_$(date -u +%Y%m%dT%H%M%S)"
    primary_sql "SELECT pg_create_restore_point('$point')" >/dev/null ||
        fail "cannot create a restore point on the primary with $PRIMARY_CONNINFO"
    archive_point
    target=(--target-name "$point" --target-action promote)
else
    # No target: recovery replays every WAL file the source holds, then promotes.
    target=()
fi
{restore}
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
[[ -n $stop_line ]] || stop_line="LOG:  at the end of the WAL restored"
log "promoted: ${{stop_line#*LOG:  }}"
check=$(sql "$CHECK_QUERY") || fail "check query failed: $CHECK_QUERY"
[[ $check == t ]] || fail "check query returned '$check', expected t: $CHECK_QUERY"
t1=$(date +%s.%N)
rto=$(awk -v a="$t0" -v b="$t1" 'BEGIN {{ printf "%.0f", b - a }}')
log "check query passed: $CHECK_QUERY"
echo "RTO: ${{rto}} s (target ${{RTO_TARGET_SECONDS}} s)"
rpo=
if [[ -z $TARGET_TIME ]]; then
    restored=$(sql "SELECT (extract(epoch FROM at) * 1000)::bigint FROM $DRILL_CANARY WHERE id = 1") ||
        fail "the restored cluster has no canary table $DRILL_CANARY: the data restored is not the cluster's, or barman-roles-$SERVER.sql was never run"
    [[ $restored =~ ^[0-9]+$ ]] || fail "the restored cluster has no canary row in $DRILL_CANARY"
    if [[ $DRILL_TARGET == point ]]; then
        ((restored == stamp)) ||
            fail "the restored canary ($restored ms) is not the stamp written before the restore point ($stamp ms)"
        log "the restored canary is the stamp written just before the restore point"
    fi
    rpo=$(( (stamp - restored + 999) / 1000 ))
    ((rpo >= 0)) || rpo=0
    log "RPO measured against $stamped"
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
"#
    )
}

/// The restore of a Barman source.
pub(super) const BARMAN_RESTORE: &str = r#"log "recovering the latest backup of $SERVER (${target[*]:-all the WAL Barman holds})"
remote=()
[[ -n $DRILL_SSH ]] && remote=(--remote-ssh-command "$DRILL_SSH")
barman_ recover "${remote[@]}" "${target[@]}" "$SERVER" latest "$DRILL_DIR" ||
    fail "barman recover failed""#;

/// The helpers of a Barman source.
pub(super) const BARMAN_FNS: &str = r#"barman_() { barman -c "$BARMAN_CONF" "$@"; }
archive_point() {
    barman_ switch-wal --force --archive --archive-timeout 120 "$SERVER" >/dev/null ||
        fail "barman switch-wal --archive did not archive the restore point's WAL"
}
"#;

/// The restore of a bucket: its newest finished backup, then every WAL file
/// the bucket holds through `restore_command` (or up to TARGET_TIME).
pub(super) const BUCKET_RESTORE: &str = r#"# shellcheck disable=SC2086 # CLOUD_OPTS is a list of options
backup_id=$(barman-cloud-backup-list $CLOUD_OPTS --format json "$CLOUD_URL" "$SERVER" |
    python3 -c 'import json, sys
b = sorted(x["backup_id"] for x in json.load(sys.stdin)["backups_list"] if x.get("status") == "DONE")
print(b[-1] if b else "")') || fail "cannot list the backups in $CLOUD_URL"
[[ -n $backup_id ]] || fail "no finished backup of $SERVER in $CLOUD_URL"
log "restoring backup $backup_id of $SERVER from $CLOUD_URL (${TARGET_TIME:-all the WAL the bucket holds})"
# shellcheck disable=SC2086
barman-cloud-restore $CLOUD_OPTS "$CLOUD_URL" "$SERVER" "$backup_id" "$DRILL_DIR" ||
    fail "barman-cloud-restore failed"
wal_restore="barman-cloud-wal-restore $CLOUD_OPTS $CLOUD_URL $SERVER %f %p"
{
    printf "restore_command = '%s'\n" "${wal_restore//\'/\'\'}"
    if [[ -n $TARGET_TIME ]]; then
        printf "recovery_target_time = '%s'\nrecovery_target_action = 'promote'\n" "${TARGET_TIME//\'/\'\'}"
    fi
} >>"$DRILL_DIR/postgresql.auto.conf"
touch "$DRILL_DIR/recovery.signal""#;

/// The helpers of a bucket source.
pub(super) const BUCKET_FNS: &str = r#"archive_point() { fail "DRILL_TARGET=point is not available for a bucket"; }
"#;
