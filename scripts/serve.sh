#!/usr/bin/env bash
# One command on a fresh machine: install, ingest the bundled corpus on first start, serve.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh runtime
exec .venv/bin/falun-kb serve "$@"
