#!/usr/bin/env bash
# The whole test suite: installs what the tests need, then runs every test.
# Usage: scripts/test.sh [extra cargo test arguments]
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/test-env.sh
cargo test --locked --all-targets "$@"
