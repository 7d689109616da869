#!/usr/bin/env bash
# Set up (once) and run the app on http://localhost:8501
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh app
exec .venv/bin/streamlit run app.py "$@"
