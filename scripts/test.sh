#!/usr/bin/env bash
# One command on a fresh machine: install everything the tests need, lint, run the whole suite.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh test
export OMP_WAIT_POLICY=passive GRADIO_ANALYTICS_ENABLED=False ANONYMIZED_TELEMETRY=False
.venv/bin/ruff check .
.venv/bin/python -m pytest "$@"
