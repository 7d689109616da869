"""The app behind nginx (deploy/start.sh 2): pages draw through the proxy, sessions stick to one process,
the largest upload and the longest link the app accepts get through.

Starts its own proxy and two app processes on free ports. Without nginx the tests are skipped on a
developer's machine and fail in CI (scripts/setup.sh dev installs it).
"""

from __future__ import annotations

import contextlib
import csv
import io
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from playwright.sync_api import expect

from core.babygpt.limits import MAX_SEQUENCE_LEN
from core.text.corpus import MAX_CORPUS_BYTES
from tests.e2e.harness import ROOT
from tests.e2e.test_browser import download, graph_counts, graph_frame, painted_pixels, wait_ready
from tests.e2e.test_real_text import upload

NGINX = shutil.which("nginx") or "/usr/sbin/nginx"


def free_ports(n: int) -> int:
    """The first of n consecutive ports that are free on 127.0.0.1."""
    for _ in range(200):
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            first = s.getsockname()[1]
        if first + n > 65535:
            continue
        try:
            socks = []
            for p in range(first, first + n):
                s = socket.socket()
                socks.append(s)
                s.bind(("127.0.0.1", p))
            return first
        except OSError:
            continue
        finally:
            for s in socks:
                s.close()
    raise RuntimeError(f"no {n} consecutive free ports")


def is_open(port: int) -> bool:
    with socket.socket() as s:
        return s.connect_ex(("127.0.0.1", port)) == 0


@contextlib.contextmanager
def deployed(processes: int = 2, env: dict | None = None):
    """deploy/start.sh N PORT on free ports (in `env`, else this process's; $PYTHON, else this Python): (base URL, its
    log directory, the app ports); stopped with SIGTERM afterwards, its ports closed and its folder removed."""
    if not os.path.exists(NGINX):
        if os.environ.get("CI"):
            pytest.fail(f"nginx not found at {NGINX}: scripts/setup.sh dev installs it")
        pytest.skip("nginx is not installed (apt-get install nginx)")
    port = free_ports(processes + 1)
    env = dict(os.environ if env is None else env)
    env.setdefault("PYTHON", sys.executable)  # the app processes run the tests' Python, as tests/e2e/harness.py's
    proc = subprocess.Popen(
        ["bash", "deploy/start.sh", str(processes), str(port), str(port + 1)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
        env=env,
    )
    lines: list[str] = []
    ready = threading.Event()

    def read():
        for line in proc.stdout:
            lines.append(line)
            if line.startswith("ready:"):
                ready.set()

    threading.Thread(target=read, daemon=True).start()
    if not ready.wait(timeout=180):
        os.killpg(proc.pid, signal.SIGKILL)
        pytest.fail("deploy/start.sh did not get ready in 180 s:\n" + "".join(lines))
    logs = Path(re.search(r"logs in (\S+)", lines[-1]).group(1))
    ports = tuple(range(port + 1, port + 1 + processes))
    try:
        yield f"http://127.0.0.1:{port}", logs, ports
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=60)
        finally:
            left = [p for p in (port, *ports) if is_open(p)]
            if left:
                os.killpg(proc.pid, signal.SIGKILL)
    assert not left, f"ports still open after deploy/start.sh stopped: {left}"
    assert not logs.exists(), "deploy/start.sh removes its temporary directory"


@pytest.fixture(scope="module")
def proxy():
    """deploy/start.sh 2 PORT: (base URL, its log directory, the app ports); stopped with SIGTERM afterwards."""
    with deployed(2) as running:
        yield running


def upstreams(logs: Path, route: str) -> set[str]:
    """The app processes that nginx sent the requests of one route cookie to (from its access log)."""
    found = set()
    for line in (logs / "access.log").read_text().splitlines():
        if f"route={route} " in line:
            found.add(line.rsplit("upstream=", 1)[1])
    return found


def get(url: str, cookie: str | None = None):
    req = urllib.request.Request(url, headers={"Cookie": f"babygpt_route={cookie}"} if cookie else {})
    with urllib.request.urlopen(req, timeout=10) as r:
        return r.status, r.read(), r.headers.get_all("Set-Cookie") or []


def test_health_through_the_proxy(proxy):
    base, _, _ = proxy
    status, body, cookies = get(f"{base}/_stcore/health")
    assert (status, body) == (200, b"ok"), "the health endpoint answers through nginx"
    assert any(c.startswith("babygpt_route=") for c in cookies), f"a first visit gets a route cookie: {cookies}"


def test_a_cookie_sticks_and_new_visitors_spread(proxy):
    base, logs, app_ports = proxy
    routes = []
    for _ in range(20):
        _, _, cookies = get(f"{base}/_stcore/health")
        routes.append(next(c for c in cookies if c.startswith("babygpt_route=")).split(";")[0].split("=")[1])
    for _ in range(10):
        status, _, cookies = get(f"{base}/_stcore/health", cookie=routes[0])
        assert status == 200 and not any(c.startswith("babygpt_route=") for c in cookies), "a known visitor gets no new cookie"
    assert len(upstreams(logs, routes[0])) == 1, "every request with one cookie reaches one process"
    spread = set().union(*(upstreams(logs, r) for r in routes))
    assert spread == {f"127.0.0.1:{p}" for p in app_ports}, f"20 new visitors all went to {spread}"


def test_pages_through_the_proxy(proxy, browser):
    base, logs, _ = proxy
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, accept_downloads=True)
    page = context.new_page()
    page.set_default_timeout(60_000)
    try:
        page.goto(base)
        wait_ready(page)
        frame = graph_frame(page)
        assert graph_counts(frame) == (8, 16), "the overview graph draws through the proxy"
        assert painted_pixels(frame) > 2000, "the canvas is not blank"
        assert "79%" in page.inner_text('[data-testid="stMain"]')

        page.goto(f"{base}/state_space?ss_tab=models")
        wait_ready(page)
        assert page.locator('[data-testid="stException"]').count() == 0
        rows = list(csv.DictReader(io.StringIO(download(page, "Presets (CSV)").decode())))
        assert len(rows) > 3, "a download (served by the session's own process) arrives through the proxy"

        route = next(c["value"] for c in context.cookies() if c["name"] == "babygpt_route")
        time.sleep(0.5)
        used = upstreams(logs, route)
        assert len(used) == 1, f"one browser session, one process: {used}"
    finally:
        context.close()


HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "strict-origin-when-cross-origin",
}


def test_security_headers_on_every_response(proxy):
    """The page, the health check, a static file and an error all carry the policy and the headers."""
    base, _, _ = proxy
    for path in ("/", "/_stcore/health", "/favicon.png", "/no/such/file.js"):
        try:
            with urllib.request.urlopen(f"{base}{path}", timeout=10) as r:
                headers = r.headers
        except urllib.error.HTTPError as e:
            headers = e.headers
        for name, value in HEADERS.items():
            assert headers.get(name) == value, (path, name, headers.get(name))
        csp = headers.get("Content-Security-Policy") or ""
        assert "frame-ancestors 'self'" in csp and "object-src 'none'" in csp and "default-src 'self'" in csp, (path, csp)
        assert "camera=()" in (headers.get("Permissions-Policy") or ""), path


def test_every_page_works_under_the_policy(proxy, browser):
    """No console message of a refused script, style, frame or connection on any page or graph tab, and the graphs draw."""
    base, _, _ = proxy
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    page.set_default_timeout(120_000)
    refused = []
    page.on("console", lambda m: refused.append(m.text[:300]) if "Content Security Policy" in m.text else None)
    try:
        for path in ("", "train_explore?tab=sample", "compare?c_tab=side", "real_text?rt_tab=chain", "text_models",
                     "parallel", "state_space?ss_tab=machines"):  # fmt: skip
            page.goto(f"{base}/{path}")
            wait_ready(page)
            assert page.locator('[data-testid="stException"]').count() == 0, path
            if page.locator("iframe").count():
                assert graph_counts(graph_frame(page))[0] > 0, f"{path}: the graph draws under the policy"
        page.wait_for_timeout(1_000)
        assert not refused, refused
    finally:
        context.close()


def statuses(logs: Path, route: str) -> list[tuple[str, int]]:
    """(request line, status) of every request nginx logged for one route cookie."""
    found = []
    for line in (logs / "access.log").read_text().splitlines():
        if f"route={route} " in line:
            request, status = re.match(r'.*?"(.*)" (\d{3}) \d+ route=', line).groups()
            found.append((request, int(status)))
    return found


def session_route(context) -> str:
    return next(c["value"] for c in context.cookies() if c["name"] == "babygpt_route")


def test_largest_upload_through_the_proxy(proxy, browser):
    """A .txt file of exactly MAX_CORPUS_BYTES passes nginx and is analysed whole."""
    base, logs, _ = proxy
    words = "the cat sat on the mat and the dog sat on the log\n"
    data = (words * (MAX_CORPUS_BYTES // len(words) + 1)).encode()[:MAX_CORPUS_BYTES]
    assert len(data) == MAX_CORPUS_BYTES
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    page.set_default_timeout(60_000)
    try:
        page.goto(f"{base}/real_text?rt_source=upload&rt_K=4")
        wait_ready(page)
        upload(page, "big.txt", data)
        main = page.locator('[data-testid="stMain"]')
        refused = page.locator('[data-testid="stFileChipIconError"]')  # the uploader's own error (a 413 from nginx)
        page.get_by_text(f"Alphabet: {len(set(words))} symbols").or_(refused).wait_for()
        assert refused.count() == 0, page.locator('[data-testid="stFileUploader"]').inner_text()
        page.locator('[data-testid="stPlotlyChart"]').first.wait_for()  # the sweep's charts
        wait_ready(page)
        assert page.locator('[data-testid="stAlertContentError"]').count() == 0
        assert page.locator('[data-testid="stException"]').count() == 0
        counts = re.search(r"([\d,]+) training symbols · ([\d,]+) held out", main.inner_text()).groups()
        train, heldout = (int(n.replace(",", "")) for n in counts)
        assert train + heldout == MAX_CORPUS_BYTES, "every byte of the file reached the app"
        uploads = [(r, s) for r, s in statuses(logs, session_route(context)) if r.startswith("PUT /_stcore/upload_file/")]
        assert [s for _, s in uploads] == [204], f"one upload, accepted: {uploads}"
    finally:
        context.close()


def test_longest_link_through_the_proxy(proxy, browser):
    """A shared Train & explore link with MAX_SEQUENCE_LEN 4-byte characters (12 bytes each in the address) opens and trains."""
    base, logs, _ = proxy
    text = ("𠮷😀𩸽" * MAX_SEQUENCE_LEN)[:MAX_SEQUENCE_LEN]  # two rare CJK characters and an emoji: 4 UTF-8 bytes each
    url = f"{base}/train_explore?source=text&text={urllib.parse.quote(text)}&k=3"
    assert len(urllib.parse.urlsplit(url).query) > 12 * MAX_SEQUENCE_LEN
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    page.set_default_timeout(60_000)
    try:
        response = page.goto(url)
        assert response.status == 200, f"nginx answered {response.status}"
        wait_ready(page)
        assert page.locator('[data-testid="stAlertContentError"]').count() == 0
        assert page.locator('[data-testid="stException"]').count() == 0
        # the box can get its value a moment after the run is over
        expect(page.get_by_label("Text (each distinct character is a token)")).to_have_value(text, timeout=15_000)
        trained = page.locator('[data-testid="stCaptionContainer"]').filter(has_text="parameters · V = 3 · k = 3 · 27 states")
        expect(trained).to_have_count(1)
        assert f"· {MAX_SEQUENCE_LEN - 3:,} examples ·" in trained.inner_text(), "trained on the whole text"
        assert graph_counts(graph_frame(page))[0] > 0
        assert urllib.parse.parse_qs(urllib.parse.urlsplit(page.url).query).get("text") == [text], "the address keeps the text"
        # Streamlit's client probes /train_explore/_stcore/... for a base path (404) before /_stcore/...
        refused = [(r[:60], s) for r, s in statuses(logs, session_route(context)) if s >= 400 and s != 404]
        assert not refused, f"requests of the page refused by nginx: {refused}"
    finally:
        context.close()


# Last in this module: the burst leaves this address's bucket nearly full for about 40 s (it drains 50 a second).
def test_one_address_past_the_request_limit_gets_a_message_not_a_blank_page(proxy):
    """More requests at once than the burst allows: the extra ones get 429 with a sentence in both languages; a moment
    later the same address is served again."""
    import concurrent.futures

    base, _, _ = proxy

    def fetch(_):
        try:
            with urllib.request.urlopen(f"{base}/_stcore/health", timeout=20) as r:
                return r.status, b""
        except urllib.error.HTTPError as e:
            return e.code, e.read()

    with concurrent.futures.ThreadPoolExecutor(64) as pool:
        answers = list(pool.map(fetch, range(2_600)))
    limited = [body for status, body in answers if status == 429]
    assert limited, "a burst past 2,000 requests from one address is limited"
    text = limited[0].decode()
    assert "Too many requests from your address" in text and "请求太多" in text, text
    time.sleep(2)
    assert fetch(0)[0] == 200, "the address is served again once the burst has drained"
