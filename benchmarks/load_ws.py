"""Load test of the server over Streamlit's websocket protocol: learners and viewers at once through nginx.

Usage: python benchmarks/load_ws.py [--learners 16] [--viewers 30] [--processes 2] [--browsers 2] [--timeout 900]

1. Alone: one plain server, one session at a time. Each learner's scenario (open the teacher's link, then change
   the sequence, k, steps and seed to a configuration of its own: benchmarks/load_test.py's `config`, a new
   training), the teacher's link (the article's model, Train & explore on its defaults) and each browser's address
   give the reference numbers: every number of the page's texts and every arrow's probability of its graph.
2. Through the proxy: deploy/start.sh P on free loopback ports, each process warmed up directly once; then every
   learner and viewer at once through nginx, each a websocket session of benchmarks/ws_client.py from a loopback
   address of its own (127.0.1.x learners, 127.0.2.x viewers; --one-address: all from 127.0.0.1, a class behind
   one router), each first fetching its page's address to get nginx's route cookie as a browser does. Beside
   them --browsers Chromium pages (one new context each) open addresses of their own, alternately the teacher's
   link and a new configuration, and must draw the numbers a lone websocket session read.
3. The table: sessions, failed sessions (a run that did not finish, an error on the page, nginx status >= 400),
   sessions whose numbers differ from alone, median / p95 / max seconds (learners: their change to its run's end;
   viewers: the page's address fetched to its run's end), where a learner's time goes (waiting for a turn of the
   machine's training queue, core.turns, versus training and drawing), the client's own CPU seconds against the
   wall time, and the app processes' CPU seconds and peak memory.

Each phase has a result store of its own holding only the article's model (scripts/warm.py) and a training
queue of its own ($BABYGPT_TURNS), so nothing else on the machine takes turns from it. Talks only to 127.0.0.x and
stops everything it started within --timeout seconds.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import pathlib
import resource
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1]))

from load_test import config  # noqa: E402
from load_test_proxy import (  # noqa: E402
    app_pids,
    base_path_probe,
    cpu_seconds,
    open_session,
    peak_mb,
    read_access_log,
    start_proxy,
    stop_proxy,
)
from ws_client import Run, Session, numbers, route  # noqa: E402

from tests.e2e.harness import CHROMIUM, CHROMIUM_ARGS, ROOT, free_port, start_server  # noqa: E402

PAGE = "train_explore"
TEACHER = ""  # the teacher's link: Train & explore on its defaults, the article's model (in the store)
SESSION_SECONDS = 300  # one session's bound (its runs included)
TEMPORARY: list[str] = []  # folders this run made: removed at its end, or by the watchdog


def learner_change(i: int) -> dict:
    """What learner i changes on the teacher's page: its own configuration's controls."""
    c = config(i)
    return {"seq": c["seq"], "k": int(c["k"]), "steps": int(c["steps"]), "seed": int(c["seed"])}


def browser_address(j: int) -> str:
    """Browser j's address: the teacher's link (even j) or a configuration no one else trains (odd j)."""
    return TEACHER if j % 2 == 0 else urllib.parse.urlencode(config(1_000 + j))


async def learner(ws: str, base: str, i: int, local: str | None) -> dict:
    """Open the teacher's link, then change the controls to configuration i: one new training."""
    out = {"open": Run(), "change": Run(), "error": None, "cookie": None}
    try:
        async with asyncio.timeout(SESSION_SECONDS):
            out["cookie"] = await route(base, f"/{PAGE}", local)
            async with Session(ws, local, out["cookie"]) as s:
                await s.open(PAGE, TEACHER, out["open"])
                await s.change(learner_change(i), out["change"])
    except Exception as e:  # a failed session is a result to report
        out["error"] = f"{type(e).__name__}: {e}".splitlines()[0]
    return out


async def viewer(ws: str, base: str, query: str, local: str | None) -> dict:
    """Fetch the page's address (nginx's cookie), then run the page from it; seconds from the fetch to the run's end."""
    out = {"open": Run(), "error": None, "cookie": None, "seconds": 0.0}
    t = time.monotonic()
    try:
        async with asyncio.timeout(SESSION_SECONDS):
            out["cookie"] = await route(base, f"/{PAGE}" + (f"?{query}" if query else ""), local)
            async with Session(ws, local, out["cookie"]) as s:
                await s.open(PAGE, query, out["open"])
    except Exception as e:
        out["error"] = f"{type(e).__name__}: {e}".splitlines()[0]
    out["seconds"] = time.monotonic() - t
    return out


def failed(session: dict, run: str = "open") -> bool:
    runs = [session[run]] + ([session["open"]] if run != "open" else [])
    return bool(session["error"]) or any(r.status != "finished" for r in runs)


def spread(values: list[float]) -> str:
    """median / p95 / max."""
    if not values:
        return "-"
    p95 = statistics.quantiles(values, n=20, method="inclusive")[-1] if len(values) > 1 else values[0]
    return f"{statistics.median(values):.2f} / {p95:.2f} / {max(values):.2f}"


def browser_numbers(read: dict | None) -> dict | None:
    """A browser's reading (load_test.READ_NUMBERS) as comparable numbers: its arrows and its first caption's."""
    import re

    return None if not read else {"arrows": sorted(read["edges"]), "caption": re.findall(r"\d[\d,.]*", read["caption"])}


def agrees(browser: dict | None, alone: dict) -> bool:
    """A browser drew the arrows a lone websocket session read, and its caption's numbers are among the texts'."""
    return (
        bool(browser) and bool(alone["arrows"]) and browser["arrows"] == alone["arrows"] and browser["caption"] in alone["texts"]
    )


def turns_at_once() -> int:
    """How many trainings the app runs at once: $BABYGPT_TRAININGS, else core/runtime/settings.py's MAX_CONCURRENT_JOBS (one
    core of the machine's left for the rest), read the way core.runtime.settings reads it without importing the app here."""
    try:
        value = int(os.environ.get("BABYGPT_TRAININGS") or 0)
    except ValueError:
        value = 0
    return value if value > 0 else max(1, (os.cpu_count() or 2) - 1)


def machine_busy() -> float:
    """CPU seconds the whole machine has spent busy so far, every process's (from /proc/stat)."""
    fields = [int(v) for v in pathlib.Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    return (sum(fields[:8]) - fields[3] - fields[4]) / os.sysconf("SC_CLK_TCK")  # all but idle and iowait


def fresh_store() -> str:
    store = tempfile.mkdtemp(prefix="babygpt-store-ws-")
    TEMPORARY.append(store)
    subprocess.run([sys.executable, "scripts/warm.py", "--store", store], cwd=ROOT, check=True, capture_output=True)
    return store


async def alone_phase(learners: int, browsers: int) -> dict:
    """Reference numbers, one session at a time on a plain server (after one warm-up run)."""
    port = free_port()
    server = start_server(port)
    base, ws = f"http://127.0.0.1:{port}", f"ws://127.0.0.1:{port}/_stcore/stream"
    try:
        await viewer(ws, base, urllib.parse.urlencode(config(20_000)), None)  # warm-up: imports torch & co.
        ref = {"learners": [await learner(ws, base, i, None) for i in range(learners)]}
        ref["viewer"] = await viewer(ws, base, TEACHER, None)
        ref["browsers"] = [await viewer(ws, base, browser_address(j), None) for j in range(browsers)]
    finally:
        server.terminate()
        server.wait(timeout=20)
    return ref


def run_thread(coroutine) -> tuple[object, float, float]:
    """Run a coroutine on a thread and event loop of its own: (its result, that thread's CPU seconds, wall seconds)."""
    box = {}

    def work():
        r0, t0 = resource.getrusage(resource.RUSAGE_THREAD), time.monotonic()
        try:
            box["result"] = asyncio.run(coroutine)
        except BaseException as e:  # handed to the caller
            box["error"] = e
        r1 = resource.getrusage(resource.RUSAGE_THREAD)
        box["cpu"] = r1.ru_utime - r0.ru_utime + r1.ru_stime - r0.ru_stime
        box["wall"] = time.monotonic() - t0

    thread = threading.Thread(target=work, daemon=True)
    thread.start()
    thread.join()
    if "error" in box:
        raise box["error"]
    return box["result"], box["cpu"], box["wall"]


async def everyone(ws: str, base: str, learners: int, viewers: int, one_address: bool) -> tuple[list, list]:
    """All learners and viewers at once."""
    lo = (lambda i: "127.0.0.1") if one_address else (lambda i: f"127.0.1.{1 + i}")
    vo = (lambda i: "127.0.0.1") if one_address else (lambda i: f"127.0.2.{1 + i}")
    tasks = [learner(ws, base, i, lo(i)) for i in range(learners)] + [viewer(ws, base, TEACHER, vo(i)) for i in range(viewers)]
    done = await asyncio.gather(*tasks)
    return done[:learners], done[learners:]


async def browse(base: str, n: int, start: threading.Event) -> list[dict]:
    """n Chromium pages at once, each a new context (a new route cookie), once `start` is set."""
    if not n:
        return []
    from playwright.async_api import async_playwright

    async with async_playwright() as p:
        browser = await p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            while not start.is_set():
                await asyncio.sleep(0.01)
            return list(await asyncio.gather(*(open_page_in_browser(browser, base, browser_address(j)) for j in range(n))))
        finally:
            await browser.close()


async def open_page_in_browser(browser, base: str, query: str) -> dict:
    """load_test_proxy.open_session at any address of Train & explore."""
    return await open_session(browser, base, dict(urllib.parse.parse_qsl(query)))


def main(args) -> int:
    load_before = os.getloadavg()[0]
    turns = [tempfile.mkdtemp(prefix="babygpt-turns-ws-") for _ in range(2)]
    TEMPORARY.extend(turns)
    stores = [fresh_store(), fresh_store()]
    proxy = None
    try:
        os.environ["BABYGPT_STORE"], os.environ["BABYGPT_TURNS"] = stores[0], turns[0]
        ref, _, alone_wall = run_thread(alone_phase(args.learners, args.browsers))

        os.environ["BABYGPT_STORE"], os.environ["BABYGPT_TURNS"] = stores[1], turns[1]
        proxy, base, logs, app_ports = start_proxy(args.processes)
        ws = base.replace("http://", "ws://") + "/_stcore/stream"
        for j, port in enumerate(app_ports):  # warm-up: each process's first run imports torch & co.
            url = f"ws://127.0.0.1:{port}/_stcore/stream"
            run_thread(viewer(url, f"http://127.0.0.1:{port}", urllib.parse.urlencode(config(10_000 + j)), None))
        pids = app_pids(app_ports)
        cpu0, logged0, busy0 = cpu_seconds(pids), len(read_access_log(logs)), machine_busy()

        start, box = threading.Event(), {}
        browsing = threading.Thread(target=lambda: box.update(browsers=asyncio.run(browse(base, args.browsers, start))))
        browsing.start()
        time.sleep(3 if args.browsers else 0)  # Chromium up before the load starts (its start is not the server's)
        start.set()
        t = time.monotonic()
        (loaded, watched), client_cpu, wall = run_thread(everyone(ws, base, args.learners, args.viewers, args.one_address))
        browsing.join(timeout=SESSION_SECONDS)
        all_wall = time.monotonic() - t
        app_cpu, busy = cpu_seconds(pids) - cpu0, machine_busy() - busy0
        peaks = [peak_mb(pid) for pid in pids]
        time.sleep(0.5)
        log = read_access_log(logs)[logged0:]
    finally:
        stop_proxy(proxy)
        for d in stores + turns:
            shutil.rmtree(d, ignore_errors=True)

    seen = box.get("browsers") or []
    lone_learners = [numbers(r["change"]) for r in ref["learners"]]
    lone_viewer = numbers(ref["viewer"]["open"])
    bad_alone = [r for r in ref["learners"] if failed(r, "change") or not numbers(r["change"])["arrows"]]
    bad_alone += [r for r in [ref["viewer"], *ref["browsers"]] if failed(r) or not numbers(r["open"])["arrows"]]
    l_failed = [i for i, s in enumerate(loaded) if failed(s, "change")]
    v_failed = [i for i, s in enumerate(watched) if failed(s)]
    l_differ = [i for i, s in enumerate(loaded) if i not in l_failed and numbers(s["change"]) != lone_learners[i]]
    v_differ = [i for i, s in enumerate(watched) if i not in v_failed and numbers(s["open"]) != lone_viewer]
    b_failed = [j for j, s in enumerate(seen) if s["numbers"] is None or [f for f in s["failures"] if not base_path_probe(f)]]
    b_differ = [
        j
        for j, s in enumerate(seen)
        if j not in b_failed and not agrees(browser_numbers(s["numbers"]), numbers(ref["browsers"][j]["open"]))
    ]
    http_failed = [(s, r) for s, r, _, _ in log if s >= 400 and not base_path_probe(r)]
    upstream = {r: up for _, _, r, up in log if up and up != "-"}
    reached: dict[str, set] = {}  # route -> the processes its requests reached (one each: sticky)
    for _, _, r, up in log:
        if up and up != "-":
            reached.setdefault(r, set()).add(up)
    routes = [(s["cookie"] or "=").split("=", 1)[1] for s in loaded + watched]
    unsticky = sum(1 for r in routes if len(reached.get(r, ())) != 1)
    per_process = {f"127.0.0.1:{p}": 0 for p in app_ports}
    for s in loaded + watched:
        up = upstream.get((s["cookie"] or "=").split("=", 1)[1])
        if up in per_process:
            per_process[up] += 1
    for s in seen:
        if upstream.get(s["route"]) in per_process:
            per_process[upstream[s["route"]]] += 1

    changes = [s["change"] for s in loaded]
    waits = [r.first_progress for r in changes if r.first_progress is not None]
    trains = [r.seconds - r.first_progress for r in changes if r.first_progress is not None]
    lone_change = [r["change"].seconds for r in ref["learners"]]
    turns = turns_at_once()
    total = args.learners + args.viewers
    rows = [
        ("machine", f"{os.cpu_count()} cores, load average {load_before:.1f} before the run, {os.getloadavg()[0]:.1f} after"),
        (
            "app processes behind nginx",
            f"{args.processes} (sessions per process: {', '.join(map(str, per_process.values()))};"
            f" websocket sessions whose page and websocket did not reach one same process: {unsticky})",
        ),
        (
            "websocket sessions at once",
            f"{total}: {args.learners} learners + {args.viewers} viewers"
            f" ({'one address' if args.one_address else 'an address each'})",
        ),
        (
            "failed sessions",
            f"{len(l_failed) + len(v_failed)} of {total}"
            f" (nginx: {len(http_failed)} requests >= 400 of {len(log)}; alone: {len(bad_alone)})",
        ),
        (
            "sessions whose numbers differ from alone",
            f"{len(l_differ) + len(v_differ)} of {total - len(l_failed) - len(v_failed)}",
        ),
        ("learners, change to result, s (median / p95 / max)", spread([r.seconds for r in changes])),
        ("  of which waiting for a training turn", spread(waits)),
        ("  of which training and drawing (its first step to the run's end)", spread(trains)),
        ("  the same change alone", spread(lone_change)),
        (
            "trainings at once (the machine's queue)",
            f"{turns}: the last of {args.learners} ends after about"
            f" {args.learners * statistics.median(lone_change) / turns:.1f} s at best (learners x median alone / turns)",
        ),
        ("viewers, address to result, s (median / p95 / max)", spread([s["seconds"] for s in watched])),
        ("  the teacher's link alone", f"{ref['viewer']['seconds']:.2f}"),
        (
            "Chromium pages beside them (failed / numbers unlike alone)",
            f"{len(seen)} ({len(b_failed)} / {len(b_differ)}), " + ", ".join(f"{s['seconds']:.1f} s" for s in seen),
        ),
        ("wall time, all sessions", f"{wall:.1f} s (with the browsers: {all_wall:.1f} s; alone phase: {alone_wall:.0f} s)"),
        (
            "load client's CPU (its websocket thread)",
            f"{client_cpu:.2f} s in {wall:.1f} s wall ({client_cpu / wall:.1%} of one core)",
        ),
        ("app processes' CPU", f"{app_cpu:.1f} s in {all_wall:.1f} s wall ({app_cpu / all_wall:.2f} cores)"),
        (
            "the whole machine's CPU meanwhile",
            f"{busy:.1f} s ({busy / all_wall:.2f} cores; besides the app and this client's websocket thread:"
            f" {(busy - app_cpu - client_cpu) / all_wall:.2f} cores, Chromium, nginx and any other work included)",
        ),
        ("app processes' peak memory (VmHWM)", ", ".join(f"{m:.0f} MB" for m in peaks)),
    ]
    width = max(len(r[0]) for r in rows)
    for name, value in rows:
        print(f"{name.ljust(width)}  {value}")
    for i in l_failed[:5]:
        s = loaded[i]
        print(f"  learner {i} failed: {s['error'] or s['change'].status} {s['change'].texts[-2:]}")
    for i in v_failed[:5]:
        s = watched[i]
        print(f"  viewer {i} failed: {s['error'] or s['open'].status} {s['open'].texts[-2:]}")
    for i in l_differ[:5]:
        print(f"  learner {i} differs from alone: {numbers(loaded[i]['change'])} vs {lone_learners[i]}"[:300])
    for i in v_differ[:5]:
        print(f"  viewer {i} differs from alone"[:300])
    for j in b_failed + b_differ:
        print(f"  browser {j} ({browser_address(j) or 'teacher'}): {seen[j]['failures'][:3]} {seen[j]['numbers']}"[:300])
    for what in http_failed[:5]:
        print("  nginx:", *what)
    problems = l_failed + v_failed + l_differ + v_differ + b_failed + b_differ + http_failed + bad_alone
    return 1 if problems or len(seen) != args.browsers else 0


def descendants(pid: int) -> list[int]:
    """Every process started from `pid`, directly or not (sessions of their own included), from /proc."""
    children: dict[int, list[int]] = {}
    for entry in pathlib.Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(ppid, []).append(int(entry.name))
    out, todo = [], [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            out.append(child)
            todo.append(child)
    return out


def watchdog(seconds: float) -> None:
    """Past `seconds`, kill every process this run started (the servers, nginx, Chromium) and exit."""

    def fire():
        print(f"timeout: {seconds:.0f} s passed, stopping", file=sys.stderr, flush=True)
        pids = descendants(os.getpid())  # all found first: a killed parent's children are reparented
        for sig in (signal.SIGTERM, signal.SIGKILL):  # TERM first: deploy/start.sh then removes its folder
            for pid in pids:
                try:
                    os.kill(pid, sig)
                except ProcessLookupError:
                    pass
            time.sleep(3)
        for d in TEMPORARY:
            shutil.rmtree(d, ignore_errors=True)
        os._exit(124)

    timer = threading.Timer(seconds, fire)
    timer.daemon = True
    timer.start()


if __name__ == "__main__":
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--learners", type=int, default=16, help="sessions each training a configuration of its own")
    ap.add_argument("--viewers", type=int, default=30, help="sessions opening the teacher's link meanwhile")
    ap.add_argument("--processes", type=int, default=2)
    ap.add_argument("--browsers", type=int, default=2, help="Chromium pages beside them that check what is drawn")
    ap.add_argument("--one-address", action="store_true", help="every session from 127.0.0.1 (a class behind one router)")
    ap.add_argument("--timeout", type=float, default=900, help="stop everything after this many seconds")
    args = ap.parse_args()
    watchdog(args.timeout)
    sys.exit(main(args))
