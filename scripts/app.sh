#!/usr/bin/env bash
# Set up (once) and run the app on http://localhost:8501
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh app
.venv/bin/python scripts/warm.py || echo "no result store: the first visit trains the defaults"  # starts warm
exec .venv/bin/streamlit run serve.py "$@"  # app.py, its start-up work done before the first visitor (serve.py)
