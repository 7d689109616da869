"""What a graph needs to play a training or a walk in the browser: every frame's numbers, once, bounded.

What it is: `training_frames` (for each stored snapshot: the probability of every drawn arrow and
how sure every drawn state is of its next token), `walk_path` (the states and arrows of a seeded
walk: the same tokens as `core.babygpt.data.random_walk`), and the bounds that keep a page small:
at most MAX_PLAY_VALUES arrow probabilities over all frames (snapshots are thinned evenly past it,
the first and the last always kept), each sent as a whole number of thousandths.

What it is not: a renderer (`ui/graph.py` and `ui/play.js` draw the frames) or a trainer.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from core.babygpt.data import random_walk
from core.babygpt.focus import FULL_GRAPH_LIMIT, Focus
from core.babygpt.mixing import tempered
from core.babygpt.states import context_of, next_index

MAX_PLAY_VALUES = 40_000  # arrow probabilities over all frames of one graph (frames x arrows)
MAX_LOSS_POINTS = 200  # points of the loss sparkline drawn beside the graph
SCALE = 1000  # probabilities travel as whole thousandths: 0.7929 -> 793


def frame_steps(steps: list[int], n_edges: int, limit: int = MAX_PLAY_VALUES) -> list[int]:
    """The stored steps to play: all of them while frames x arrows <= limit, else evenly thinned (ends kept).

    frame_steps([0, 1, 2, 3, 4], 10, limit=30) == [0, 2, 4]
    """
    steps = sorted(steps)
    count = max(2, min(len(steps), limit // max(n_edges, 1)))
    if count >= len(steps):
        return steps
    picked = sorted({round(i * (len(steps) - 1) / (count - 1)) for i in range(count)})
    return [steps[i] for i in picked]


def certainty(probs: np.ndarray) -> np.ndarray:
    """Per row: how far the likeliest token is above an even guess, (max p - 1/V) / (1 - 1/V).

    0 when every token is equally likely, 1 when one token is certain: [0.79, 0.21] -> 0.58.
    """
    V = probs.shape[1]
    if V < 2:
        return np.ones(len(probs))
    return np.clip((probs.max(axis=1) - 1 / V) / (1 - 1 / V), 0.0, 1.0)


@dataclass(frozen=True)
class TrainingFrames:
    """One row per played snapshot: `probs[f, e]` of arrow e, `sure[f, i]` of node i, in thousandths.

    `pct[f, e]`: the arrow's whole percent as its label writes it (`core.babygpt.chain.edge_label`).
    """

    steps: tuple[int, ...]
    probs: np.ndarray  # (frames, arrows) int, thousandths
    pct: np.ndarray  # (frames, arrows) int, whole percent
    sure: np.ndarray  # (frames, nodes) int, thousandths


def training_frames(
    snapshots: dict[int, np.ndarray],
    nodes: list[int],
    arrows: list[tuple[int, int]],
    temperature: float = 1.0,
    limit: int = MAX_PLAY_VALUES,
) -> TrainingFrames:
    """The drawn arrows (state, token) and states of every played snapshot, at temperature T.

    The numbers are those of `tempered(snapshots[step], T)`, the table the page draws at that step.
    """
    steps = frame_steps(list(snapshots), len(arrows), limit)
    s = np.array([a for a, _ in arrows], dtype=np.int64)
    t = np.array([b for _, b in arrows], dtype=np.int64)
    probs, pct, sure = [], [], []
    for step in steps:
        table = tempered(snapshots[step], temperature)
        p = table[s, t]
        probs.append(np.rint(p * SCALE))
        pct.append(np.rint(p * 100))  # as f"{p * 100:.0f}" rounds: half to even on the same float
        sure.append(np.rint(certainty(table[nodes]) * SCALE) if nodes else np.zeros(0))
    as_int = lambda rows, width: np.array(rows, dtype=np.int64).reshape(len(steps), width)
    return TrainingFrames(tuple(steps), as_int(probs, len(arrows)), as_int(pct, len(arrows)), as_int(sure, len(nodes)))


def loss_points(losses: list[float], limit: int = MAX_LOSS_POINTS) -> list[tuple[int, float]]:
    """(step, loss) pairs of a loss curve, thinned evenly to at most `limit` points (the ends kept)."""
    n = len(losses)
    if n <= limit:
        return list(enumerate(losses))
    picked = sorted({round(i * (n - 1) / (limit - 1)) for i in range(limit)})
    return [(i, losses[i]) for i in picked]


def training_loss_points(result, limit: int = MAX_LOSS_POINTS) -> list[tuple[int, float]]:
    """A training's loss in bits per token after s updates, s = 0..steps (its losses in nats, then its final loss),
    as `loss_points`."""
    return loss_points([x / math.log(2) for x in (*result.losses, result.final_loss)], limit)


@dataclass(frozen=True)
class Walk:
    """A walk: states[i] is where token tokens[i] is drawn from; states[i + 1] is where it leads."""

    start: tuple[int, ...]
    tokens: tuple[int, ...]
    states: tuple[int, ...]  # len(tokens) + 1 state indices


def walk_path(probs: np.ndarray, length: int, seed: int, start: tuple[int, ...]) -> Walk:
    """The seeded walk of `random_walk` (the same tokens for the same seed) with the states it passes through."""
    n, V = probs.shape
    k = context_of(n, V)
    tokens = random_walk(probs, length, seed, start)
    states = [0]
    for tok in start:
        states[0] = states[0] * V + int(tok)
    for tok in tokens:
        states.append(int(next_index(states[-1], tok, V, k)))
    return Walk(tuple(start), tokens, tuple(states))


def walk_focus(walk: Walk, n: int, limit: int = FULL_GRAPH_LIMIT) -> Focus:
    """The first `limit` distinct states a walk passes through, in the order it reaches them (for a chain too big to draw).

    At most as many as a whole chain drawn (32), so they sit on a circle and the lit state is easy to follow.
    """
    return Focus("visited", tuple(dict.fromkeys(walk.states))[:limit], (), n)
