"""A chain's graph is legible at every size a page draws whole, and every learner can walk it.

Read from vis-network itself in Chromium (its positions, each state's box, each arrow label's box and the view's
zoom): no two states overlap, no arrow label lies on another label or on a state, every self-loop's far side is
outside its state, and no label is drawn under 12 px; at 1440x900 and at 390x844, in both languages. Then the
keyboard: Tab reaches the graph, the arrow keys walk the chain, Enter reads a state, Escape leaves; the chain as
a table, in step with the player; a never-seen state's panel links to the explanation.
"""

from __future__ import annotations

import urllib.parse

import pytest

from tests.e2e.conftest import ARTIFACTS
from tests.e2e.test_browser import graph_frame, wait_ready

DESKTOP, PHONE = (1440, 900), (390, 844)


def text_of(vocab: int) -> str:
    """A sequence of `vocab` symbols that visits many states (a de Bruijn-like walk over a..)."""
    symbols = "abcdefghijklmnopqrstuvwxyzABCDEF"[:vocab]
    return "".join(symbols[(i * i + i // vocab) % vocab] for i in range(min(4000, 6 * vocab * vocab)))


def config(vocab: int, k: int) -> str:
    if vocab == 2:
        return f"train_explore?k={k}"
    return f"train_explore?source=text&text={urllib.parse.quote(text_of(vocab))}&k={k}"


# Every shape of whole chain the pages draw (V^k <= 32): the article's V = 2 up to k = 5, then wider vocabularies.
CHAINS = [("overview", "")] + [(f"V2k{k}", config(2, k)) for k in (1, 2, 3, 4, 5)]
CHAINS += [("V3k2", config(3, 2)), ("V3k3", config(3, 3)), ("V4k2", config(4, 2)), ("V5k2", config(5, 2))]
CHAINS += [("V8k1", config(8, 1)), ("V32k1", config(32, 1)), ("compare_side", "compare?c_tab=side&c_kA=5&c_kB=4")]

# Overlaps and sizes, in screen pixels of the graph's frame (1 px of slack for anti-aliasing).
GEOMETRY = """() => {
  const inter = (a, b) => a.l < b.r - 1 && b.l < a.r - 1 && a.t < b.b - 1 && b.t < a.b - 1;
  const dom = (l, t, r, b) => { const p = network.canvasToDOM({x: l, y: t}), q = network.canvasToDOM({x: r, y: b});
                                return {l: p.x, t: p.y, r: q.x, b: q.y}; };
  const states = nodes.getIds().map(id => {
    const b = network.getBoundingBox(id);
    return Object.assign({label: nodes.get(id).label}, dom(b.left, b.top, b.right, b.bottom));
  });
  const labels = Object.values(network.body.edges)
    .filter(e => e.labelModule && e.labelModule.size.width > 0 && e.options.label)
    .map(e => {
      const z = e.labelModule.size, text = e.options.label.replace(/\\n/g, ' ');
      return Object.assign({label: text}, dom(z.left, z.top, z.left + z.width, z.top + z.height));
    });
  const overlaps = [];
  states.forEach((a, i) => states.slice(i + 1).forEach(b => { if (inter(a, b)) overlaps.push(['state', a.label, b.label]); }));
  labels.forEach((a, i) => {
    labels.slice(i + 1).forEach(b => { if (inter(a, b)) overlaps.push(['labels', a.label, b.label]); });
    states.forEach(s => { if (inter(a, s)) overlaps.push(['label on state', a.label, s.label]); });
  });
  const loops = Object.values(network.body.edges).filter(e => e.fromId === e.toId).map(e => {
    const n = network.body.nodes[e.fromId], [cx, cy, r] = e.edgeType._getCircleData();
    const a = e.options.selfReference.angle, far = {x: cx + r * Math.cos(a), y: cy - r * Math.sin(a)};
    const b = network.getBoundingBox(e.fromId);
    const outside = far.x < b.left || far.x > b.right || far.y < b.top || far.y > b.bottom;
    return {label: nodes.get(e.fromId).label, outside};
  });
  const scale = network.getScale(), box = document.getElementById('mynetwork');
  const fonts = nodes.get().map(x => x.font.size);
  if (labels.length) edges.get().filter(x => x.label).forEach(x => fonts.push(x.font.size));
  const W = box.clientWidth, H = box.clientHeight;
  const cut = states.filter(s => s.l < -1 || s.t < -1 || s.r > W + 1 || s.b > H + 1).map(s => s.label);
  const smallest = Math.min(...fonts) * scale;
  return {states: states.length, labels: labels.length, overlaps, loops, smallest, cut};
}"""


def open_graph(browser, server, address: str, size: tuple[int, int], lang: str):
    context = browser.new_context(viewport={"width": size[0], "height": size[1]})
    page = context.new_page()
    page.set_default_timeout(120_000)
    sep = "&" if "?" in address else "?"
    page.goto(f"{server}/{address}{sep}lang={lang}")
    wait_ready(page)
    graph_frame(page)
    page.wait_for_timeout(600)  # the first draws (a label that lands on a state bows away once drawn), a rerun if any
    wait_ready(page)
    frame = graph_frame(page)
    frame.wait_for_function("() => document.getElementById('mynetwork').dataset.scale !== undefined")
    return context, page, frame


@pytest.mark.parametrize("size", [DESKTOP, PHONE], ids=["1440", "390"])
@pytest.mark.parametrize("name,address", CHAINS, ids=[c[0] for c in CHAINS])
def test_every_whole_chain_is_legible(browser, server, name, address, size):
    langs = ("en", "zh") if name in ("overview", "V2k3", "V2k2") else ("en",)  # the labels that carry words
    for lang in langs:
        context, page, frame = open_graph(browser, server, address, size, lang)
        try:
            g = frame.evaluate(GEOMETRY)
            if lang == "en":
                frame.frame_element().screenshot(path=str(ARTIFACTS / f"graph_{name}_{size[0]}.png"))
        finally:
            context.close()
        assert g["states"] >= 2
        assert g["overlaps"] == [], (name, size, lang, g["overlaps"][:5])
        assert all(loop["outside"] for loop in g["loops"]), g["loops"]
        assert g["smallest"] >= 12 - 0.25, f"labels {g['smallest']:.1f} px"
        assert g["cut"] == [], "every state inside the frame"


def test_the_keyboard_walks_the_chain_and_a_table_follows_the_player(browser, server):
    context, page, frame = open_graph(browser, server, "", DESKTOP, "en")
    try:
        rows = frame.evaluate("() => [...document.querySelectorAll('#chain-table tbody tr')].map(r => r.innerText)")
        assert len(rows) == 8 and any(r.startswith("101") and "1 → 011: 79%" in r for r in rows), rows
        box = frame.locator("#mynetwork")
        for _ in range(60):  # the keyboard alone: Tab from the top of the page reaches the graph
            page.keyboard.press("Tab")
            if frame.evaluate("() => document.hasFocus() && document.activeElement.id === 'mynetwork'"):
                break
        assert frame.evaluate("() => document.activeElement.id") == "mynetwork", "Tab reaches the graph"
        first = frame.evaluate("() => chain.focus()")
        assert first is not None and frame.locator("#state-info").is_visible()
        label = frame.evaluate("() => chain.label(chain.focus())")
        page.keyboard.press("Enter")
        frame.wait_for_function("() => document.getElementById('chain-live').textContent.length > 0")
        said = frame.evaluate("() => document.getElementById('chain-live').textContent")
        assert said.startswith(f"State {label}") and "→" in said, said
        page.keyboard.press("ArrowDown")
        page.keyboard.press("ArrowRight")
        moved = frame.evaluate("() => chain.label(chain.focus())")
        assert moved != label or "stays" in frame.evaluate("() => document.getElementById('chain-live').textContent")
        page.keyboard.press("ArrowLeft")
        assert frame.evaluate("() => chain.label(chain.focus())") == label, "left goes back"
        # the player's step moves the table's numbers; the table says the step (the page is not handed the step here:
        # its rerun would draw a new frame before the live region could be read)
        frame.evaluate("() => { window.parent.babygptPlay = {}; }")
        frame.locator(".play-back").click()
        frame.wait_for_function("() => document.querySelector('#chain-table caption').textContent.includes('step 49')")
        page.wait_for_timeout(400)
        said = frame.evaluate("() => document.getElementById('chain-live').textContent")
        assert said.startswith("Step 49 of 50: loss ") and said.endswith("is in focus."), said
        box.focus()
        page.keyboard.press("Escape")
        assert frame.evaluate("() => chain.focus()") is None
        assert frame.evaluate("() => document.activeElement.id") != "mynetwork", "Escape leaves the graph"
    finally:
        context.close()


def test_a_never_seen_state_explains_itself_and_links_to_the_explanation(browser, server):
    context, page, frame = open_graph(browser, server, "", DESKTOP, "zh")
    try:
        frame.evaluate("() => { const id = SCENE.nodes.find(n => n.label === '010').id; network.selectNodes([id]); }")
        frame.evaluate("() => network.body.emitter.emit('click', {nodes: network.getSelectedNodes(), edges: []})")
        panel = frame.locator("#state-info")
        assert panel.is_visible()
        text = panel.inner_text()
        assert "状态 010" in text and "从未出现" in text and "0 → 100" in text and "1 → 101" in text, text
        href = frame.locator("#state-info a").get_attribute("href")
        query = urllib.parse.parse_qs(urllib.parse.urlparse(href).query)
        assert href.split("?")[0].endswith("/train_explore") and query["tab"] == ["unseen"] and query["unseen_state"] == ["010"]
        assert query.get("lang") == ["zh"], "the link keeps the language"
        colour = frame.evaluate("() => nodes.get(SCENE.nodes.find(n => n.label === '010').id).color")
        assert colour["highlight"] == colour["hover"] == {"background": colour["background"], "border": "#F58518"}
        assert colour["background"] != "#D2E5FF", "the selected state keeps its colour (vis would pale it), ringed orange"
        page.goto(href)
        wait_ready(page)
        assert page.locator('[role="tab"][aria-selected="true"]').inner_text() == "从未见过", "the Never seen tab is open"
        assert page.locator('[data-testid="stException"], [data-testid="stAlertContentError"]').count() == 0
        kept = urllib.parse.parse_qs(urllib.parse.urlparse(page.url).query)
        assert kept.get("unseen_state") == ["010"], "opened on 010 (not the default 000): the address keeps it"
    finally:
        context.close()
