# shellcheck shell=bash
# tests/realenv/lib.sh -- harness for tests against real PostgreSQL 15 + Barman.
# Sourced by the test scripts in this directory, never executed.
#
# Adapted from the barman lab's lib.sh (same pitfall fixes), with what a test
# suite needs on top:
#   * a missing component (PostgreSQL 15, rsync, sshd, the Barman venv) is a
#     FAILURE with a clear message, never a skip;
#   * ports are picked free by the kernel (bind to port 0), not from a fixed
#     range, so tests can run side by side;
#   * as root, the script re-runs itself as an unprivileged user (PostgreSQL
#     refuses root), from a copy in its own temp dir, so that user needs no
#     access to the source tree;
#   * the last line is `RESULT: PASS` or `RESULT: FAIL`; every failure prints a
#     `FAIL: ...` line first.
#
# Ground rules every function keeps: nothing under /etc, no system service, no
# sudo; every daemon runs from one private `mktemp -d` dir under /tmp; Barman
# is always called with `-c <our config>`; on exit only the processes this
# script started are stopped, by PID (or by data dir for pg_ctl), and the dir
# is removed unless KEEP=1.
#
# Usage in a test script:
#   source "$(dirname "$(readlink -f "$0")")/lib.sh"
#   renv_init NAME "$@"          # root -> re-exec; temp dir, traps, PATH
#   renv_require_core            # PostgreSQL 15, rsync, venv (FAIL if missing)
#   ...
#   renv_pass                    # prints RESULT: PASS (required for exit 0)
#
# Knobs (environment):
#   KEEP=1               keep the temp dir (processes are stopped anyway)
#   DRPLAN_TEST_VENV=DIR venv with Barman (default /var/tmp/drplan-test-venv,
#                        built by scripts/test-env.sh)
#   PG_BIN=DIR           PostgreSQL 15 binaries (default /usr/lib/postgresql/15/bin)
#   DRPLAN_TEST_USER=U   user to run as when started as root (default postgres)
# Started as root, the script sees only these, LANG, and variables named
# DRPLAN_*, CALIB_* or RENV_* (the knobs of the test scripts).

set -Eeuo pipefail

PG_BIN=${PG_BIN:-/usr/lib/postgresql/15/bin}
RENV_VENV_DEFAULT=/var/tmp/drplan-test-venv
RENV_CLEANUP=()
RENV_USED_PORTS=()
RENV_TIMINGS=()
RENV_PASSED=0
_RENV_STEP=""
_RENV_STEP_T0=""
RENV_T0=$EPOCHREALTIME

# ---------------------------------------------------------------- output --
step() {
    _renv_step_close
    _RENV_STEP=$*
    _RENV_STEP_T0=$EPOCHREALTIME
    printf '== %s\n' "$*"
}
_renv_step_close() {
    [[ -n $_RENV_STEP ]] || return 0
    RENV_TIMINGS+=("$(awk -v a="$_RENV_STEP_T0" -v b="$EPOCHREALTIME" 'BEGIN{printf "%6.1fs", b-a}')  $_RENV_STEP")
    _RENV_STEP=""
}
info() { printf '   %s\n' "$*"; }
die() {
    printf 'FAIL: %s%s\n' "${_RENV_STEP:+[$_RENV_STEP] }" "$*" >&2
    exit 1
}
# run CMD...: echo the command (the log reads like a runbook), indent its output.
run() {
    printf '   $ %s\n' "$*"
    "$@" 2>&1 | sed 's/^/     /'
}
renv_timing_report() {
    _renv_step_close
    printf '== timings\n'
    printf '   %s\n' "${RENV_TIMINGS[@]}"
    awk -v a="$RENV_T0" -v b="$EPOCHREALTIME" 'BEGIN{printf "   total %.1fs\n", b-a}'
}
# renv_pass: the only way to end with exit 0 and RESULT: PASS.
renv_pass() {
    renv_timing_report
    RENV_PASSED=1
    exit 0
}

# ----------------------------------------------------- root -> unprivileged --
# initdb and postgres refuse to run as root, and a root sshd would need
# /run/sshd and the system's privsep user. So as root we create the temp dir,
# copy this library and the calling script into it, hand the dir to an
# unprivileged user and re-run the copy as that user with runuser (this only
# drops privileges). The source tree (e.g. under /root) need not be readable
# by that user, and the venv is built world-readable by scripts/test-env.sh.
_renv_reexec_as_user() {   # _renv_reexec_as_user NAME ARGS...
    local name=$1 user=${DRPLAN_TEST_USER:-postgres} home work script var
    shift
    id -u "$user" >/dev/null 2>&1 ||
        die "started as root and user '$user' does not exist: create it, set DRPLAN_TEST_USER, or run as a non-root user"
    home=$(getent passwd "$user" | cut -d: -f6)
    work=$(mktemp -d "/tmp/drplan-$name.XXXXXX")
    mkdir -p "$work/harness"
    script=$(readlink -f "$0")
    cp "${BASH_SOURCE[0]}" "$work/harness/lib.sh"
    cp "$script" "$work/harness/$(basename "$script")"
    chown -R "$user:" "$work"
    chmod 700 "$work"
    local keep=()
    # Pass on the knobs of the harness and of the tests, nothing else.
    for var in KEEP PG_BIN $(compgen -v | grep -E '^(DRPLAN|CALIB|RENV)_[A-Z0-9_]+$' || true); do
        [[ -n ${!var+x} ]] && keep+=("$var=${!var}")
    done
    echo "   started as root: re-running as '$user' (PostgreSQL and a private sshd must not run as root)"
    cd /
    exec runuser -u "$user" -- env -i HOME="$home" USER="$user" LOGNAME="$user" LANG=C.UTF-8 \
        PATH=/usr/local/bin:/usr/bin:/bin "${keep[@]}" _RENV_WORK="$work" \
        bash "$work/harness/$(basename "$script")" "$@"
}

# ------------------------------------------------------------ temp dir/exit --
# renv_init NAME ARGS...: call first, with the script's arguments.
renv_init() {
    local name=$1
    shift
    if [[ $EUID -eq 0 ]]; then
        _renv_reexec_as_user "$name" "$@"
    fi
    umask 077
    if [[ -n ${_RENV_WORK:-} ]]; then
        WORK=$_RENV_WORK   # made by our root parent and handed to us
        unset _RENV_WORK
        [[ -d $WORK && -O $WORK ]] || die "work dir $WORK is not a directory owned by $(id -un)"
    else
        WORK=$(mktemp -d "/tmp/drplan-$name.XXXXXX")
    fi
    trap '_renv_on_err $LINENO "$BASH_COMMAND"' ERR
    trap _renv_on_exit EXIT
    trap 'exit 130' INT TERM
    RENV_SOCK=$WORK/sock   # private unix-socket dir of every cluster
    RENV_BIN=$WORK/bin     # shims (barman -c ...) first on PATH
    mkdir -p "$RENV_SOCK" "$RENV_BIN" "$WORK/home" "$WORK/log"
    # A unix socket path is limited to 107 bytes.
    ((${#RENV_SOCK} + 20 < 107)) || die "temp dir path too long for a unix socket: $RENV_SOCK"
    # Hermetic: no ~/.pgpass, ~/.psqlrc or ~/.barman.conf of the caller.
    export HOME=$WORK/home
    export PGPASSFILE=$WORK/pgpass
    : >"$PGPASSFILE"
    chmod 600 "$PGPASSFILE"
    unset PGHOST PGPORT PGUSER PGDATABASE PGSERVICE PGSERVICEFILE PGPASSWORD
    export PATH="$RENV_BIN:$PATH"
    info "work dir: $WORK (user $(id -un))"
}
renv_defer() { RENV_CLEANUP+=("$*"); }   # run on exit, last registered first
_renv_on_err() {
    local rc=$?
    printf 'FAIL: %sline %s: %s (exit %s)\n' "${_RENV_STEP:+[$_RENV_STEP] }" "$1" "$2" "$rc" >&2
}
_renv_show_logs() {
    local f
    while IFS= read -r f; do
        echo "---- last lines of $f" >&2
        tail -n 15 "$f" >&2
    done < <(find "$WORK" -name '*.log' -type f -size +0 2>/dev/null | sort)
}
_renv_on_exit() {
    local rc=$? i
    set +e
    trap - ERR
    if [[ $rc -eq 0 && $RENV_PASSED != 1 ]]; then
        echo "FAIL: the script ended without renv_pass" >&2
        rc=1
    fi
    [[ $rc -ne 0 ]] && _renv_show_logs
    for ((i = ${#RENV_CLEANUP[@]} - 1; i >= 0; i--)); do
        eval "${RENV_CLEANUP[i]}" >/dev/null 2>&1
    done
    if [[ ${KEEP:-0} == 1 ]]; then
        echo "   KEEP=1: left $WORK (all processes were stopped)"
    else
        rm -rf -- "$WORK"
    fi
    if [[ $rc -eq 0 ]]; then
        echo "RESULT: PASS"
    else
        echo "RESULT: FAIL (exit $rc) -- rerun with KEEP=1 to keep the logs"
    fi
    exit "$rc"
}
# Stop one process we started, by PID: SIG (default TERM), then KILL after 10 s.
renv_kill_pid() {
    local pid=$1 sig=${2:-TERM} i
    [[ -n $pid ]] && kill -0 "$pid" 2>/dev/null || return 0
    kill "-$sig" "$pid" 2>/dev/null || true
    for ((i = 0; i < 100; i++)); do
        kill -0 "$pid" 2>/dev/null || return 0
        sleep 0.1
    done
    kill -KILL "$pid" 2>/dev/null || true
}
# renv_wait TIMEOUT_S DESCRIPTION CMD...: poll CMD every 0.25 s until it succeeds.
renv_wait() {
    local timeout=$1 what=$2 deadline
    shift 2
    deadline=$((SECONDS + timeout))
    until "$@" >/dev/null 2>&1; do
        ((SECONDS < deadline)) || die "timed out after ${timeout}s waiting for: $what"
        sleep 0.25
    done
}
# renv_du PATH: bytes (apparent size) of a file tree; 0 when absent.
renv_du() {
    if [[ -e $1 ]]; then du -sb -- "$1" | cut -f1; else echo 0; fi
}

# ------------------------------------------------------------------- ports --
renv_port_busy() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
# renv_free_port VAR: a loopback port the kernel reports free (bind to port 0),
# that nobody listens on and that this run has not handed out yet.
renv_free_port() {
    local p i
    for ((i = 0; i < 20; i++)); do
        p=$(python3 -c 'import socket
s = socket.socket()
s.bind(("127.0.0.1", 0))
print(s.getsockname()[1])') || die "python3 could not bind a socket to find a free port"
        [[ " ${RENV_USED_PORTS[*]} " == *" $p "* ]] && continue
        renv_port_busy "$p" && continue
        RENV_USED_PORTS+=("$p")
        printf -v "$1" '%s' "$p"
        return 0
    done
    die "no free loopback port after 20 tries"
}

# ------------------------------------------------------- required components --
# renv_require_core: PostgreSQL 15, rsync and the Barman venv; sets VENV, PY.
renv_require_core() {
    local b v
    for b in initdb pg_ctl postgres psql pgbench pg_basebackup pg_receivewal; do
        [[ -x $PG_BIN/$b ]] || die "PostgreSQL 15 binary $PG_BIN/$b missing (Debian: apt-get install postgresql-15; run scripts/test-env.sh)"
    done
    v=$("$PG_BIN/postgres" --version)
    [[ $v == *" 15."* ]] || die "$PG_BIN is not PostgreSQL 15: $v"
    # barman recover copies with rsync even locally and `barman check` does not test it.
    command -v rsync >/dev/null || die "rsync not on PATH (Barman needs it; run scripts/test-env.sh)"
    command -v python3 >/dev/null || die "python3 not on PATH"
    VENV=${DRPLAN_TEST_VENV:-$RENV_VENV_DEFAULT}
    [[ -x $VENV/bin/barman ]] ||
        die "no Barman venv at $VENV (bin/barman missing or unreadable by $(id -un)): run scripts/test-env.sh or set DRPLAN_TEST_VENV"
    PY=$VENV/bin/python
    BARMAN_VERSION=$("$VENV/bin/barman" --version 2>&1 | sed -n 1p | awk '{print $1}') ||
        die "$VENV/bin/barman does not run"
    [[ $BARMAN_VERSION =~ ^[0-9]+\.[0-9]+ ]] || die "$VENV/bin/barman --version printed '$BARMAN_VERSION'"
    export PATH="$RENV_BIN:$VENV/bin:$PATH"
    info "PostgreSQL $(awk '{print $3}' <<<"$v"), barman $BARMAN_VERSION ($VENV), $(rsync --version | sed -n 1p)"
}
renv_require_sshd() {
    [[ -x /usr/sbin/sshd ]] || die "/usr/sbin/sshd missing (apt-get install openssh-server; run scripts/test-env.sh)"
    command -v ssh >/dev/null || die "ssh client missing"
    command -v ssh-keygen >/dev/null || die "ssh-keygen missing"
}
renv_require_moto() {
    [[ -x $VENV/bin/moto_server ]] || die "moto_server missing in $VENV: run scripts/test-env.sh"
    "$PY" -c 'import boto3' 2>/dev/null || die "boto3 missing in $VENV: run scripts/test-env.sh"
}

# -------------------------------------------------------------- PostgreSQL --
# Clusters: trust on the unix socket (a private 0700 dir, only we can reach
# it), scram-sha-256 on 127.0.0.1. Barman connects over TCP with passwords
# from PGPASSFILE, as in production; no password is in any config file.
_renv_password() { head -c 24 /dev/urandom | base64 | tr -dc 'A-Za-z0-9' | head -c 20; }
# renv_pg_create DIR PORT [extra postgresql.conf lines...]
renv_pg_create() {
    local dir=$1 port=$2 line
    shift 2
    "$PG_BIN/initdb" -D "$dir" -U postgres --auth-local=trust --auth-host=scram-sha-256 \
        -E UTF8 --locale=C --no-instructions >"$WORK/log/initdb-$(basename "$dir").out" 2>&1 ||
        { cat "$WORK/log/initdb-$(basename "$dir").out" >&2; die "initdb $dir failed"; }
    cat >>"$dir/postgresql.conf" <<EOF

# ---- drplan real-environment test ----
port = $port
listen_addresses = '127.0.0.1'
unix_socket_directories = '$RENV_SOCK'
wal_level = replica
max_wal_senders = 10
max_replication_slots = 10
EOF
    for line in "$@"; do printf '%s\n' "$line" >>"$dir/postgresql.conf"; done
}
# renv_pg_start DIR [postgres options]: stopped again on exit.
renv_pg_start() {
    local dir=$1 opts=${2:-}
    "$PG_BIN/pg_ctl" -D "$dir" -l "$WORK/log/pg-$(basename "$dir").log" -w -t 120 ${opts:+-o "$opts"} start >/dev/null ||
        die "PostgreSQL in $dir did not start: $(tail -5 "$WORK/log/pg-$(basename "$dir").log" 2>/dev/null)"
    # pg_ctl stops the postmaster whose PID is in DIR/postmaster.pid: the one we started.
    renv_defer "renv_pg_stop '$dir'"
}
renv_pg_stop() {
    [[ -f $1/postmaster.pid ]] || return 0
    "$PG_BIN/pg_ctl" -D "$1" -m fast -w -t 30 stop >/dev/null 2>&1 || true
}
# renv_sql PORT SQL [DB]: as the bootstrap superuser over the socket; bare values.
renv_sql() {
    "$PG_BIN/psql" -X -w -q -At -v ON_ERROR_STOP=1 -h "$RENV_SOCK" -p "$1" -U postgres -d "${3:-postgres}" -c "$2"
}
# renv_pg_barman_roles PORT: the least-privilege roles Barman needs (PG 15
# function names) and their .pgpass lines. The passwords are random, go to
# psql on stdin (not on a command line) and to PGPASSFILE only.
renv_pg_barman_roles() {
    local port=$1 pw_b pw_s
    pw_b=$(_renv_password)
    pw_s=$(_renv_password)
    "$PG_BIN/psql" -X -w -q -v ON_ERROR_STOP=1 -h "$RENV_SOCK" -p "$port" -U postgres -d postgres >/dev/null <<SQL
CREATE ROLE barman LOGIN PASSWORD '$pw_b';
GRANT EXECUTE ON FUNCTION pg_backup_start(text, boolean) TO barman;
GRANT EXECUTE ON FUNCTION pg_backup_stop(boolean) TO barman;
GRANT EXECUTE ON FUNCTION pg_switch_wal() TO barman;
GRANT EXECUTE ON FUNCTION pg_create_restore_point(text) TO barman;
GRANT pg_read_all_settings TO barman;
GRANT pg_read_all_stats TO barman;
-- PG 15+: switch-wal --force runs CHECKPOINT first (the Barman docs omit it)
GRANT pg_checkpoint TO barman;
CREATE ROLE streaming_barman LOGIN REPLICATION PASSWORD '$pw_s';
SQL
    # libpq ignores a pgpass file that is group/world-readable (it is 0600).
    printf '127.0.0.1:%s:*:barman:%s\n127.0.0.1:%s:*:streaming_barman:%s\n' \
        "$port" "$pw_b" "$port" "$pw_s" >>"$PGPASSFILE"
    [[ $(renv_sql "$port" "SELECT rolsuper FROM pg_roles WHERE rolname = 'barman'") == f ]] ||
        die "role barman must not be a superuser"
}

# renv_pgbench_cluster DIR SCALE: a PostgreSQL 15 on a free port (PG_PORT)
# with Barman's roles and a pgbench database of SCALE. No autovacuum: WAL
# then comes only from the load and from Barman, so nothing writes WAL while
# a point is measured and the archive in wals/ is complete up to the current
# segment. (Seen otherwise: autovacuum wrote 44 MB of WAL between two
# measurements, still in streaming/ when wals/ was measured.) drplan takes
# the WAL volume as an input, so this changes nothing it predicts.
renv_pgbench_cluster() {
    local dir=$1 scale=$2
    renv_free_port PG_PORT
    renv_pg_create "$dir" "$PG_PORT" "autovacuum = off"
    renv_pg_start "$dir"
    renv_pg_barman_roles "$PG_PORT"
    "$PG_BIN/pgbench" -i -q -s "$scale" -h "$RENV_SOCK" -p "$PG_PORT" -U postgres postgres >"$WORK/log/pgbench-init.out" 2>&1 ||
        die "pgbench -i failed: $(tail -3 "$WORK/log/pgbench-init.out")"
}

# ------------------------------------------------------------------ Barman --
# renv_barman_global DIR: DIR/barman.conf ([barman] only) + DIR/barman.d/;
# sets RENV_BARMAN_CONF and RENV_BARMAN_HOME, and puts a `barman` shim pinned
# to that config first on PATH.
renv_barman_global() {
    local dir=$1
    RENV_BARMAN_CONF=$dir/barman.conf
    RENV_BARMAN_HOME=$dir/home
    mkdir -p "$RENV_BARMAN_HOME" "$dir/barman.d"   # barman_home must exist beforehand
    # Comments on their own lines only: an inline "; x" becomes part of the value.
    cat >"$RENV_BARMAN_CONF" <<EOF
[barman]
barman_home = $RENV_BARMAN_HOME
; must be the user running barman, else it tries to setuid() to it
barman_user = $(id -un)
; default /var/log/barman/barman.log is not ours
log_file = $RENV_BARMAN_HOME/barman.log
log_level = INFO
; only files ending in .conf are read
configuration_files_directory = $dir/barman.d
; default /tmp/barman/cloud-staging is created on every check, even without cloud storage
cloud_staging_directory = $RENV_BARMAN_HOME/cloud-staging
EOF
    cat >"$RENV_BIN/barman" <<EOF
#!/bin/sh
exec '$VENV/bin/barman' -c '$RENV_BARMAN_CONF' "\$@"
EOF
    chmod 700 "$RENV_BIN/barman"
}
# renv_barman_server NAME PG_PORT [extra lines...]: a streaming-only server
# (pg_basebackup + pg_receivewal through a slot), least-privilege roles.
renv_barman_server() {
    local name=$1 port=$2 line f
    shift 2
    f=$(dirname "$RENV_BARMAN_CONF")/barman.d/$name.conf
    cat >"$f" <<EOF
[$name]
description = "drplan real-environment test"
conninfo = host=127.0.0.1 port=$port user=barman dbname=postgres
streaming_conninfo = host=127.0.0.1 port=$port user=streaming_barman
backup_method = postgres
streaming_archiver = on
slot_name = barman
create_slot = auto
; spread checkpoints made a backup take minutes instead of seconds
immediate_checkpoint = true
path_prefix = $PG_BIN
EOF
    for line in "$@"; do printf '%s\n' "$line" >>"$f"; done
}
# renv_barman ARGS...: barman, always with our config.
renv_barman() { "$VENV/bin/barman" -c "$RENV_BARMAN_CONF" "$@"; }
# renv_receive_wal_start SERVER: what `barman cron` would spawn, but tracked by
# PID so that exactly it is stopped. SIGTERM, not SIGINT: a background job of
# a non-interactive shell starts with SIGINT ignored, and Barman forwards
# SIGTERM to its pg_receivewal child, then exits.
renv_receive_wal_start() {
    renv_barman receive-wal "$1" >"$WORK/log/receive-wal-$1.log" 2>&1 &
    local pid=$!
    RENV_RECEIVE_WAL_PID=$pid
    renv_defer "renv_receive_wal_stop $pid"
    info "barman receive-wal $1 started (pid $pid)"
}
renv_receive_wal_stop() {
    local pid=$1 kids
    kids=$(pgrep -P "$pid" 2>/dev/null || true)   # its pg_receivewal child
    renv_kill_pid "$pid" TERM
    for pid in $kids; do renv_kill_pid "$pid" TERM; done
}
# renv_wait_streaming PG_PORT: until pg_receivewal is connected.
renv_wait_streaming() {
    renv_wait 60 "pg_receivewal connected to port $1" _renv_streaming "$1"
}
_renv_streaming() {
    [[ $(renv_sql "$1" "SELECT count(*) FROM pg_stat_replication WHERE application_name = 'barman_receive_wal'") -ge 1 ]]
}
# renv_cron: one `barman cron` (archive-wal + retention), waiting for the
# archive-wal subprocess it spawns (--keep-descriptors keeps the pipe open
# until it exits). receive-wal must already run (renv_receive_wal_start):
# otherwise cron would spawn one that holds the pipe forever.
renv_cron() {
    if [[ -n ${RENV_RECEIVE_WAL_PID:-} ]]; then
        kill -0 "$RENV_RECEIVE_WAL_PID" 2>/dev/null ||
            die "barman receive-wal (pid $RENV_RECEIVE_WAL_PID) died: $(tail -3 "$WORK"/log/receive-wal-*.log)"
    fi
    local rc=0
    # `timeout` on both sides: if cron raced our receive-wal and spawned a
    # second one, that child keeps the pipe open and `cat` would wait forever.
    timeout 120 "$VENV/bin/barman" -c "$RENV_BARMAN_CONF" cron --keep-descriptors 2>&1 |
        timeout 150 cat >>"$WORK/log/cron.log" || rc=$?
    if ((rc == 124)); then
        _renv_stop_stray_receive_wal
        info "barman cron: stopped a receive-wal that cron spawned beside ours"
    elif ((rc != 0)); then
        die "barman cron failed: $(tail -5 "$WORK/log/cron.log")"
    fi
}
# _renv_stop_stray_receive_wal: every receive-wal of our configuration but the
# one renv_receive_wal_start started (and its pg_receivewal child).
_renv_stop_stray_receive_wal() {
    local pid
    for pid in $(pgrep -f -- "$RENV_BARMAN_CONF.* receive-wal" 2>/dev/null || true); do
        [[ $pid == "${RENV_RECEIVE_WAL_PID:-}" ]] && continue
        [[ $(ps -o ppid= -p "$pid" 2>/dev/null | tr -d ' ') == "${RENV_RECEIVE_WAL_PID:-}" ]] && continue
        renv_receive_wal_stop "$pid"
    done
}
# renv_switch_wal SERVER PG_PORT: close the current WAL segment and wait until
# Barman has archived it. Plain `switch-wal --force --archive` waits 15-20 s
# on an idle server: Barman leaves the newest complete segment in streaming/
# until pg_receivewal opens the next .partial, which happens only at the next
# WAL record. One tiny transaction right after the switch starts it at once,
# then `barman archive-wal` moves the closed segment.
renv_switch_wal() {
    local srv=$1 port=$2 out wal
    out=$(renv_barman switch-wal --force "$srv" 2>&1) || die "switch-wal failed: $out"
    wal=$(grep -oE '[0-9A-F]{24}' <<<"$out" | sed -n 1p)
    [[ -n $wal ]] || die "switch-wal did not report a closed WAL: $out"
    renv_sql "$port" "SELECT txid_current()" >/dev/null
    renv_wait 60 "WAL $wal archived by Barman" _renv_wal_archived "$srv" "$wal"
    info "WAL $wal closed and archived"
}
_renv_wal_archived() {
    renv_barman archive-wal "$1" >/dev/null 2>&1 || true
    grep -qs "^$2" "$RENV_BARMAN_HOME/$1"/wals/*xlog.db
}

# ------------------------------------------------------------ S3 emulator --
# renv_moto_start: moto_server on a free loopback port; exports S3_URL and
# dummy credentials (moto accepts any, botocore refuses to sign without).
# Every barman-cloud-* call needs --endpoint-url "$S3_URL", or it goes to AWS.
renv_moto_start() {
    renv_require_moto
    local port
    renv_free_port port
    "$VENV/bin/moto_server" -H 127.0.0.1 -p "$port" >"$WORK/log/moto.log" 2>&1 &
    RENV_MOTO_PID=$!
    renv_defer "renv_kill_pid $RENV_MOTO_PID"
    renv_wait 30 "moto_server listening on $port" renv_port_busy "$port"
    export S3_URL=http://127.0.0.1:$port
    export AWS_ACCESS_KEY_ID=drplan-test AWS_SECRET_ACCESS_KEY=drplan-test-secret AWS_DEFAULT_REGION=us-east-1
    info "moto_server pid $RENV_MOTO_PID on $S3_URL"
}
# renv_s3_bucket NAME: create a bucket (names need >= 3 characters).
renv_s3_bucket() {
    "$PY" - "$1" <<'PY'
import os, sys, boto3
boto3.client("s3", endpoint_url=os.environ["S3_URL"]).create_bucket(Bucket=sys.argv[1])
PY
}

# ------------------------------------------------------------ private sshd --
# renv_sshd_start: an unprivileged sshd on a free loopback port with its own
# host key, for a passive Barman node that reaches "the primary Barman" (our
# config) over ssh. The client key is restricted by a forced command (gate.sh)
# to what a passive node runs: `barman sync-info ...`, `barman --version`,
# `true` (barman check's probe) and read-only `rsync --server --sender`.
# `barman` on the remote side is a shim pinned to RENV_BARMAN_CONF.
# Sets RENV_SSHD_PORT, RENV_SSH_KEY and RENV_SSH_CMD (a primary_ssh_command).
renv_sshd_start() {
    renv_require_sshd
    local dir=$WORK/ssh me
    me=$(id -un)
    mkdir -p "$dir/remote-bin"
    chmod 700 "$dir"
    renv_free_port RENV_SSHD_PORT
    ssh-keygen -q -t ed25519 -N '' -C drplan-test-host -f "$dir/host_ed25519_key"
    ssh-keygen -q -t ed25519 -N '' -C drplan-test-passive -f "$dir/client_key"
    RENV_SSH_KEY=$dir/client_key
    cat >"$dir/remote-bin/barman" <<EOF
#!/bin/sh
exec '$VENV/bin/barman' -c '$RENV_BARMAN_CONF' "\$@"
EOF
    cat >"$dir/gate.sh" <<EOF
#!/bin/bash
# Forced command: sshd puts the requested command in SSH_ORIGINAL_COMMAND.
cmd=\${SSH_ORIGINAL_COMMAND-}
# rsync's remote command arrives with leading blanks ("  rsync --server ...")
cmd=\${cmd#"\${cmd%%[![:space:]]*}"}
printf '%s %s\n' "\$(date +%T)" "\$cmd" >>'$WORK/log/ssh-remote-commands.log'
export PATH='$dir/remote-bin:$RENV_BIN:$VENV/bin:/usr/bin:/bin'
export PGPASSFILE='$PGPASSFILE' HOME='$HOME'
case \$cmd in
    "barman sync-info "* | "barman --version") ;;
    true) ;;
    "rsync --server --sender "*) ;;
    *) echo "gate: refused: \$cmd" >&2; exit 126 ;;
esac
exec /bin/bash -c "\$cmd"
EOF
    chmod 700 "$dir/remote-bin/barman" "$dir/gate.sh"
    printf 'restrict,command="%s" %s\n' "$dir/gate.sh" "$(cat "$dir/client_key.pub")" >"$dir/authorized_keys"
    cat >"$dir/sshd_config" <<EOF
Port $RENV_SSHD_PORT
ListenAddress 127.0.0.1
HostKey $dir/host_ed25519_key
PidFile $dir/sshd.pid
AuthorizedKeysFile $dir/authorized_keys
# the keys live in a temp dir; the user's real HOME is not ours to fix
StrictModes no
# PAM needs root; an unprivileged sshd can only log in its own user anyway
UsePAM no
PubkeyAuthentication yes
PasswordAuthentication no
KbdInteractiveAuthentication no
PermitRootLogin no
AllowUsers $me
LogLevel VERBOSE
EOF
    /usr/sbin/sshd -t -f "$dir/sshd_config" || die "sshd -t rejected $dir/sshd_config"
    # -D: foreground, so $! is sshd itself; -E: log to a file (no syslog)
    /usr/sbin/sshd -D -f "$dir/sshd_config" -E "$WORK/log/sshd.log" &
    RENV_SSHD_PID=$!
    renv_defer "renv_kill_pid $RENV_SSHD_PID"
    renv_wait 20 "sshd listening on $RENV_SSHD_PORT" renv_port_busy "$RENV_SSHD_PORT"
    # The host key is new on every run, so it cannot be pinned here.
    # BatchMode: fail instead of prompting; LogLevel=ERROR: no "Permanently
    # added ..." line in every Barman error.
    RENV_SSH_CMD="ssh -p $RENV_SSHD_PORT -i $RENV_SSH_KEY -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null -o BatchMode=yes -o LogLevel=ERROR $me@127.0.0.1"
    info "sshd pid $RENV_SSHD_PID on 127.0.0.1:$RENV_SSHD_PORT"
}
