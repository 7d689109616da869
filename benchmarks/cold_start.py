"""Cold start: seconds from `streamlit run` to the overview's graph drawn in a real browser.

Usage: python benchmarks/cold_start.py [--runs 3] [--warm] [--before]

The server is `streamlit run serve.py` (app.py as an st.App whose lifespan does the start-up work before the
health check answers); --before also runs `streamlit run app.py` (no start-up work) and prints the two side by side.

Each run starts a fresh server process with an empty result store of its own ($BABYGPT_STORE in a
new temporary directory; --warm fills it first with scripts/warm.py, untimed, as the image's build
does). The browser is up before the server starts, then polls the health endpoint, opens the
overview page and waits until the vis-network graph has drawn its nodes. A second browser session
then opens the same page on the now warm server. Prints one table of medians over the runs.

What it measures is the first visitor's wait on a new server (a new container, a restarted process).
Not the Python files' first read from disk: the operating system caches them after the first run.
"""

from __future__ import annotations

import argparse
import os
import pathlib
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1]))

from playwright.sync_api import sync_playwright  # noqa: E402

from tests.e2e.harness import CHROMIUM, CHROMIUM_ARGS, ROOT, free_port  # noqa: E402

READY = '[data-testid="stApp"][data-test-script-state="notRunning"]'
DRAWN = "() => typeof network !== 'undefined' && nodes.length > 0"


def serve(port: int, store: str, script: str = "serve.py") -> subprocess.Popen:
    cmd = [sys.executable, "-m", "streamlit", "run", script, f"--server.port={port}", "--server.address=127.0.0.1"]
    cmd += ["--server.headless=true", "--server.fileWatcherType=none", "--browser.gatherUsageStats=false"]
    env = {**os.environ, "BABYGPT_STORE": store}
    return subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def wait_healthy(url: str, proc: subprocess.Popen, timeout: float = 120) -> None:
    deadline = time.perf_counter() + timeout
    while time.perf_counter() < deadline:
        assert proc.poll() is None, "the server exited"
        try:
            with urllib.request.urlopen(url, timeout=2) as r:
                if r.status == 200:
                    return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError(f"no healthy answer in {timeout} s")


def visit(browser, url: str) -> tuple[float, float]:
    """(seconds until the script run is over, seconds until the graph has drawn) for one new session."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    t = time.perf_counter()
    page.goto(url)
    page.wait_for_selector(READY, timeout=300_000)
    script = time.perf_counter() - t
    page.wait_for_selector("iframe", state="attached", timeout=300_000)
    frame = page.locator("iframe").first.element_handle().content_frame()
    frame.wait_for_function(DRAWN, timeout=300_000)
    drawn = time.perf_counter() - t
    context.close()
    return script, drawn


def one_run(browser, warm: bool, script: str = "serve.py") -> dict[str, float]:
    with tempfile.TemporaryDirectory(prefix="babygpt-store-") as store:
        if warm:
            subprocess.run([sys.executable, "scripts/warm.py", "--store", store], cwd=ROOT, check=True, capture_output=True)
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        t0 = time.perf_counter()
        proc = serve(port, store, script)
        try:
            wait_healthy(f"{base}/_stcore/health", proc)
            healthy = time.perf_counter() - t0
            script, drawn = visit(browser, base)
            first = time.perf_counter() - t0
            _, second = visit(browser, base)
        finally:
            proc.terminate()
            proc.wait(timeout=30)
    return {"healthy": healthy, "script": healthy + script, "drawn": first, "first_visit": drawn, "second_visit": second}


def main(runs: int, warm: bool, before: bool) -> int:
    load_before = os.getloadavg()[0]
    scripts = ("app.py", "serve.py") if before else ("serve.py",)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        results = {s: [] for s in scripts}
        for _ in range(runs):  # interleaved, so a busy moment of the machine falls on both
            for s in scripts:
                results[s].append(one_run(browser, warm, s))
        browser.close()

    def med(key: str) -> str:
        cells = []
        for s in scripts:
            values = [r[key] for r in results[s]]
            cells.append(f"{statistics.median(values):.2f} s (runs: {', '.join(f'{v:.2f}' for v in values)})".ljust(36))
        return "  ".join(cells)

    rows = [
        ("server", "  ".join(f"streamlit run {s}".ljust(36) for s in scripts)),
        ("machine", f"{os.cpu_count()} cores, load average {load_before:.1f} before the runs"),
        ("result store", "filled by scripts/warm.py before start" if warm else "empty (a new temporary directory per run)"),
        ("server start -> health endpoint answers", med("healthy")),
        ("server start -> overview script run over", med("script")),
        ("server start -> overview graph drawn (cold start)", med("drawn")),
        ("first visit alone: page opened -> graph drawn", med("first_visit")),
        ("second visit, warm server: page opened -> graph drawn", med("second_visit")),
    ]
    width = max(len(r[0]) for r in rows)
    for name, value in rows:
        print(f"{name.ljust(width)}  {value}")
    return 0


if __name__ == "__main__":
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--warm", action="store_true", help="fill the store with scripts/warm.py before each start (untimed)")
    ap.add_argument("--before", action="store_true", help="also `streamlit run app.py`, without the start-up work")
    args = ap.parse_args()
    sys.exit(main(args.runs, args.warm, args.before))
