#!/usr/bin/env bash
# N app processes behind nginx, on one machine without containers; Ctrl-C (or SIGTERM) stops them all.
#
# Usage: deploy/start.sh N PORT [FIRST_APP_PORT]
#   N processes of `streamlit run serve.py` (app.py, its start-up work done before it answers) on 127.0.0.1, ports FIRST_APP_PORT.. (default PORT+1..), file
#   watcher off, headless, one shared cookie secret; nginx on PORT (on $BIND, default 127.0.0.1) with
#   deploy/nginx.conf's balancing and sticky sessions, run in the foreground from a temporary
#   directory that holds its config, pid, logs and buffers (no root-only path).
#   The processes share the result store ($BABYGPT_STORE, default <repo>/.store).
# Uses $PYTHON (default <repo>/.venv/bin/python, else python3) and Debian's nginx (or $NGINX).
set -euo pipefail
usage="usage: deploy/start.sh N PORT [FIRST_APP_PORT]"
n=${1:?$usage}
port=${2:?$usage}
first=${3:-$((port + 1))}
repo=$(cd "$(dirname "$0")/.." && pwd)
python=${PYTHON:-$repo/.venv/bin/python}
[ -x "$python" ] || python=$(command -v python3)
nginx=${NGINX:-$(command -v nginx || echo /usr/sbin/nginx)}
[ -x "$nginx" ] || { echo "nginx not found (apt-get install nginx)" >&2; exit 2; }
tmp=$(mktemp -d "${TMPDIR:-/tmp}/babygpt-deploy.XXXXXX")
chmod 755 "$tmp"  # nginx's workers may run as another user
pids=()
stop() {
  trap - EXIT INT TERM
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  rm -rf "$tmp"
}
trap stop EXIT
trap 'exit 143' INT TERM

healthy() { "$python" -c "import urllib.request, sys; urllib.request.urlopen(sys.argv[1], timeout=2)" "$1" 2>/dev/null; }

# One cookie secret for every process (Streamlit reads it from the environment only), so a browser's XSRF
# cookie stays valid whichever process answers it.
STREAMLIT_SERVER_COOKIE_SECRET=$("$python" -c 'import secrets; print(secrets.token_hex(32))')
export STREAMLIT_SERVER_COOKIE_SECRET
app_ports=()
app() {  # one app process on port $1, in the background, after $2 seconds (its log appended to, across restarts)
  (
    if [ "${2:-0}" != 0 ]; then
      trap 'kill "$!" 2>/dev/null; exit 143' TERM
      sleep "$2" & wait "$!"
    fi
    cd "$repo" && exec "$python" -m streamlit run serve.py --server.port="$1" --server.address=127.0.0.1 \
      --server.headless=true --server.fileWatcherType=none --browser.gatherUsageStats=false >>"$tmp/app-$1.log" 2>&1
  ) &
}
for ((i = 0; i < n; i++)); do
  p=$((first + i))
  app_ports+=("$p")
  app "$p"
  pids+=($!)
done
for i in "${!app_ports[@]}"; do
  p=${app_ports[$i]}
  for ((t = 0; t < 300; t++)); do
    healthy "http://127.0.0.1:$p/_stcore/health" && break
    kill -0 "${pids[$i]}" 2>/dev/null || break
    sleep 0.3
  done
  healthy "http://127.0.0.1:$p/_stcore/health" || { cat "$tmp/app-$p.log" >&2; echo "app on port $p did not start" >&2; exit 1; }
done

"$python" - "$repo/deploy/nginx.conf" "$tmp" "${BIND:-127.0.0.1}:$port" "${app_ports[@]}" >"$tmp/nginx.conf" <<'EOF'
import sys
site, tmp, listen, *ports = sys.argv[1:]
body = open(site).read()
servers = "".join(f"    server 127.0.0.1:{p};\n" for p in ports)
assert "    server app:8501;\n" in body and "    listen 8080;\n" in body, "deploy/nginx.conf changed: update deploy/start.sh"
body = body.replace("    server app:8501;\n", servers).replace("    listen 8080;\n", f"    listen {listen};\n")
temps = "".join(f"    {kind}_temp_path {tmp}/{kind};\n" for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
print(f"""daemon off;
pid {tmp}/nginx.pid;
error_log {tmp}/error.log warn;
worker_processes 1;
events {{ worker_connections 1024; }}
http {{
    log_format routed '$remote_addr [$time_local] "$request" $status $body_bytes_sent route=$babygpt_route upstream=$upstream_addr';
    access_log {tmp}/access.log routed;
{temps}
{body}
}}""")
EOF
"$nginx" -t -q -p "$tmp" -e "$tmp/error.log" -c "$tmp/nginx.conf"
"$nginx" -p "$tmp" -e "$tmp/error.log" -c "$tmp/nginx.conf" &
pids+=($!)
for ((t = 0; t < 100; t++)); do healthy "http://127.0.0.1:$port/_stcore/health" && break; sleep 0.1; done
healthy "http://127.0.0.1:$port/_stcore/health" || { cat "$tmp/error.log" >&2; echo "nginx did not start" >&2; exit 1; }
echo "ready: http://127.0.0.1:$port -> ${n} app processes on ports ${app_ports[*]}; logs in $tmp"
# An app process that dies (a crash, SIGKILL, the kernel's OOM killer) is started again on its port after
# $BABYGPT_RESTART_DELAY seconds (default 10); meanwhile nginx sends its visitors to the others, and each page
# reconnects and reruns from its address (ui/reconnect.py). The pause leaves the machine to those reruns first: a new
# process's start-up (its imports and first computations) takes seconds of a core, and on a small machine it would
# slow the pages coming back; it also keeps a process that dies at once from restarting in a tight loop. nginx
# stopping stops them all.
# (With one process there are no others: its visitors wait the pause too; BABYGPT_RESTART_DELAY=0 restarts at once.)
restart_delay=${BABYGPT_RESTART_DELAY:-10}
[[ "$restart_delay" =~ ^[0-9]+([.][0-9]+)?$ ]] || { echo "BABYGPT_RESTART_DELAY=$restart_delay: not a number of seconds, using 10" >&2; restart_delay=10; }
nginx_pid=${pids[-1]}
while true; do
  died=
  wait -n -p died "${pids[@]}" || true
  [ -z "$died" ] || [ "$died" = "$nginx_pid" ] && { echo "nginx stopped: stopping the app processes" >&2; exit 1; }
  for i in "${!app_ports[@]}"; do
    if [ "${pids[$i]}" = "$died" ]; then
      echo "the app process on port ${app_ports[$i]} stopped: starting it again in ${restart_delay} s" >&2
      app "${app_ports[$i]}" "$restart_delay"
      pids[i]=$!
    fi
  done
done
