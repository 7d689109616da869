#!/usr/bin/env bash
# Create .venv and install the pinned requirements. Usage: scripts/setup.sh [app|dev]
# "dev" also installs the test tools and Debian's Chromium for the browser tests.
set -euo pipefail
cd "$(dirname "$0")/.."
kind="${1:-app}"
req=requirements.txt
[ "$kind" = dev ] && req=requirements-dev.txt
[ -x .venv/bin/python ] || python3 -m venv .venv
# torch first and pinned: torch==2.13.0 resolves to the CPU build
.venv/bin/python -m pip install --quiet --disable-pip-version-check torch==2.13.0
.venv/bin/python -m pip install --quiet --disable-pip-version-check -r "$req"
if [ "$kind" = dev ] && [ ! -x /usr/bin/chromium ]; then
  if [ "$(id -u)" = 0 ]; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  else
    sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  fi
fi
