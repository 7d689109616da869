#!/usr/bin/env bash
# The Dockerfile's steps without a container engine: a check that the image would build and answer.
#
# In a fresh directory: the build context (files git knows, less .dockerignore), a fresh venv with
# `pip install --require-hashes -r requirements.lock`, the build's RUN step (vis-network, the warmed store), then the
# image's CMD and HEALTHCHECK, both read from the Dockerfile and run as an unprivileged user.
# Differences from the image, printed as it runs: a venv instead of the image's Python; the server
# listens on 127.0.0.1 (the image: 0.0.0.0) and on a free port if 8501 is taken; pip asks PyTorch's
# host once where it is out of reach (as scripts/setup.sh does).
# Usage: bash scripts/image_steps.sh   (KEEP=1 keeps the directory)
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d /tmp/babygpt-image.XXXXXX)
chmod 755 "$work"
app=$work/app
server_pid=
cleanup() {
  if [ -n "$server_pid" ]; then kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; fi
  if [ "${KEEP:-0}" = 1 ]; then echo "kept $work"; else rm -rf "$work"; fi
}
trap cleanup EXIT
step() { printf '\n== %s (%ds)\n' "$1" "$SECONDS"; }

step "build context: git's files less .dockerignore"
mkdir -p "$app"
cd "$repo"
git ls-files -z --cached --others --exclude-standard | python3 -c '
import fnmatch, os, sys
pats = [p.strip().rstrip("/") for p in open(sys.argv[1]) if p.strip() and not p.startswith("#")]
def ignored(path):
    parts = path.split("/")
    prefixes = ["/".join(parts[: i + 1]) for i in range(len(parts))]
    for p in pats:
        if p.startswith("**/") and any(fnmatch.fnmatch(part, p[3:]) for part in parts):
            return True
        if any(fnmatch.fnmatch(pre, p) for pre in prefixes):
            return True
    return False
keep = [f for f in sys.stdin.read().split("\0") if f and os.path.isfile(f) and not ignored(f)]
sys.stdout.write("\0".join(keep))
' "$repo/.dockerignore" | (cd "$repo" && xargs -0 cp --parents -t "$app")
echo "$(find "$app" -type f | wc -l) files in the context"

# The Dockerfile's ENV, with the store under the fresh directory instead of /app/store (port and address: below)
export PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
export BABYGPT_STORE=$app/store

# The image runs the server as its own user: here, as root, as nobody, who must be able to run the venv's Python.
py=$(command -v python3)
run_as=()
if [ "$(id -u)" = 0 ]; then
  user=nobody
  drop=(setpriv --reuid="$user" --regid="$(id -g "$user")" --clear-groups)
  for candidate in "$py" /usr/local/bin/python3.11 /usr/bin/python3.11; do
    if [ -x "$candidate" ] && "${drop[@]}" "$candidate" -c "import venv" 2>/dev/null; then py=$candidate; break; fi
  done
  run_as=("${drop[@]}" env HOME="$work/home")
fi

step "RUN pip install --require-hashes -r requirements.lock (in a fresh venv of $py)"
"$py" -m venv "$work/venv"
export PATH=$work/venv/bin:$PATH
pip_opts=(--quiet)
timeout 5 python3 -c 'import socket; socket.create_connection(("download.pytorch.org", 443), timeout=3)' 2>/dev/null ||
  { pip_opts+=(--retries 0 --timeout 15); echo "PyTorch's host is out of reach here: pip asks it once (--retries 0)"; }
(cd "$app" && pip install "${pip_opts[@]}" --require-hashes -r requirements.lock >"$work/pip.log" 2>&1) || { cat "$work/pip.log"; echo "FAIL: pip"; exit 1; }
python -c "import torch; assert torch.__version__.endswith('+cpu'), torch.__version__; print('torch', torch.__version__)"

step "RUN vis-network into static/, the default results into the store"
(cd "$app" && python -c "from ui.assets import ensure_static; assert ensure_static()" && python scripts/warm.py --store "$BABYGPT_STORE")
if [ ${#run_as[@]} -gt 0 ]; then
  mkdir -p "$work/home" && chown -R "$user" "$work/home" "$BABYGPT_STORE"
  echo "the server runs as $user (the image: its own user 'app'), owning only the store and its home"
fi

step "CMD, as in the Dockerfile"
port=8501
if python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 8501))' 2>/dev/null; then :; else
  port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  echo "port 8501 is taken here: using $port"
fi
# The image's ENV sets the server's port and address (STREAMLIT_SERVER_*); its health check follows the port.
export STREAMLIT_SERVER_PORT=$port STREAMLIT_SERVER_ADDRESS=127.0.0.1
mapfile -t cmd < <(python3 -c '
import json, sys
for line in open(sys.argv[1]):
    if line.startswith("CMD ["):
        print("\n".join(json.loads(line[4:])))
' "$repo/Dockerfile")
health=$(python3 -c '
import re, sys
text = open(sys.argv[1]).read().replace("\\\n", " ")
print(re.search(r"^HEALTHCHECK .*? CMD (.*)$", text, re.M).group(1).strip())
' "$repo/Dockerfile")
echo "${cmd[*]}"
(cd "$app" && exec "${run_as[@]}" "${cmd[@]}" >"$work/server.log" 2>&1) &
server_pid=$!
started=$SECONDS

step "HEALTHCHECK: $health"
until (cd "$app" && sh -c "$health") 2>/dev/null; do
  if ! kill -0 "$server_pid" 2>/dev/null; then cat "$work/server.log"; echo "FAIL: the server exited"; exit 1; fi
  if [ $((SECONDS - started)) -gt 90 ]; then cat "$work/server.log"; echo "FAIL: no healthy answer in 90 s"; exit 1; fi
  sleep 1
done
echo "healthy $((SECONDS - started)) s after start"
code=$(python3 -c "import urllib.request; print(urllib.request.urlopen('http://127.0.0.1:$port/', timeout=10).status)")
stored=$(find "$BABYGPT_STORE" -name '*.bin' | wc -l)
echo "GET / -> $code; $stored result(s) in the store"
[ "$code" = 200 ] && [ "$stored" -ge 1 ] || { echo FAIL; exit 1; }
echo "OK: the image's steps build, and its command answers its health check (total ${SECONDS} s)"
