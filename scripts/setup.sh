#!/usr/bin/env bash
# Create .venv and install the locked packages, each checked against its hashes. Usage: scripts/setup.sh [app|dev]
# "app": requirements.lock; "dev": requirements-dev.lock, the app's packages and the test tools (scripts/lock.sh
# writes both from pyproject.toml, for Linux x86_64 and Python 3.11; elsewhere the pinned direct dependencies only).
# "dev" also installs the test tools, and Debian's Chromium, nginx, CJK fonts and Node.js for the browser and proxy tests,
# and podman, runc and mmdebstrap for the container test.
set -euo pipefail
cd "$(dirname "$0")/.."
kind="${1:-app}"
lock=requirements.lock
[ "$kind" = dev ] && lock=requirements-dev.lock
[ -x .venv/bin/python ] || python3 -m venv .venv
# The locks take torch's CPU build from PyTorch's host. Where that host is out of reach, pip would
# retry it for every package (about 9 minutes): then ask once and take the wheels found elsewhere.
pip_opts=(--quiet --disable-pip-version-check)
timeout 5 python3 -c 'import socket; socket.create_connection(("download.pytorch.org", 443), timeout=3)' 2>/dev/null ||
  pip_opts+=(--retries 0 --timeout 15)
if [ "$(uname -s)-$(uname -m)" = Linux-x86_64 ] && .venv/bin/python -c 'import sys; sys.exit(sys.version_info[:2] != (3, 11))'; then
  .venv/bin/python -m pip install "${pip_opts[@]}" --require-hashes -r "$lock"
else
  # No lock for this platform: requirements.txt's pins (and for "dev" the dev extra's), what they pull in unpinned
  echo "$lock is for Linux x86_64 and Python 3.11: installing the pinned direct dependencies only" >&2
  reqs=(-r requirements.txt)
  if [ "$kind" = dev ]; then
    # shellcheck disable=SC2207  # pins hold no spaces
    reqs+=($(.venv/bin/python -c 'import tomllib; print(*tomllib.load(open("pyproject.toml", "rb"))["project"]["optional-dependencies"]["dev"])'))
  fi
  .venv/bin/python -m pip install "${pip_opts[@]}" "${reqs[@]}"
fi
missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium)
[ -x /usr/sbin/nginx ] || missing+=(nginx)
[ -d /usr/share/fonts/opentype/noto ] || missing+=(fonts-noto-cjk)  # Chinese text in the browser tests' screenshots
[ -x /usr/bin/node ] || missing+=(nodejs)  # runs the graph's fit script in tests/test_graph_html.py
# The container test (tests/e2e/test_container.py): podman builds and runs the image on a Debian base made by mmdebstrap.
[ -x /usr/bin/podman ] || missing+=(podman)
[ -x /usr/sbin/runc ] || missing+=(runc)  # podman's runtime here: Debian's default crun fails on setrlimit and cgroups
[ -x /usr/bin/mmdebstrap ] || missing+=(mmdebstrap)
if [ "$kind" = dev ] && [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ]; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  else
    sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  fi
fi
# axe-core, pinned, for the accessibility test (tests/e2e/test_axe.py): npm's registry, into .venv
axe=.venv/axe-core
if [ "$kind" = dev ] && [ ! -f "$axe/node_modules/axe-core/axe.min.js" ]; then
  npm install --silent --no-audit --no-fund --prefix "$axe" axe-core@4.14.1 >/dev/null
fi
