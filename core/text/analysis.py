"""What the real-text page shows about one text, as plain values: its sweep, its most visited states, their graph.

What it is: `analyse` (the context sweep of a text in one alphabet, the shannon27 sweep over k = 0..2 that
Shannon's table needs, and the most visited states for the chain graph, in one `TextSweep`), `focus` (a
context length's most visited states with their likeliest next symbols), `focused_graph` (those states as a
networkx graph with their arrows), `possible_states` (V^k in words)
and `text_key` (the key of a pasted or uploaded text: a sha256 of its bytes, never the text itself).

What it is not: a counter (`core.text.ngram` counts), a drawing (the page renders the graph) or a cache
(`ui.cache` decides what is kept).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass

import networkx as nx
import numpy as np

from core.arith.statespace import count_states
from core.errors import CoreError
from core.symbols import visible
from core.text.corpus import cjk_characters, symbolize, training_length
from core.text.ngram import SweepRow, context_sweep, top_states
from core.text.shannon import CONTEXTS as SHANNON_CONTEXTS

GRAPH_CONTEXTS = (1, 2, 3)  # contexts the chain graph can show
TOP_STATES = 30  # most visited states considered for the graph
NEXT_ARROWS = 3  # arrows per state: its likeliest next symbols
NODE_BUDGET = 32  # states drawn at most, end points included (up to 32 they sit on a circle)


def text_key(text: str) -> str:
    """The cache key of a pasted or uploaded text: a sha256 of its UTF-8 bytes."""
    return "sha256:" + hashlib.sha256(text.encode("utf-8", errors="surrogatepass")).hexdigest()


def possible_states(vocab: int, k: int) -> str:
    """V^k in words: every digit while short, else '1.27 × 10^16' (V^0 = 1: the empty context)."""
    if k == 0:
        return "1"
    c = count_states(vocab, k)
    return f"{int(c.exact):,}" if c.exact is not None and c.digits <= 12 else f"{c.mantissa(3)} × 10^{c.exponent}"


@dataclass(frozen=True)
class Focus:
    """The most visited k-contexts of the training part, most visited first, with their likeliest next symbols."""

    context: int
    states: tuple[tuple[int, ...], ...]
    visits: tuple[int, ...]  # training examples with this context
    next_ids: np.ndarray  # (n, NEXT_ARROWS) symbol ids, likeliest first; -1 where fewer were ever seen
    next_p: np.ndarray  # (n, NEXT_ARROWS) the data's P(next | state)


def focus(train_ids: np.ndarray, vocab: int, k: int) -> Focus:
    """The TOP_STATES most visited k-contexts and their NEXT_ARROWS likeliest next symbols with probabilities."""
    states, table = top_states(train_ids, vocab, k, TOP_STATES)
    visits = table.sum(axis=1)
    order = np.argsort(-table, axis=1, kind="stable")[:, :NEXT_ARROWS]
    counts = np.take_along_axis(table, order, axis=1)
    next_ids, next_p = np.where(counts > 0, order, -1), counts / visits[:, None]
    next_ids.flags.writeable = next_p.flags.writeable = False
    return Focus(k, tuple(states), tuple(int(v) for v in visits), next_ids, next_p)


@dataclass(frozen=True)
class TextSweep:
    """Everything the page shows about one text, alphabet, held-out fraction and context range."""

    alphabet: tuple[str, ...]
    train_symbols: int
    heldout_symbols: int
    rows: tuple[SweepRow, ...]  # one per context k
    shannon27: tuple[SweepRow, ...] | None  # the shannon27 sweep over k = 0..2; None if the text is too short
    focus: tuple[Focus | None, ...]  # per k in GRAPH_CONTEXTS; None if the training part is too short
    cjk: int = 0  # CJK characters of the text: with any, there is no shannon27 sweep (folding would erase them)


def analyse(
    text: str,
    alphabet: str,
    heldout: float,
    contexts: tuple[int, ...],
    progress: Callable[[int, int, float | None], None] | None = None,
) -> TextSweep:
    """The sweep over `contexts`, the shannon27 sweep over k = 0..2 and the graph's states; progress(done, total, None)."""
    total = len(contexts) + 2
    report = (lambda i: progress(i, total, None)) if progress else (lambda i: None)
    s = symbolize(text, alphabet)
    cut = training_length(text, alphabet, len(s.ids), heldout)
    rows = context_sweep(s.ids[:cut], s.ids[cut:], s.vocab, contexts, progress=lambda i, n, _: report(i))
    cjk = cjk_characters(text)
    if alphabet == "shannon27" and set(SHANNON_CONTEXTS) <= set(contexts):
        rows27 = tuple(r for r in rows if r.context in SHANNON_CONTEXTS)
    else:
        try:  # refused for a text with CJK characters, too short for some
            s27 = symbolize(text, "shannon27")
            cut27 = training_length(text, "shannon27", len(s27.ids), heldout)
            rows27 = tuple(context_sweep(s27.ids[:cut27], s27.ids[cut27:], s27.vocab, SHANNON_CONTEXTS))
        except CoreError:
            rows27 = None
    report(total - 1)
    graphs = tuple(focus(s.ids[:cut], s.vocab, k) if k < cut else None for k in GRAPH_CONTEXTS)
    report(total)
    return TextSweep(s.alphabet, cut, len(s.ids) - cut, tuple(rows), rows27, graphs, cjk)


def _end_points(f: Focus, n: int) -> set[tuple[int, ...]]:
    """The states the arrows of the first n states lead to, outside those n."""
    top = set(f.states[:n])
    return {s[1:] + (int(tok),) for s, toks in zip(f.states[:n], f.next_ids[:n], strict=True) for tok in toks if tok >= 0} - top


def focused_graph(f: Focus, alphabet: tuple[str, ...], max_nodes: int = NODE_BUDGET) -> nx.DiGraph:
    """The most visited states (as many as fit in max_nodes with their end points), each with arrows to the
    states its likeliest next symbols lead to (state[1:] + symbol). Nodes: label, seen (False: an end point
    outside the drawn top states), visits. Edges: label 'symbol (p%)', symbol, p (the data's probability)."""
    n = len(f.states)
    while n > 1 and n + len(_end_points(f, n)) > max_nodes:
        n -= 1
    label = lambda s: "".join(visible(alphabet[i]) for i in s)
    node = {s: i for i, s in enumerate(f.states[:n])}
    g, order = nx.DiGraph(), []
    for i, s in enumerate(f.states[:n]):
        g.add_node(i, label=label(s), seen=True, visits=f.visits[i])
    for i, s in enumerate(f.states[:n]):
        order.append(i)
        for tok, p in zip(f.next_ids[i], f.next_p[i], strict=True):
            if tok < 0:
                continue
            target = s[1:] + (int(tok),)
            if target not in node:
                node[target] = len(node)
                g.add_node(node[target], label=label(target), seen=True, end=True, visits=None)  # white and dashed, as everywhere
                order.append(node[target])
            sym = visible(alphabet[tok])
            g.add_edge(i, node[target], label=f"{sym} ({p:.0%})" if p >= 0.005 else f"{sym} (<1%)", symbol=sym, p=float(p))
    g.graph["circle_order"] = order
    return g


SHOWN_BITS = 0.01  # the summaries show bits to two decimals: a change that rounds to 0.00 is no change


def trend(early: float, late: float) -> str:
    """How the held-out cost moves over the later half of the contexts, against the earlier half's gain:
    'flat' (rounds to no change), 'worse', 'barely' (less than half the earlier gain) or 'better'."""
    if abs(late) < SHOWN_BITS / 2:
        return "flat"
    if late < 0:
        return "worse"
    return "barely" if late < early / 2 else "better"
