"""Focused views: which states each mode draws, on chains whose answer is known by hand."""

import numpy as np

from core.babygpt import focus
from core.babygpt.chain import empirical_counts, transition_graph
from core.babygpt.data import parse_text
from core.babygpt.states import label, state_index


def test_seen_view_of_hello_world_holds_every_seen_state():
    seq = parse_text("hello world")  # 8 symbols, k = 2: 64 states, 9 contexts with a next symbol
    V, k = seq.vocab, 2
    counts = empirical_counts(seq.tokens, V, k)
    probs = np.full((V**k, V), 1 / V)
    f = focus.seen(probs, counts, V, k)
    text = "hello world"
    expected = {state_index([seq.itos.index(c) for c in text[i : i + 2]], V) for i in range(len(text) - 2)}
    assert set(f.nodes) == expected, "exactly the 9 windows followed by a symbol: he el ll lo o␣ ␣w wo or rl"
    # Ends by hand. Vocabulary ␣ d e h l o r w (sorted); all arrows tie at 1/8, so each seen state's first two
    # successors outside the seen set in token order, the states taken by index (␣w el he ll lo o␣ or rl wo):
    # ␣w: w␣ wd | el: l␣ ld | he: e␣ ed | ll: (l␣ ld) | lo: od oe (o␣ is seen) | o␣: ␣␣ ␣d | or: r␣ rd | rl, wo: repeats
    ends = ["w␣", "wd", "l␣", "ld", "e␣", "ed", "od", "oe", "␣␣", "␣d", "r␣", "rd"]
    g = transition_graph(probs, V, k, seq.itos, counts, focus=f)
    assert [g.nodes[e]["label"] for e in f.ends] == ends
    assert {d["label"] for _, d in g.nodes(data=True) if d["end"]} == set(ends), "the end points, and only they, are ends"
    assert not any(g.nodes[e]["seen"] for e in f.ends), "no end point is followed by a symbol in the text ('ld' ends it)"
    # arrows by hand: a state ending in l has 4 drawn successors (l␣ ld ll lo), in o 4 (o␣ od oe or), in w 3, e 3, ␣ 3, r 3
    assert g.number_of_edges() == 4 * 3 + 4 * 2 + 3 * 4 == 32
    assert {g.nodes[s]["label"] for s in f.nodes} >= {"o␣", "␣w"}, "the space is drawn visibly"
    assert all(u in f.nodes for u, _ in g.edges), "only drawn states have their arrows"


def test_around_a_state_has_its_predecessors_and_successors():
    V, k = 2, 3
    probs = np.full((8, 2), 0.5)
    f = focus.around(probs, V, k, center=0b101, hops=1)
    assert f.nodes[0] == 0b101
    assert set(f.nodes) == {0b101, 0b010, 0b011, 0b110}, "101 -> 010 / 011; 010 and 110 -> 101"


def test_most_visited_follows_the_stationary_distribution():
    pi = np.array([0.1, 0.4, 0.2, 0.3])
    f = focus.visited(np.full((4, 2), 0.5), pi, limit=3)
    assert f.nodes == (1, 3, 2)


def test_the_focus_limit_holds_on_a_big_chain():
    rng = np.random.default_rng(0)
    V, k = 8, 4
    tokens = tuple(int(t) for t in rng.integers(0, V, 3000))
    counts = empirical_counts(tokens, V, k)
    probs = rng.dirichlet(np.ones(V), size=V**k)
    for f in (focus.seen(probs, counts, V, k), focus.around(probs, V, k, 5, hops=2), focus.visited(probs, probs[:, 0])):
        assert 1 <= len(f.nodes) + len(f.ends) <= focus.FOCUS_LIMIT, f.mode
    assert label((1, 2), ("a", " ", "\n")) == "␣↵"


def test_focused_ring_follows_the_text():
    """Neighbours on the ring are joined by arrows: the seen states of 'hello world' come out in reading order."""
    seq = parse_text("hello world")
    V = seq.vocab
    counts = empirical_counts(seq.tokens, V, 2)
    q = counts / np.maximum(counts.sum(axis=1, keepdims=True), 1)
    probs = np.where(counts.sum(axis=1, keepdims=True) > 0, 0.9 * q + 0.1 / V, 1 / V)
    g = transition_graph(probs, V, 2, seq.itos, counts, focus=focus.seen(probs, counts, V, 2))
    ring = [g.nodes[s]["label"] for s in g.graph["circle_order"] if not g.nodes[s]["end"]]
    assert ring == ["he", "el", "ll", "lo", "o␣", "␣w", "wo", "or", "rl"], ring
    assert sorted(g.graph["circle_order"]) == sorted(g.nodes), "every drawn state is placed once"
