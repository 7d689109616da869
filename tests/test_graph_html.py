import json
import re

import pytest

from core.babygpt.chain import empirical_counts, transition_graph
from core.babygpt.data import parse_text
from core.babygpt.states import visible
from core.babygpt.train import TrainConfig, train
from core.model import GPTConfig
from ui.graph import GRAPH_NODE_LIMIT, graph_html


def dataset(html: str, name: str) -> list[dict]:
    m = re.search(rf"{name} = new vis\.DataSet\((\[.*?\])\);", html, re.S)
    assert m, f"no {name} DataSet in the page"
    return json.loads(m.group(1))


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
    for tag in ("<img", "</script><script>alert", "onerror=alert"):
        assert tag not in html.replace(html[html.find("<script>") : html.find("</script>") + 9], ""), tag
    assert "<img src=x" not in html and "alert(1)</script>" not in html, "user text is escaped in the page"
    assert "popup.innerHTML" not in html, "tooltips stay plain text (pyvis's href mode is never enabled)"
    labels = {n["label"] for n in dataset(html, "nodes")}
    assert labels == {visible(c) for c in seq.itos}, "labels keep the user's characters (whitespace as marks), drawn as text"


def test_graph_limit():
    import numpy as np

    probs = np.full((512, 2), 0.5)
    with pytest.raises(ValueError, match="graph limit"):
        graph_html(transition_graph(probs, 2, 9))
    assert GRAPH_NODE_LIMIT == 256


def test_page_mode_loads_vis_from_the_app(article_run):
    from ui.assets import FILES, TARGET, ensure_static

    base = ensure_static()
    assert base == "app/static/vis/" and all((TARGET / f).stat().st_size > 10_000 for f in FILES)
    html = graph_html(transition_graph(article_run.snapshots[50], 2, 3), asset_base=base)
    standalone = graph_html(transition_graph(article_run.snapshots[50], 2, 3))
    assert '<script src="app/static/vis/vis-network.min.js"></script>' in html
    assert len(html) < 60_000 < 600_000 < len(standalone), "the page graph is small; the download is standalone"
    assert dataset(html, "nodes") == dataset(standalone, "nodes")


def test_graph_script_fits_the_frame_and_keeps_labels_legible(article_run):
    html = graph_html(transition_graph(article_run.snapshots[50], 2, 3))
    assert "new ResizeObserver(refit)" in html and "network.fit(" in html, "refits whenever the frame gets a size"
    assert "12 / (15 * scale)" in html, "fonts grow so that labels stay >= 12 px on screen"
