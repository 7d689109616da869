#!/usr/bin/env bash
# Does requirements.txt, unchanged, install with both installers a host may use? An optional check.
#
# pip, then uv, each into a fresh temporary venv; each must give torch's CPU build and exactly the
# pinned version of every package. Where PyTorch's host is out of reach, pip asks it once (as
# scripts/setup.sh does) and finds torch in pip's configured find-links; uv, which fails on a host it
# cannot reach, gets requirements.txt with that host replaced by a page on 127.0.0.1 that lists the
# local torch wheels ($WHEELS, default /opt/wheels) the way PyTorch's page lists its own.
# uv comes from PATH, or from PyPI into a scratch venv. Usage: bash scripts/check_install.sh
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
req=$repo/requirements.txt
wheels=${WHEELS:-/opt/wheels}
tmp=$(mktemp -d /tmp/babygpt-install.XXXXXX)
server_pid=
cleanup() {
  if [ -n "$server_pid" ]; then kill "$server_pid" 2>/dev/null || true; fi
  rm -rf "$tmp"
}
trap cleanup EXIT
reachable=1
timeout 5 python3 -c 'import socket; socket.create_connection(("download.pytorch.org", 443), timeout=3)' 2>/dev/null || reachable=0

# Every "name==version" pin of requirements.txt that applies on this platform must be what is installed.
check_pins() {
  "$1" - "$req" <<'EOF'
import importlib.metadata, sys
import torch
from packaging.requirements import Requirement
bad = []
for line in open(sys.argv[1]):
    line = line.split("#")[0].strip()
    if not line or line.startswith("-"):
        continue
    r = Requirement(line)
    if r.marker and not r.marker.evaluate():
        continue
    pinned = [s.version for s in r.specifier if s.operator == "=="]
    have = importlib.metadata.version(r.name)
    if pinned != [have]:
        bad.append(f"{r.name}: {have} installed, {r.specifier} asked")
assert not bad, bad
assert torch.__version__.endswith("+cpu") and not torch.cuda.is_available(), torch.__version__
print(f"  torch {torch.__version__}, every pin installed exactly")
EOF
}

echo "== pip: requirements.txt as it is"
python3 -m venv "$tmp/pip-venv"
pip_opts=(--quiet --disable-pip-version-check)
if [ "$reachable" = 0 ]; then
  pip_opts+=(--retries 0 --timeout 15)
  echo "  PyTorch's host is out of reach here: --retries 0, torch from pip's find-links ($(python3 -m pip config get global.find-links 2>/dev/null || echo none))"
fi
start=$SECONDS
"$tmp/pip-venv/bin/pip" install "${pip_opts[@]}" -r "$req" >"$tmp/pip.log" 2>&1 || { grep -v "is ignored" "$tmp/pip.log"; echo FAIL; exit 1; }
echo "  installed in $((SECONDS - start)) s"
check_pins "$tmp/pip-venv/bin/python"

echo "== uv"
uv=$(command -v uv || true)
if [ -z "$uv" ]; then
  python3 -m venv "$tmp/uv-tool"
  "$tmp/uv-tool/bin/pip" install --quiet --disable-pip-version-check uv >/dev/null 2>&1
  uv=$tmp/uv-tool/bin/uv
fi
echo "  $("$uv" --version)"
uv_req=$req
if [ "$reachable" = 0 ]; then
  mkdir -p "$tmp/mirror/whl/cpu/torch"
  python3 - "$wheels" "$tmp/mirror/whl/cpu" <<'EOF'
import hashlib, os, pathlib, sys, urllib.parse
src, out = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2])
links = []
for whl in sorted(src.glob("torch-*.whl")):
    os.symlink(whl, out / whl.name)
    digest = hashlib.sha256(whl.read_bytes()).hexdigest()
    links.append(f'<a href="/whl/cpu/{urllib.parse.quote(whl.name)}#sha256={digest}">{whl.name}</a><br/>')
assert links, f"no torch wheel in {src}"
(out / "torch" / "index.html").write_text("<!DOCTYPE html><html><body>\n" + "\n".join(links) + "\n</body></html>\n")
EOF
  port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  python3 -m http.server "$port" --bind 127.0.0.1 --directory "$tmp/mirror" >"$tmp/http.log" 2>&1 &
  server_pid=$!
  for _ in $(seq 50); do curl -sf "http://127.0.0.1:$port/whl/cpu/torch/" >/dev/null && break; sleep 0.1; done
  uv_req=$tmp/requirements.txt
  sed "s#https://download.pytorch.org/#http://127.0.0.1:$port/#" "$req" >"$uv_req"
  echo "  PyTorch's host is out of reach here: its page of torch wheels is served from $wheels on 127.0.0.1:$port"
fi
"$uv" venv --quiet --python "$(command -v python3)" "$tmp/uv-venv"
start=$SECONDS
UV_CACHE_DIR=$tmp/uv-cache "$uv" pip install --quiet --python "$tmp/uv-venv/bin/python" -r "$uv_req" >"$tmp/uv.log" 2>&1 ||
  { cat "$tmp/uv.log"; echo FAIL; exit 1; }
echo "  installed in $((SECONDS - start)) s (cold cache)"
check_pins "$tmp/uv-venv/bin/python"
echo "OK: pip and uv both install requirements.txt with torch's CPU build and every pin"
