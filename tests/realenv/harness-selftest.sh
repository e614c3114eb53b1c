#!/usr/bin/env bash
# harness-selftest.sh -- exercises every helper of lib.sh once: PostgreSQL 15
# with the least-privilege Barman roles, `barman check` after a WAL switch,
# moto_server with a bucket, and the private sshd with its forced-command gate.
# Ends with RESULT: PASS or RESULT: FAIL.
source "$(dirname "$(readlink -f "$0")")/lib.sh"
renv_init selftest "$@"

step "components"
renv_require_core

step "PostgreSQL 15 + Barman roles"
renv_free_port PG_PORT
renv_pg_create "$WORK/pg" "$PG_PORT"
renv_pg_start "$WORK/pg"
renv_pg_barman_roles "$PG_PORT"
info "port $PG_PORT: $(renv_sql "$PG_PORT" "SHOW server_version")"

step "Barman: receive-wal, switch-wal, check"
renv_barman_global "$WORK/barman"
renv_barman_server pg "$PG_PORT"
renv_receive_wal_start pg
renv_wait_streaming "$PG_PORT"
renv_switch_wal pg "$PG_PORT"
renv_cron
out=$(renv_barman check pg 2>&1) || die "barman check failed: $out"
info "barman check: $(grep -c ': OK' <<<"$out") checks OK"

step "moto_server"
renv_moto_start
renv_s3_bucket drplan-selftest
"$PY" - <<'PY' || die "bucket not listed by the S3 emulator"
import os, boto3
names = [b["Name"] for b in boto3.client("s3", endpoint_url=os.environ["S3_URL"]).list_buckets()["Buckets"]]
assert "drplan-selftest" in names, names
PY

step "private sshd + gate"
renv_sshd_start
v=$($RENV_SSH_CMD barman --version 2>&1) || die "barman --version over ssh failed: $v"
info "over ssh: $(sed -n 1p <<<"$v")"
if $RENV_SSH_CMD id >/dev/null 2>&1; then die "the gate let 'id' through"; fi
info "gate refuses other commands"

renv_pass
