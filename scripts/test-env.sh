#!/usr/bin/env bash
# Install what the test suite needs on a fresh Debian machine (run as root;
# idempotent). Anything that cannot be installed is an error: tests never skip.
#
# - graphviz, chromium, poppler-utils: report tests (DOT, real browser, PDF text);
# - rsync, openssh-server: Barman (`barman recover` always copies with rsync;
#   a passive node syncs over ssh); sshd is only used as a private daemon on a
#   loopback port started by the tests, never as a system service;
# - prometheus (for promtool only): `promtool check rules` on the exported
#   alerting rules, `promtool check metrics` on the metrics script's output;
# - etcd-server: the DCS of the Patroni test (private members on loopback
#   ports, never the system service);
# - a Python venv with Barman from PyPI (+ boto3 and moto for barman-cloud
#   against a local S3, + Patroni with etcd3 support and PyYAML), shared by
#   every test: $DRPLAN_TEST_VENV.
set -euo pipefail

VENV=${DRPLAN_TEST_VENV:-/var/tmp/drplan-test-venv}
BARMAN_PIN=${DRPLAN_BARMAN_VERSION:-3.19.1}
PG_BIN=${PG_BIN:-/usr/lib/postgresql/15/bin}

need_apt=()
command -v dot >/dev/null || need_apt+=(graphviz)
command -v chromium >/dev/null || need_apt+=(chromium)
command -v pdftotext >/dev/null || need_apt+=(poppler-utils)
command -v rsync >/dev/null || need_apt+=(rsync)
[[ -x /usr/sbin/sshd ]] || need_apt+=(openssh-server)
[[ -x $PG_BIN/postgres ]] || need_apt+=(postgresql-15)
# promtool validates the exported Prometheus rules and the metrics script's output
command -v promtool >/dev/null || need_apt+=(prometheus)
# etcd members for the Patroni end-to-end test
command -v etcd >/dev/null || need_apt+=(etcd-server)

if ((${#need_apt[@]})); then
    if [[ $EUID -ne 0 ]]; then
        echo "test-env: missing ${need_apt[*]} and not root: install them (apt-get install -y ${need_apt[*]})" >&2
        exit 1
    fi
    echo "test-env: installing ${need_apt[*]}"
    export DEBIAN_FRONTEND=noninteractive
    # Keep package scripts from starting system services (sshd on :22,
    # a PostgreSQL cluster): the tests start their own private daemons.
    policy=/usr/sbin/policy-rc.d
    created_policy=0
    if [[ ! -e $policy ]]; then
        printf '#!/bin/sh\nexit 101\n' >"$policy" && chmod +x "$policy" && created_policy=1
    fi
    apt-get install -y -qq "${need_apt[@]}" >/dev/null 2>&1 ||
        { apt-get update -qq && apt-get install -y -qq "${need_apt[@]}"; }
    ((created_policy)) && rm -f "$policy"
fi

# The venv is built with the system interpreter so that the unprivileged
# account the PostgreSQL tests run as (postgres, when started as root) can
# read it; pyenv's interpreter under /root is not readable by that account.
if [[ ! -x $VENV/bin/barman || ! -x $VENV/bin/moto_server ]] ||
    [[ $("$VENV/bin/barman" --version 2>/dev/null | sed -n 1p | awk '{print $1}') != "$BARMAN_PIN" ]]; then
    echo "test-env: building the Barman venv in $VENV (barman $BARMAN_PIN from PyPI)"
    rm -rf "$VENV"
    py=/usr/bin/python3
    [[ -x $py ]] || py=$(command -v python3)
    "$py" -m venv "$VENV"
    # Extras first, then barman without its declared psycopg2 (which would
    # build from source): psycopg2-binary provides the module.
    "$VENV/bin/pip" install -q psycopg2-binary python-dateutil lz4 zstandard boto3 'moto[server]'
    "$VENV/bin/pip" install -q --no-deps "barman==$BARMAN_PIN"
    chmod -R a+rX "$VENV"
fi

# Patroni (4.x creates its permanent replication slots on replicas in
# advance) in the same venv: it reuses psycopg2-binary.
PATRONI_PIN=${DRPLAN_PATRONI_VERSION:-4.1.5}
if [[ $("$VENV/bin/patroni" --version 2>/dev/null | awk '{print $2}') != "$PATRONI_PIN" ]]; then
    echo "test-env: installing patroni[etcd3] $PATRONI_PIN in $VENV"
    "$VENV/bin/pip" install -q "patroni[etcd3]==$PATRONI_PIN" PyYAML
    chmod -R a+rX "$VENV"
fi

echo "test-env: graphviz $(dot -V 2>&1 | sed -n 1p)"
echo "test-env: $(chromium --version 2>/dev/null | sed -n 1p)"
echo "test-env: poppler $(pdftotext -v 2>&1 | sed -n 1p)"
echo "test-env: $(rsync --version | sed -n 1p)"
echo "test-env: sshd $(/usr/sbin/sshd -V 2>&1 | sed -n 1p || true)"
echo "test-env: PostgreSQL $("$PG_BIN/postgres" --version)"
echo "test-env: barman $("$VENV/bin/barman" --version 2>&1 | sed -n 1p) in $VENV"
echo "test-env: $("$VENV/bin/patroni" --version 2>&1 | sed -n 1p), etcd $(etcd --version 2>&1 | sed -n 1p)"
