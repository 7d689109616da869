"""Load test: N browser sessions at once, each training a different configuration.

Usage: python benchmarks/load_test.py [--sessions 8] [--distinct 40]

1. Alone: a fresh server; each configuration opened by itself, one after another.
2. Under load: another fresh server, warmed up by one other configuration; all N sessions opened at once. Every session must show
   exactly the numbers it showed alone (every arrow's probability to 5 decimals and the loss),
   so nothing leaks between sessions through caches or torch's global generator. A probe asks
   the server's health endpoint every 100 ms meanwhile: its slowest answer is the responsiveness.
3. Memory: the same server then opens --distinct more configurations one by one; its resident
   memory is sampled along the way and must level off, because the caches are bounded.

Prints one table. Talks only to 127.0.0.1 and stops by itself.
"""

from __future__ import annotations

import argparse
import asyncio
import pathlib
import statistics
import sys
import time
import urllib.parse
import urllib.request

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1]))

from playwright.async_api import async_playwright  # noqa: E402

from tests.e2e.harness import CHROMIUM, CHROMIUM_ARGS, free_port, start_server  # noqa: E402

READ_NUMBERS = """() => {
  const f = document.querySelector('iframe');
  const edges = f && f.contentWindow.edges ? f.contentWindow.edges.get().map(e => e.title).sort() : [];
  const cap = [...document.querySelectorAll('[data-testid="stCaptionContainer"]')].map(c => c.innerText)[0] || '';
  return {edges, caption: cap};
}"""


def config(i: int) -> dict:
    """The i-th distinct configuration: different seeds, contexts and lengths."""
    return {"k": str(2 + i % 3), "seed": str(100 + i), "steps": str(300 + 10 * (i % 5)), "seq": "1101001110010111" * 4}


def rss_mb(pid: int, field: str = "VmRSS") -> float:
    for line in pathlib.Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024
    return float("nan")


async def open_session(browser, base: str, cfg: dict) -> tuple[float, dict]:
    context = await browser.new_context(viewport={"width": 1400, "height": 1000})
    page = await context.new_page()
    t = time.perf_counter()
    await page.goto(f"{base}/train_explore?{urllib.parse.urlencode(cfg)}")
    await page.wait_for_selector('[data-testid="stApp"][data-test-script-state="notRunning"]', timeout=180_000)
    await page.wait_for_function("() => { const f = document.querySelector('iframe'); return f && f.contentWindow.edges; }")
    seconds = time.perf_counter() - t
    numbers = await page.evaluate(READ_NUMBERS)
    await context.close()
    return seconds, numbers


PROBE = """
import sys, time, urllib.request
url, start, out = sys.argv[1], time.time(), []
while time.time() < start + float(sys.argv[2]):
    t = time.perf_counter()
    urllib.request.urlopen(url, timeout=60).read()
    out.append((time.time() - start, time.perf_counter() - t))
    time.sleep(0.1)
print(" ".join(f"{at:.2f}:{x:.4f}" for at, x in out))
"""


async def probe(base: str, seconds: float) -> list[tuple[float, float]]:
    """(seconds since start, latency) of health requests, from a separate process (not slowed by this one)."""
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-c", PROBE, f"{base}/_stcore/health", str(seconds), stdout=asyncio.subprocess.PIPE
    )
    out, _ = await proc.communicate()
    return [tuple(float(v) for v in pair.split(":")) for pair in out.decode().split()]


async def main(sessions: int, distinct: int) -> int:
    configs = [config(i) for i in range(sessions)]
    rows = []
    async with async_playwright() as p:
        browser = await p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)

        port = free_port()
        server = start_server(port)
        base = f"http://127.0.0.1:{port}"
        alone = [await open_session(browser, base, c) for c in configs]
        server.terminate()
        server.wait(timeout=20)

        port = free_port()
        server = start_server(port)
        base = f"http://127.0.0.1:{port}"
        await open_session(browser, base, config(10_000))  # warm-up: the first run imports torch & co.
        t = time.perf_counter()
        probe_task = asyncio.create_task(probe(base, seconds=1.0 * sum(s for s, _ in alone)))
        loaded = await asyncio.gather(*(open_session(browser, base, c) for c in configs))
        wall = time.perf_counter() - t
        latencies = await probe_task

        mismatches = [i for i in range(sessions) if alone[i][1] != loaded[i][1] or not alone[i][1]["edges"]]
        samples = []
        for i in range(sessions, sessions + distinct):
            await open_session(browser, base, config(i))
            if (i - sessions + 1) % 10 == 0:
                samples.append((i - sessions + 1, rss_mb(server.pid)))
        peak = rss_mb(server.pid, "VmHWM")
        server.terminate()
        server.wait(timeout=20)
        await browser.close()

    lat = [x for _, x in latencies]
    worst_at = max(latencies, key=lambda p: p[1])[0]
    a = [s for s, _ in alone]
    b = [s for s, _ in loaded]
    rows += [
        ("sessions at once", f"{sessions}"),
        ("time per session alone (median / max)", f"{statistics.median(a):.2f} s / {max(a):.2f} s"),
        ("time per session under load (median / max)", f"{statistics.median(b):.2f} s / {max(b):.2f} s"),
        ("all sessions under load, wall time", f"{wall:.2f} s (alone, one after another: {sum(a):.2f} s)"),
        ("sessions whose numbers differ from alone", f"{len(mismatches)} of {sessions}"),
        ("arrows compared, all sessions (P to 5 decimals)", f"{sum(len(n['edges']) for _, n in alone)}"),
        (
            "health probe during load (median / p95 / max)",
            f"{statistics.median(lat) * 1e3:.0f} / {statistics.quantiles(lat, n=20)[-1] * 1e3:.0f} / {max(lat) * 1e3:.0f} ms"
            f" (worst at {worst_at:.1f} s into the load)",
        ),
        ("server memory after N more configurations", ", ".join(f"{n}: {m:.0f} MB" for n, m in samples)),
        ("server peak memory (VmHWM)", f"{peak:.0f} MB"),
    ]
    width = max(len(r[0]) for r in rows)
    for name, value in rows:
        print(f"{name.ljust(width)}  {value}")
    return 1 if mismatches else 0


if __name__ == "__main__":
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sessions", type=int, default=8)
    ap.add_argument("--distinct", type=int, default=40)
    args = ap.parse_args()
    sys.exit(asyncio.run(main(args.sessions, args.distinct)))
