"""First and second visits on a fresh server with an empty result store, measured in Chromium.

Usage: .venv/bin/python benchmarks/first_visit.py [--pages text_models,parallel]

Starts `streamlit run app.py` on a free port with a new empty store, opens the overview once (the server's first
page), then each page twice. Prints, per visit, the seconds from navigation to the page's answer drawn (the
container under its question holding text with numbers) and to the end of the page's run.
"""

from __future__ import annotations

import argparse
import os
import pathlib
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request

from playwright.sync_api import sync_playwright

ROOT = pathlib.Path(__file__).resolve().parents[1]
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"]
ANSWERED = "() => { const a = document.querySelector('.st-key-answer'); return a && /\\d/.test(a.innerText); }"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--pages", default="text_models,parallel,real_text,state_space")
    args = ap.parse_args()
    port, store = free_port(), tempfile.mkdtemp(prefix="babygpt-first-visit-")
    env = os.environ | {"BABYGPT_STORE": store}
    cmd = [sys.executable, "-m", "streamlit", "run", "app.py", f"--server.port={port}", "--server.headless=true"]
    server = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):
            try:
                urllib.request.urlopen(f"{base}/_stcore/health", timeout=1)
                break
            except OSError:
                time.sleep(0.2)
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
            page = browser.new_page(viewport={"width": 1440, "height": 900})
            page.goto(base)
            page.wait_for_function(ANSWERED, timeout=300_000)
            print("| page | visit | answer drawn | run ended |\n|---|---|---|---|")
            for name in args.pages.split(","):
                for visit in ("first", "again"):
                    t0 = time.monotonic()
                    page.goto(f"{base}/{name}")
                    page.wait_for_function(ANSWERED, timeout=300_000)
                    drawn = time.monotonic() - t0
                    while page.locator('[data-testid="stStatusWidget"]').count():
                        time.sleep(0.05)
                    print(f"| {name} | {visit} | {drawn:.1f} s | {time.monotonic() - t0:.1f} s |", flush=True)
            browser.close()
    finally:
        server.terminate()
        server.wait(timeout=30)
    return 0


if __name__ == "__main__":
    sys.exit(main())
