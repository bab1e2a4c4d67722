#!/usr/bin/env bash
# Benchmarks after the README's set-up: installs the bench extra, then runs `falun-kb bench`.
# Usage: bash scripts/bench.sh [--quick] [more bench.run options]
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh runtime
.venv/bin/python -m pip install -q -e '.[bench]'
exec .venv/bin/falun-kb bench "$@"
