"""Load test through the proxy: N browser sessions at once against deploy/start.sh (nginx + P app processes).

Usage: python benchmarks/load_test_proxy.py [--sessions 16] [--viewers 30] [--processes 2] [--wait 30]

1. Alone: one plain server; each configuration opened by itself, one after another (the reference).
2. Through the proxy: deploy/start.sh P on free ports, each process warmed up directly once, then all
   N sessions opened at once through nginx, and with them --viewers more who open the teacher's link (the
   article's model, Train & explore on its defaults); every session is a new browser context, so a new route
   cookie picks its process. A probe asks the proxy's health endpoint every 100 ms meanwhile.
   Every session must show exactly the numbers it showed alone; every request nginx passed on must
   succeed (its access log: no status of 400 or more), and no page may fail in the browser.
3. Capacity: from the core-seconds one new training costs under load, learners per core (a) who can
   all ask for a new training at the same moment and each wait at most --wait seconds, and (b) who
   each ask for one every --think seconds, at 70% load (waits then stay near one training's time).

Every learner trains a configuration of its own (benchmarks/load_test.py's configurations), and each
phase has a result store of its own that holds only the article's model (scripts/warm.py, as scripts/app.sh
and the image leave it): every learner's training is new, the viewers share the stored one. Trainings take
turns across both processes (core.turns). Talks only to 127.0.0.1 and stops by itself.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import pathlib
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1]))

from load_test import READ_NUMBERS, config, probe  # noqa: E402
from playwright.async_api import async_playwright  # noqa: E402

from tests.e2e.harness import CHROMIUM, CHROMIUM_ARGS, ROOT, free_port, start_server  # noqa: E402

UTILISATION = 0.7  # planned load per core for the steady-state figure


def free_ports(n: int) -> int:
    """The first of n consecutive free ports on 127.0.0.1."""
    for _ in range(200):
        first = free_port()
        socks = []
        try:
            for p in range(first, first + n):
                socks.append(socket.socket())
                socks[-1].bind(("127.0.0.1", p))
            return first
        except OSError:
            continue
        finally:
            for s in socks:
                s.close()
    raise RuntimeError(f"no {n} consecutive free ports")


def start_proxy(processes: int, port: int | None = None) -> tuple[subprocess.Popen, str, pathlib.Path, list[int]]:
    """deploy/start.sh on port, port + 1.. (default: free ports): (process, base URL, its log directory, the app ports)."""
    port = port or free_ports(processes + 1)
    proc = subprocess.Popen(
        ["bash", "deploy/start.sh", str(processes), str(port), str(port + 1)],
        cwd=ROOT,
        env={**os.environ, "PYTHON": os.environ.get("PYTHON", sys.executable)},  # the processes run this Python
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    lines, ready = [], threading.Event()

    def read():
        for line in proc.stdout:
            lines.append(line)
            if line.startswith("ready:"):
                ready.set()

    threading.Thread(target=read, daemon=True).start()
    if not ready.wait(timeout=180):
        os.killpg(proc.pid, signal.SIGKILL)
        raise RuntimeError("deploy/start.sh did not get ready:\n" + "".join(lines))
    logs = pathlib.Path(re.search(r"logs in (\S+)", lines[-1]).group(1))
    return proc, f"http://127.0.0.1:{port}", logs, [port + 1 + i for i in range(processes)]


def stop_proxy(proc: subprocess.Popen | None) -> None:
    """Stop what start_proxy started: SIGTERM (start.sh stops nginx and its app processes), then SIGKILL to the whole
    group if it has not ended within 30 s."""
    if proc is None:
        return
    proc.send_signal(signal.SIGTERM)
    try:
        proc.wait(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)


async def open_session(browser, base: str, cfg: dict, deadline: float = 600) -> dict:
    """One learner: open the configuration, wait for its graph, read its numbers, its route and its failures."""
    context = await browser.new_context(viewport={"width": 1400, "height": 1000})
    page = await context.new_page()
    failures = []
    page.on("requestfailed", lambda r: failures.append(f"{r.url} {r.failure}"))
    page.on("response", lambda r: r.status >= 400 and failures.append(f"{r.url} {r.status}"))
    t = time.perf_counter()
    try:
        ms = deadline * 1000
        await page.goto(f"{base}/train_explore?{urllib.parse.urlencode(cfg)}", timeout=ms)
        await page.wait_for_selector('[data-testid="stApp"][data-test-script-state="notRunning"]', timeout=ms)
        await page.wait_for_function(
            "() => { const f = document.querySelector('iframe'); return f && f.contentWindow.edges; }", timeout=ms
        )
        seconds = time.perf_counter() - t
        numbers = await page.evaluate(READ_NUMBERS)
    except Exception as e:  # a failed session is a result to report, not a crash of the benchmark
        seconds, numbers = time.perf_counter() - t, None
        failures.append(f"session: {type(e).__name__}: {e}".splitlines()[0])
    route = next((c["value"] for c in await context.cookies() if c["name"] == "babygpt_route"), None)
    await context.close()
    return {"seconds": seconds, "numbers": numbers, "route": route, "failures": failures}


def base_path_probe(url_or_request: str) -> bool:
    """Streamlit's client, opened at /page, first asks /page/_stcore/health and .../host-config: 404 by design."""
    return bool(re.search(r"/[^/\s]+/_stcore/(health|host-config)(\s|$)", url_or_request))


def mismatch(a: dict | None, b: dict | None) -> str:
    """What differs between a session's numbers alone and under load, in one line."""
    if not a or not b:
        return "no numbers (the session failed)"
    if a["caption"] != b["caption"]:
        return f"caption {a['caption'][:80]!r} vs {b['caption'][:80]!r}"
    if len(a["edges"]) != len(b["edges"]):
        return f"{len(a['edges'])} arrows vs {len(b['edges'])}"
    first = next(i for i, (x, y) in enumerate(zip(a["edges"], b["edges"], strict=True)) if x != y)
    return f"arrow {first}: {a['edges'][first]!r} vs {b['edges'][first]!r}"


def spread(values: list[float]) -> str:
    """median / p95 / max of some seconds."""
    p95 = statistics.quantiles(values, n=20, method="inclusive")[-1] if len(values) > 1 else values[0]
    return f"{statistics.median(values):.2f} s / {p95:.2f} s / {max(values):.2f} s"


def peak_mb(pid: int) -> float:
    for line in pathlib.Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def read_access_log(logs: pathlib.Path) -> list[tuple[int, str, str, str]]:
    """(status, request, route, upstream) of every request nginx logged."""
    out = []
    for line in (logs / "access.log").read_text().splitlines():
        m = re.search(r'"([^"]*)" (\d{3}) \d+ route=(\S*) upstream=(.*)$', line)
        if m:
            out.append((int(m[2]), m[1], m[3], m[4]))
    return out


def cpu_seconds(pids: list[int]) -> float:
    """User + system CPU time of processes so far (from /proc)."""
    tick = os.sysconf("SC_CLK_TCK")
    total = 0.0
    for pid in pids:
        fields = pathlib.Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        total += (int(fields[11]) + int(fields[12])) / tick
    return total


def app_pids(app_ports: list[int]) -> list[int]:
    """The streamlit processes serving these ports (started by deploy/start.sh)."""
    pids = []
    for entry in pathlib.Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                cmd = (entry / "cmdline").read_bytes().split(b"\0")
            except OSError:
                continue
            if b"streamlit" in b" ".join(cmd) and any(f"--server.port={p}".encode() in cmd for p in app_ports):
                pids.append(int(entry.name))
    return pids


async def main(sessions: int, viewers: int, processes: int, wait: float, think: float, first_port: int | None) -> int:
    configs = [config(i) for i in range(sessions)]
    teacher: dict = {}  # the teacher's link: the article's model
    load_before = os.getloadavg()[0]
    async with async_playwright() as p:
        browser = await p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)

        # each phase gets an empty result store of its own, so every session trains (the store would otherwise
        # hand the proxy's processes the results the lone run computed)
        stores = [tempfile.mkdtemp(prefix="babygpt-store-alone-"), tempfile.mkdtemp(prefix="babygpt-store-proxy-")]
        for d in stores:
            subprocess.run([sys.executable, "scripts/warm.py", "--store", d], cwd=ROOT, check=True, capture_output=True)
        os.environ["BABYGPT_STORE"] = stores[0]
        port = first_port or free_port()
        server = start_server(port)
        alone = [await open_session(browser, f"http://127.0.0.1:{port}", c) for c in configs]
        alone_viewer = await open_session(browser, f"http://127.0.0.1:{port}", teacher)
        server.terminate()
        server.wait(timeout=20)

        os.environ["BABYGPT_STORE"] = stores[1]
        proxy, base, logs, app_ports = start_proxy(processes, first_port and first_port + 1)
        try:
            for j, ap in enumerate(app_ports):  # warm-up: each process's first run imports torch & co.
                await open_session(browser, f"http://127.0.0.1:{ap}", config(10_000 + j))
            pids = app_pids(app_ports)
            cpu0, logged0 = cpu_seconds(pids), len(read_access_log(logs))
            t = time.perf_counter()
            probe_task = asyncio.create_task(probe(base, seconds=max(10.0, 0.8 * sum(a["seconds"] for a in alone))))
            everyone = await asyncio.gather(*(open_session(browser, base, c) for c in configs + [teacher] * viewers))
            loaded, watched = everyone[:sessions], everyone[sessions:]
            wall = time.perf_counter() - t
            cpu = cpu_seconds(pids) - cpu0
            latencies = await probe_task
            peaks = [peak_mb(pid) for pid in pids]
            await asyncio.sleep(0.5)
            log = read_access_log(logs)[logged0:]
        finally:
            stop_proxy(proxy)
        await browser.close()
    for d in stores:
        shutil.rmtree(d, ignore_errors=True)

    mismatches = [i for i in range(sessions) if not alone[i]["numbers"] or alone[i]["numbers"] != loaded[i]["numbers"]]
    lone = alone_viewer["numbers"]
    viewer_mismatches = [i for i, v in enumerate(watched) if not lone or v["numbers"] != lone]
    failed_http = [(s, r) for s, r, _, _ in log if s >= 400 and not base_path_probe(r)]
    probes = sum(1 for s, r, _, _ in log if s >= 400 and base_path_probe(r))
    failed_browser = [f for s in everyone for f in s["failures"] if not base_path_probe(f)]
    failed_alone = [f for s in alone + [alone_viewer] for f in s["failures"] if not base_path_probe(f)]
    route_to_upstream = {route: up for _, _, route, up in log if up and up != "-"}
    per_process = {f"127.0.0.1:{ap}": 0 for ap in app_ports}
    for s in everyone:
        up = route_to_upstream.get(s["route"])
        if up in per_process:
            per_process[up] += 1
    a = [s["seconds"] for s in alone]
    b = [s["seconds"] for s in loaded]
    v = [s["seconds"] for s in watched]
    lat = [x for _, x in latencies]
    cores = os.cpu_count() or 1
    per_training = cpu / sessions  # core-seconds of app CPU per new training, under load
    burst = wait / per_training  # learners per core who may all ask at once and wait at most `wait`
    steady = UTILISATION * think / per_training
    rows = [
        ("machine", f"{cores} cores, load average {load_before:.1f} before the run"),
        ("app processes behind nginx / sessions at once", f"{processes} / {sessions} learners + {viewers} viewers"),
        ("sessions per process (route cookie -> upstream)", ", ".join(f"{k.split(':')[1]}: {v}" for k, v in per_process.items())),
        ("learner alone, new training (median / p95 / max)", spread(a)),
        ("learner through the proxy, new training (median / p95 / max)", spread(b)),
        ("teacher's link alone", f"{alone_viewer['seconds']:.2f} s"),
        ("teacher's link through the proxy (median / p95 / max)", spread(v) if v else "-"),
        ("all sessions through the proxy, wall time", f"{wall:.2f} s (alone, one after another: {sum(a):.2f} s)"),
        (
            "failed requests (nginx status >= 400 / in the browser)",
            f"{len(failed_http)} / {len(failed_browser)} of {len(log)} (alone: {len(failed_alone)} in the browser;"
            f" not counted: {probes} base-path probes of Streamlit's client, 404 by design)",
        ),
        ("numbers unlike alone", f"{len(mismatches)} of {sessions} learners, {len(viewer_mismatches)} of {viewers} viewers"),
        (
            "health through the proxy during load (median / p95 / max)",
            f"{statistics.median(lat) * 1e3:.0f} / {statistics.quantiles(lat, n=20)[-1] * 1e3:.0f} / {max(lat) * 1e3:.0f} ms",
        ),
        ("app processes' peak memory (VmHWM)", ", ".join(f"{m:.0f} MB" for m in peaks)),
        ("app CPU per new training under load", f"{per_training:.2f} core-s ({cpu:.1f} s for {sessions}, viewers included)"),
        (f"learners per core, all asking at once, wait <= {wait:.0f} s", f"{burst:.0f}"),
        (f"learners per core, one new training per {think:.0f} s each, {UTILISATION:.0%} load", f"{steady:.0f}"),
    ]
    width = max(len(r[0]) for r in rows)
    for name, value in rows:
        print(f"{name.ljust(width)}  {value}")
    for what in failed_http[:5] + [(f, "") for f in failed_browser[:5]]:
        print("  failed:", *what)
    for i in mismatches:
        where = route_to_upstream.get(loaded[i]["route"], "?")
        what = mismatch(alone[i]["numbers"], loaded[i]["numbers"])
        print(f"  session {i} ({where}, {loaded[i]['seconds']:.0f} s) differs: {what}")
    for i in viewer_mismatches[:5]:
        print(f"  viewer {i} differs: {mismatch(alone_viewer['numbers'], watched[i]['numbers'])}")
    return 1 if mismatches or viewer_mismatches or failed_http or failed_browser else 0


if __name__ == "__main__":
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sessions", type=int, default=16)
    ap.add_argument("--viewers", type=int, default=30, help="sessions opening the teacher's link meanwhile")
    ap.add_argument("--processes", type=int, default=2)
    ap.add_argument("--port", type=int, help="PORT alone, PORT+1 nginx, PORT+2.. the processes (default: free ports)")
    ap.add_argument("--wait", type=float, default=30.0, help="the waiting time a learner accepts for a new training (s)")
    ap.add_argument("--think", type=float, default=60.0, help="seconds between one learner's new trainings")
    args = ap.parse_args()
    sys.exit(asyncio.run(main(args.sessions, args.viewers, args.processes, args.wait, args.think, args.port)))
