"""The graph renderer: a chain's networkx graph -> a standalone HTML page drawn by vis-network.

What it is: `rings` (the states' places, from `core.babygpt.scene`: one ring per width-to-height ratio),
`node_style` / `edge_style` (colours, widths, labels, arrows' tooltips), `scene_data` (what `ui/graph.js` reads:
the states, the arrows' numbers and the rules that label and size them, the rings, the texts) and the page itself
(`chain_page`): pyvis renders the page's own template, `ui/graph.html`, with vis-network's data and options, and
the template includes the scripts and styles from their files (`graph.js`/`.css`, `touch.js`/`.css`, and the
player's `play.js`/`.css` when `ui.player` gives it a payload).
`ui/graph.js` fits the ring that draws the labels largest, answers a state asked about (hover, tap, keyboard) and
keeps the chain's table for screen readers; `frame_of` reads the frame height the page asks for. It knows nothing
about streamlit, so the same HTML is shown in the page and offered as a download. Charts live in `ui/charts.py`.

Touch screens: vis-network takes every touch on its canvas (CSS `touch-action: none`), so on a phone a swipe over a
graph would drag the drawing and the page could not be scrolled past it. Where the primary pointer is coarse, the
graph starts still (no dragging, zooming or moving nodes; the canvas lets the browser pan the page), and a small
button in its top-right corner (`ui/touch.js`) turns "move and zoom" on and off. With a mouse nothing changes.

Safety: every user symbol reaches the page as data, never as markup. Node and edge data are embedded with jinja's
`tojson` (which escapes <, >, &, '), the scene, the button's texts and the player's payload as JSON with <, >, &
escaped; labels are drawn on a canvas, the panel and the table are written with `textContent`, and tooltips are
plain text (vis-network shows a string title with `innerText`).

No request leaves the app's host: vis-network is either inlined (a standalone file, ~700 kB) or loaded from
`asset_base` (~20 kB per graph; the app serves the library itself, see `ui/assets.py`).
"""

from __future__ import annotations

import json
import pathlib
import re
import unicodedata

import networkx as nx
import pyvis
from pyvis.network import Network

from core.babygpt import scene
from core.babygpt.chain import ARROW_LABEL
from core.babygpt.limits import GRAPH_NODE_LIMIT
from ui.i18n import lang, t

BOW = 0.15  # how far an arrow bows (vis-network's roundness): two arrows between the same states bow apart more
UI = pathlib.Path(__file__).parent  # graph.html (the page), graph.js / graph.css, touch.js / touch.css, play.js / play.css
PYVIS_TEMPLATES = pathlib.Path(pyvis.__file__).parent / "templates"  # vis-network's files, inlined in a standalone page
SCENE_TEXTS = (
    "state", "deterministic", "why", "why_link", "arrow", "keys", "graph", "stays", "outside", "first", "caption",
    "caption_plain", "col_state", "col_seen", "col_arrows",
)  # fmt: skip
SLOTS = {name: "{" + name + "}" for name in ("label", "n", "sym", "to", "pct", "step", "T")}  # filled in by ui/graph.js


def says(d: dict) -> str:
    """What a state's panel and table say of it in the data: an end point, never seen, seen (n times)."""
    if d.get("end"):
        return t("graph.end")
    if not d["seen"]:
        return t("graph.never")
    return t("graph.seen") if d.get("visits") is None else t("graph.visits", n=d["visits"])


def _chars(text: str) -> int:
    """How many monospace cells a label takes: a wide (CJK) character takes two."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _order(g: nx.DiGraph) -> list[int]:
    return list(g.graph.get("circle_order") or list(g.nodes))


def _shape(g: nx.DiGraph) -> tuple[int, int, tuple[int, ...]]:
    """States, the widest label's monospace cells, the positions (in circle order) of the states with a self-loop."""
    order = _order(g)
    chars = max((_chars(g.nodes[s]["label"]) for s in order), default=1)
    return len(order), chars, tuple(i for i, s in enumerate(order) if g.has_edge(s, s))


def rings(g: nx.DiGraph) -> tuple[scene.Ring, ...]:
    """The graph's states on one ring per ratio (`core.babygpt.scene`), in its circle_order (de Bruijn for a whole chain)."""
    n, chars, loops = _shape(g)
    return scene.layouts(n, chars, loops, scene.labels_by_default(g.number_of_edges()))


_FRAME = re.compile(r'<meta name="frame-height" content="(\d+)">')


def frame_of(html: str) -> int:
    """The height (px) a graph's page asks of the frame it is shown in (`frame_height`, written in its <head>)."""
    m = _FRAME.search(html)
    return int(m.group(1)) if m else 600


def frame_height(g: nx.DiGraph) -> int:
    """The frame's height (px) that keeps every label legible on a phone (`core.babygpt.scene.frame_height`)."""
    n, chars, loops = _shape(g)
    return scene.frame_height(n, chars, loops, scene.labels_by_default(g.number_of_edges()))


def look_of(d: dict) -> scene.StateLook:
    """A drawn state's look (`core.babygpt.scene.state_look`) from its node data."""
    return scene.state_look(bool(d["seen"]), bool(d.get("end")), bool(d.get("deterministic")))


def arrow_of(d: dict, labelled: bool) -> scene.ArrowLook:
    """A drawn arrow's look (`core.babygpt.scene.arrow_look`) from its edge data."""
    return scene.arrow_look(d["label"], d["p"], d.get("data_p"), labelled)


def data_line(look: scene.ArrowLook) -> str:
    """The data's share written under an arrow's label ('data 50%'), or ''."""
    return "" if look.data is None else t("graph.data_share", p=look.data * 100)


def node_style(node: int, d: dict, pos: dict) -> dict:
    """vis-network options of one state: colour by seen / never seen / end point, thick border if deterministic.

    Hovered or selected, a state keeps its colour and label (the page's script draws the focus as an orange border).
    """
    look = look_of(d)
    same = {"background": look.background, "border": look.border}
    return dict(
        label=d["label"],
        color={**same, "highlight": same, "hover": same},
        borderWidth=look.border_width,
        borderWidthSelected=scene.FOCUS_BORDER,
        shapeProperties={"borderDashes": look.dashed, "borderRadius": 6},
        shape="box",
        margin=scene.BOX_MARGIN,
        font={"color": look.text, "size": scene.NODE_FONT, "face": "monospace"},
        **({"x": pos[node][0], "y": pos[node][1]} if node in pos else {}),
    )


def edge_style(g: nx.DiGraph, u: int, v: int, d: dict, loops: dict, labelled: bool) -> dict:
    """vis-network options of one arrow: width by probability, label 't (p%)' (when labelled), loops pointing outwards."""
    loop = {}
    if u == v and u in loops:
        loop = {"selfReference": {"angle": loops[u], "size": scene.LOOP_SIZE, "renderBehindTheNode": True}}
    data_p, look = d.get("data_p"), arrow_of(d, labelled)
    return dict(
        label=look.label + ("\n" + data_line(look) if look.label and look.data is not None else ""),
        title=f"{g.nodes[u]['label']} -> {g.nodes[v]['label']}: P({d['symbol']}) = {d['p']:.5f}"
        + ("" if data_p is None else t("graph.data_p", p=data_p)),
        width=look.width,
        color={"color": scene.EDGE_COLOR, "highlight": scene.EDGE_LIT, "hover": scene.EDGE_LIT},
        arrows={"to": {"enabled": True, "scaleFactor": scene.arrow_head(labelled)}},
        font={"size": scene.edge_font(labelled), "align": "horizontal", "background": "rgba(255,255,255,0.85)"},
        smooth={"type": "curvedCW", "roundness": BOW},
        **loop,
    )


def scene_data(g: nx.DiGraph, drawn: tuple[scene.Ring, ...], explain: dict | None = None) -> dict:
    """What ui/graph.js reads: the states in ring order, every arrow's numbers, the rings, the texts."""
    order = _order(g)
    labelled = scene.labels_by_default(g.number_of_edges())
    nodes = []
    for s in order:
        d, look = g.nodes[s], look_of(g.nodes[s])
        nodes.append(
            {
                "id": int(s), "label": d["label"], "seen": bool(d["seen"]), "end": bool(d.get("end")),
                "visits": d.get("visits"), "deterministic": bool(d.get("deterministic")),
                "color": {"background": look.background, "border": look.border},
                "borderWidth": look.border_width, "says": says(d),
            }
        )  # fmt: skip
    edges = []
    for i, (u, v, d) in enumerate(g.edges(data=True)):
        look = arrow_of(d, True)  # every arrow's whole label: the page shows it when the arrow is labelled or in focus
        edges.append({"id": f"e{i}", "from": int(u), "to": int(v), "sym": d["symbol"], "pct": look.pct, "data": data_line(look)})
    text = {key: t(f"graph.{key}", **SLOTS) for key in SCENE_TEXTS}
    return {
        "nodes": nodes,
        "edges": edges,
        "index": {str(s): i for i, s in enumerate(order)},
        "rings": [
            {
                "ratio": r.ratio,
                "width": r.width,
                "height": r.height,
                "pos": [list(p) for p in r.positions],
                "loops": list(r.loops),
            }
            for r in drawn
        ],
        "labelAll": labelled,
        "nodeFont": scene.NODE_FONT,
        "edgeFont": scene.edge_font(labelled),
        "smallest": min(scene.NODE_FONT, scene.edge_font(labelled)),
        "minPx": scene.MIN_LABEL_PX,
        "loop": scene.LOOP_SIZE,
        "bow": BOW,
        "width": [scene.edge_width(0, labelled), scene.edge_width(1, labelled) - scene.edge_width(0, labelled)],  # a + b p
        "arrowLabel": ARROW_LABEL,
        "colours": {
            "focus": scene.FOCUS_COLOR,
            "edge": {"color": scene.EDGE_COLOR, "highlight": scene.EDGE_LIT, "hover": scene.EDGE_LIT},
            "palest": scene.PALEST,
        },
        "labelHeight": scene.LOOP_LABEL[1],
        "boxHeight": scene.BOX_HEIGHT,
        "shortArrow": 2 * (scene.LOOP_LABEL[0] + 40),  # canvas units: shorter arrows bow clear of their states
        "bowRoom": [scene.BOW_LABEL_ROOM, scene.BOW_BOX_ROOM, scene.MOST_BOW],
        "marks": {"focus": scene.FOCUS_BORDER, "walk": scene.WALK_BORDER, "wider": scene.WALK_WIDER, "least": scene.WALK_LEAST},
        "start": int(order[0]) if order else None,
        "step": g.graph.get("step"),
        "T": g.graph.get("temperature", 1.0),
        "explain": explain,
        "text": text,
    }


def chain_page(g: nx.DiGraph, height: int, asset_base: str | None, explain: dict | None = None, play: dict | None = None) -> str:
    """The chain's page (see graph_html); `play`: the player's payload (`ui.player`), drawn below the graph."""
    if g.number_of_nodes() > GRAPH_NODE_LIMIT:
        raise ValueError(f"{g.number_of_nodes()} states is past the graph limit of {GRAPH_NODE_LIMIT}")
    net = Network(height=f"{height}px", width="100%", directed=True, bgcolor="#ffffff")
    drawn = rings(g)
    first = next(r for r in drawn if r.ratio == 1.0)
    order = _order(g)
    pos = dict(zip(order, first.positions, strict=True))
    loops = {s: a for s, a in zip(order, first.loops, strict=True) if a is not None}
    labelled = scene.labels_by_default(g.number_of_edges())
    for node in order:
        net.add_node(int(node), **node_style(node, g.nodes[node], pos))
    for i, (u, v, d) in enumerate(g.edges(data=True)):
        net.add_edge(int(u), int(v), id=f"e{i}", **edge_style(g, u, v, d, loops, labelled))
    options = {"physics": {"enabled": False}, "interaction": {"hover": True, "navigationButtons": False, "tooltipDelay": 150}}
    net.set_options(json.dumps(options))
    # pyvis renders our page (ui/graph.html) with vis-network's data and options; the rest is ours, as JSON values.
    net.set_template_dir([str(UI), str(PYVIS_TEMPLATES)], "graph.html")
    pan_zoom = {"on": t("graph.pan_zoom"), "off": t("graph.pan_zoom_done"), "help": t("graph.pan_zoom_help")}
    net.templateEnv.globals.update(
        lang=lang(), frame_height=frame_height(g), asset_base=asset_base, scene=_json(scene_data(g, drawn, explain)),
        pan_zoom=_json(pan_zoom), play=_json(play) if play is not None else None,
    )  # fmt: skip
    return net.generate_html(notebook=False)


def graph_html(g: nx.DiGraph, height: int = 560, asset_base: str | None = None, explain: dict | None = None) -> str:
    """An HTML page drawing the chain: edge labels 't (p%)', width by probability.

    Nodes never seen in the data are drawn red with a dashed border. asset_base None:
    vis-network inlined (opens offline), the box `height` px tall; else the URL folder holding
    vis-network.min.js and vis-network.css, and the box fills the frame the page shows it in.
    explain: where a never-seen state's panel links to ({"page", "tab": [key, value], "state": key}), or None.
    """
    return chain_page(g, height, asset_base, explain)


def _json(value) -> str:
    """A JSON value that is safe inside a <script> element: no <, >, & in it (strings keep every character)."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
