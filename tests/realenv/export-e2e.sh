#!/usr/bin/env bash
# tests/realenv/export-e2e.sh -- deploy what `drplan export` wrote for
# tests/fixtures/export/lab.yaml onto real PostgreSQL 15 + Barman on this one
# machine and prove it works. Only hostnames, ports, paths and the OS user are
# substituted (every host is 127.0.0.1 here, every daemon runs on a free port
# from a private temp dir); nothing else in the exported files is changed.
#
# The primary is laid out as on Debian (configuration outside PGDATA, conf.d
# read last) and tuned above what Barman needs: max_connections 300,
# wal_level logical with a logical slot, 12 slots, 16 senders.
#
# Stages (each prints `STAGE <name>: PASS ...` when it passes):
#   streaming  roles SQL, pg_hba lines, conf.d settings, barman.conf + server
#              file from the export; the nightly configuration copy;
#              `barman check` all OK; the exported cron backup command; PITR by
#              time, restore-point name and LSN;
#   passive    the passive node's files and its cron wrapper against a
#              private sshd: backups and WAL synced, recovery from the copy;
#              the passive node's own drill (RPO), and a drill whose restored
#              data lacks the canary fails and calls the hook;
#   cloud      hook uploads to a local S3, the exported cloud retention
#              command deletes the older backup, restore from the bucket; the
#              bucket's own drill (newest backup, every WAL file, RPO);
#   drill      the exported restore-drill script passes to a restore point (canary
#              exact) and with all the WAL Barman holds (RPO = age of the last
#              archived canary stamp), reporting RTO and RPO.
#
# Input: RENV_EXPORT_DIR, the output folder of
#   drplan export tests/fixtures/export/lab.yaml --out DIR
source "$(dirname "$(readlink -f "$0")")/lib.sh"
renv_init export-e2e "$@"

EXP=${RENV_EXPORT_DIR:?set RENV_EXPORT_DIR to the output of drplan export}
[[ -r $EXP/README.md ]] || die "$EXP/README.md missing or unreadable by $(id -un): not a drplan export"
SERVER=main
BUCKET=acme-pg-backups
ME=$(id -un)
A=$WORK/barman-a   # backup-1: primary Barman
B=$WORK/barman-b   # backup-2: passive node
mkdir -p "$A/home" "$A/barman.d" "$A/sbin" "$B/home" "$B/barman.d" "$B/sbin"

step "components"
renv_require_core
renv_require_sshd
renv_require_moto
renv_free_port PG_PORT
renv_moto_start
renv_s3_bucket "$BUCKET"

# subst ROOT < exported file > deployed file: the only changes made to what
# drplan wrote. ROOT is where that host's Barman lives in this test.
subst() {
    local root=$1
    sed -e "s#[a-z0-9-]*\.\(par1\|fra1\)\.example\.net#127.0.0.1#g" \
        -e "s#s3\.lab\.invalid:9000#${S3_URL#http://}#g" \
        -e "s#port=5432#port=$PG_PORT#g; s#-p 5432 #-p $PG_PORT #g" \
        -e "s#/etc/barman\.conf#$root/barman.conf#g; s#/etc/barman\.d#$root/barman.d#g" \
        -e "s#/var/log/barman/barman\.log#$root/home/barman.log#g; s#/var/lib/barman#$root/home#g" \
        -e "s#/usr/local/sbin#$root/sbin#g; s#/var/run/postgresql#$RENV_SOCK#g" \
        -e "s#^barman_user = barman\$#barman_user = $ME#" \
        -e "s#^primary_ssh_command = ssh barman@127\.0\.0\.1\$#primary_ssh_command = ${RENV_SSH_CMD:-}#"
}
# cron_cmd FILE PATTERN: the command of the exported cron line matching
# PATTERN (five time fields and the user dropped).
cron_cmd() {
    local line
    line=$(grep -v '^#' "$1" | grep -E -- "$2" | sed -n 1p)
    [[ -n $line ]] || die "no cron line matching '$2' in $1"
    awk '{ $1 = $2 = $3 = $4 = $5 = $6 = ""; sub(/^ +/, ""); print }' <<<"$line"
}
s3_objects() {   # s3_objects PREFIX: number of objects under PREFIX
    "$PY" - "$BUCKET" "$1" <<'PY'
import os, sys, boto3
r = boto3.client("s3", endpoint_url=os.environ["S3_URL"]).list_objects_v2(Bucket=sys.argv[1], Prefix=sys.argv[2])
print(r.get("KeyCount", 0))
PY
}
cloud_backups() {
    barman-cloud-backup-list --cloud-provider aws-s3 --endpoint-url "$S3_URL" --format json \
        "s3://$BUCKET/main" "$SERVER" | "$PY" -c 'import json,sys; print(" ".join(b["backup_id"] for b in json.load(sys.stdin)["backups_list"]))'
}
promoted() { [[ $(renv_sql "$1" 'SELECT pg_is_in_recovery()' 2>/dev/null) == f ]]; }
psql_tcp() {   # psql_tcp ROLE SQL: over TCP with the .pgpass password
    "$PG_BIN/psql" -X -w -At -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$PG_PORT" -U "$1" -d postgres -c "$2"
}

# ----------------------------------------------------------------- streaming
step "streaming: PostgreSQL from the export"
# The primary is laid out as Debian's postgresql-common lays it out: its
# configuration in its own folder (ETC), outside PGDATA and so outside every
# base backup, conf.d read last; tuned above initdb's defaults and above what
# Barman needs (max_connections 300, wal_level logical with a logical slot,
# 12 slots, 16 senders). Restores must start with these (pg_controldata).
PGDATA=$WORK/pg-primary
ETC=$WORK/etc-postgresql/15/main
TUNED=("max_connections = 300" "wal_level = logical" "max_replication_slots = 12" "max_wal_senders = 16")
renv_pg_create "$PGDATA" "$PG_PORT" "${TUNED[@]}"
mkdir -p "$ETC/conf.d"
mv "$PGDATA/postgresql.conf" "$PGDATA/pg_hba.conf" "$PGDATA/pg_ident.conf" "$ETC/"
cat >>"$ETC/postgresql.conf" <<CONF
data_directory = '$PGDATA'
hba_file = '$ETC/pg_hba.conf'
ident_file = '$ETC/pg_ident.conf'
include_dir = 'conf.d'
CONF
subst "$A" <"$EXP/pg-1/etc/postgresql/15/main/conf.d/drplan-barman.conf" >"$ETC/conf.d/drplan-barman.conf"
# Only the exported lines admit TCP connections: initdb's host rules go.
{
    grep -v '^#' "$EXP/pg-1/etc/postgresql/15/main/pg_hba.conf.drplan" |
        sed -e "s#[a-z0-9-]*\.par1\.example\.net\( *\)#127.0.0.1/32\1#g" | grep -v '^$'
    grep -E '^local' "$ETC/pg_hba.conf"
} >"$ETC/pg_hba.conf.new"
mv "$ETC/pg_hba.conf.new" "$ETC/pg_hba.conf"
[[ ! -e $PGDATA/postgresql.conf ]] || die "the configuration must live outside PGDATA"
# pg_ctl on the configuration folder, as pg_ctlcluster runs it; stopped by PGDATA.
"$PG_BIN/pg_ctl" -D "$ETC" -l "$WORK/log/pg-primary.log" -w -t 120 start >/dev/null ||
    die "the Debian-style primary did not start: $(tail -5 "$WORK/log/pg-primary.log")"
renv_defer "renv_pg_stop '$PGDATA'"
renv_sql "$PG_PORT" "SELECT pg_create_logical_replication_slot('cdc', 'test_decoding')" >/dev/null
# The exported raise script: this cluster already has more than Barman needs.
raised=$(PSQL=$PG_BIN/psql PGHOST=$RENV_SOCK PGPORT=$PG_PORT bash "$EXP/pg-1/usr/local/sbin/drplan-raise-settings-main")
grep -q 'NOTHING TO CHANGE' <<<"$raised" || die "the raise script changed settings: $raised"
[[ $(renv_sql "$PG_PORT" "SHOW wal_level") == logical ]] || die "wal_level changed"
[[ $(renv_sql "$PG_PORT" "SHOW max_connections") == 300 ]] || die "max_connections changed"
[[ $(renv_sql "$PG_PORT" "SHOW archive_timeout") == 1min ]] || die "archive_timeout from conf.d not applied"
"$PG_BIN/psql" -X -w -q -v ON_ERROR_STOP=1 -h "$RENV_SOCK" -p "$PG_PORT" -U postgres -d postgres \
    -f "$EXP/pg-1/var/lib/postgresql/drplan/barman-roles-main.sql" >/dev/null
# Re-running the role SQL must be harmless (idempotent).
"$PG_BIN/psql" -X -w -q -v ON_ERROR_STOP=1 -h "$RENV_SOCK" -p "$PG_PORT" -U postgres -d postgres \
    -f "$EXP/pg-1/var/lib/postgresql/drplan/barman-roles-main.sql" >/dev/null
[[ $(renv_sql "$PG_PORT" "SELECT rolsuper FROM pg_roles WHERE rolname = 'barman'") == f ]] || die "barman must not be a superuser"
# The operator's part: passwords set by hand, kept in .pgpass only.
for role in barman streaming_barman; do
    pw=$(head -c 24 /dev/urandom | base64 | tr -dc 'A-Za-z0-9' | head -c 20)
    "$PG_BIN/psql" -X -w -q -v ON_ERROR_STOP=1 -h "$RENV_SOCK" -p "$PG_PORT" -U postgres -d postgres >/dev/null <<<"ALTER ROLE $role PASSWORD '$pw';"
    printf '127.0.0.1:%s:*:%s:%s\n' "$PG_PORT" "$role" "$pw" >>"$PGPASSFILE"
done
[[ $(psql_tcp barman "SELECT current_user") == barman ]] || die "barman cannot connect over TCP with the exported pg_hba lines"

step "streaming: Barman from the export"
subst "$A" <"$EXP/backup-1/etc/barman.conf" >"$A/barman.conf"
subst "$A" <"$EXP/backup-1/etc/barman.d/main.conf" >"$A/barman.d/main.conf"
# The cloud tier's WAL hook (pre_archive_retry_script) is the exported wrapper.
subst "$A" <"$EXP/backup-1/usr/local/sbin/drplan-cloud-wal-main" >"$A/sbin/drplan-cloud-wal-main"
chmod 700 "$A/sbin/drplan-cloud-wal-main"
RENV_BARMAN_CONF=$A/barman.conf
RENV_BARMAN_HOME=$A/home
renv_barman show-servers "$SERVER" >"$WORK/log/show-servers-a.out" 2>&1 || die "barman show-servers: $(cat "$WORK/log/show-servers-a.out")"
grep -qi 'warning' "$A/home/barman.log" 2>/dev/null && die "Barman warned about the exported config: $(grep -i warning "$A/home/barman.log" | sed -n 1p)"
renv_receive_wal_start "$SERVER"
renv_cron
renv_wait_streaming "$PG_PORT"
renv_switch_wal "$SERVER" "$PG_PORT"
renv_switch_wal "$SERVER" "$PG_PORT"
check=$(renv_barman check "$SERVER" 2>&1) || true
failed=$(sed -n -E 's/^[[:space:]]+(.+): FAILED.*/\1/p' <<<"$check" | sort | paste -sd,)
# No backup yet: the exported thresholds (last_backup_maximum_age,
# last_backup_minimum_size, last_wal_maximum_age) fail too, as they should.
[[ $failed == "backup maximum age,backup minimum size,minimum redundancy requirements,wal maximum age" ]] ||
    die "barman check before the first backup: unexpected failures: ${failed:-none}: $check"
# The exported nightly copy of the configuration into PGDATA, so that every
# base backup carries it.
copy_cmd=$(cron_cmd "$EXP/pg-1/etc/cron.d/drplan-barman" ' cp -a -T ' |
    sed -e "s#/etc/postgresql/15/main#$ETC#; s#/var/lib/postgresql/15/main#$PGDATA#")
bash -c "$copy_cmd" || die "the exported configuration copy failed: $copy_cmd"
[[ -f $PGDATA/drplan-etc/postgresql.conf ]] || die "the configuration copy did not reach PGDATA"
backup_cmd=$(cron_cmd "$EXP/backup-1/etc/cron.d/drplan-barman" ' backup --wait .*main$' | subst "$A")
info "cron backup command: $backup_cmd"
"$PG_BIN/pgbench" -h "$RENV_SOCK" -p "$PG_PORT" -U postgres -i -q -s 2 postgres >/dev/null 2>&1
renv_sql "$PG_PORT" "CREATE TABLE drill_marker (id int PRIMARY KEY, note text NOT NULL)"
bash -c "$backup_cmd" >"$WORK/log/backup-1.out" 2>&1 || die "exported backup command failed: $(tail -5 "$WORK/log/backup-1.out")"
# The lab's database is megabytes, the plan's 500 GiB: the exported
# last_backup_minimum_size (half the planned size) must make barman check fail.
check=$(renv_barman check "$SERVER" 2>&1) || true
failed=$(sed -n -E 's/^[[:space:]]+(.+): FAILED.*/\1/p' <<<"$check" | paste -sd,)
[[ $failed == "backup minimum size" ]] ||
    die "barman check after the first backup: expected only 'backup minimum size' to fail (planned 500 GiB, lab backup of MB), got: ${failed:-none}: $check"
info "barman check: backup minimum size FAILED, as the exported threshold says for this small lab"
# From here on, the lab-scale threshold (the one value changed for the lab's size).
sed -i -E 's/^last_backup_minimum_size = .*/last_backup_minimum_size = 1 Mi/' "$A/barman.d/main.conf"
renv_barman check "$SERVER" >"$WORK/log/check-after.out" 2>&1 || die "barman check after the first backup: $(grep FAILED "$WORK/log/check-after.out")"
BACKUP1=$(renv_barman -f json list-backups "$SERVER" | "$PY" -c 'import json,sys; d=json.load(sys.stdin); print(next(iter(d.values()))[0]["backup_id"])')
info "backup $BACKUP1 taken; barman check all OK"
# The exported metrics script against this Barman (a `barman` on PATH reading
# our config, as /etc/barman.conf would on the host): valid Prometheus text
# (promtool), check OK, the new backup's end time.
command -v promtool >/dev/null || die "promtool missing (apt-get install prometheus; run scripts/test-env.sh)"
mkdir -p "$WORK/metrics-bin"
printf '#!/bin/sh\nexec %s -c %s "$@"\n' "$VENV/bin/barman" "$A/barman.conf" >"$WORK/metrics-bin/barman"
chmod 700 "$WORK/metrics-bin/barman"
subst "$A" <"$EXP/backup-1/usr/local/sbin/drplan-barman-metrics" >"$A/sbin/drplan-barman-metrics"
PATH="$WORK/metrics-bin:$PATH" bash "$A/sbin/drplan-barman-metrics" "$WORK/barman.prom" || die "drplan-barman-metrics failed"
promtool check metrics <"$WORK/barman.prom" >"$WORK/log/promtool-metrics.out" 2>&1 ||
    die "promtool check metrics: $(cat "$WORK/log/promtool-metrics.out")"
grep -qx 'barman_check_ok{server="main",tier="barman-par1"} 1' "$WORK/barman.prom" || die "metrics: barman check not OK: $(cat "$WORK/barman.prom")"
last=$(sed -n 's/^barman_last_backup_timestamp_seconds{server="main",tier="barman-par1"} //p' "$WORK/barman.prom")
((last > 0 && $(date +%s) - last < 900)) || die "metrics: newest backup at '$last', not the one just taken"
info "drplan-barman-metrics: promtool OK, check OK, newest backup at $last"

# Targets: a marker committed before, changes after.
renv_sql "$PG_PORT" "INSERT INTO drill_marker VALUES (1, 'before the targets')"
T1=$(renv_sql "$PG_PORT" "SELECT to_char(clock_timestamp() AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS.US') || '+00:00'")
POINT=drplan_e2e_point
psql_tcp barman "SELECT pg_create_restore_point('$POINT')" >/dev/null   # as barman: proves the grant
LSN=$(renv_sql "$PG_PORT" "SELECT pg_current_wal_lsn()")
sleep 1
renv_sql "$PG_PORT" "DELETE FROM drill_marker WHERE id = 1; INSERT INTO drill_marker VALUES (2, 'after the targets')"
renv_switch_wal "$SERVER" "$PG_PORT"

# recover_check BARMAN_CONF NAME TARGET_OPTION VALUE
# A restore of the Debian-style primary has no configuration (it is not in
# the backup): a minimal one, and the primary's tuned values on the command
# line (recovery refuses fewer connections or senders than the primary had).
TUNED_OPTS="-c max_connections=300 -c max_wal_senders=16 -c max_replication_slots=12 -c wal_level=logical"
restored_config() {
    [[ ! -e $1/postgresql.conf ]] || die "a configuration file was restored into $1: it should live outside PGDATA"
    [[ -f $1/drplan-etc/postgresql.conf ]] || die "the nightly copy of the configuration (drplan-etc) is not in the backup"
    printf "listen_addresses = ''\n" >"$1/postgresql.conf"
    printf 'local all all trust\n' >"$1/pg_hba.conf"
}
recover_check() {
    local conf=$1 name=$2 opt=$3 val=$4 dest=$WORK/rec-$2 port log
    "$VENV/bin/barman" -c "$conf" recover "$opt" "$val" --target-action promote "$SERVER" latest "$dest" \
        >"$WORK/log/recover-$name.out" 2>&1 || die "barman recover ($name) failed: $(tail -5 "$WORK/log/recover-$name.out")"
    renv_free_port port
    log=$WORK/log/pg-rec-$name.log
    restored_config "$dest"
    "$PG_BIN/pg_ctl" -D "$dest" -l "$log" -w -t 120 \
        -o "-c port=$port -c unix_socket_directories='$RENV_SOCK' -c archive_mode=off $TUNED_OPTS" start >/dev/null ||
        die "recovered cluster ($name) did not start: $(tail -5 "$log")"
    renv_defer "renv_pg_stop '$dest'"
    renv_wait 120 "promotion ($name)" promoted "$port"
    [[ $(renv_sql "$port" "SELECT count(*) FROM drill_marker WHERE id = 1") == 1 ]] || die "$name: marker row missing"
    [[ $(renv_sql "$port" "SELECT count(*) FROM drill_marker WHERE id = 2") == 0 ]] || die "$name: a change after the target is present"
    grep -q 'recovery stopping' "$log" || die "$name: recovery did not stop at the target"
    renv_pg_stop "$dest"
    rm -rf "$dest"
}
recover_check "$A/barman.conf" time --target-time "$T1"
recover_check "$A/barman.conf" name --target-name "$POINT"
recover_check "$A/barman.conf" lsn --target-lsn "$LSN"
echo "STAGE streaming: PASS (barman check all OK, backup $BACKUP1, PITR by time, name and LSN)"

# ------------------------------------------------------------------- passive
step "passive: node from the export over a private sshd"
renv_sshd_start
subst "$B" <"$EXP/backup-2/etc/barman.conf" >"$B/barman.conf"
subst "$B" <"$EXP/backup-2/etc/barman.d/main.conf" >"$B/barman.d/main.conf"
grep -q "^primary_ssh_command = ssh -p $RENV_SSHD_PORT " "$B/barman.d/main.conf" || die "primary_ssh_command not found in the passive server file"
subst "$B" <"$EXP/backup-2/usr/local/sbin/drplan-passive-cron" >"$B/sbin/drplan-passive-cron"
chmod 700 "$B/sbin/drplan-passive-cron"
passive_cmd=$(cron_cmd "$EXP/backup-2/etc/cron.d/barman" 'drplan-passive-cron$' | subst "$B")
info "passive cron command: $passive_cmd"
# The canary as the exported cron stamps it on the primary every minute.
canary_cmd=$(cron_cmd "$EXP/pg-1/etc/cron.d/drplan-barman" 'drplan_canary' |
    sed -e "s#-h /var/run/postgresql#-h $RENV_SOCK#; s#-p 5432#-p $PG_PORT -U postgres#")
stamp_canary() { bash -c "$canary_cmd" || die "the exported canary cron command failed: $canary_cmd"; }
canary_ms() { renv_sql "$PG_PORT" "SELECT (extract(epoch FROM at) * 1000)::bigint FROM public.drplan_canary"; }
stamp_canary
passive_stamp=$(canary_ms)
for i in 1 2 3; do
    # --keep-descriptors: wait for the sync subprocesses barman cron detaches.
    bash -c "$passive_cmd --keep-descriptors" 2>&1 | cat >>"$WORK/log/passive-cron.log"
    renv_switch_wal "$SERVER" "$PG_PORT"
done
grep -q 'not a valid positive integer' "$WORK/log/passive-cron.log" && die "passive sync hit the position-0 state: $(tail -3 "$WORK/log/passive-cron.log")"
"$VENV/bin/barman" -c "$B/barman.conf" list-backups "$SERVER" | grep -q "$BACKUP1" ||
    die "backup $BACKUP1 not on the passive node: $(tail -5 "$WORK/log/passive-cron.log")"
# The passive node carries its own thresholds (the primary's plus one sync):
# with the planned 500 GiB, only the minimum size fails on this small lab.
grep -q '^last_backup_maximum_age = ' "$B/barman.d/main.conf" || die "no last_backup_maximum_age in the passive server file"
check=$("$VENV/bin/barman" -c "$B/barman.conf" check "$SERVER" 2>&1) || true
failed=$(sed -n -E 's/^[[:space:]]+(.+): FAILED.*/\1/p' <<<"$check" | paste -sd,)
[[ $failed == "backup minimum size" ]] ||
    die "barman check on the passive node: expected only 'backup minimum size' to fail, got: ${failed:-none}: $check"
sed -i -E 's/^last_backup_minimum_size = .*/last_backup_minimum_size = 1 Mi/' "$B/barman.d/main.conf"
"$VENV/bin/barman" -c "$B/barman.conf" check "$SERVER" >"$WORK/log/check-b.out" 2>&1 || die "barman check on the passive node: $(grep FAILED "$WORK/log/check-b.out")"
# Its metrics, labelled with the passive tier.
printf '#!/bin/sh\nexec %s -c %s "$@"\n' "$VENV/bin/barman" "$B/barman.conf" >"$WORK/metrics-bin/barman"
subst "$B" <"$EXP/backup-2/usr/local/sbin/drplan-barman-metrics" >"$B/sbin/drplan-barman-metrics"
PATH="$WORK/metrics-bin:$PATH" bash "$B/sbin/drplan-barman-metrics" "$WORK/barman-b.prom" || die "drplan-barman-metrics on the passive node failed"
promtool check metrics <"$WORK/barman-b.prom" >"$WORK/log/promtool-metrics-b.out" 2>&1 ||
    die "promtool check metrics (passive): $(cat "$WORK/log/promtool-metrics-b.out")"
grep -qx 'barman_check_ok{server="main",tier="barman-fra1"} 1' "$WORK/barman-b.prom" || die "passive metrics: barman check not OK: $(cat "$WORK/barman-b.prom")"
last_b=$(sed -n 's/^barman_last_backup_timestamp_seconds{server="main",tier="barman-fra1"} //p' "$WORK/barman-b.prom")
((last_b == last)) || die "passive metrics: newest synced backup ends at '$last_b', the primary's at '$last'"
info "passive node: thresholds exported, barman check OK, metrics labelled tier=barman-fra1"
recover_check "$B/barman.conf" passive --target-name "$POINT"
# The exported drill of this tier, run on the passive node: no connection to
# the primary, so the RPO is the age of the restored (cron) stamp at its start.
subst "$B" <"$EXP/backup-2/usr/local/sbin/drplan-restore-drill-main-barman-fra1" >"$B/sbin/drplan-restore-drill-main-barman-fra1"
chmod 700 "$B/sbin/drplan-restore-drill-main-barman-fra1"
renv_free_port pdport
before_drill=$(date +%s)
set +e
DRILL_SSH="" DRILL_DIR=$WORK/drill-passive DRILL_PORT=$pdport DRILL_SOCKET_DIR=$RENV_SOCK \
    "$B/sbin/drplan-restore-drill-main-barman-fra1" >"$WORK/log/drill-passive.out" 2>&1
rc=$?
set -e
sed 's/^/   drill-passive| /' "$WORK/log/drill-passive.out"
[[ $rc -eq 0 ]] || die "the passive node's drill exited $rc"
prpo=$(sed -n -E 's/^RPO: ([0-9]+) s .*/\1/p' "$WORK/log/drill-passive.out")
[[ -n $prpo ]] || die "the passive drill did not report an RPO"
# Its start is between before_drill and now; the stamp it restored is cron's.
lo=$(( before_drill - (passive_stamp + 999) / 1000 )); hi=$(( $(date +%s) - passive_stamp / 1000 + 1 ))
((prpo >= lo && prpo <= hi)) || die "passive drill RPO ${prpo} s outside [$lo, $hi] (the age of cron's stamp at its start)"
[[ ! -e $WORK/drill-passive ]] || die "the passive drill left its cluster behind"
# A restored cluster without the canary fails the drill and calls the hook.
printf '#!/bin/sh\nprintf "%%s|%%s|%%s\\n" "$1" "$2" "$3" >>"%s/notified-passive"\n' "$WORK" >"$WORK/notify-passive"
chmod 755 "$WORK/notify-passive"
set +e
DRILL_CANARY=public.drplan_no_such_canary DRILL_NOTIFY=$WORK/notify-passive DRILL_SSH="" DRILL_DIR=$WORK/drill-passive \
    DRILL_PORT=$pdport DRILL_SOCKET_DIR=$RENV_SOCK \
    "$B/sbin/drplan-restore-drill-main-barman-fra1" >"$WORK/log/drill-passive-nocanary.out" 2>&1
rc=$?
set -e
[[ $rc -eq 2 ]] || die "a drill whose restored data lacks the canary exited $rc, not 2: $(tail -3 "$WORK/log/drill-passive-nocanary.out")"
grep -q 'no canary table' "$WORK/log/drill-passive-nocanary.out" || die "the drill did not say the canary is missing"
grep -q '^main|FAIL|.*canary' "$WORK/notified-passive" || die "the notification hook was not called for the missing canary"
[[ ! -e $WORK/drill-passive ]] || die "the failed drill left its cluster behind"
echo "STAGE passive: PASS (backup $BACKUP1 and its WAL synced over ssh; PITR from the passive copy; tier drill RPO=${prpo}s; missing canary fails)"

# --------------------------------------------------------------------- cloud
step "cloud: hook uploads, exported retention, restore from the bucket"
read -r -a ids <<<"$(cloud_backups)"
[[ ${#ids[@]} -eq 1 && ${ids[0]} == "$BACKUP1" ]] || die "expected backup $BACKUP1 in the bucket, found: ${ids[*]:-none}"
wal_objects=$(s3_objects "main/main/wals/")
((wal_objects > 0)) || die "no WAL in the bucket: the pre-archive hook did not upload"
"$PG_BIN/pgbench" -h "$RENV_SOCK" -p "$PG_PORT" -U postgres -n -t 200 postgres >/dev/null 2>&1
bash -c "$backup_cmd" >"$WORK/log/backup-2.out" 2>&1 || die "second backup failed: $(tail -5 "$WORK/log/backup-2.out")"
read -r -a ids <<<"$(cloud_backups)"
[[ ${#ids[@]} -eq 2 ]] || die "expected 2 backups in the bucket after the second backup, found: ${ids[*]:-none}"
BACKUP2=${ids[1]}
delete_cmd=$(cron_cmd "$EXP/backup-1/etc/cron.d/drplan-barman" '^[^#].*barman-cloud-backup-delete ' | subst "$A")
info "cloud retention command: $delete_cmd"
bash -c "$delete_cmd" >"$WORK/log/cloud-delete.out" 2>&1 || die "cloud retention failed: $(tail -5 "$WORK/log/cloud-delete.out")"
read -r -a ids <<<"$(cloud_backups)"
[[ ${#ids[@]} -eq 1 && ${ids[0]} == "$BACKUP2" ]] || die "REDUNDANCY 1 should keep only $BACKUP2, found: ${ids[*]:-none}"
renv_sql "$PG_PORT" "INSERT INTO drill_marker VALUES (3, 'after the second backup')"
psql_tcp barman "SELECT pg_create_restore_point('drplan_e2e_cloud')" >/dev/null
sleep 1
renv_sql "$PG_PORT" "INSERT INTO drill_marker VALUES (4, 'after the cloud target')"
renv_switch_wal "$SERVER" "$PG_PORT"
dest=$WORK/rec-cloud
barman-cloud-restore --cloud-provider aws-s3 --endpoint-url "$S3_URL" "s3://$BUCKET/main" "$SERVER" "$BACKUP2" "$dest" \
    >"$WORK/log/cloud-restore.out" 2>&1 || die "barman-cloud-restore failed: $(tail -5 "$WORK/log/cloud-restore.out")"
cat >>"$dest/postgresql.auto.conf" <<CONF
restore_command = 'barman-cloud-wal-restore --cloud-provider aws-s3 --endpoint-url $S3_URL s3://$BUCKET/main $SERVER %f %p'
recovery_target_name = 'drplan_e2e_cloud'
recovery_target_action = 'promote'
CONF
touch "$dest/recovery.signal"
chmod 700 "$dest"
renv_free_port cport
restored_config "$dest"
"$PG_BIN/pg_ctl" -D "$dest" -l "$WORK/log/pg-rec-cloud.log" -w -t 120 \
    -o "-c port=$cport -c unix_socket_directories='$RENV_SOCK' -c archive_mode=off $TUNED_OPTS" start >/dev/null ||
    die "cluster restored from the bucket did not start: $(tail -5 "$WORK/log/pg-rec-cloud.log")"
renv_defer "renv_pg_stop '$dest'"
renv_wait 120 "promotion (cloud)" promoted "$cport"
[[ $(renv_sql "$cport" "SELECT string_agg(id::text, ',' ORDER BY id) FROM drill_marker") == 2,3 ]] ||
    die "restore from the bucket: expected marker rows 2,3, found $(renv_sql "$cport" "SELECT string_agg(id::text, ',' ORDER BY id) FROM drill_marker")"
renv_pg_stop "$dest"
# The exported drill of the bucket, as it runs on the recovery host: the
# newest backup from the bucket and every WAL file the bucket holds.
stamp_canary
bucket_stamp=$(canary_ms)
renv_switch_wal "$SERVER" "$PG_PORT"
subst "$A" <"$EXP/drill-1/usr/local/sbin/drplan-restore-drill-main-s3-offsite" >"$A/sbin/drplan-restore-drill-main-s3-offsite"
chmod 700 "$A/sbin/drplan-restore-drill-main-s3-offsite"
grep -q "^CLOUD_OPTS=.*--endpoint-url $S3_URL" "$A/sbin/drplan-restore-drill-main-s3-offsite" || die "the bucket drill does not name the endpoint"
renv_free_port bdport
before_drill=$(date +%s)
set +e
DRILL_DIR=$WORK/drill-bucket DRILL_PORT=$bdport DRILL_SOCKET_DIR=$RENV_SOCK \
    "$A/sbin/drplan-restore-drill-main-s3-offsite" >"$WORK/log/drill-bucket.out" 2>&1
rc=$?
set -e
sed 's/^/   drill-bucket| /' "$WORK/log/drill-bucket.out"
[[ $rc -eq 0 ]] || die "the bucket drill exited $rc"
grep -q "restoring backup $BACKUP2 " "$WORK/log/drill-bucket.out" || die "the bucket drill did not restore the newest backup ($BACKUP2)"
brpo=$(sed -n -E 's/^RPO: ([0-9]+) s .*/\1/p' "$WORK/log/drill-bucket.out")
[[ -n $brpo ]] || die "the bucket drill did not report an RPO"
lo=$(( before_drill - (bucket_stamp + 999) / 1000 )); hi=$(( $(date +%s) - bucket_stamp / 1000 + 1 ))
((brpo >= lo && brpo <= hi)) || die "bucket drill RPO ${brpo} s outside [$lo, $hi]: the stamp uploaded by the hook was not restored"
[[ ! -e $WORK/drill-bucket ]] || die "the bucket drill left its cluster behind"
echo "STAGE cloud: PASS (hooks uploaded $BACKUP1 and $BACKUP2 and $wal_objects+ WAL objects; retention left $BACKUP2; PITR from the bucket; tier drill RPO=${brpo}s)"

# --------------------------------------------------------------------- drill
step "drill: the exported restore-drill script"
subst "$A" <"$EXP/backup-1/usr/local/sbin/drplan-restore-drill-main" >"$A/sbin/drplan-restore-drill-main"
chmod 700 "$A/sbin/drplan-restore-drill-main"
renv_free_port dport
# A mis-set DRILL_DIR pointing at a real cluster: refused, left intact, hook called.
step "drill: DRILL_DIR holding an existing cluster is refused and left intact"
renv_free_port eport
renv_pg_create "$WORK/existing" "$eport"
before=$(cd "$WORK/existing" && find . -printf '%p %s\n' | sort | sha256sum)
printf '#!/bin/sh\nprintf "%%s|%%s|%%s\\n" "$1" "$2" "$3" >>"%s/notified"\n' "$WORK" >"$WORK/notify"
chmod 755 "$WORK/notify"
set +e
DRILL_SSH="" DRILL_DIR=$WORK/existing DRILL_PORT=$dport DRILL_SOCKET_DIR=$RENV_SOCK DRILL_NOTIFY=$WORK/notify \
    "$A/sbin/drplan-restore-drill-main" >"$WORK/log/drill-guard.out" 2>&1
rc=$?
set -e
sed 's/^/   drill-guard| /' "$WORK/log/drill-guard.out"
[[ $rc -eq 2 ]] || die "the drill on an existing DRILL_DIR exited $rc, not 2"
grep -q 'already exists' "$WORK/log/drill-guard.out" || die "the drill did not say why it refused"
[[ -f $WORK/existing/PG_VERSION ]] || die "the drill deleted the existing cluster"
after=$(cd "$WORK/existing" && find . -printf '%p %s\n' | sort | sha256sum)
[[ $before == "$after" ]] || die "the drill changed the existing cluster"
grep -q '^main|FAIL|' "$WORK/notified" 2>/dev/null || die "the notification hook was not called"
"$PG_BIN/pg_ctl" -D "$WORK/existing" -l "$WORK/log/pg-existing.log" -w -t 60 start >/dev/null ||
    die "the existing cluster no longer starts"
"$PG_BIN/pg_ctl" -D "$WORK/existing" -m fast -w stop >/dev/null
echo "STAGE drill-guard: PASS"

# To a restore point: the restored canary must be the drill's own stamp.
set +e
DRILL_TARGET=point DRILL_SSH="" DRILL_DIR=$WORK/drill DRILL_PORT=$dport DRILL_SOCKET_DIR=$RENV_SOCK \
    "$A/sbin/drplan-restore-drill-main" >"$WORK/log/drill.out" 2>&1
rc=$?
set -e
cat "$WORK/log/drill.out" | sed 's/^/   drill| /'
[[ $rc -eq 0 ]] || die "the restore drill exited $rc"
grep -q 'pg_controldata: -c max_connections=300 .* -c wal_level=logical' "$WORK/log/drill.out" ||
    die "the drill did not start the restore with the tuned primary's settings"
rto=$(sed -n -E 's/^RTO: ([0-9]+) s.*/\1/p' "$WORK/log/drill.out")
[[ -n $rto ]] || die "the drill did not report an RTO"
grep -q 'the restored canary is the stamp written just before the restore point' "$WORK/log/drill.out" ||
    die "the point drill did not check the canary"
grep -q '^RPO: 0 s ' "$WORK/log/drill.out" || die "the point drill's RPO is not 0: $(grep '^RPO' "$WORK/log/drill.out")"
[[ ! -e $WORK/drill ]] || die "the drill left its cluster behind"

# With all the WAL Barman holds (the default): the exported cron stamps the
# canary (run here as cron would), its segment is archived, then the drill
# stamps it again without archiving: the restored stamp is cron's, and the
# RPO the drill reports is the age of that stamp at the drill's start.
stamp_canary
cron_stamp=$(canary_ms)
renv_switch_wal "$SERVER" "$PG_PORT"
set +e
DRILL_SSH="" DRILL_DIR=$WORK/drill DRILL_PORT=$dport DRILL_SOCKET_DIR=$RENV_SOCK \
    "$A/sbin/drplan-restore-drill-main" >"$WORK/log/drill-latest.out" 2>&1
rc=$?
set -e
sed 's/^/   drill-latest| /' "$WORK/log/drill-latest.out"
[[ $rc -eq 0 ]] || die "the latest-WAL drill exited $rc"
rpo=$(sed -n -E 's/^RPO: ([0-9]+) s .*latest.*/\1/p' "$WORK/log/drill-latest.out")
[[ -n $rpo ]] || die "the drill did not report an RPO"
drill_stamp=$(renv_sql "$PG_PORT" "SELECT (extract(epoch FROM at) * 1000)::bigint FROM public.drplan_canary")
want=$(( (drill_stamp - cron_stamp + 999) / 1000 ))
((rpo == want)) || die "the drill reports RPO ${rpo} s; the cron stamp it restored is ${want} s older than its own"
[[ ! -e $WORK/drill ]] || die "the drill left its cluster behind"
echo "STAGE drill: PASS RTO=${rto}s RPO=${rpo}s (point: canary exact; latest: restored the cron stamp)"

renv_pass
