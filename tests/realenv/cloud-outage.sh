#!/usr/bin/env bash
# tests/realenv/cloud-outage.sh -- the exported cloud WAL hook never stops
# local archiving. Deploys what `drplan export` wrote for
# tests/fixtures/export/lab.yaml on the primary Barman (server file, the
# hook wrapper sbin/drplan-cloud-wal-main, the catch-up cron line) against
# real PostgreSQL 15, Barman and the moto S3 emulator, changing only
# hostnames, ports, paths and the OS user, then:
#   1. with S3 up, segments reach the bucket through the hook, queue empty;
#   2. with moto frozen (SIGSTOP: connections are accepted and hang, the
#      worst outage for a client), new segments still reach wals/ within a
#      minute each and their names wait in the queue; the catch-up fails
#      and keeps them;
#   3. moto resumed, the exported catch-up command uploads them in order,
#      empties the queue, and a listing of the bucket holds every segment
#      Barman archived since the first upload: no gap.
# Prints `STAGE cloud-outage: PASS ...` and `RESULT: PASS`.
#
# Input: RENV_EXPORT_DIR, the output folder of
#   drplan export tests/fixtures/export/lab.yaml --out DIR
source "$(dirname "$(readlink -f "$0")")/lib.sh"
renv_init cloud-outage "$@"
export LC_ALL=C

EXP=${RENV_EXPORT_DIR:?set RENV_EXPORT_DIR to the output of drplan export}
[[ -r $EXP/README.md ]] || die "$EXP/README.md missing or unreadable by $(id -un): not a drplan export"
SERVER=main
BUCKET=acme-pg-backups
ME=$(id -un)
A=$WORK/barman-a
mkdir -p "$A/home" "$A/barman.d" "$A/sbin"

step "components"
renv_require_core
renv_require_moto
command -v timeout >/dev/null || die "timeout (coreutils) missing"
command -v flock >/dev/null || die "flock (util-linux) missing"
renv_free_port PG_PORT
renv_moto_start
renv_s3_bucket "$BUCKET"

subst() {
    sed -e "s#[a-z0-9-]*\.\(par1\|fra1\)\.example\.net#127.0.0.1#g" \
        -e "s#s3\.lab\.invalid:9000#${S3_URL#http://}#g" \
        -e "s#port=5432#port=$PG_PORT#g" \
        -e "s#/etc/barman\.conf#$A/barman.conf#g; s#/etc/barman\.d#$A/barman.d#g" \
        -e "s#/var/log/barman/barman\.log#$A/home/barman.log#g; s#/var/lib/barman#$A/home#g" \
        -e "s#/usr/local/sbin#$A/sbin#g" \
        -e "s#^barman_user = barman\$#barman_user = $ME#"
}
cron_cmd() {   # cron_cmd FILE PATTERN: the command of the matching cron line
    local line
    line=$(grep -v '^#' "$1" | grep -E -- "$2" | sed -n 1p)
    [[ -n $line ]] || die "no cron line matching '$2' in $1"
    awk '{ $1 = $2 = $3 = $4 = $5 = $6 = ""; sub(/^ +/, ""); print }' <<<"$line"
}
bucket_wals() {   # names of the WAL objects in the bucket, sorted
    "$PY" - "$BUCKET" "main/$SERVER/wals/" <<'PY'
import os, sys, boto3
s3 = boto3.client("s3", endpoint_url=os.environ["S3_URL"])
names = set()
for page in s3.get_paginator("list_objects_v2").paginate(Bucket=sys.argv[1], Prefix=sys.argv[2]):
    for o in page.get("Contents", []):
        names.add(o["Key"].rsplit("/", 1)[-1].split(".")[0])
print("\n".join(sorted(names)))
PY
}
local_wals() {   # segments Barman archived, sorted
    cat "$A/home/$SERVER"/wals/*xlog.db | awk '{print $1}' | grep -E '^[0-9A-F]{24}$' | sort -u
}
QUEUE=$A/home/drplan-cloud-queue/$SERVER
queued() { ls "$QUEUE" 2>/dev/null | grep -cE '^[0-9A-F]{24}$' || true; }

step "deploy: PostgreSQL, Barman and the cloud hook from the export"
PGDATA=$WORK/pg-primary
renv_pg_create "$PGDATA" "$PG_PORT"
mkdir -p "$PGDATA/conf.d"
subst <"$EXP/pg-1/etc/postgresql/15/main/conf.d/drplan-barman.conf" >"$PGDATA/conf.d/drplan-barman.conf"
echo "include_dir = 'conf.d'" >>"$PGDATA/postgresql.conf"
renv_pg_start "$PGDATA"
renv_pg_barman_roles "$PG_PORT"
subst <"$EXP/backup-1/etc/barman.conf" >"$A/barman.conf"
subst <"$EXP/backup-1/etc/barman.d/main.conf" >"$A/barman.d/main.conf"
subst <"$EXP/backup-1/usr/local/sbin/drplan-cloud-wal-main" >"$A/sbin/drplan-cloud-wal-main"
chmod 700 "$A/sbin/drplan-cloud-wal-main"
grep -qx "pre_archive_retry_script = $A/sbin/drplan-cloud-wal-main" "$A/barman.d/main.conf" ||
    die "the exported server file does not use the wrapper as pre_archive_retry_script"
catch_up=$(cron_cmd "$EXP/backup-1/etc/cron.d/drplan-barman" 'drplan-cloud-wal-main --catch-up$' | subst)
info "catch-up command: $catch_up"
RENV_BARMAN_CONF=$A/barman.conf
RENV_BARMAN_HOME=$A/home
renv_receive_wal_start "$SERVER"
renv_cron
renv_wait_streaming "$PG_PORT"

step "S3 up: the hook uploads"
renv_switch_wal "$SERVER" "$PG_PORT"
renv_switch_wal "$SERVER" "$PG_PORT"
FIRST=$(bucket_wals | sed -n 1p)
[[ -n $FIRST ]] || die "no WAL reached the bucket through the hook: $(grep -i 'drplan-cloud-wal\|hook' "$A/home/barman.log" | tail -5)"
(($(queued) == 0)) || die "segments queued while S3 was up: $(ls "$QUEUE")"
info "bucket holds $(bucket_wals | wc -l) segment(s) from $FIRST; queue empty"

step "S3 frozen: local archiving continues, the queue holds the segments"
bucket_wals >"$WORK/bucket-before"   # no listing while the emulator is frozen
kill -STOP "$RENV_MOTO_PID"
renv_defer "kill -CONT $RENV_MOTO_PID 2>/dev/null"
before=$(local_wals | wc -l)
for i in 1 2 3; do
    t0=$(date +%s)
    renv_switch_wal "$SERVER" "$PG_PORT"   # waits (<= 60 s) until the segment is in wals/
    dt=$(($(date +%s) - t0))
    ((dt <= 60)) || die "segment $i took ${dt}s to reach wals/ during the outage"
    info "segment $i archived locally in ${dt}s during the outage"
done
after=$(local_wals | wc -l)
((after >= before + 3)) || die "only $((after - before)) new segment(s) in wals/ during the outage"
missed=$(comm -23 <(local_wals) "$WORK/bucket-before" | awk -v f="$FIRST" '$1 >= f')
n_missed=$(grep -c . <<<"$missed" || true)
((n_missed >= 3)) || die "expected >= 3 segments missing from the frozen bucket, found $n_missed"
[[ $(ls "$QUEUE" | grep -E '^[0-9A-F]{24}$' | sort) == "$missed" ]] ||
    die "the queue ($(ls "$QUEUE" | paste -sd,)) is not the set of segments missing from the bucket ($(paste -sd, <<<"$missed"))"
if bash -c "$catch_up" >"$WORK/log/catch-up-frozen.out" 2>&1; then
    die "the catch-up reported success while S3 was frozen"
fi
(($(queued) == n_missed)) || die "a failed catch-up changed the queue: $(ls "$QUEUE" | paste -sd,)"
info "$n_missed segment(s) queued; the catch-up failed and kept them: $(tail -1 "$WORK/log/catch-up-frozen.out")"
# The exported metrics script reports the backlog that BarmanCloudWalBacklog
# alerts on.
mkdir -p "$WORK/metrics-bin"
printf '#!/bin/sh\nexec %s -c %s "$@"\n' "$VENV/bin/barman" "$A/barman.conf" >"$WORK/metrics-bin/barman"
chmod 700 "$WORK/metrics-bin/barman"
subst <"$EXP/backup-1/usr/local/sbin/drplan-barman-metrics" >"$A/sbin/drplan-barman-metrics"
metric() {   # metric NAME: its value for the bucket tier, from a fresh run of the script
    PATH="$WORK/metrics-bin:$PATH" bash "$A/sbin/drplan-barman-metrics" "$WORK/barman.prom" || die "drplan-barman-metrics failed"
    sed -n "s/^$1{server=\"$SERVER\",tier=\"s3-offsite\"} //p" "$WORK/barman.prom"
}
[[ $(metric barman_cloud_wal_queue_segments) == "$n_missed" ]] ||
    die "metrics: queue of $n_missed segment(s) not reported: $(grep cloud_wal "$WORK/barman.prom")"
oldest=$(metric barman_cloud_wal_queue_oldest_timestamp_seconds)
((oldest > 0 && oldest <= $(date +%s))) || die "metrics: oldest queued segment at '$oldest'"
info "metrics: barman_cloud_wal_queue_segments = $n_missed, oldest queued at $oldest"

step "S3 back: the catch-up uploads the queue"
kill -CONT "$RENV_MOTO_PID"
bash -c "$catch_up" >"$WORK/log/catch-up.out" 2>&1 || die "catch-up failed with S3 back: $(tail -5 "$WORK/log/catch-up.out")"
(($(queued) == 0)) || die "queue not empty after the catch-up: $(ls "$QUEUE" | paste -sd,)"
[[ $(metric barman_cloud_wal_queue_segments) == 0 ]] || die "metrics: queue not reported empty after the catch-up"
gap=$(comm -23 <(local_wals | awk -v f="$FIRST" '$1 >= f') <(bucket_wals))
[[ -z $gap ]] || die "segments archived by Barman but missing from the bucket: $(paste -sd, <<<"$gap")"
# The uploaded objects are the real segments: one restores byte-identical to Barman's copy.
seg=$(head -1 <<<"$missed")
barman-cloud-wal-restore --cloud-provider aws-s3 --endpoint-url "$S3_URL" "s3://$BUCKET/main" "$SERVER" "$seg" "$WORK/from-bucket" ||
    die "barman-cloud-wal-restore of $seg failed"
renv_barman get-wal "$SERVER" "$seg" >"$WORK/from-barman" || die "barman get-wal $seg failed"
cmp -s "$WORK/from-bucket" "$WORK/from-barman" || die "$seg from the bucket differs from Barman's copy"
renv_switch_wal "$SERVER" "$PG_PORT"
(($(queued) == 0)) || die "a segment was queued after S3 came back"
gap=$(comm -23 <(local_wals | awk -v f="$FIRST" '$1 >= f') <(bucket_wals))
[[ -z $gap ]] || die "after recovery, the hook missed: $(paste -sd, <<<"$gap")"
echo "STAGE cloud-outage: PASS ($n_missed segments archived locally during the outage and queued; caught up in order; bucket has every segment from $FIRST to $(local_wals | tail -1))"
renv_pass
