#!/usr/bin/env bash
# Set up (once) and run every test: unit, AppTest and browser (end-to-end) tests.
# Extra arguments go to pytest, e.g. scripts/test.sh -m "not e2e and not slow"
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh dev
exec .venv/bin/python -m pytest "$@"
