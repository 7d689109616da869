"""What one interaction costs the server and the learner: CPU and wall time per kind, idle and beside a busy process.

Usage: python benchmarks/bench_serve.py [--before DIR] [--reps 3] [--only server|browser]

Server side (Streamlit's AppTest, the page's script run in this process, as the server runs it): each kind of
interaction timed with the process's CPU time (every thread; AppTest's own work included) and the wall time,
first on an idle machine, then with one competing busy process (a Python loop on another core). Kinds: a first
visit (a new session's overview, the article's model in the store, as scripts/app.sh leaves it), cached view
changes on Train & explore (a tab, a slider notch, back to the graph), and new trainings of configurations never
trained before (a new seed typed on a page open at the article's size, k = 4, k = 8, the text "hello world,
hello markov" at k = 4: 28,561 states). Each kind's median
and worst over --reps different seeds. Each code tree runs in a fresh process with a store of its own.

Browser side (Chromium, a real server of each code tree as deployed, `streamlit run serve.py`, store warmed with
scripts/warm.py): a fresh server's first navigation to the overview's graph drawn, a second visit, a notch of the
overview's step slider, the cached view changes (tab to Table, Table to Graph, a slider notch) and new trainings
typed into the page (k = 4 and k = 5 with a new seed, the text at k = 4), each until the new graph is drawn.

--before DIR: also measure another checkout (e.g. the code before a change) in the same run, side by side.
Talks only to 127.0.0.1 and stops by itself.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import pathlib
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request

HERE = pathlib.Path(__file__).resolve().parents[1]
TEXT = "hello world, hello markov"
BUSY = "while True: pass"
TRAININGS = {  # new trainings: the page's parameters
    "new training: article's size (k = 3)": {},
    "new training: k = 4": {"k": 4},
    "new training: k = 8": {"k": 8},
    f"new training: text {TEXT!r}, k = 4": {"source": "text", "text": TEXT, "k": 4},
}


# ---------------------------------------------------------------- server side (run in a child per code tree)


def child_server(root: pathlib.Path, reps: int) -> dict:
    """Every kind's [(wall, cpu), ...] idle and busy; runs inside a process whose sys.path starts at root."""
    from streamlit.testing.v1 import AppTest

    def run(at) -> tuple[float, float]:
        w, c = time.perf_counter(), time.process_time()
        at.run(timeout=300)
        assert not at.exception, at.exception
        return time.perf_counter() - w, time.process_time() - c

    def page(name: str, **params):
        at = AppTest.from_file(str(root / "app.py"), default_timeout=300)
        if name != "overview":
            at.switch_page(f"pages/{name}.py")
        for k, v in params.items():
            at.query_params[k] = v
        return at

    def tab(at, code: str):
        at.session_state["tab__code"] = code
        return at

    out: dict[str, dict[str, list]] = {}
    seed = iter(range(5_000, 10_000))
    first = run(page("overview"))  # the process's first script run: every import
    out["first script run of a fresh process"] = {"idle": [first]}
    time.sleep(3)  # a warm-up thread started by the first run (if the code has one) finishes at low priority
    run(page("train_explore"))  # the default Train & explore page: the article's model from the store
    for phase in ("idle", "busy"):
        busy = subprocess.Popen([sys.executable, "-c", BUSY]) if phase == "busy" else None
        try:
            time.sleep(0.5 if busy else 0)
            rows: dict[str, list] = {}
            rows["first visit (new session, overview)"] = [run(page("overview")) for _ in range(reps)]
            at = page("train_explore")
            run(at)
            views = []
            for _ in range(reps):
                views.append(("tab: Graph to Table", run(tab(at, "table"))))
                views.append(("tab: Table to Graph", run(tab(at, "graph"))))
                at.select_slider(key="step").set_value(48)
                views.append(("slider notch (step)", run(at)))
                at.select_slider(key="step").set_value(50)
                run(at)
            for name in dict.fromkeys(n for n, _ in views):
                rows[f"cached view change: {name}"] = [x for n, x in views if n == name]
            for name, params in TRAININGS.items():  # a page open on this configuration; a new seed typed each time
                at = page("train_explore", **params)
                run(at)
                rows[name] = []
                for _ in range(reps):
                    at.number_input(key="seed").set_value(next(seed))
                    rows[name].append(run(at))
            for name, values in rows.items():
                out.setdefault(name, {})[phase] = values
        finally:
            if busy:
                busy.kill()
                busy.wait()
    return out


def server_side(root: pathlib.Path, reps: int) -> dict:
    """child_server in a fresh process of root's code, with an empty store that scripts/warm.py fills first."""
    with tempfile.TemporaryDirectory(prefix="babygpt-bench-store-") as store:
        env = {k: v for k, v in os.environ.items() if k != "OMP_NUM_THREADS"} | {"BABYGPT_STORE": store}
        subprocess.run([sys.executable, "scripts/warm.py", "--store", store], cwd=root, env=env, check=True, capture_output=True)
        out = subprocess.run(
            [sys.executable, str(pathlib.Path(__file__).resolve()), "--child", str(root), "--reps", str(reps)],
            cwd=root,
            env=env | {"PYTHONPATH": str(root)},
            check=True,
            capture_output=True,
            text=True,
        )
    return json.loads(out.stdout.splitlines()[-1])


# ---------------------------------------------------------------- browser side

READY = '[data-testid="stApp"][data-test-script-state="notRunning"]'
FRESH_GRAPH = """() => { const f = document.querySelector('iframe');
  const w = f && f.contentWindow; return !!(w && !w.__seen && w.network && w.nodes && w.nodes.length > 0); }"""
MARK = "() => { const f = document.querySelector('iframe'); if (f && f.contentWindow) f.contentWindow.__seen = true; }"


def serve(root: pathlib.Path, port: int, store: str) -> subprocess.Popen:
    script = "serve.py" if (root / "serve.py").exists() else "app.py"  # as deployed: start-up work before the first visitor
    cmd = [sys.executable, "-m", "streamlit", "run", script, f"--server.port={port}", "--server.address=127.0.0.1"]
    cmd += ["--server.headless=true", "--server.fileWatcherType=none", "--browser.gatherUsageStats=false"]
    env = {k: v for k, v in os.environ.items() if k != "OMP_NUM_THREADS"} | {"BABYGPT_STORE": store}
    return subprocess.Popen(cmd, cwd=root, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def healthy(url: str, proc: subprocess.Popen, timeout: float = 120) -> None:
    deadline = time.perf_counter() + timeout
    while time.perf_counter() < deadline:
        assert proc.poll() is None, "the server exited"
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError("no healthy answer")


def browser_side(root: pathlib.Path, reps: int, port: int) -> dict:
    from playwright.sync_api import sync_playwright

    sys.path.insert(0, str(HERE))
    from tests.e2e.harness import CHROMIUM, CHROMIUM_ARGS

    rows: dict[str, list[float]] = {}

    def add(name: str, seconds: float) -> None:
        rows.setdefault(name, []).append(seconds)

    def drawn(page, t0: float, timeout: float = 300_000) -> float:
        page.wait_for_function(FRESH_GRAPH, timeout=timeout, polling=20)
        page.wait_for_selector(READY, timeout=timeout)
        return time.perf_counter() - t0

    seed = iter(range(20_000, 30_000))
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for _ in range(reps):
            with tempfile.TemporaryDirectory(prefix="babygpt-bench-store-") as store:
                subprocess.run([sys.executable, "scripts/warm.py", "--store", store], cwd=root, check=True, capture_output=True)
                proc = serve(root, port, store)
                base = f"http://127.0.0.1:{port}"
                try:
                    healthy(f"{base}/_stcore/health", proc)
                    for name in ("fresh server: navigation to the overview's graph drawn", "second visit"):
                        ctx = browser.new_context(viewport={"width": 1400, "height": 1000})
                        page = ctx.new_page()
                        t0 = time.perf_counter()
                        page.goto(base)
                        add(name, drawn(page, t0))
                        ctx.close()
                    ctx = browser.new_context(viewport={"width": 1400, "height": 1000})
                    page = ctx.new_page()
                    page.goto(base)
                    drawn(page, time.perf_counter())
                    for key in ("ArrowLeft", "ArrowRight"):  # the overview's step: its graph, numbers and caption
                        page.evaluate(MARK)
                        t0 = time.perf_counter()
                        page.get_by_role("slider").first.press(key)
                        add("cached view change: overview's slider notch (step)", drawn(page, t0))
                    ctx.close()
                    ctx = browser.new_context(viewport={"width": 1400, "height": 1000})
                    page = ctx.new_page()
                    page.goto(f"{base}/train_explore")
                    drawn(page, time.perf_counter())
                    for _ in range(2):
                        page.evaluate(MARK)
                        t0 = time.perf_counter()
                        page.get_by_role("tab", name="Table").click()
                        page.wait_for_selector('[data-testid="stDataFrame"]', timeout=60_000)
                        page.wait_for_selector(READY)
                        add("cached view change: tab Graph to Table", time.perf_counter() - t0)
                        t0 = time.perf_counter()
                        page.get_by_role("tab", name="Graph").click()
                        add("cached view change: tab Table to Graph", drawn(page, t0))
                        for key in ("ArrowLeft", "ArrowRight"):
                            page.evaluate(MARK)
                            t0 = time.perf_counter()
                            page.get_by_role("slider").first.press(key)
                            add("cached view change: slider notch (step)", drawn(page, t0))
                    for k in (4, 5):  # the page opened on a new seed (its k = 3 training untimed), then k typed
                        page.goto(f"{base}/train_explore?seed={next(seed)}")
                        drawn(page, time.perf_counter())
                        page.evaluate(MARK)
                        box = page.get_by_label("Context length k", exact=True)
                        box.fill(str(k))
                        t0 = time.perf_counter()
                        box.press("Enter")
                        add(f"new training: typing k = {k} (new seed) to the new graph drawn", drawn(page, t0))
                    ctx.close()
                    ctx = browser.new_context(viewport={"width": 1400, "height": 1000})
                    page = ctx.new_page()
                    t0 = time.perf_counter()
                    page.goto(f"{base}/train_explore?source=text&text={TEXT.replace(' ', '+')}&k=4&seed={next(seed)}")
                    add(f"new training: text {TEXT!r}, k = 4 (opened) to the graph drawn", drawn(page, t0))
                    ctx.close()
                finally:
                    proc.terminate()
                    proc.wait(timeout=30)
        browser.close()
    return rows


# ---------------------------------------------------------------- the table


def median_max(values: list) -> str:
    if not values:
        return "-"
    if isinstance(values[0], list | tuple):
        walls, cpus = [v[0] for v in values], [v[1] for v in values]
        return f"{statistics.median(walls):5.2f} s / {max(walls):5.2f} s, {statistics.median(cpus):5.2f} cpu-s"
    return f"{statistics.median(values):5.2f} s / {max(values):5.2f} s"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--before", type=pathlib.Path, help="another checkout to measure in the same run (shown first)")
    ap.add_argument("--reps", type=int, default=3)
    ap.add_argument("--only", choices=("server", "browser"))
    ap.add_argument("--port", type=int, default=8621)
    ap.add_argument("--child", type=pathlib.Path, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        print(json.dumps(child_server(args.child, args.reps)))
        return 0
    trees = ([("before", args.before.resolve())] if args.before else []) + [("now", HERE)]
    load = os.getloadavg()[0]
    print(f"{os.cpu_count()} cores, load average {load:.1f} before the run; median / worst over {args.reps} runs\n")
    if args.only != "browser":
        results = {name: server_side(root, args.reps) for name, root in trees}
        kinds = list(dict.fromkeys(k for r in results.values() for k in r))
        cols = [(n, ph) for n, _ in trees for ph in ("idle", "busy")]
        width = max(map(len, kinds))
        print("server side (AppTest): wall median / worst, CPU median".ljust(width))
        print(" " * width + "".join(f" | {f'{n}, {ph}':<36}" for n, ph in cols))
        for kind in kinds:
            print(kind.ljust(width) + "".join(f" | {median_max(results[n].get(kind, {}).get(ph, [])):<36}" for n, ph in cols))
        print()
    if args.only != "server":
        results = {name: browser_side(root, args.reps, args.port) for name, root in trees}
        kinds = list(dict.fromkeys(k for r in results.values() for k in r))
        width = max(map(len, kinds))
        print("browser (Chromium): median / worst".ljust(width) + "".join(f" | {n:<17}" for n, _ in trees))
        for kind in kinds:
            print(kind.ljust(width) + "".join(f" | {median_max(results[n].get(kind, [])):<17}" for n, _ in trees))
    return 0


if __name__ == "__main__":
    with contextlib.suppress(KeyboardInterrupt):
        sys.exit(main())
