"""The player's payload: every frame's numbers against the model's own tables, the walk against the sampler, the bounds."""

import json
import re

import numpy as np
import pytest
import torch

from core.babygpt.chain import edge_label, empirical_counts, transition_graph
from core.babygpt.data import parse_text, random_walk
from core.babygpt.focus import FULL_GRAPH_LIMIT, seen
from core.babygpt.play import MAX_PLAY_VALUES, certainty, frame_steps, loss_points, training_frames, walk_focus, walk_path
from core.babygpt.states import all_states
from tests.test_graph_html import Page
from ui.player import play_html, play_payload

HOSTILE = "</script><img src=x onerror=alert(1)>"


def arrows_of(g):
    return [(int(u), d["token"]) for u, _, d in g.edges(data=True)]


def payload_of(html: str) -> dict:
    (script,) = [s for s in Page(html).scripts if s.startswith("var PLAY = ")]
    return json.loads(script[len("var PLAY = ") : -1])


def test_every_snapshot_is_a_frame_with_the_models_probabilities(article_run):
    """51 frames, steps 0..50; each arrow's thousandths are the stored table's, the last frame's the model's own forward."""
    g = transition_graph(article_run.snapshots[50], 2, 3)
    arrows = arrows_of(g)
    frames = training_frames(article_run.snapshots, list(g.nodes), arrows)
    assert frames.steps == tuple(range(51)), "init to the last step, every stored snapshot"
    assert frames.probs.shape == (51, 16) and frames.sure.shape == (51, 8)
    for f, step in enumerate(frames.steps):
        table = article_run.snapshots[step]
        want = [table[s, t] for s, t in arrows]
        assert np.abs(frames.probs[f] / 1000 - want).max() <= 0.0005, f"step {step}: thousandths of the stored table"
    model = article_run.model  # a direct call: the trained model's last position on every full state
    with torch.no_grad():
        direct = torch.softmax(model(torch.tensor(all_states(2, 3))).double(), -1).numpy()  # (8, 2): the next token
    assert np.abs(frames.probs[-1] / 1000 - [direct[s, t] for s, t in arrows]).max() <= 0.0005 + 1e-9
    e = arrows.index((0b101, 1))
    assert frames.probs[-1][e] == 793 and frames.pct[-1][e] == 79, "101 -> 011: the article's 79%"
    assert 450 <= frames.probs[0][e] <= 560, "at init the arrows are near one half"


def test_labels_percent_is_the_graphs_label_at_every_step(article_run):
    """The whole percent a frame draws is what the static graph of that step writes ('1 (79%)'), however it rounds."""
    g = transition_graph(article_run.snapshots[50], 2, 3)
    frames = training_frames(article_run.snapshots, list(g.nodes), arrows_of(g))
    for f, step in enumerate(frames.steps):
        at = transition_graph(article_run.snapshots[step], 2, 3)
        labels = [d["label"] for _, _, d in at.edges(data=True)]
        assert [edge_label(d["symbol"], frames.pct[f][i] / 100) for i, (_, _, d) in enumerate(at.edges(data=True))] == labels


def test_frames_at_a_temperature_are_the_tempered_tables(article_run):
    """T = 2: p^(1/2) renormalised, by hand from the stored table."""
    g = transition_graph(article_run.snapshots[50], 2, 3)
    arrows = arrows_of(g)
    frames = training_frames(article_run.snapshots, list(g.nodes), arrows, temperature=2.0)
    table = article_run.snapshots[30]
    root = np.sqrt(table) / np.sqrt(table).sum(axis=1, keepdims=True)
    assert np.abs(frames.probs[30] / 1000 - [root[s, t] for s, t in arrows]).max() <= 0.0005


def test_certainty_by_hand():
    probs = np.array([[0.5, 0.5], [0.79, 0.21], [0.0, 1.0]])
    assert certainty(probs) == pytest.approx([0.0, 0.58, 1.0])
    assert certainty(np.array([[0.5, 0.25, 0.25]])) == pytest.approx([0.25]), "(0.5 - 1/3) / (2/3)"


def test_frames_are_bounded_and_keep_both_ends():
    assert frame_steps(list(range(51)), 16) == list(range(51)), "the article: 51 x 16 values, all kept"
    picked = frame_steps(list(range(51)), 1600)
    assert len(picked) * 1600 <= MAX_PLAY_VALUES and picked[0] == 0 and picked[-1] == 50
    assert frame_steps([0, 1, 2, 3, 4], 10, limit=30) == [0, 2, 4]
    assert frame_steps([0, 7], 10**6) == [0, 7], "never fewer than the two ends"
    assert len(loss_points([1.0] * 2001)) == 200 and loss_points([3.0, 2.0]) == [(0, 3.0), (1, 2.0)]


def test_the_walk_is_the_samplers_walk():
    """The same tokens as random_walk for the same seed; each state is the last k tokens, by hand."""
    seq = parse_text("hello world")
    rng = np.random.default_rng(3)
    probs = rng.dirichlet(np.ones(seq.vocab), size=seq.vocab**2)
    start = seq.tokens[:2]
    for seed in (0, 1, 12345):
        walk = walk_path(probs, 80, seed, start)
        assert walk.tokens == random_walk(probs, 80, seed, start), "the sampler's tokens"
        text = list(start) + list(walk.tokens)
        by_hand = [text[i] * seq.vocab + text[i + 1] for i in range(len(walk.tokens) + 1)]
        assert list(walk.states) == by_hand, "state i: the 2 tokens before token i"
    assert walk_path(probs, 80, 0, start) == walk_path(probs, 80, 0, start), "seeded: the same walk twice"
    focus = walk_focus(walk, seq.vocab**2)
    assert len(focus.nodes) <= FULL_GRAPH_LIMIT and focus.nodes[0] == walk.states[0]
    assert set(focus.nodes) <= set(walk.states) and len(set(focus.nodes)) == len(focus.nodes)


def test_page_carries_the_payload_once_as_inert_data(article_run, article_sequence):
    counts = empirical_counts(article_sequence.tokens, 2, 3)
    g = transition_graph(article_run.snapshots[50], 2, 3, counts=counts)
    frames = training_frames(article_run.snapshots, list(g.nodes), arrows_of(g))
    walk = walk_path(article_run.snapshots[50], 30, 0, (1, 1, 1))
    payload = play_payload(g, frames, 50, [(0, 1.0), (50, 0.9)], walk, ("0", "1"), "step")
    html = play_html(g, payload, asset_base="app/static/vis/")
    data = payload_of(html)
    assert data["training"]["probs"] == frames.probs.tolist() and data["training"]["start"] == 50
    edges = [e["id"] for e in json.loads(re.search(r"edges = new vis\.DataSet\((\[.*?\])\);", html, re.S).group(1))]
    assert edges == data["training"]["edges"] == [f"e{i}" for i in range(16)], "arrows in the page's order"
    (script,) = [s for s in Page(html).scripts if s.startswith("var SCENE = ")]
    arrows = json.loads(script[len("var SCENE = ") : -1])["edges"]
    assert [a["id"] for a in arrows] == edges, "the scene's arrows in the same order"
    assert {(a["from"], a["to"]): a["data"] for a in arrows}[(5, 3)] == "data 100%", "101 -> 011: the data's share"
    assert [a["pct"] for a in arrows] == frames.pct[-1].tolist(), "the drawn percent is the last frame's"
    assert data["walk"]["tokens"] == list(walk.tokens) and len(data["walk"]["edges"]) == 30
    taken = data["walk"]["edges"]
    ids = {(int(u), d["token"]): f"e{i}" for i, (u, _, d) in enumerate(g.edges(data=True))}
    assert taken == [ids[(s, t)] for s, t in zip(walk.states, walk.tokens, strict=False)], "each step's arrow"
    assert len(html) < 80_000, f"the article's playing page is {len(html):,} characters"


def test_hostile_symbols_stay_strings():
    seq = parse_text(HOSTILE)
    probs = np.full((seq.vocab, seq.vocab), 1 / seq.vocab)
    g = transition_graph(probs, seq.vocab, 1, seq.itos)
    walk = walk_path(probs, 20, 0, seq.tokens[:1])
    frames = training_frames({0: probs, 5: probs}, list(g.nodes), arrows_of(g))
    html = play_html(g, play_payload(g, frames, 5, [(0, 1.0)], walk, seq.itos, "step"))
    page = Page(html)
    assert {tag for tag, _ in page.tags} <= {"html", "head", "meta", "link", "script", "style", "center", "h1", "body", "div"}
    assert "<img src=x" not in html
    data = payload_of(html)
    assert "".join(data["walk"]["symbols"]) == "".join(seq.itos[t] for t in walk.tokens), "the walk's text as typed"
    assert "innerHTML" not in "".join(s for s in page.scripts if "PLAY" in s or "player" in s)


def test_largest_focused_view_stays_bounded():
    """64 symbols, k = 2: the seen view's 40 states; frames x arrows within MAX_PLAY_VALUES."""
    text = "".join(chr(48 + (i * 7 + i // 64) % 64) for i in range(600))
    seq = parse_text(text)
    V = seq.vocab
    rng = np.random.default_rng(0)
    snaps = {s: rng.dirichlet(np.ones(V), size=V**2) for s in range(0, 51)}
    counts = empirical_counts(seq.tokens, V, 2)
    focus = seen(snaps[50], counts, V, 2)
    g = transition_graph(snaps[50], V, 2, seq.itos, counts, focus=focus)
    frames = training_frames(snaps, list(g.nodes), arrows_of(g))
    assert frames.probs.size <= MAX_PLAY_VALUES and frames.steps[0] == 0 and frames.steps[-1] == 50


def test_the_played_loss_curve_is_the_training_in_bits(article_run):
    """The player's curve: the loss after s updates, s = 0..steps, in bits (nats / ln 2), thinned with its ends kept."""
    import math

    from core.babygpt.play import training_loss_points

    points = training_loss_points(article_run, limit=5)
    assert points[0] == (0, article_run.losses[0] / math.log(2)), "before the first update"
    assert points[-1] == (len(article_run.losses), article_run.final_loss / math.log(2)), "after the last"
    assert len(points) == 5
