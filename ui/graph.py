"""The graph renderer: a chain's networkx graph -> a standalone pyvis HTML page.

What it is: three steps, each a function: `layout` (positions on a circle for small chains,
physics for larger ones), `node_style` / `edge_style` (colours, widths, labels, tooltips),
and `clean_html` (no outside requests, a view zoomed to keep self-loops in frame, touch
handling). It knows nothing about streamlit, so the same HTML is shown in the page and offered
as a download. Charts live in `ui/charts.py`.

Touch screens: vis-network takes every touch on its canvas (CSS `touch-action: none`), so on a
phone a swipe over a graph would drag the drawing and the page could not be scrolled past it.
Where the primary pointer is coarse, the graph starts still (no dragging, zooming or moving
nodes; the canvas lets the browser pan the page), and a small button in its top-right corner
turns "move and zoom" on and off. With a mouse nothing changes.

Safety: every user symbol reaches the page as data, never as markup. Node and edge data
are embedded with jinja's `tojson` (which escapes <, >, &, '), labels are drawn on a
canvas, and tooltips are plain text, shown by vis-network with `innerText`. pyvis switches
tooltips to `innerHTML` when any title contains the word "href", so that word is broken
with a zero-width space in titles.

No request leaves the app's host: the Bootstrap links pyvis's template always adds are
removed, and vis-network is either inlined (a standalone file, ~700 kB) or loaded from
`asset_base` (~20 kB per graph; the app serves the library itself, see `ui/assets.py`).
"""

from __future__ import annotations

import json
import math
import pathlib
import re

import networkx as nx
from pyvis.network import Network

from core.babygpt.play import TrainingFrames, Walk
from ui.i18n import t

GRAPH_NODE_LIMIT = 256  # past this many states a heatmap replaces the graph
HEATMAP_ROW_LIMIT = 4_096  # past this many states only the table is shown
CIRCLE_LIMIT = 32  # up to this many nodes sit on a circle; more are placed by physics
# Each colour means one thing on every page: blue seen, red never seen, white with a dashed border an end point
# outside the view (the player pales a state it is unsure of, never below 35% of its colour: still blue or red).
SEEN_COLOR, UNSEEN_COLOR, END_COLOR = "#4C78A8", "#E45756", "#FFFFFF"
MIN_LABEL_PX = 12  # on screen, after zoom: labels never shrink below this (phones included)

MAX_STRETCH = 1.6  # a circle layout becomes an ellipse up to this ratio, following its frame's shape

# Fit the drawing to its frame whenever the frame gets a size (a hidden tab shown, a resize,
# a phone), and keep every label at least MIN_LABEL_PX tall on screen by growing the fonts
# when the view is zoomed out. A circle layout is stretched to the frame's shape first (wide on
# a desktop, tall on a phone), which gives the labels that much more room.
_FIT_SCRIPT = """<script>
(function () {
  var box = document.getElementById('mynetwork');
  function stretch() {
    var w = box.clientWidth, h = box.clientHeight;
    var sx = Math.min(MAX_STRETCH, Math.max(1, w / h)), sy = Math.min(MAX_STRETCH, Math.max(1, h / w));
    nodes.get().forEach(function (n) { if (n.x !== undefined) network.moveNode(n.id, n.x * sx, n.y * sy); });
  }
  function refit() {
    if (typeof network === 'undefined' || !box.clientWidth || !box.clientHeight) return;
    stretch();
    network.fit({animation: false});
    var scale = network.getScale() * 0.88;
    network.moveTo({scale: scale});
    var grow = Math.max(1, MIN_PX / (15 * scale));
    if (Math.abs(grow - (box.dataset.grow || 1)) < 0.05) return;
    box.dataset.grow = grow;
    function sized(size) {
      return function (x) { return {id: x.id, font: Object.assign({}, x.font, {size: Math.round(size * grow)})}; };
    }
    nodes.update(nodes.get().map(sized(20)));
    edges.update(edges.get().map(sized(15)));
    stretch();
  }
  new ResizeObserver(refit).observe(box);
  if (typeof network !== 'undefined') network.once('stabilizationIterationsDone', refit);
})();
</script>""".replace("MIN_PX", str(MIN_LABEL_PX)).replace("MAX_STRETCH", str(MAX_STRETCH))

# Touch screens (see the module docstring). `touchScroll` is decided in the page's <head>, before the
# network is built, so that the network starts still; the button then switches the interaction with
# setOptions. The canvas's touch-action is set by a class with !important: hammer.js writes
# `touch-action: none` inline whenever vis rebinds it. The button's texts arrive as JSON strings
# (see _js_text) and are set with textContent: never parsed as markup.
_TOUCH_HEAD = (
    "<script>var touchScroll = !!(window.matchMedia ? matchMedia('(pointer: coarse)').matches : 'ontouchstart' in window);"
    "</script>"
)
_STILL = {"dragView": False, "zoomView": False, "dragNodes": False}
_TOUCH_STYLE = """<style>
#mynetwork.page-scrolls canvas {touch-action: pan-x pan-y !important;}
#mynetwork .pan-zoom {position: absolute; top: 6px; right: 6px; z-index: 5; box-sizing: border-box;
  min-height: 44px; min-width: 44px; max-width: 11em; padding: 4px 10px; margin: 0;
  font: 13px/1.15 system-ui, -apple-system, "Segoe UI", sans-serif; text-align: center; color: #1d2a3a;
  background: rgba(255, 255, 255, 0.94); border: 1px solid #8a96a3; border-radius: 8px;
  box-shadow: 0 1px 3px rgba(0, 0, 0, 0.2); cursor: pointer; touch-action: manipulation;
  -webkit-tap-highlight-color: transparent; user-select: none;}
#mynetwork .pan-zoom[aria-pressed="true"] {color: #ffffff; background: #3b6591; border-color: #24466b;}
#mynetwork .pan-zoom:focus-visible {outline: 3px solid #F58518; outline-offset: 2px;}
</style>"""
_TOUCH_SCRIPT = """<script>
(function () {
  if (!touchScroll || typeof network === 'undefined') return;
  var box = document.getElementById('mynetwork');
  var text = {on: PAN_ZOOM, off: PAN_ZOOM_DONE, help: PAN_ZOOM_HELP};
  var button = document.createElement('button');
  button.type = 'button';
  button.className = 'pan-zoom';
  button.title = text.help;
  function show(on) {
    box.classList.toggle('page-scrolls', !on);
    button.textContent = on ? text.off : text.on;
    button.setAttribute('aria-pressed', on ? 'true' : 'false');
  }
  button.addEventListener('click', function () {
    var on = button.getAttribute('aria-pressed') !== 'true';
    network.setOptions({interaction: {dragView: on, zoomView: on, dragNodes: on}});
    show(on);
  });
  show(false);  // the network was built still (see clean_html)
  box.appendChild(button);
})();
</script>"""
_PLACEHOLDER = re.compile(r"\bPAN_ZOOM(?:_DONE|_HELP)?\b")

# In a page the graph's box is its frame: as tall as the iframe the page gives it, edge to edge
# (pyvis's empty <center><h1> headings would push it down by ~21 px).
_FILL_FRAME = "<style>body {margin: 0;} center {display: none;} #mynetwork {height: 100vh; box-sizing: border-box;}</style>"

_CDN_TAG = re.compile(r"<(link|script)\b[^>]*\bhttps?://[^>]*>(\s*</script>)?|<!--\s*<link.*?-->", re.IGNORECASE | re.DOTALL)


def _js_text(text: str) -> str:
    """A JavaScript string literal of `text` that is safe inside a <script> element (no <, >, & in it)."""
    return json.dumps(text, ensure_ascii=False).replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def touch_script() -> str:
    """The touch handling's style and script, with the button's texts in the current language."""
    script = _PLACEHOLDER.sub(lambda m: _js_text(t(f"graph.{m.group(0).lower()}")), _TOUCH_SCRIPT)  # one pass
    return _TOUCH_STYLE + script


def _plain(text: str) -> str:
    """Tooltip text that pyvis will never switch to innerHTML (see the module docstring)."""
    return text.replace("href", "hr\u200bef")


def _circle(n: int, radius: float) -> list[tuple[float, float]]:
    return [
        (radius * math.cos(2 * math.pi * i / n - math.pi / 2), radius * math.sin(2 * math.pi * i / n - math.pi / 2))
        for i in range(n)
    ]


def layout(g: nx.DiGraph) -> dict[int, tuple[float, float]]:
    """Fixed positions on a circle in the graph's circle_order (like the notebook's 'circo'), or {} for physics."""
    n = g.number_of_nodes()
    if n > CIRCLE_LIMIT:
        return {}
    order = g.graph.get("circle_order", list(g.nodes))
    return dict(zip(order, _circle(n, 32 * max(n, 6)), strict=True))


def node_style(node: int, d: dict, pos: dict) -> dict:
    """vis-network options of one state: colour by seen / never seen / end point, thick border if deterministic."""
    visits = "" if d.get("visits") is None or not d["seen"] else "\n" + t("graph.visits", n=d["visits"])
    notes = "" if d["seen"] else "\n" + t("graph.never_seen")
    notes += "\n" + t("graph.deterministic") if d.get("deterministic") else ""
    notes += "\n" + t("graph.end") if d.get("end") else ""
    background = END_COLOR if d.get("end") else SEEN_COLOR if d["seen"] else UNSEEN_COLOR
    return dict(
        label=d["label"],
        title=_plain(t("graph.state", label=d["label"]) + visits + notes),
        color={"background": background, "border": "#111111" if d.get("deterministic") else "#333333"},  # (end: dashed)
        borderWidth=4 if d.get("deterministic") else 1,
        shapeProperties={"borderDashes": not d["seen"] or bool(d.get("end"))},
        shape="ellipse",
        font={"color": "#333333" if d.get("end") else "#ffffff", "size": 20, "face": "monospace"},
        **({"x": pos[node][0], "y": pos[node][1]} if node in pos else {}),
    )


def edge_style(g: nx.DiGraph, u: int, v: int, d: dict, pos: dict) -> dict:
    """vis-network options of one arrow: width by probability, label 't (p%)', self-loops pointing outwards."""
    loop = {}
    if u == v and u in pos:  # point the loop away from the circle's centre (vis measures angles with y up)
        loop = {"selfReference": {"angle": math.atan2(-pos[u][1], pos[u][0]), "size": 22, "renderBehindTheNode": True}}
    data_p = d.get("data_p")
    data = "" if not data_p else "\n" + t("graph.data_share", p=data_p * 100)  # the data's share where it goes
    return dict(
        label=d["label"] + data,
        title=_plain(
            f"{g.nodes[u]['label']} -> {g.nodes[v]['label']}: P({d['symbol']}) = {d['p']:.5f}"
            + ("" if data_p is None else t("graph.data_p", p=data_p))
        ),
        width=1 + 7 * d["p"],
        color="#888888",
        arrows="to",
        font={"size": 15, "align": "horizontal", "background": "rgba(255,255,255,0.8)"},
        smooth={"type": "curvedCW", "roundness": 0.15},
        **loop,
    )


def clean_html(html: str, asset_base: str | None) -> str:
    """pyvis's page without outside requests, zoomed out to keep self-loops in view, assets from the app, touch handling."""
    html = _CDN_TAG.sub("", html)
    # fit() frames the nodes only: zoom out a little so self-loops and their labels stay in view
    new_network = "network = new vis.Network(container, data, options);"
    still = f"if (touchScroll) Object.assign(options.interaction, {json.dumps(_STILL)}); "
    html = html.replace(new_network, still + new_network + " network.moveTo({scale: network.getScale() * 0.88});", 1)
    html = html.replace("<head>", "<head>" + _TOUCH_HEAD, 1)
    if asset_base is not None:
        local = (
            f'<link rel="stylesheet" href="{asset_base}vis-network.css"><script src="{asset_base}vis-network.min.js"></script>'
        )
        html = html.replace("</head>", _FILL_FRAME + "</head>", 1)
        html = html.replace("<head>", "<head>" + local, 1)
    return html.replace("</body>", _FIT_SCRIPT + touch_script() + "</body>", 1)


def _network(g: nx.DiGraph, height: int, asset_base: str | None, edge_ids: bool = False) -> str:
    if g.number_of_nodes() > GRAPH_NODE_LIMIT:
        raise ValueError(f"{g.number_of_nodes()} states is past the graph limit of {GRAPH_NODE_LIMIT}")
    net = Network(
        height=f"{height}px",
        width="100%",
        directed=True,
        cdn_resources="in_line" if asset_base is None else "remote",
        bgcolor="#ffffff",
    )
    pos = layout(g)
    for node, d in g.nodes(data=True):
        net.add_node(int(node), **node_style(node, d, pos))
    for i, (u, v, d) in enumerate(g.edges(data=True)):
        net.add_edge(int(u), int(v), **({"id": f"e{i}"} if edge_ids else {}), **edge_style(g, u, v, d, pos))
    options = {
        "physics": {"enabled": not pos, "stabilization": {"iterations": 200}},
        "interaction": {"hover": True, "navigationButtons": False},
        "edges": {"selfReference": {"size": 25, "angle": 0.8}},
    }
    net.set_options(json.dumps(options))
    return clean_html(net.generate_html(notebook=False), asset_base)


def graph_html(g: nx.DiGraph, height: int = 560, asset_base: str | None = None) -> str:
    """An HTML page drawing the chain: edge labels 't (p%)', width by probability.

    Nodes never seen in the data are drawn red with a dashed border. asset_base None:
    vis-network inlined (opens offline), the box `height` px tall; else the URL folder holding
    vis-network.min.js and vis-network.css, and the box fills the frame the page shows it in.
    """
    return _network(g, height, asset_base)


# The player (ui/play.js, ui/play.css): the frames' numbers travel once, as one JSON value in the page.
PLAY_JS = pathlib.Path(__file__).with_name("play.js")
PLAY_CSS = pathlib.Path(__file__).with_name("play.css")
PLAY_TEXTS = ("controls", "play", "pause", "back", "forward", "speed", "step", "token", "training", "walk", "not_drawn")


def _json(value) -> str:
    """A JSON value that is safe inside a <script> element: no <, >, & in it (strings keep every character)."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def play_payload(
    g: nx.DiGraph,
    frames: TrainingFrames | None = None,
    start_step: int | None = None,
    loss: list[tuple[int, float]] | None = None,
    walk: Walk | None = None,
    itos: tuple[str, ...] | None = None,
    channel: str | None = None,
) -> dict:
    """What ui/play.js reads: the drawn arrows and states in the page's order, a training's frames, a walk."""
    pos = layout(g)
    arrows = list(g.edges(data=True))
    slots = {name: "{" + name + "}" for name in ("step", "last", "i", "n")}  # filled in by the player
    payload: dict = {"channel": channel, "text": {key: t(f"play.{key}", **slots) for key in PLAY_TEXTS}}
    if frames is not None:
        nodes = []
        for node, d in g.nodes(data=True):
            style = node_style(node, d, pos)
            nodes.append({"id": int(node), "color": style["color"]["background"], "border": style["color"]["border"]})
        edges = [
            {"id": f"e{i}", "sym": d["symbol"], "data": edge_style(g, u, v, d, pos)["label"][len(d["label"]) :]}
            for i, (u, v, d) in enumerate(arrows)
        ]
        start = frames.steps.index(start_step) if start_step in frames.steps else len(frames.steps) - 1
        payload["training"] = {
            "steps": list(frames.steps),
            "probs": frames.probs.tolist(),
            "pct": frames.pct.tolist(),
            "sure": frames.sure.tolist(),
            "nodes": nodes,
            "edges": edges,
            "start": start,
            "loss": [[s, round(x, 3)] for s, x in loss or [(0, 0.0)]],
        }
    if walk is not None:
        ids = {(int(u), d["token"]): f"e{i}" for i, (u, _, d) in enumerate(arrows)}
        start_label = "".join(itos[t] for t in walk.start) if itos else "".join(map(str, walk.start))
        payload["walk"] = {
            "start": start_label,
            "tokens": list(walk.tokens),
            "states": list(walk.states),
            "edges": [ids.get((s, tok)) for s, tok in zip(walk.states, walk.tokens, strict=False)],
            "symbols": [itos[tok] if itos else str(tok) for tok in walk.tokens],
        }
    return payload


def play_html(g: nx.DiGraph, payload: dict, height: int = 560, asset_base: str | None = None) -> str:
    """The chain's page with the player below the graph: `payload` from `play_payload` (drawn in the browser)."""
    html = _network(g, height, asset_base, edge_ids=True)
    script = f"<style>{PLAY_CSS.read_text()}</style><script>var PLAY = {_json(payload)};</script>"
    script += f"<script>{PLAY_JS.read_text()}</script>"
    return html.replace("</body>", script + "</body>", 1)
