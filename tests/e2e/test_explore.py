"""Exploring the app in a browser: what is drawn, where it is drawn, what reaches the URL, what is refused, what it costs.

Graphs are read from their frames (vis-network's `nodes` DataSet and `network`), errors and warnings
from Streamlit's alert elements. The screenshots land in tests/artifacts/ for a person to look at.
"""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
import time
import urllib.parse
import urllib.request

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import ARTIFACTS
from tests.e2e.harness import ROOT, free_port
from tests.e2e.test_browser import graph_frame, wait_ready

ERROR = '[data-testid="stAlertContentError"]'
WARNING = '[data-testid="stAlertContentWarning"]'
HELLO = "train_explore?source=text&text=hello%20world&k=2"
DESKTOP, PHONE = (1440, 900), (390, 844)
MARGIN_PX = 4  # a node centre may sit this far past its frame's edge (rounding, borders)

# Every node's centre and drawn box (ellipse and label), in the box's CSS pixels, and the part of the box
# the frame shows (a box taller than its frame is cut off at the frame's bottom).
NODE_PLACES = """() => {
  const box = document.getElementById('mynetwork');
  const top = box.getBoundingClientRect().top, left = box.getBoundingClientRect().left;
  const places = nodes.getIds().map(id => {
    const c = network.canvasToDOM(network.getPositions([id])[id]);
    const b = network.getBoundingBox(id);
    const lt = network.canvasToDOM({x: b.left, y: b.top}), rb = network.canvasToDOM({x: b.right, y: b.bottom});
    return {label: nodes.get(id).label, x: c.x, y: c.y, left: lt.x, top: lt.y, right: rb.x, bottom: rb.y};
  });
  return {width: Math.min(box.clientWidth, window.innerWidth - left),
          height: Math.min(box.clientHeight, window.innerHeight - top), places};
}"""

# The smallest node and edge label on screen: font size (vis defaults 20 / 15) times the view's zoom.
LABEL_PX = """() => {
  const scale = network.getScale();
  const px = (items, size) => Math.min(...items.map(x => ((x.font && x.font.size) || size) * scale));
  return {nodes: px(nodes.get(), 20), edges: px(edges.get(), 15), scale};
}"""


@pytest.fixture(scope="module", autouse=True)
def entry_page_first(browser, server):
    """Open the entry page once, as a first visitor would, before any deep link."""
    context = browser.new_context()
    page = context.new_page()
    page.set_default_timeout(120_000)
    page.goto(server)
    wait_ready(page)
    context.close()


def inside(x: float, y: float, width: float, height: float) -> bool:
    """Whether a point lies in a width x height frame, give or take MARGIN_PX."""
    return -MARGIN_PX <= x <= width + MARGIN_PX and -MARGIN_PX <= y <= height + MARGIN_PX


def visible_frames(page) -> list:
    """The graph frames shown on screen (hidden tabs keep theirs mounted but zero-sized), once drawn."""
    frames = []
    for i in range(page.locator("iframe").count()):
        handle = page.locator("iframe").nth(i)
        if handle.is_visible():
            frames.append(graph_frame(page, i))
    return frames


def caption(page) -> str:
    """The training caption: '<n> parameters · V = … · loss a → b bits per token'."""
    texts = [t for t in page.locator('[data-testid="stCaptionContainer"]').all_inner_texts() if "parameters · V =" in t]
    assert len(texts) == 1, f"one training caption on the page, found {texts}"
    return texts[0]


def open_expander(page, label: str):
    expander = page.locator('[data-testid="stExpander"]').filter(has=page.get_by_text(label, exact=True))
    if expander.locator("details").get_attribute("open") is None:
        expander.locator("summary").click()


def test_text_mode_draws_every_state_the_text_visits(page, server):
    page.goto(f"{server}/{HELLO}")
    wait_ready(page)
    frame = graph_frame(page)
    labels = frame.evaluate("() => nodes.get().map(n => n.label)")
    assert len(labels) <= 40, f"a focused view draws at most 40 of the 64 states, drew {len(labels)}"
    visited = {"he", "el", "ll", "lo", "o\u2423", "\u2423w", "wo", "or", "rl"}  # states followed by a symbol in the text
    assert visited <= set(labels), f"states of 'hello world' missing from the graph: {sorted(visited - set(labels))}"


@pytest.mark.parametrize(
    "path, tabs, counts",
    [
        ("train_explore?k=3", ["Graph", "Lengths 1..3"], [[8], [14]]),
        ("compare", ["Equal bits", "Side by side"], [[16], [8, 16]]),
    ],
    ids=["train_explore", "compare"],
)
def test_every_node_lies_inside_its_visible_frame(page, server, path, tabs, counts):
    """A graph shown by switching tabs is refitted to its frame: no node off screen or cut by the frame's edge."""
    page.goto(f"{server}/{path}")
    wait_ready(page)
    for tab, expected in zip(tabs, counts, strict=True):
        page.get_by_role("tab", name=tab).click()
        page.wait_for_timeout(500)  # the click's rerun starts: only the open tab is drawn, so its graphs come with it
        wait_ready(page)
        for _ in range(60):  # a first training behind the tab can take a while
            if sum(page.locator("iframe").nth(i).is_visible() for i in range(page.locator("iframe").count())) >= len(expected):
                break
            page.wait_for_timeout(500)
        page.wait_for_timeout(800)  # the frame's ResizeObserver refits once the tab gives it a size
        frames = visible_frames(page)
        assert [f.evaluate("() => nodes.length") for f in frames] == expected, f"{tab}: graphs of {expected} states"
        for n, frame in enumerate(frames):
            got = frame.evaluate(NODE_PLACES)
            w, h = got["width"], got["height"]
            assert w > 100 and h > 100, f"{tab}, graph {n}: the frame is shown ({w}x{h} px)"
            centres = [(p["label"], round(p["x"]), round(p["y"])) for p in got["places"] if not inside(p["x"], p["y"], w, h)]
            assert not centres, f"{tab}, graph {n}: node centres outside the {w}x{h} px frame: {centres}"
            cut = [
                (p["label"], [round(p[side]) for side in ("left", "top", "right", "bottom")])
                for p in got["places"]
                if not (inside(p["left"], p["top"], w, h) and inside(p["right"], p["bottom"], w, h))
            ]
            assert not cut, f"{tab}, graph {n}: nodes cut by the {w}x{h} px frame (left, top, right, bottom): {cut}"


def test_clicked_source_and_seed_reach_the_url(page, server):
    """Controls changed by hand after switching the source are in the URL, and the URL reopens the same run."""
    page.goto(f"{server}/train_explore")
    wait_ready(page)
    page.get_by_role("radiogroup", name="Training sequence").get_by_text("text", exact=True).click()
    page.get_by_label("Text (each distinct character is a token)").wait_for()
    wait_ready(page)
    open_expander(page, "Training")
    seed = page.get_by_label("seed", exact=True)
    seed.fill("7")
    seed.press("Enter")
    page.wait_for_timeout(500)
    wait_ready(page)
    shown = caption(page)
    with contextlib.suppress(Exception):  # the URL catches up after the run; the assert below says what it holds
        page.wait_for_function("() => new URLSearchParams(location.search).get('seed') === '7'", timeout=5_000)
    params = urllib.parse.parse_qs(urllib.parse.urlparse(page.url).query)
    assert params.get("source") == ["text"] and params.get("seed") == ["7"], f"the URL keeps source and seed: {page.url}"

    again = page.context.new_page()
    again.goto(page.url)
    wait_ready(again)
    assert caption(again) == shown, "the copied URL reopens the same training"
    open_expander(again, "Training")
    expect(again.get_by_label("seed", exact=True)).to_have_value("7", timeout=15_000)  # and shows the same seed


def test_out_of_range_number_is_named_and_hides_old_results(page, server):
    page.goto(f"{server}/train_explore?V=0")  # from the address: named above the page, the default drawn
    wait_ready(page)
    notice = page.locator(WARNING).filter(has_text="Ignored in the address")
    assert "V=0" in notice.inner_text(), notice.inner_text()
    page.locator("iframe").first.wait_for(state="attached", timeout=60_000)  # the default's graph (a run may follow)
    box = page.get_by_label("Vocabulary size V (tokens 0..V-1)")
    box.fill("0")  # typed: said next to the box, and no result from an earlier value stays
    box.press("Enter")
    page.locator(ERROR).first.wait_for(timeout=60_000)
    wait_ready(page)
    error = page.locator(ERROR).first
    assert error.is_visible(), "the refusal is on the page, not only on hover"
    assert "= 0 is outside 2..10" in error.inner_text(), f"names the value and the range: {error.inner_text()!r}"
    assert page.locator("iframe").count() == 0, "no graph from an earlier value"
    assert page.locator('[data-testid="stDataFrame"]').count() == 0, "no table from an earlier value"


def test_overlong_paste_is_refused_and_kept_in_its_box(page, server):
    page.goto(f"{server}/train_explore?source=text")
    wait_ready(page)
    box = page.get_by_label("Text (each distinct character is a token)")
    box.fill("ab" * 10_000)
    box.press("Control+Enter")
    error = page.locator(ERROR).filter(has_text="the limit is 5,000").first  # beside the box and where the results would be
    error.wait_for(timeout=60_000)
    wait_ready(page)
    assert error.is_visible(), "the refusal is on the page"
    assert len(box.input_value()) == 20_000, "the pasted text stays in its box, uncut"


def test_invalid_address_parameters_are_named(page, server):
    page.goto(f"{server}/train_explore?k=abc&colour=blue")
    wait_ready(page)
    warning = page.locator(WARNING).filter(has_text="Ignored in the address")
    assert warning.is_visible(), "a visible warning says what the address asked for and did not get"
    text = warning.inner_text()
    assert "k=abc" in text and "colour=blue" in text, f"names each ignored parameter: {text!r}"


def test_phone_overview_labels_are_at_least_11_px(page, server):
    page.set_viewport_size({"width": PHONE[0], "height": PHONE[1]})
    page.goto(server)
    wait_ready(page)
    frame = graph_frame(page)
    page.wait_for_timeout(800)  # the refit after the frame got its size
    px = frame.evaluate(LABEL_PX)
    assert px["nodes"] >= 11, f"node labels are {px['nodes']:.1f} px on a phone (zoom {px['scale']:.2f})"
    assert px["edges"] >= 11, f"arrow labels are {px['edges']:.1f} px on a phone (zoom {px['scale']:.2f})"


def cpu_ticks(pid: int) -> int:
    """utime + stime of a process and of its descendants (live ones and those it has waited for)."""
    children = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as f:
                    fields = f.read().rsplit(")", 1)[1].split()
            except OSError:
                continue
            children.setdefault(int(fields[1]), []).append(int(entry))

    def own(p: int) -> int:
        try:
            with open(f"/proc/{p}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()  # fields[0] is the state (field 3)
        except OSError:
            return 0
        return sum(int(x) for x in fields[11:15])  # utime, stime, cutime, cstime

    total, todo = 0, [pid]
    while todo:
        p = todo.pop()
        total += own(p)
        todo.extend(children.get(p, []))
    return total


def test_idle_connected_tab_keeps_the_server_idle(browser):
    """`streamlit run app.py` with the repository's config (no file watcher) and one idle tab uses under 5% of a core."""
    port = free_port()
    cmd = [sys.executable, "-m", "streamlit", "run", "app.py", "--server.port", str(port), "--server.headless", "true"]
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    context = browser.new_context()
    try:
        url = f"http://127.0.0.1:{port}"
        deadline = time.time() + 60
        while True:
            try:
                urllib.request.urlopen(f"{url}/_stcore/health", timeout=2).close()
                break
            except OSError:
                assert time.time() < deadline, "streamlit did not start within 60 s"
                time.sleep(0.3)
        page = context.new_page()
        page.set_default_timeout(120_000)
        page.goto(url)
        wait_ready(page)
        graph_frame(page)
        page.wait_for_timeout(3_000)
        before, t0 = cpu_ticks(proc.pid), time.monotonic()
        time.sleep(10)
        used = (cpu_ticks(proc.pid) - before) / os.sysconf("SC_CLK_TCK")
        seconds = time.monotonic() - t0
        assert used < 0.05 * seconds, f"an idle tab cost the server {used:.2f} s of CPU in {seconds:.1f} s"
    finally:
        context.close()
        proc.terminate()
        proc.wait(timeout=20)


SCREENS = {
    "overview": "",
    "state_space": "state_space",
    "train_explore": "train_explore",
    "compare": "compare",
    "real_text": "real_text",
    "text_models": "text_models",
    "text_hello_world": HELLO,
}


def full_height(page) -> int:
    """The height of everything on the page (the app scrolls inside its own container)."""
    return page.evaluate(
        """() => Math.max(document.documentElement.scrollHeight,
                ...[...document.querySelectorAll('[data-testid="stMain"], [data-testid="stAppViewContainer"], section')]
                   .map(e => e.scrollHeight))"""
    )


@pytest.mark.parametrize("name", SCREENS)
def test_screenshot_of_every_page_on_desktop_and_phone(page, server, name):
    """Every page renders without an exception; full-page pictures at 1440x900 and 390x844 for review."""
    page.set_viewport_size({"width": DESKTOP[0], "height": DESKTOP[1]})
    page.goto(f"{server}/{SCREENS[name]}")
    wait_ready(page)
    assert page.locator('[data-testid="stException"]').count() == 0, f"{name}: no exception"
    for i in range(page.locator("iframe").count()):  # graphs drawn before the picture is taken
        if page.locator("iframe").nth(i).is_visible():
            graph_frame(page, i)
    for size, (width, height) in (("desktop", DESKTOP), ("phone", PHONE)):  # the same page, narrowed: the layout follows
        tall = height
        for _ in range(4):  # charts and tables mount lazily as they come into view: grow until nothing more appears
            page.set_viewport_size({"width": width, "height": tall})
            page.wait_for_timeout(1_000)
            if full_height(page) <= tall:
                break
            tall = full_height(page)
        page.screenshot(path=str(ARTIFACTS / f"{name}_{size}.png"), full_page=True)
