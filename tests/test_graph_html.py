import json
import re
from html.parser import HTMLParser

import numpy as np
import pytest

from core.babygpt import scene
from core.babygpt.chain import empirical_counts, transition_graph
from core.babygpt.data import parse_text
from core.babygpt.train import TrainConfig, train
from core.model import GPTConfig
from core.symbols import visible
from ui import graph, i18n
from ui.graph import graph_html

PAGE_TAGS = {"html", "head", "meta", "link", "script", "style", "center", "h1", "body", "div"}  # all a graph page holds
HOSTILE = "</script><img src=x onerror=alert(1)>\"'&amp; \u2028"


def dataset(html: str, name: str) -> list[dict]:
    m = re.search(rf"{name} = new vis\.DataSet\((\[.*?\])\);", html, re.S)
    assert m, f"no {name} DataSet in the page"
    return json.loads(m.group(1))


class Page(HTMLParser):
    """The page as a browser's tokenizer reads it: every start tag, and the text of every <script> and <style>."""

    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.tags, self.scripts, self.styles, self.text, self._in = [], [], [], [], None
        self.feed(html)
        self.close()

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        if tag in ("script", "style"):
            self._in = (self.scripts if tag == "script" else self.styles, [])

    def handle_endtag(self, tag):
        if tag in ("script", "style") and self._in:
            self._in[0].append("".join(self._in[1]))
            self._in = None

    def handle_data(self, data):
        (self._in[1] if self._in else self.text).append(data)


def touch_parts(html: str) -> tuple[str, dict]:
    """The touch script of a page and the button's texts as the browser's JavaScript reads them (one JSON value)."""
    scripts = Page(html).scripts
    given = [i for i, s in enumerate(scripts) if s.startswith("var PAN_ZOOM = ")]
    assert len(given) == 1, "the button's texts are given once"
    value = scripts[given[0]][len("var PAN_ZOOM = ") :]
    texts, end = json.JSONDecoder().raw_decode(value)
    assert value[end:] == ";", "one value, nothing after it"
    return scripts[given[0] + 1], texts


def small_graph():
    return transition_graph(np.full((8, 2), 0.5), 2, 3)


def test_article_graph_html_has_8_nodes_16_edges(article_run, article_sequence):
    counts = empirical_counts(article_sequence.tokens, 2, 3)
    html = graph_html(transition_graph(article_run.snapshots[50], 2, 3, counts=counts))
    nodes, edges = dataset(html, "nodes"), dataset(html, "edges")
    assert len(nodes) == 8 and len(edges) == 16
    assert sorted(n["label"] for n in nodes) == ["000", "001", "010", "011", "100", "101", "110", "111"]
    e = next(e for e in edges if e["from"] == 5 and e["to"] == 3)
    assert e["label"] == "1 (79%)\ndata 100%", "101 -> 011 labelled as in the notebook, the data's 2 of 2 beside it"
    loop = next(e for e in edges if e["from"] == 7 and e["to"] == 7)
    assert loop["label"] == "1 (45%)\ndata 50%", "111 -> 111: the data goes on with 1 in 3 of 6 cases"
    unseen = {n["label"] for n in nodes if n["color"]["background"] == "#E45756"}
    assert unseen == {"000", "001", "010", "100"}, "never-seen states are marked"
    assert all("data" not in e["label"] for e in edges if e["from"] in (0, 1, 2, 4)), "no data share on never-seen states"
    thick = {n["label"] for n in nodes if n["borderWidth"] == 4}
    assert thick == {"011", "101", "110"}, "deterministic in the data: 011 -> 1, 101 -> 1, 110 -> 1"


def test_no_request_to_other_hosts(article_run):
    html = graph_html(transition_graph(article_run.snapshots[0], 2, 3))
    tags = re.findall(r"<(?:script|link)\b[^>]*>", html, re.I)
    assert not [t for t in tags if re.search(r"(src|href)\s*=", t)], "every resource is inline"
    assert "vis.Network" in html and "bootstrap" not in html.lower()


@pytest.mark.parametrize("text", ["<img src=x onerror=alert(1)>", "</script><script>alert(1)</script>", "a href='x'"])
def test_user_text_is_never_markup(text):
    seq = parse_text(text)
    r = train(GPTConfig(vocab_size=seq.vocab, block_size=1), TrainConfig(steps=2), seq.tokens)
    html = graph_html(transition_graph(r.snapshots[2], seq.vocab, 1, seq.itos))
    page = Page(html)
    assert {tag for tag, _ in page.tags} <= PAGE_TAGS, "no element made of user text"
    assert len(page.scripts) == len(Page(graph_html(small_graph())).scripts), "no script cut short or added"
    for tag in ("<img", "</script><script>alert", "onerror=alert"):
        assert not [s for s in page.scripts if tag in s and "vis.Network" not in s], tag  # the library aside
    assert "<img src=x" not in html and "alert(1)</script>" not in html, "user text is escaped in the page"
    assert "popup.innerHTML" not in html, "tooltips stay plain text (pyvis's href mode is never enabled)"
    labels = {n["label"] for n in dataset(html, "nodes")}
    assert labels == {visible(c) for c in seq.itos}, "labels keep the user's characters (whitespace as marks), drawn as text"


def test_graph_limit():
    """The README's limits: graphs are drawn up to 256 states, a heatmap past that."""
    html = graph_html(transition_graph(np.full((256, 2), 0.5), 2, 8), asset_base="app/static/vis/")
    assert len(dataset(html, "nodes")) == 256 and len(dataset(html, "edges")) == 512, "256 states: every one drawn"
    nine = transition_graph(np.full((512, 2), 0.5), 2, 9)
    for g in (nine.subgraph(range(257)).copy(), nine):
        with pytest.raises(ValueError, match="graph limit"):
            graph_html(g)


def test_two_state_chain_by_hand():
    """V = 2, k = 1, symbols a b, data 'aab': a is seen (a -> a once, a -> b once), b never is.

    Labels 'token (p%)' with the data's share beside the seen state's arrows, widths 1 + 7p, colours by role.
    """
    seq = parse_text("aab")
    probs = np.array([[0.75, 0.25], [0.1, 0.9]])
    counts = empirical_counts(seq.tokens, 2, 1)
    html = graph_html(transition_graph(probs, 2, 1, seq.itos, counts))
    nodes = {n["label"]: n for n in dataset(html, "nodes")}
    edges = {(e["from"], e["to"]): e for e in dataset(html, "edges")}
    assert set(nodes) == {"a", "b"} and set(edges) == {(0, 0), (0, 1), (1, 0), (1, 1)}
    assert {k: e["label"] for k, e in edges.items()} == {
        (0, 0): "a (75%)\ndata 50%",
        (0, 1): "b (25%)\ndata 50%",
        (1, 0): "a (10%)",
        (1, 1): "b (90%)",
    }
    widths = {k: e["width"] for k, e in edges.items()}
    assert widths == pytest.approx({(0, 0): 6.25, (0, 1): 2.75, (1, 0): 1.7, (1, 1): 7.3})
    assert nodes["a"]["color"]["background"] == "#4C78A8" and nodes["b"]["color"]["background"] == "#E45756"
    assert not nodes["a"]["shapeProperties"]["borderDashes"] and nodes["b"]["shapeProperties"]["borderDashes"]
    assert nodes["a"]["borderWidth"] == nodes["b"]["borderWidth"] == 1, "a goes on two ways in the data: not deterministic"


def test_page_mode_loads_vis_from_the_app(article_run):
    from ui.assets import FILES, TARGET, ensure_static

    base = ensure_static()
    assert base == "app/static/vis/" and all((TARGET / f).stat().st_size > 10_000 for f in FILES)
    html = graph_html(transition_graph(article_run.snapshots[50], 2, 3), asset_base=base)
    standalone = graph_html(transition_graph(article_run.snapshots[50], 2, 3))
    assert '<script src="app/static/vis/vis-network.min.js"></script>' in html
    assert len(html) < 60_000 < 600_000 < len(standalone), "the page graph is small; the download is standalone"
    assert dataset(html, "nodes") == dataset(standalone, "nodes")


@pytest.mark.parametrize("asset_base", [None, "app/static/vis/"], ids=["standalone", "page"])
def test_touch_screens_scroll_the_page_over_the_graph(asset_base):
    """Still on a touch screen (the page pans over the canvas), a move-and-zoom button; with a mouse as before."""
    html = graph_html(small_graph(), asset_base=asset_base)
    page = Page(html)
    first = next(i for i, s in enumerate(page.scripts) if "var touchScroll" in s)
    build = next(i for i, s in enumerate(page.scripts) if "new vis.Network(" in s)
    assert first < build, "the pointer is known before the network is built"
    assert "matchMedia('(pointer: coarse)')" in page.scripts[first], "decided by the primary pointer"
    m = re.search(
        r"if \(touchScroll\) Object\.assign\(options\.interaction, (\{.*?\})\);\s*var network = new vis\.Network",
        page.scripts[build],
    )
    assert m and json.loads(m.group(1)) == {"dragView": False, "zoomView": False, "dragNodes": False}, "built still"
    options = json.loads(re.search(r"var options = (\{.*?\});\n", page.scripts[build]).group(1))
    assert "dragView" not in options["interaction"], "with a mouse vis-network's own defaults: drag and zoom"
    style = "".join(page.styles)
    assert re.search(r"#mynetwork\.page-scrolls canvas \{touch-action: pan-x pan-y !important;\}", style)
    button = re.search(r"#mynetwork \.pan-zoom \{(.*?)\}", style, re.S).group(1)
    assert "position: absolute; top: 6px; right: 6px;" in button, "in the top-right corner"
    assert int(re.search(r"min-height: (\d+)px", button).group(1)) >= 40, "tall enough for a thumb"
    assert re.search(r"\.pan-zoom:focus-visible \{outline: 3px solid", style), "a visible focus ring"
    script, _ = touch_parts(html)
    assert "if (!touchScroll" in script, "nothing is added with a mouse"
    assert "network.setOptions({interaction: {dragView: on, zoomView: on, dragNodes: on}})" in script
    assert "classList.toggle('page-scrolls', !on)" in script, "moving: the canvas takes the touches again"


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_button_texts_in_the_callers_language_as_inert_text(lang):
    i18n.use(lang)
    try:
        html = graph_html(small_graph())
    finally:
        i18n.use("en")
    script, texts = touch_parts(html)
    book = i18n.catalogue(lang)
    assert texts == {"on": book["graph.pan_zoom"], "off": book["graph.pan_zoom_done"], "help": book["graph.pan_zoom_help"]}
    assert "button.textContent = on ? text.off : text.on;" in script and "button.title = text.help;" in script
    assert "innerHTML" not in script, "set as text, never parsed as markup"
    assert book["graph.pan_zoom"] not in "".join(Page(html).text), "not in the page's markup: only in the script"


def test_hostile_button_text_stays_a_string(monkeypatch):
    """A translation holding markup, quotes or a line separator is still one JavaScript string, shown as typed."""
    real, plain = graph.t, Page(graph_html(small_graph()))
    monkeypatch.setattr(graph, "t", lambda key, **kw: HOSTILE + key if key.startswith("graph.pan_zoom") else real(key, **kw))
    html = graph_html(small_graph())
    page = Page(html)
    assert [tag for tag, _ in page.tags] == [tag for tag, _ in plain.tags], "no element added, none cut short"
    assert len(page.scripts) == len(plain.scripts)
    _, texts = touch_parts(html)
    assert texts == {
        "on": HOSTILE + "graph.pan_zoom",
        "off": HOSTILE + "graph.pan_zoom_done",
        "help": HOSTILE + "graph.pan_zoom_help",
    }
    assert "</script><img" not in html and "onerror=alert" not in "".join(page.text)


def test_each_colour_means_one_thing():
    """Blue: seen; red, dashed: never seen; white, dashed: an end point outside the view (never a grey a paled state
    could be mistaken for)."""
    import networkx as nx

    g = nx.DiGraph()
    g.add_node(0, label="00", seen=True, visits=3, deterministic=False, end=False)
    g.add_node(1, label="01", seen=False, visits=0, deterministic=False, end=False)
    g.add_node(2, label="10", seen=True, visits=None, deterministic=False, end=True)
    g.add_edge(0, 1, label="1 (60%)", symbol="1", p=0.6)
    g.add_edge(1, 2, label="0 (70%)", symbol="0", p=0.7)
    nodes = {n["id"]: n for n in dataset(graph_html(g), "nodes")}
    assert [nodes[i]["color"]["background"] for i in range(3)] == [scene.SEEN_COLOR, scene.UNSEEN_COLOR, "#FFFFFF"]
    assert [nodes[i]["shapeProperties"]["borderDashes"] for i in range(3)] == [False, True, True]
    assert nodes[2]["font"]["color"] == "#333333", "a dark label on the white end point"
