"""Where the browser's time goes on a view change: Chromium's performance trace of Train & explore, summed by event.

Usage: python benchmarks/browser_trace.py [--port 8621] [--out trace.json]

Starts a server of this checkout (the store warmed with scripts/warm.py), opens Train & explore, then records
one Chromium trace (the devtools timeline categories) around each action: a slider notch (a new graph frame),
the Table tab, and back to the Graph tab. For each action prints the wall time until the new view is there and
the trace's heaviest events on the page's renderer threads (total milliseconds by event name; events nest, so
a parent's time includes its children's): script evaluation and compilation of the graph frame's vis-network,
HTML parsing of its srcdoc, layout, paint.
Talks only to 127.0.0.1 and stops by itself.
"""

from __future__ import annotations

import argparse
import collections
import json
import pathlib
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1]))

from bench_serve import FRESH_GRAPH, MARK, READY, healthy, serve  # noqa: E402
from playwright.sync_api import sync_playwright  # noqa: E402

from tests.e2e.harness import CHROMIUM, CHROMIUM_ARGS, ROOT  # noqa: E402

CATEGORIES = "devtools.timeline,v8,v8.execute,blink,disabled-by-default-devtools.timeline"
NAMES = (  # the events worth naming (devtools timeline), in the order they are printed when present
    "RunTask",
    "EvaluateScript",
    "v8.compile",
    "v8.run",
    "FunctionCall",
    "ParseHTML",
    "UpdateLayoutTree",
    "Layout",
    "PrePaint",
    "Paint",
    "MajorGC",
    "MinorGC",
    "HandlePostMessage",
)


def summarise(trace: dict) -> list[tuple[str, float, int]]:
    """(event name, total ms, count) over the renderer processes' complete events, heaviest first."""
    renderers = {
        e["pid"] for e in trace["traceEvents"] if e.get("name") == "process_name" and e["args"].get("name") == "Renderer"
    }
    total: dict[str, float] = collections.defaultdict(float)
    count: dict[str, int] = collections.Counter()
    for e in trace["traceEvents"]:
        if e.get("ph") == "X" and e.get("pid") in renderers and e.get("name") in NAMES:
            total[e["name"]] += e.get("dur", 0) / 1000
            count[e["name"]] += 1
    return sorted(((n, total[n], count[n]) for n in total), key=lambda r: -r[1])


def main(port: int, out: pathlib.Path | None) -> int:
    with tempfile.TemporaryDirectory(prefix="babygpt-trace-store-") as store, sync_playwright() as p:
        subprocess.run([sys.executable, "scripts/warm.py", "--store", store], cwd=ROOT, check=True, capture_output=True)
        proc = serve(ROOT, port, store)
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            base = f"http://127.0.0.1:{port}"
            healthy(f"{base}/_stcore/health", proc)
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            page.goto(f"{base}/train_explore")
            page.wait_for_function(FRESH_GRAPH, timeout=300_000)
            page.wait_for_selector(READY)
            time.sleep(1)

            def notch():
                page.evaluate(MARK)
                page.get_by_role("slider").first.press("ArrowLeft")
                page.wait_for_function(FRESH_GRAPH, timeout=60_000, polling=20)

            def table():
                page.get_by_role("tab", name="Table").click()
                page.wait_for_selector('[data-testid="stDataFrame"]', timeout=60_000)

            def graph():
                page.evaluate(MARK)
                page.get_by_role("tab", name="Graph").click()
                page.wait_for_function(FRESH_GRAPH, timeout=60_000, polling=20)

            for name, action in (("slider notch", notch), ("tab Graph to Table", table), ("tab Table to Graph", graph)):
                browser.start_tracing(page=page, categories=CATEGORIES.split(","))
                t0 = time.perf_counter()
                action()
                page.wait_for_selector(READY)
                seconds = time.perf_counter() - t0
                time.sleep(0.3)  # the last paint
                raw = browser.stop_tracing()
                trace = json.loads(raw)
                if out:
                    out.with_name(f"{out.stem}-{name.replace(' ', '_')}{out.suffix}").write_bytes(raw)
                print(f"{name}: {seconds:.2f} s to the new view")
                for event, ms, n in summarise(trace)[:10]:
                    print(f"  {event:<18} {ms:8.1f} ms  ({n} events)")
        finally:
            browser.close()
            proc.terminate()
            proc.wait(timeout=30)
    return 0


if __name__ == "__main__":
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--port", type=int, default=8621)
    ap.add_argument("--out", type=pathlib.Path, help="also write each trace (for chrome://tracing or Perfetto)")
    args = ap.parse_args()
    sys.exit(main(args.port, args.out))
