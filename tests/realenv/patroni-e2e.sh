#!/usr/bin/env bash
# tests/realenv/patroni-e2e.sh -- deploy what `drplan export` wrote for
# tests/fixtures/export/patroni.yaml: three etcd members from the exported
# /etc/default/etcd files, two PostgreSQL 15 nodes under Patroni from the
# exported patroni.yml files, and Barman streaming from the leader with the
# exported server file. Only host names, ports and paths are rewritten (every
# host is 127.0.0.1 here, each daemon on its own free port).
#
# Stages (each prints `STAGE <name>: PASS ...`):
#   bootstrap  etcd quorum, Patroni leader + synchronous replica, Barman
#              streaming through the permanent slot, barman check OK, a backup;
#   strict     with the only sync replica stopped a commit blocks (client-side
#              timeout), and commits again once it is back;
#   failover   the leader crashes (Patroni and PostgreSQL killed): the replica
#              is promoted; prints FAILOVER_SECONDS=<s>; the old leader rejoins;
#   follow     Barman follows the new leader (barman check OK, a new backup) and
#              WAL has no gap: a PITR to a point after the failover has every row.
#
# Input: RENV_EXPORT_DIR, the output folder of
#   drplan export tests/fixtures/export/patroni.yaml --out DIR
source "$(dirname "$(readlink -f "$0")")/lib.sh"
renv_init patroni-e2e "$@"

EXP=${RENV_EXPORT_DIR:?set RENV_EXPORT_DIR to the output of drplan export}
[[ -r $EXP/README.md ]] || die "$EXP/README.md missing: not a drplan export"
SERVER=main
NODES=(pg-1 pg-2)
MEMBERS=(pg-1 pg-2 etcd-3)
declare -A ADDR=([pg-1]=pg-1.par1.example.net [pg-2]=pg-2.par2.example.net [etcd-3]=etcd-3.par3.example.net)
BARMAN_ADDR=backup-1.par1.example.net
declare -A CLIENT PEER PGPORT API PATRONI_PID

step "components"
renv_require_core
command -v etcd >/dev/null || die "etcd missing (apt-get install etcd-server; run scripts/test-env.sh)"
[[ -x $VENV/bin/patroni ]] || die "patroni missing in $VENV (pip install 'patroni[etcd3]'; run scripts/test-env.sh)"
info "$(etcd --version | sed -n 1p), $("$VENV/bin/patroni" --version)"
for m in "${MEMBERS[@]}"; do
    renv_free_port "CLIENT[$m]"
    renv_free_port "PEER[$m]"
done
for n in "${NODES[@]}"; do
    renv_free_port "PGPORT[$n]"
    renv_free_port "API[$n]"
done

# rewrite < exported file: host:port of every host and daemon, and paths.
rewrite() {
    local args=() h
    for h in "${MEMBERS[@]}"; do
        args+=(-e "s#${ADDR[$h]}:2379#127.0.0.1:${CLIENT[$h]}#g" -e "s#${ADDR[$h]}:2380#127.0.0.1:${PEER[$h]}#g")
    done
    for h in "${NODES[@]}"; do
        args+=(-e "s#${ADDR[$h]}:5432#127.0.0.1:${PGPORT[$h]}#g" -e "s#${ADDR[$h]}:8008#127.0.0.1:${API[$h]}#g")
        args+=(-e "s#${ADDR[$h]} scram-sha-256#127.0.0.1/32 scram-sha-256#g")
    done
    sed "${args[@]}" -e "s#,http://127\.0\.0\.1:2379##" -e "s#$BARMAN_ADDR scram-sha-256#127.0.0.1/32 scram-sha-256#g" \
        -e "s#/var/run/postgresql#$RENV_SOCK#g" -e "s#/usr/lib/postgresql/15/bin#$PG_BIN#g"
}
api() { "$PY" - "$1" "$2" <<'PY'
import sys, urllib.request
try:
    urllib.request.urlopen("http://127.0.0.1:%s/%s" % (sys.argv[1], sys.argv[2]), timeout=2)
except Exception:
    sys.exit(1)
PY
}
patroni_start() {   # patroni_start NODE
    local n=$1
    PATRONI_SUPERUSER_PASSWORD=$SU_PW PATRONI_REPLICATION_PASSWORD=$REPL_PW \
        "$VENV/bin/patroni" "$WORK/patroni-$n.yml" >>"$WORK/log/patroni-$n.log" 2>&1 &
    PATRONI_PID[$n]=$!
    renv_defer "patroni_stop $n"
}
patroni_stop() {    # clean stop: Patroni stops its PostgreSQL
    local n=$1
    renv_kill_pid "${PATRONI_PID[$n]:-}" TERM
    renv_pg_stop "$WORK/data-$n"
}
patroni_crash() {   # SIGKILL Patroni, then its postmaster
    local n=$1 pm
    kill -KILL "${PATRONI_PID[$n]}" 2>/dev/null || true
    pm=$(sed -n 1p "$WORK/data-$n/postmaster.pid" 2>/dev/null || true)
    [[ -n $pm ]] && kill -KILL "$pm" 2>/dev/null || true
}
sql_on() { renv_sql "${PGPORT[$1]}" "$2"; }
api_down() { ! api "$1" health; }
writable() { [[ $(renv_sql "$1" 'SELECT pg_is_in_recovery()') == f ]]; }
# commit_within SECONDS NODE SQL: 0 when it commits in time, 124 when it blocks.
commit_within() {
    timeout "$1" "$PG_BIN/psql" -X -w -q -At -v ON_ERROR_STOP=1 -h "$RENV_SOCK" -p "${PGPORT[$2]}" -U postgres -d postgres -c "$3" >/dev/null 2>&1
}

# ---------------------------------------------------------------- bootstrap
step "bootstrap: etcd from the export"
for m in "${MEMBERS[@]}"; do
    rewrite <"$EXP/$m/etc/default/etcd" | sed -e "s#/var/lib/etcd/default#$WORK/etcd-$m#" >"$WORK/etcd-$m.env"
    (set -a; source "$WORK/etcd-$m.env"; exec etcd) >"$WORK/log/etcd-$m.log" 2>&1 &
    renv_defer "renv_kill_pid $!"
done
for m in "${MEMBERS[@]}"; do
    renv_wait 60 "etcd $m healthy" api "${CLIENT[$m]}" health
done
info "etcd: 3 members on ${CLIENT[pg-1]}, ${CLIENT[pg-2]}, ${CLIENT[etcd-3]}"

step "bootstrap: Patroni from the export"
SU_PW=$(head -c 24 /dev/urandom | base64 | tr -dc 'A-Za-z0-9' | head -c 20)
REPL_PW=$(head -c 24 /dev/urandom | base64 | tr -dc 'A-Za-z0-9' | head -c 20)
for n in "${NODES[@]}"; do
    rewrite <"$EXP/$n/etc/patroni/15-main.yml" |
        sed -e "s#/var/lib/postgresql/15/main#$WORK/data-$n#" \
            -e "s#/var/lib/postgresql/\.pgpass\.patroni-main#$WORK/pgpass-$n#" >"$WORK/patroni-$n.yml"
    grep -q "password" "$WORK/patroni-$n.yml" && die "a password in the exported patroni.yml"
done
patroni_start pg-1
renv_wait 90 "pg-1 leads" api "${API[pg-1]}" primary
patroni_start pg-2
renv_wait 90 "pg-2 replicates" api "${API[pg-2]}" replica
renv_wait 60 "pg-2 is the synchronous standby" api "${API[pg-2]}" sync
info "Patroni: pg-1 leader, pg-2 synchronous replica"

step "bootstrap: Barman from the export"
"$PG_BIN/psql" -X -w -q -v ON_ERROR_STOP=1 -h "$RENV_SOCK" -p "${PGPORT[pg-1]}" -U postgres -d postgres \
    -f "$EXP/pg-1/var/lib/postgresql/drplan/barman-roles-main.sql" >/dev/null
for role in barman streaming_barman; do
    pw=$(head -c 24 /dev/urandom | base64 | tr -dc 'A-Za-z0-9' | head -c 20)
    "$PG_BIN/psql" -X -w -q -v ON_ERROR_STOP=1 -h "$RENV_SOCK" -p "${PGPORT[pg-1]}" -U postgres -d postgres >/dev/null <<<"ALTER ROLE $role PASSWORD '$pw';"
    for n in "${NODES[@]}"; do printf '127.0.0.1:%s:*:%s:%s\n' "${PGPORT[$n]}" "$role" "$pw" >>"$PGPASSFILE"; done
done
B=$WORK/barman
mkdir -p "$B/home" "$B/barman.d"
bsubst() {
    sed -e "s#host='${ADDR[pg-1]},${ADDR[pg-2]}' port='5432,5432'#host='127.0.0.1,127.0.0.1' port='${PGPORT[pg-1]},${PGPORT[pg-2]}'#" \
        -e "s#/etc/barman\.conf#$B/barman.conf#g; s#/etc/barman\.d#$B/barman.d#g" \
        -e "s#/var/log/barman/barman\.log#$B/home/barman.log#g; s#/var/lib/barman#$B/home#g" \
        -e "s#^barman_user = barman\$#barman_user = $(id -un)#" -e "s#/usr/lib/postgresql/15/bin#$PG_BIN#g"
}
bsubst <"$EXP/backup-1/etc/barman.conf" >"$B/barman.conf"
bsubst <"$EXP/backup-1/etc/barman.d/main.conf" >"$B/barman.d/main.conf"
grep -q "port='${PGPORT[pg-1]},${PGPORT[pg-2]}'.*target_session_attrs=read-write" "$B/barman.d/main.conf" ||
    die "the exported conninfo is not the multi-host one: $(grep conninfo "$B/barman.d/main.conf")"
RENV_BARMAN_CONF=$B/barman.conf
RENV_BARMAN_HOME=$B/home
[[ $(sql_on pg-1 "SELECT count(*) FROM pg_replication_slots WHERE slot_name = 'barman_par1'") == 1 ]] ||
    die "Patroni did not create the permanent slot barman_par1 on the leader"
renv_receive_wal_start "$SERVER"
renv_cron
renv_wait_streaming "${PGPORT[pg-1]}"
renv_switch_wal "$SERVER" "${PGPORT[pg-1]}"
sql_on pg-1 "CREATE TABLE marker (id int PRIMARY KEY, note text NOT NULL)"
sql_on pg-1 "INSERT INTO marker VALUES (1, 'before the failover')"
renv_barman backup --wait "$SERVER" >"$WORK/log/backup-1.out" 2>&1 || die "first backup: $(tail -5 "$WORK/log/backup-1.out")"
renv_switch_wal "$SERVER" "${PGPORT[pg-1]}"
renv_barman check "$SERVER" >"$WORK/log/check-1.out" 2>&1 || die "barman check on pg-1: $(grep FAILED "$WORK/log/check-1.out")"
echo "STAGE bootstrap: PASS (3 etcd members, Patroni leader pg-1 with sync replica pg-2, barman check OK, first backup)"

# ------------------------------------------------------------------- strict
step "strict: the only sync replica stopped"
patroni_stop pg-2
renv_wait 60 "pg-2 down" api_down "${API[pg-2]}"
rc=0
commit_within 5 pg-1 "INSERT INTO marker VALUES (2, 'while the sync replica is down')" || rc=$?
[[ $rc -eq 124 ]] || die "a commit with the only sync replica down returned $rc instead of blocking"
info "a commit blocked for 5 s (synchronous_mode_strict)"
# The waiting backend keeps waiting after the client is gone: cancel it.
sql_on pg-1 "SELECT pg_cancel_backend(pid) FROM pg_stat_activity WHERE wait_event = 'SyncRep'" >/dev/null
patroni_start pg-2
renv_wait 90 "pg-2 synchronous again" api "${API[pg-2]}" sync
commit_within 30 pg-1 "INSERT INTO marker VALUES (3, 'sync replica back')" || die "commit after the sync replica came back"
echo "STAGE strict: PASS (commit blocked while the only sync replica was down; committed once it was back)"

# ----------------------------------------------------------------- failover
step "failover: the leader crashes"
sql_on pg-1 "INSERT INTO marker VALUES (4, 'just before the crash')"
t0=$EPOCHREALTIME
patroni_crash pg-1
renv_wait 120 "pg-2 promoted" api "${API[pg-2]}" primary
renv_wait 30 "pg-2 accepts writes" writable "${PGPORT[pg-2]}"
secs=$(awk -v a="$t0" -v b="$EPOCHREALTIME" 'BEGIN{printf "%.1f", b-a}')
echo "FAILOVER_SECONDS=$secs"
[[ $(sql_on pg-2 "SELECT count(*) FROM marker WHERE id = 4") == 1 ]] || die "the row committed before the crash is missing on the new leader"
# Strict: the new leader has no sync standby until the old one rejoins.
patroni_start pg-1
renv_wait 120 "pg-1 rejoins as a replica" api "${API[pg-1]}" replica
renv_wait 60 "pg-1 synchronous" api "${API[pg-1]}" sync
commit_within 30 pg-2 "INSERT INTO marker VALUES (5, 'after the failover')" || die "commit on the new leader"
echo "STAGE failover: PASS (pg-2 promoted ${secs} s after the crash; pg-1 rejoined as its sync replica)"

# ------------------------------------------------------------------- follow
step "follow: Barman streams from the new leader"
# receive-wal died with the old leader; `barman cron` starts it again, now on pg-2.
renv_wait 30 "receive-wal gone with the old leader" bash -c "! kill -0 $RENV_RECEIVE_WAL_PID"
[[ $(sql_on pg-2 "SELECT count(*) FROM pg_replication_slots WHERE slot_name = 'barman_par1'") == 1 ]] ||
    die "the permanent slot barman_par1 is missing on the new leader"
renv_receive_wal_start "$SERVER"
renv_cron
renv_wait_streaming "${PGPORT[pg-2]}"
renv_switch_wal "$SERVER" "${PGPORT[pg-2]}"
renv_barman check "$SERVER" >"$WORK/log/check-2.out" 2>&1 || die "barman check after the failover: $(grep FAILED "$WORK/log/check-2.out")"
renv_barman backup --wait "$SERVER" >"$WORK/log/backup-2.out" 2>&1 || die "backup after the failover: $(tail -5 "$WORK/log/backup-2.out")"
sql_on pg-2 "INSERT INTO marker VALUES (6, 'target')"
POINT=drplan_after_failover
sql_on pg-2 "SELECT pg_create_restore_point('$POINT')" >/dev/null
sql_on pg-2 "INSERT INTO marker VALUES (7, 'after the target')"
renv_switch_wal "$SERVER" "${PGPORT[pg-2]}"
# PITR from the FIRST backup (taken on pg-1) across the timeline switch.
first=$(renv_barman -f json list-backups "$SERVER" | "$PY" -c 'import json,sys; d=json.load(sys.stdin); print(next(iter(d.values()))[-1]["backup_id"])')
dest=$WORK/rec
renv_barman recover --target-name "$POINT" --target-tli latest --target-action promote "$SERVER" "$first" "$dest" >"$WORK/log/recover.out" 2>&1 ||
    die "barman recover: $(tail -5 "$WORK/log/recover.out")"
renv_free_port rport
# Patroni's postgresql.conf came with the backup: its port, sockets, pg_hba and
# synchronous_standby_names are the old node's; override them for this copy.
"$PG_BIN/pg_ctl" -D "$dest" -l "$WORK/log/pg-rec.log" -w -t 120 -o "-c port=$rport -c unix_socket_directories='$RENV_SOCK' -c listen_addresses='' -c synchronous_standby_names='' -c hba_file='$dest/pg_hba.conf' -c ident_file='$dest/pg_ident.conf' -c archive_mode=off -c cluster_name=rec" start >/dev/null ||
    die "the recovered cluster did not start: $(tail -5 "$WORK/log/pg-rec.log")"
renv_defer "renv_pg_stop '$dest'"
renv_wait 120 "recovered cluster promoted" writable "$rport"
rows=$(renv_sql "$rport" "SELECT string_agg(id::text, ',' ORDER BY id) FROM marker")
[[ $rows == 1,2,3,4,5,6 ]] || die "PITR across the failover: expected rows 1,2,3,4,5,6, found $rows"
echo "STAGE follow: PASS (barman check OK on pg-2, backup after the failover, PITR from pg-1's backup to a point after the failover: rows $rows)"

renv_pass
