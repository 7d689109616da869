"""The app on a 390x844 touch phone: a swipe over a graph scrolls the page, a button turns move-and-zoom on.

Touches are sent with CDP's Input.dispatchTouchEvent (real touch events, handled by Chromium as a finger's:
touch-action decides whether the page pans). Streamlit scrolls its main container, not the window, so "the
page's scroll" is the window's plus that container's. Screenshots land in tests/artifacts/phone_*.png.
"""

from __future__ import annotations

import pytest

from tests.e2e.conftest import ARTIFACTS
from tests.e2e.test_browser import graph_frame, wait_ready
from ui.i18n import catalogue

PHONE = {"width": 390, "height": 844}
EN = catalogue("en")

PAGE_SCROLL = """() => window.scrollY +
  [...document.querySelectorAll('[data-testid="stMain"], [data-testid="stAppViewContainer"]')]
  .reduce((n, e) => n + e.scrollTop, 0)"""
VIEW = "() => ({position: network.getViewPosition(), scale: network.getScale()})"
# vis-network keeps its interaction options on its interaction handler (no public getter)
INTERACTION = """() => { const o = network.interactionHandler.options;
  return {dragView: o.dragView, zoomView: o.zoomView, dragNodes: o.dragNodes,
          touchAction: getComputedStyle(document.querySelector('#mynetwork canvas')).touchAction}; }"""
BUTTON = """() => { const b = document.querySelector('#mynetwork button.pan-zoom');
  if (!b) return null;
  const r = b.getBoundingClientRect(), box = document.getElementById('mynetwork').getBoundingClientRect();
  return {text: b.textContent, title: b.title, pressed: b.getAttribute('aria-pressed'),
          top: r.top - box.top, right: box.right - r.right, width: r.width, height: r.height}; }"""
# Drawn node boxes that the button covers, in the box's CSS pixels
COVERED = """() => {
  const r = document.querySelector('#mynetwork button.pan-zoom').getBoundingClientRect();
  return nodes.getIds().filter(id => {
    const b = network.getBoundingBox(id);
    const lt = network.canvasToDOM({x: b.left, y: b.top}), rb = network.canvasToDOM({x: b.right, y: b.bottom});
    return lt.x < r.right && rb.x > r.left && lt.y < r.bottom && rb.y > r.top;
  }).map(id => nodes.get(id).label); }"""

# A plotly chart's tick labels: the y axis's with their left edge on the page, the x axis's texts
TICKS = """e => ({left: e.getBoundingClientRect().left,
  y: [...e.querySelectorAll('.yaxislayer-above .ytick text')].map(t => [t.textContent, t.getBoundingClientRect().left]),
  x: [...e.querySelectorAll('.xaxislayer-above .xtick text')].map(t => t.textContent)})"""


@pytest.fixture
def phone(browser, server):
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    context = browser.new_context(viewport=PHONE, has_touch=True, is_mobile=True, device_scale_factor=2)
    pg = context.new_page()
    pg.set_default_timeout(120_000)
    yield pg
    context.close()


def swipe(page, x: float, y: float, dy: float, steps: int = 12):
    """One finger from (x, y) to (x, y + dy), in the page's CSS pixels."""
    cdp = page.context.new_cdp_session(page)
    cdp.send("Input.dispatchTouchEvent", {"type": "touchStart", "touchPoints": [{"x": x, "y": y}]})
    for i in range(1, steps + 1):
        cdp.send("Input.dispatchTouchEvent", {"type": "touchMove", "touchPoints": [{"x": x, "y": y + dy * i / steps}]})
        page.wait_for_timeout(16)
    cdp.send("Input.dispatchTouchEvent", {"type": "touchEnd", "touchPoints": []})
    page.wait_for_timeout(600)  # any fling settles
    cdp.detach()


def overview_graph(page, server):
    """The overview's graph, its frame scrolled to near the top of the screen: (frame, its box on the page)."""
    page.goto(server)
    wait_ready(page)
    frame = graph_frame(page)
    page.locator("iframe").first.evaluate("e => e.scrollIntoView({block: 'start'})")
    page.evaluate("""() => document.querySelector('[data-testid="stMain"]').scrollBy(0, -80)""")
    page.wait_for_timeout(800)  # the refit after the frame got its size
    return frame, page.locator("iframe").first.bounding_box()


def test_phone_swipe_over_the_graph_scrolls_the_page(phone, server):
    frame, box = overview_graph(phone, server)
    x, y = box["x"] + box["width"] * 0.5, box["y"] + box["height"] * 0.75
    assert frame.evaluate(f"() => document.elementFromPoint({x - box['x']}, {y - box['y']}).tagName") == "CANVAS"
    assert frame.evaluate(INTERACTION) == {
        "dragView": False,
        "zoomView": False,
        "dragNodes": False,
        "touchAction": "pan-x pan-y",
    }, "on a touch screen the graph starts still and lets the browser pan the page"
    before, view = phone.evaluate(PAGE_SCROLL), frame.evaluate(VIEW)
    swipe(phone, x, y, -300)
    after = phone.evaluate(PAGE_SCROLL)
    assert after - before > 100, f"a swipe up over the graph scrolls the page down (scroll {before} -> {after})"
    assert frame.evaluate(VIEW) == view, "and leaves the drawing where it was"
    phone.screenshot(path=str(ARTIFACTS / "phone_overview_swiped.png"))


def test_phone_button_turns_move_and_zoom_on_and_off(phone, server):
    frame, box = overview_graph(phone, server)
    button = frame.evaluate(BUTTON)
    assert button is not None, "a touch screen gets the move-and-zoom button"
    assert button["text"] == EN["graph.pan_zoom"] and button["title"] == EN["graph.pan_zoom_help"]
    assert button["pressed"] == "false"
    assert button["height"] >= 40 and button["width"] >= 40, f"reachable with a thumb: {button}"
    assert button["top"] < 16 and button["right"] < 16, f"in the graph's top-right corner: {button}"
    assert button["width"] < box["width"] * 0.5, f"small: {button['width']:.0f} of {box['width']:.0f} px"
    assert frame.evaluate(COVERED) == [], "the button covers no node"
    frame.evaluate("() => document.querySelector('#mynetwork button.pan-zoom').focus()")
    ring = frame.evaluate("() => getComputedStyle(document.activeElement).outlineStyle")
    assert ring == "solid", "a focused button shows a ring"
    frame.evaluate("() => document.activeElement.blur()")
    phone.screenshot(path=str(ARTIFACTS / "phone_overview_graph.png"))

    frame.get_by_role("button", name=EN["graph.pan_zoom"]).tap()
    assert frame.evaluate(INTERACTION) == {"dragView": True, "zoomView": True, "dragNodes": True, "touchAction": "none"}
    pressed = frame.evaluate(BUTTON)
    assert pressed["text"] == EN["graph.pan_zoom_done"] and pressed["pressed"] == "true"
    assert pressed["top"] < 16 and pressed["right"] < 16 and pressed["width"] < box["width"] * 0.5, pressed
    phone.screenshot(path=str(ARTIFACTS / "phone_overview_move_and_zoom.png"))
    before, view = phone.evaluate(PAGE_SCROLL), frame.evaluate(VIEW)
    box = phone.locator("iframe").first.bounding_box()  # the tap may have scrolled the button into view
    x, y = box["x"] + box["width"] * 0.5, box["y"] + box["height"] * 0.5  # the circle's empty centre: no node to drag
    assert frame.evaluate(f"() => network.getNodeAt({{x: {x - box['x']}, y: {y - box['y']}}})") is None
    swipe(phone, x, y, -150)
    assert frame.evaluate(VIEW)["position"] != view["position"], "now a swipe moves the drawing"
    assert abs(phone.evaluate(PAGE_SCROLL) - before) < 5, "and not the page"

    frame.get_by_role("button", name=EN["graph.pan_zoom_done"]).tap()
    assert frame.evaluate(INTERACTION)["dragView"] is False, "pressed again: the page scrolls over the graph again"
    assert frame.evaluate(BUTTON)["text"] == EN["graph.pan_zoom"]


def test_desktop_graph_is_unchanged(browser, server):
    """With a mouse (fine pointer) there is no button and the drawing moves and zooms as before."""
    context = browser.new_context(viewport={"width": 1440, "height": 900})
    page = context.new_page()
    page.set_default_timeout(120_000)
    try:
        page.goto(server)
        wait_ready(page)
        frame = graph_frame(page)
        assert frame.evaluate(BUTTON) is None
        assert frame.evaluate(INTERACTION) == {"dragView": True, "zoomView": True, "dragNodes": True, "touchAction": "none"}
    finally:
        context.close()


def full_height(page) -> int:
    return page.evaluate(
        """() => Math.max(document.documentElement.scrollHeight,
                ...[...document.querySelectorAll('[data-testid="stMain"], [data-testid="stAppViewContainer"]')]
                   .map(e => e.scrollHeight))"""
    )


@pytest.mark.parametrize("name, path", [("overview", ""), ("state_space", "state_space")])
def test_phone_screenshots(phone, server, name, path):
    """What a 390x844 phone shows: the first screen, and the whole page (the viewport grown to its height)."""
    phone.goto(f"{server}/{path}")
    wait_ready(phone)
    assert phone.locator('[data-testid="stException"]').count() == 0, f"{name}: no exception"
    if name == "overview":
        graph_frame(phone)
    phone.wait_for_timeout(1_000)
    phone.screenshot(path=str(ARTIFACTS / f"phone_{name}.png"))
    if name == "state_space":  # the home-computer chart, names on the y axis
        phone.goto(f"{server}/state_space?ss_tab=machines")
        wait_ready(phone)
        chart = phone.locator('[data-testid="stPlotlyChart"]').last
        chart.scroll_into_view_if_needed()
        phone.wait_for_timeout(1_000)
        chart.screenshot(path=str(ARTIFACTS / "phone_state_space_machines.png"))
        got = chart.evaluate(TICKS)
        names = [n.strip() for n, _left in got["y"]]
        assert "Llama 3.1" in names and "GPT-4 (32K)" in names, f"model names in full: {names}"
        cut = [n for n, left in got["y"] if left < got["left"] - 1]  # 1 px: text boxes round
        assert not cut, f"names cut by the chart's left edge at {got['left']:.0f} px: {got['y']}"
        assert all(x == "1" or x.startswith("10") for x in got["x"]), f"powers of ten only on the log axis: {got['x']}"
    tall = PHONE["height"]
    for _ in range(4):  # charts and tables mount lazily as they come into view
        phone.set_viewport_size({"width": PHONE["width"], "height": tall})
        phone.wait_for_timeout(1_000)
        if full_height(phone) <= tall:
            break
        tall = full_height(phone)
    phone.screenshot(path=str(ARTIFACTS / f"phone_{name}_full.png"), full_page=True)


TABS_SHOWN = """() => [...document.querySelectorAll('[data-testid="stTab"]')].map(t => {
  const r = t.getBoundingClientRect(), p = t.querySelector('p');
  return {name: t.innerText, inside: r.left >= 0 && r.right <= window.innerWidth, whole: p.scrollWidth <= p.clientWidth + 1};
})"""


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_every_tab_is_reachable_and_named_in_full_on_a_phone(browser, server, lang):
    context = browser.new_context(viewport=PHONE, has_touch=True, is_mobile=True)
    page = context.new_page()
    page.set_default_timeout(60_000)
    try:
        page.goto(f"{server}/train_explore?lang={lang}")
        wait_ready(page)
        tabs = page.evaluate(TABS_SHOWN)
        assert len(tabs) == 6, tabs
        assert all(t["inside"] and t["whole"] for t in tabs), tabs
        page.screenshot(path=str(ARTIFACTS / f"phone_tabs_{lang}.png"))
    finally:
        context.close()


LABEL_WHOLE = """(text) => {
  const p = [...document.querySelectorAll('[data-testid="stCheckbox"] p')].find(e => e.innerText === text);
  if (!p) return null;
  p.scrollIntoView({block: 'center'});
  const range = document.createRange(); range.selectNodeContents(p);
  const r = range.getBoundingClientRect(), y = (r.top + r.bottom) / 2;
  const hit = (x) => { const e = document.elementFromPoint(x, y); return !!e && p.contains(e); };
  return {left: hit(r.left + 2), right: hit(r.right - 2), width: r.width}; }"""


@pytest.mark.parametrize("size", [PHONE, {"width": 1440, "height": 900}], ids=["phone", "desktop"])
def test_the_bias_label_is_not_cut(browser, server, size):
    context = browser.new_context(viewport=size)
    page = context.new_page()
    page.set_default_timeout(60_000)
    try:
        page.goto(f"{server}/train_explore")
        wait_ready(page)
        page.get_by_text(EN["inputs.shape"], exact=True).click()
        page.wait_for_timeout(500)
        shown = page.evaluate(LABEL_WHOLE, EN["inputs.bias"])
        assert shown and shown["left"] and shown["right"], f"the label's last letters are drawn, not clipped: {shown}"
    finally:
        context.close()
