#!/usr/bin/env bash
# Write the lock files from pyproject.toml: every package pinned, with the sha256 of each of its files, for Linux
# x86_64 and Python 3.11 (the image's platform, and the machines scripts/setup.sh installs on).
#   requirements.lock      the app: [project] dependencies and everything they pull in
#   requirements-dev.lock  the app and the test tools (the dev extra), at the same versions as requirements.lock
# uv resolves against PyPI and PyTorch's page of CPU wheels; where that host is out of reach, against a folder that
# holds the same torch wheel ($WHEELS, default /opt/wheels), whose sha256 the lock then carries. Either way each lock
# names PyTorch's page as its --find-links, as requirements.txt does. A package already in a lock keeps its version
# unless UPGRADE=1 (then each takes the newest its dependents allow; the direct pins come from pyproject.toml).
# uv: from PATH, or from PyPI into a scratch venv. Usage: bash scripts/lock.sh   (UPGRADE=1 bash scripts/lock.sh)
set -euo pipefail
cd "$(dirname "$0")/.."
torch_page=https://download.pytorch.org/whl/cpu/torch/
wheels=${WHEELS:-/opt/wheels}
tmp=$(mktemp -d /tmp/babygpt-lock.XXXXXX)
trap 'rm -rf "$tmp"' EXIT

uv=$(command -v uv || true)
if [ -z "$uv" ]; then
  python3 -m venv "$tmp/uv-tool"
  "$tmp/uv-tool/bin/pip" install --quiet --disable-pip-version-check uv >/dev/null 2>&1
  uv=$tmp/uv-tool/bin/uv
fi
links=$torch_page
if ! timeout 5 python3 -c 'import socket; socket.create_connection(("download.pytorch.org", 443), timeout=3)' 2>/dev/null; then
  links=$wheels
  echo "PyTorch's host is out of reach here: torch from $wheels"
fi

# Only PyPI and the torch wheels, whatever uv.toml or UV_* variables say on this machine.
unset UV_INDEX UV_INDEX_URL UV_DEFAULT_INDEX UV_EXTRA_INDEX_URL UV_FIND_LINKS UV_CONSTRAINT UV_OVERRIDE
compile=(--no-config --quiet --generate-hashes --python-version 3.11 --python-platform x86_64-manylinux_2_28
  --default-index https://pypi.org/simple --find-links "$links" --no-header)
[ "${UPGRADE:-0}" = 1 ] && compile+=(--upgrade)

# $1: the lock, $2: what it holds, $3: the uv command that writes it (as run here, with PyTorch's page)
write() {
  {
    echo "# $1: $2, every package pinned with the sha256 of its files, for Linux x86_64 and Python 3.11."
    echo "# Install: pip install --require-hashes -r $1"
    echo "# Written by \`bash scripts/lock.sh\` from pyproject.toml with $("$uv" --version | cut -d' ' -f1-2), which runs"
    echo "#   $3"
    [ "$links" = "$torch_page" ] || echo "# with --find-links $links (PyTorch's host was out of reach: torch's hash is that of the wheel there)"
    echo "--find-links $torch_page"
    echo
    sed "s#$tmp/##" "$tmp/$1"  # the constraint as the command above names it
  } >"$1"
}

# An existing lock's versions are uv's preferences: given as the output file, minus the --find-links line uv would follow.
for lock in requirements.lock requirements-dev.lock; do
  if [ -f "$lock" ] && [ "${UPGRADE:-0}" != 1 ]; then grep -v '^--find-links' "$lock" >"$tmp/$lock"; fi
done
"$uv" pip compile pyproject.toml "${compile[@]}" -o "$tmp/requirements.lock"
"$uv" pip compile pyproject.toml --extra dev -c "$tmp/requirements.lock" "${compile[@]}" -o "$tmp/requirements-dev.lock"

common="uv pip compile pyproject.toml --generate-hashes --python-version 3.11 --python-platform x86_64-manylinux_2_28 --find-links $torch_page"
write requirements.lock "the app's packages" "$common -o requirements.lock"
write requirements-dev.lock "the app's and the test tools' packages" \
  "$common --extra dev -c requirements.lock -o requirements-dev.lock"
echo "requirements.lock: $(grep -c '^[A-Za-z0-9]' requirements.lock) packages; requirements-dev.lock: $(grep -c '^[A-Za-z0-9]' requirements-dev.lock)"
