#!/usr/bin/env bash
# Benchmarks after the README's set-up: installs the bench extra, then runs `falun-kb bench`.
# Usage: bash scripts/bench.sh [--quick] [more bench.run options]
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh runtime
.venv/bin/python -m pip install -q -e '.[bench]'
# The newsreel distractor text, without its pins: journal-digital 2025.12.30.2 pins
# python-dotenv==1.0.1, pydantic-settings needs >=1.2.2, and what the bench imports of it
# (journal_digital.settings: the bundled .srt files) needs only python-dotenv, which the
# extra brings. Kept out of the extra so that `pip install -e '.[bench]'` resolves.
.venv/bin/python -m pip install -q --no-deps journal-digital==2025.12.30.2
exec .venv/bin/falun-kb bench "$@"
