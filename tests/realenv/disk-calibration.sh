#!/usr/bin/env bash
# disk-calibration.sh -- measures what a real Barman keeps on disk over a short
# backup schedule, for the calibration of drplan's disk model
# (tests/disk_calibration.rs feeds these numbers to the engine).
#
# PostgreSQL 15 -> Barman (backup_method = postgres, streaming_archiver = on),
# retention_policy = REDUNDANCY 2, minimum_redundancy = 1, WAL compression
# gzip (CALIB_COMPRESSION=none for none). Then CALIB_BACKUPS times:
#   pgbench load -> barman backup --wait -> measure (the peak: the new backup
#   is DONE, retention has not run) -> barman cron (retention) -> measure.
#
# Machine-readable lines on stdout (bytes; "WAL position" = bytes of WAL
# generated since the start of the schedule, from pg_current_wal_lsn()):
#   CONFIG redundancy=2 minimum_redundancy=1 compression=gzip
#   BACKUP n id=ID db_bytes=B size_bytes=B begin_wal_bytes=B begin_s=S end_s=S
#       db_bytes: sum of pg_database_size just before the backup; size_bytes:
#       Barman's own backup size; begin_wal_bytes: WAL position of the
#       backup's begin_xlog; begin_s/end_s: seconds since the start
#   PEAK n base_bytes=B wal_bytes=B db_bytes=B wal_generated_bytes=B backups=K at_s=S
#   STEP n base_bytes=B wal_bytes=B db_bytes=B wal_generated_bytes=B backups=K at_s=S
#       du -sb of the server's base/ and wals/ dirs; K backups on disk
#   WAL_COMPRESSION raw_bytes=B stored_bytes=B segments=N
#       every WAL segment archived during the run: 16 MiB each raw, and as stored
# Ends with RESULT: PASS or RESULT: FAIL.
#
# Knobs: CALIB_BACKUPS (default 5, at least 4), CALIB_PGBENCH_SCALE (default 5),
# CALIB_LOAD_SECONDS (pgbench -T between backups, default 4),
# CALIB_COMPRESSION (gzip|none, default gzip); KEEP=1 and the knobs of lib.sh.

source "$(dirname "$(readlink -f "$0")")/lib.sh"
renv_init calib "$@"

SERVER=pg
BACKUPS=${CALIB_BACKUPS:-5}
SCALE=${CALIB_PGBENCH_SCALE:-5}
LOAD_SECONDS=${CALIB_LOAD_SECONDS:-4}
COMPRESSION=${CALIB_COMPRESSION:-gzip}
REDUNDANCY=2
MIN_REDUNDANCY=1
[[ $BACKUPS =~ ^[0-9]+$ && $BACKUPS -ge 4 ]] || die "CALIB_BACKUPS must be a number >= 4 (got '$BACKUPS')"
[[ $COMPRESSION == gzip || $COMPRESSION == none ]] || die "CALIB_COMPRESSION must be gzip or none (got '$COMPRESSION')"

step "components"
renv_require_core

step "PostgreSQL 15, pgbench scale $SCALE"
renv_pgbench_cluster "$WORK/pg" "$SCALE"
info "port $PG_PORT, databases $(renv_sql "$PG_PORT" "SELECT pg_size_pretty(sum(pg_database_size(oid))) FROM pg_database")"

step "Barman: REDUNDANCY $REDUNDANCY, minimum_redundancy $MIN_REDUNDANCY, compression $COMPRESSION"
renv_barman_global "$WORK/barman"
extra=("retention_policy = REDUNDANCY $REDUNDANCY" "minimum_redundancy = $MIN_REDUNDANCY" "wal_retention_policy = main")
[[ $COMPRESSION == none ]] || extra+=("compression = $COMPRESSION")
renv_barman_server "$SERVER" "$PG_PORT" "${extra[@]}"
# A misspelt key is only a WARNING in Barman: make sure it took the values.
shown=$(renv_barman show-servers "$SERVER" 2>&1) || die "barman show-servers failed: $shown"
grep -qE "^\s*retention_policy: REDUNDANCY $REDUNDANCY\b" <<<"$shown" || die "Barman did not take retention_policy: $(grep retention_policy <<<"$shown")"
grep -qE "^\s*minimum_redundancy: $MIN_REDUNDANCY\b" <<<"$shown" || die "Barman did not take minimum_redundancy"
want_compression=$COMPRESSION
[[ $COMPRESSION == none ]] && want_compression=None
grep -qE "^\s*compression: $want_compression\b" <<<"$shown" || die "Barman did not take compression: $(grep -E '^\s*compression:' <<<"$shown")"
renv_receive_wal_start "$SERVER"
renv_wait_streaming "$PG_PORT"
renv_switch_wal "$SERVER" "$PG_PORT"
echo "CONFIG redundancy=$REDUNDANCY minimum_redundancy=$MIN_REDUNDANCY compression=$COMPRESSION"

SRV_DIR=$RENV_BARMAN_HOME/$SERVER
LSN0=$(renv_sql "$PG_PORT" "SELECT pg_current_wal_lsn()")
T0=$EPOCHREALTIME
declare -A SEEN_WAL=()   # every archived segment seen -> its stored size

since_start() { awk -v a="$T0" -v b="$EPOCHREALTIME" 'BEGIN{printf "%.3f", b-a}'; }
wal_position() {   # wal_position [LSN]: bytes of WAL since LSN0 (default: now)
    local lsn='pg_current_wal_lsn()'
    [[ -z ${1:-} ]] || lsn="'$1'::pg_lsn"
    renv_sql "$PG_PORT" "SELECT pg_wal_lsn_diff($lsn, '$LSN0')::bigint"
}
db_bytes() { renv_sql "$PG_PORT" "SELECT sum(pg_database_size(oid))::bigint FROM pg_database"; }
backups_on_disk() { find "$SRV_DIR/base" -mindepth 1 -maxdepth 1 -type d | wc -l; }
remember_wal() {   # <server>-xlog.db: name, stored size, time, compression (a line per archived segment)
    local name size _ db
    db=$(find "$SRV_DIR/wals" -maxdepth 1 -name '*xlog.db' | sed -n 1p)
    [[ -f $db ]] || die "no xlog.db in $SRV_DIR/wals"
    while IFS=$'\t' read -r name size _; do
        if [[ $name =~ ^[0-9A-F]{24}$ ]]; then SEEN_WAL[$name]=$size; fi
    done <"$db"
}
measure() {   # measure PEAK|STEP N
    remember_wal
    echo "$1 $2 base_bytes=$(renv_du "$SRV_DIR/base") wal_bytes=$(renv_du "$SRV_DIR/wals")" \
        "db_bytes=$(db_bytes) wal_generated_bytes=$(wal_position) backups=$(backups_on_disk) at_s=$(since_start)"
}

for ((n = 1; n <= BACKUPS; n++)); do
    step "cycle $n/$BACKUPS: pgbench ${LOAD_SECONDS}s, backup, cron"
    "$PG_BIN/pgbench" -n -c 2 -j 2 -T "$LOAD_SECONDS" -h "$RENV_SOCK" -p "$PG_PORT" -U postgres postgres \
        >"$WORK/log/pgbench-$n.out" 2>&1 || die "pgbench failed: $(tail -3 "$WORK/log/pgbench-$n.out")"
    db=$(db_bytes)
    begin_s=$(since_start)
    # --wait: return only once the WAL that makes the backup consistent is
    # archived, i.e. the backup is DONE.
    renv_barman backup --wait --wait-timeout 120 "$SERVER" >"$WORK/log/backup-$n.out" 2>&1 ||
        die "barman backup failed: $(tail -5 "$WORK/log/backup-$n.out")"
    end_s=$(since_start)
    id=$(renv_barman list-backups --minimal "$SERVER" | sed -n 1p)
    # Barman >= 3.13.2 keeps backup.info in meta/, outside base/
    binfo=$SRV_DIR/meta/$id-backup.info
    [[ -f $binfo ]] || die "no backup.info for the new backup '$id'"
    grep -qx 'status=DONE' "$binfo" || die "backup $id is not DONE: $(grep '^status=' "$binfo")"
    begin_xlog=$(sed -n 's/^begin_xlog=//p' "$binfo")
    size=$(sed -n 's/^size=//p' "$binfo")
    echo "BACKUP $n id=$id db_bytes=$db size_bytes=$size begin_wal_bytes=$(wal_position "$begin_xlog") begin_s=$begin_s end_s=$end_s"
    measure PEAK "$n"
    renv_cron
    measure STEP "$n"
    # Retention must really delete: REDUNDANCY 2 keeps exactly the newest two.
    want=$((n < REDUNDANCY ? n : REDUNDANCY))
    have=$(backups_on_disk)
    [[ $have -eq $want ]] || die "after barman cron: $have backups on disk, REDUNDANCY $REDUNDANCY wants $want: $(renv_barman list-backups "$SERVER" 2>&1)"
    listed=$(renv_barman list-backups --minimal "$SERVER" | wc -l)
    [[ $listed -eq $want ]] || die "barman list-backups shows $listed backups, expected $want"
done

step "WAL compression over the run"
raw=0
stored=0
for name in "${!SEEN_WAL[@]}"; do
    raw=$((raw + 16 * 1024 * 1024))
    stored=$((stored + SEEN_WAL[$name]))
done
((${#SEEN_WAL[@]} > 0)) || die "no archived WAL segment seen"
echo "WAL_COMPRESSION raw_bytes=$raw stored_bytes=$stored segments=${#SEEN_WAL[@]}"
info "ratio $(awk -v r="$raw" -v s="$stored" 'BEGIN{printf "%.2f", r/s}'):1 over ${#SEEN_WAL[@]} segments"

renv_pass
