"""Focused views of a big chain: which states to draw when all of them would be a tangle.

What it is: the choice of at most FOCUS_LIMIT states (and the end points their arrows lead to)
for three views: the states *seen* in the data, the neighbourhood *around* one state, and
the *most visited* states of the learned chain. A `Focus` is data; `core.babygpt.chain.transition_graph`
draws it and `ui/graph.py` renders it.

What it is not: a layout or a renderer.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from core.babygpt.limits import FOCUS_LIMIT, FULL_GRAPH_LIMIT  # noqa: F401 (FULL_GRAPH_LIMIT: read with the views)
from core.babygpt.states import successors

OUT_ARROWS = 2  # seen view: each state's likeliest arrows that leave the drawn set


@dataclass(frozen=True)
class Focus:
    """The states drawn with their arrows (`nodes`) and the faded end points of those arrows (`ends`)."""

    mode: str
    nodes: tuple[int, ...]
    ends: tuple[int, ...]
    total: int  # states in the whole chain


def _with_ends(nodes: list[int], probs: np.ndarray, succ: np.ndarray, per_state: int, limit: int) -> tuple[int, ...]:
    """End points: each drawn state's likeliest `per_state` arrows that leave the set, likeliest first, up to `limit` nodes."""
    drawn = set(nodes)
    candidates = []
    for s in nodes:
        order = np.argsort(-probs[s], kind="stable")
        outside = [(float(probs[s, t]), int(succ[s, t])) for t in order if int(succ[s, t]) not in drawn][:per_state]
        candidates.extend(outside)
    ends: list[int] = []
    for _, e in sorted(candidates, key=lambda c: -c[0]):
        if len(nodes) + len(ends) >= limit:
            break
        if e not in ends:
            ends.append(e)
    return tuple(ends)


def seen(probs: np.ndarray, counts: np.ndarray, vocab: int, context: int, limit: int = FOCUS_LIMIT) -> Focus:
    """The states the data visits (most visited first), plus where their likeliest arrows lead."""
    visits = counts.sum(axis=1)
    order = [int(s) for s in np.argsort(-visits, kind="stable") if visits[s] > 0][: limit // 2]
    return Focus("seen", tuple(order), _with_ends(order, probs, successors(vocab, context), OUT_ARROWS, limit), len(probs))


def around(probs: np.ndarray, vocab: int, context: int, center: int, hops: int = 1, limit: int = FOCUS_LIMIT) -> Focus:
    """A state with its predecessors and successors, `hops` arrows away (1 or 2), the likeliest first."""
    n = len(probs)
    succ = successors(vocab, context)
    nodes = [center]
    frontier_out, frontier_in = [center], [center]
    for _ in range(hops):
        out = [int(succ[s, t]) for s in frontier_out for t in np.argsort(-probs[s], kind="stable")]
        # predecessors of s: (a, s[0..k-2]) for every token a; their arrow into s is token s % V
        into = [(a * vocab ** (context - 1) + s // vocab) % n for s in frontier_in for a in range(vocab)]
        frontier_out = [s for s in dict.fromkeys(out) if s not in nodes]
        frontier_in = [s for s in dict.fromkeys(into) if s not in nodes and s not in frontier_out]
        for s in frontier_out + frontier_in:
            if len(nodes) < limit and s not in nodes:
                nodes.append(s)
    return Focus("around", tuple(nodes), (), n)


def visited(probs: np.ndarray, pi: np.ndarray, limit: int = FOCUS_LIMIT) -> Focus:
    """The states where the learned chain spends most of its time (stationary probability), largest first."""
    order = np.argsort(-pi, kind="stable")[:limit]
    return Focus("visited", tuple(int(s) for s in order), (), len(probs))


def whole(n: int) -> Focus:
    """Every state of a small chain."""
    return Focus("all", tuple(range(n)), (), n)


def default(probs: np.ndarray, counts: np.ndarray, vocab: int, context: int) -> Focus:
    """What a chain's graph draws unasked: the whole chain up to FULL_GRAPH_LIMIT states, past it the states seen."""
    if vocab**context <= FULL_GRAPH_LIMIT:
        return whole(vocab**context)
    return seen(probs, counts, vocab, context)


def first_seen(counts: np.ndarray) -> int:
    """The first state (in index order) the data visits, 0 if none: the around view's default centre."""
    visited_states = np.flatnonzero(counts.sum(axis=1))
    return int(visited_states[0]) if len(visited_states) else 0
