#!/usr/bin/env bash
# Install what the test suite needs on a fresh Debian machine (run as root;
# idempotent). Anything that cannot be installed is an error: tests never skip.
set -euo pipefail

need_apt=()
command -v dot >/dev/null || need_apt+=(graphviz)
# Report tests: a real browser for the HTML, poppler for reading PDFs back.
command -v chromium >/dev/null || need_apt+=(chromium)
command -v pdftotext >/dev/null || need_apt+=(poppler-utils)

if ((${#need_apt[@]})); then
    if [[ $EUID -ne 0 ]]; then
        echo "test-env: missing ${need_apt[*]} and not root: install them (apt-get install -y ${need_apt[*]})" >&2
        exit 1
    fi
    echo "test-env: installing ${need_apt[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get install -y -qq "${need_apt[@]}" >/dev/null 2>&1 ||
        { apt-get update -qq && apt-get install -y -qq "${need_apt[@]}"; }
fi
echo "test-env: graphviz $(dot -V 2>&1 | sed -n 1p)"
echo "test-env: $(chromium --version 2>/dev/null | sed -n 1p)"
echo "test-env: poppler $(pdftotext -v 2>&1 | sed -n 1p)"
