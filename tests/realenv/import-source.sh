#!/usr/bin/env bash
# tests/realenv/import-source.sh -- a small live Barman estate for
# `drplan import` (tests/import_real.rs), and what the test measures directly
# to check the import against.
#
# PostgreSQL 15 (pgbench scale IMPORT_SCALE) -> Barman (streaming backups and
# WAL, retention REDUNDANCY 3, minimum_redundancy 1, gzip WAL compression).
# IMPORT_BACKUPS times: pgbench load -> barman backup --wait. Then more load,
# a WAL switch, and Barman's own reports are saved:
#   barman diagnose                        -> diagnose.json
#   barman -f json list-backups pg         -> list-backups.json
#   barman -f json show-backup pg latest   -> show-backup.json
# each printed between `BEGIN FILE name` and `END FILE name` lines.
#
# Measured directly (machine-readable lines on stdout, bytes and seconds):
#   MEASURE db_bytes=B backups=N  sum of pg_database_size right before diagnose,
#                                 and the number of backups Barman then had
#   MEASURE wal_bytes=B span_s=S  pg_current_wal_lsn() difference from the first
#                                 backup's start to right before diagnose, and
#                                 the seconds in between
#   MEASURE wal_raw_bytes=B wal_stored_bytes=B segments=N
#                                 every segment archived from the first
#                                 backup's start on: 16 MiB each raw, and its
#                                 size as stored (from Barman's xlog.db)
# Then the next IMPORT_NEXT backups (default 2) on the same schedule as the
# first ones (load, backup, then `barman cron` applies retention), for the
# check that `drplan disk` on the imported scenario projects what Barman keeps:
#   BACKUP n begin_s=S end_s=S begin_wal_bytes=B db_bytes=B
#       every backup (1..IMPORT_BACKUPS+IMPORT_NEXT): seconds since the first
#       backup's start, the WAL position (bytes since then) of its begin_xlog,
#       the data size right before it
#   PEAK n base_bytes=B wal_bytes=B wal_generated_bytes=B backups=K
#   STEP n base_bytes=B wal_bytes=B wal_generated_bytes=B backups=K
#       du -sb of base/ and wals/ when backup n is DONE (before cron) and after
#       cron, the WAL position then, and K backups on disk
# Ends with RESULT: PASS or RESULT: FAIL.
#
# Knobs: IMPORT_BACKUPS (default 3), IMPORT_NEXT (default 2), IMPORT_SCALE (default 5),
# IMPORT_LOAD_SECONDS (default 4); DRPLAN_TEST_VENV picks the Barman (e.g. an
# older one to record a fixture); KEEP=1 and the knobs of lib.sh.

source "$(dirname "$(readlink -f "$0")")/lib.sh"
renv_init import "$@"

SERVER=pg
BACKUPS=${IMPORT_BACKUPS:-3}
NEXT=${IMPORT_NEXT:-2}
SCALE=${IMPORT_SCALE:-5}
LOAD_SECONDS=${IMPORT_LOAD_SECONDS:-4}
[[ $BACKUPS =~ ^[0-9]+$ && $BACKUPS -ge 2 ]] || die "IMPORT_BACKUPS must be a number >= 2 (got '$BACKUPS')"
[[ $NEXT =~ ^[0-9]+$ && $NEXT -ge 1 ]] || die "IMPORT_NEXT must be a number >= 1 (got '$NEXT')"

step "components"
renv_require_core

step "PostgreSQL 15, pgbench scale $SCALE"
renv_pgbench_cluster "$WORK/pg" "$SCALE"

step "Barman $BARMAN_VERSION: REDUNDANCY 3, minimum_redundancy 1, gzip"
renv_barman_global "$WORK/barman"
renv_barman_server "$SERVER" "$PG_PORT" "retention_policy = REDUNDANCY 3" "minimum_redundancy = 1" \
    "wal_retention_policy = main" "compression = gzip"
renv_receive_wal_start "$SERVER"
renv_wait_streaming "$PG_PORT"
renv_switch_wal "$SERVER" "$PG_PORT"

db_bytes() { renv_sql "$PG_PORT" "SELECT sum(pg_database_size(oid))::bigint FROM pg_database"; }
load() {
    "$PG_BIN/pgbench" -n -c 2 -j 2 -T "$LOAD_SECONDS" -h "$RENV_SOCK" -p "$PG_PORT" -U postgres postgres \
        >"$WORK/log/pgbench-$1.out" 2>&1 || die "pgbench failed: $(tail -3 "$WORK/log/pgbench-$1.out")"
}

SRV_DIR=$RENV_BARMAN_HOME/$SERVER
since_start() { awk -v a="$T0" -v b="$EPOCHREALTIME" 'BEGIN{printf "%.3f", b-a}'; }
wal_position() {   # wal_position [LSN]: bytes of WAL since LSN0 (default: now)
    local lsn='pg_current_wal_lsn()'
    [[ -z ${1:-} ]] || lsn="'$1'::pg_lsn"
    renv_sql "$PG_PORT" "SELECT pg_wal_lsn_diff($lsn, '$LSN0')::bigint"
}
backups_on_disk() { find "$SRV_DIR/base" -mindepth 1 -maxdepth 1 -type d | wc -l; }
measure() {   # measure PEAK|STEP N
    echo "$1 $2 base_bytes=$(renv_du "$SRV_DIR/base") wal_bytes=$(renv_du "$SRV_DIR/wals")" \
        "wal_generated_bytes=$(wal_position) backups=$(backups_on_disk)"
}
cycle() {   # cycle N: load, backup (BACKUP line), PEAK, cron, STEP
    local n=$1 db begin_s end_s id binfo
    load "$n"
    # Start the first backup on a fresh segment: its begin_xlog is then this
    # LSN plus the checkpoint record (pg_backup_start's own segment switch is
    # a no-op at the start of a segment), not the rest of a half-full one.
    if [[ -z $LSN0 ]]; then
        LSN0=$(renv_sql "$PG_PORT" "SELECT pg_switch_wal() IS NOT NULL; SELECT pg_current_wal_lsn()" | tail -1)
        T0=$EPOCHREALTIME
    fi
    db=$(db_bytes)
    begin_s=$(since_start)
    renv_barman backup --wait --wait-timeout 120 "$SERVER" >"$WORK/log/backup-$n.out" 2>&1 ||
        die "barman backup failed: $(tail -5 "$WORK/log/backup-$n.out")"
    end_s=$(since_start)
    id=$(renv_barman list-backups --minimal "$SERVER" | sed -n 1p)
    # Barman >= 3.13.2 keeps backup.info in meta/, outside base/
    binfo=$SRV_DIR/meta/$id-backup.info
    [[ -f $binfo ]] || binfo=$SRV_DIR/base/$id/backup.info
    [[ -f $binfo ]] || die "no backup.info for the new backup '$id'"
    grep -qx 'status=DONE' "$binfo" || die "backup $id is not DONE: $(grep '^status=' "$binfo")"
    echo "BACKUP $n begin_s=$begin_s end_s=$end_s begin_wal_bytes=$(wal_position "$(sed -n 's/^begin_xlog=//p' "$binfo")") db_bytes=$db"
    measure PEAK "$n"
    renv_cron
    measure STEP "$n"
}

LSN0=
for ((n = 1; n <= BACKUPS; n++)); do
    step "backup $n/$BACKUPS after ${LOAD_SECONDS}s of pgbench"
    cycle "$n"
done

step "more load, WAL switch, Barman's reports"
load after
renv_switch_wal "$SERVER" "$PG_PORT"
DB=$(db_bytes)
WAL=$(renv_sql "$PG_PORT" "SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), '$LSN0')::bigint")
T1=$EPOCHREALTIME
renv_barman diagnose >"$WORK/diagnose.json" 2>"$WORK/log/diagnose.err" ||
    die "barman diagnose failed: $(tail -5 "$WORK/log/diagnose.err")"
renv_barman -f json list-backups "$SERVER" >"$WORK/list-backups.json" 2>"$WORK/log/list.err" ||
    die "barman list-backups failed: $(tail -5 "$WORK/log/list.err")"
renv_barman -f json show-backup "$SERVER" latest >"$WORK/show-backup.json" 2>"$WORK/log/show.err" ||
    die "barman show-backup failed: $(tail -5 "$WORK/log/show.err")"

echo "MEASURE db_bytes=$DB backups=$BACKUPS"
echo "MEASURE wal_bytes=$WAL span_s=$(awk -v a="$T0" -v b="$T1" 'BEGIN{printf "%.3f", b-a}')"
db=$(find "$RENV_BARMAN_HOME/$SERVER/wals" -maxdepth 1 -name '*xlog.db' | sed -n 1p)
[[ -f $db ]] || die "no xlog.db in $RENV_BARMAN_HOME/$SERVER/wals"
# +1: pg_walfile_name() puts a segment boundary in the previous segment
first=$(renv_sql "$PG_PORT" "SELECT pg_walfile_name('$LSN0'::pg_lsn + 1)")
awk -F'\t' -v first="$first" 'length($1) == 24 && $1 ~ /^[0-9A-F]+$/ && $1 >= first { n++; raw += 16777216; stored += $2 }
    END { if (n == 0) exit 1; printf "MEASURE wal_raw_bytes=%d wal_stored_bytes=%d segments=%d\n", raw, stored, n }' "$db" ||
    die "no archived WAL segment in $db"
for f in diagnose.json list-backups.json show-backup.json; do
    echo "BEGIN FILE $f"
    cat "$WORK/$f"
    # Barman's JSON may lack a final newline
    [[ $(tail -c1 "$WORK/$f") == "" ]] || echo
    echo "END FILE $f"
done

for ((n = BACKUPS + 1; n <= BACKUPS + NEXT; n++)); do
    step "after the import: backup $n after ${LOAD_SECONDS}s of pgbench, cron"
    cycle "$n"
done
renv_pass
