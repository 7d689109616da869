"""Size of a playing graph's page: what travels once with the graph so the browser can play every snapshot.

Usage: python benchmarks/play_payload.py
Prints one row per case: drawn states and arrows, frames played, the payload (the JSON of every frame) and the
whole page (vis-network itself is loaded from the app, not counted). The article's model is trained for real;
the largest views use random tables of the same shape (the size depends on the shape only).
"""

from __future__ import annotations

import json
import pathlib
import sys

import numpy as np

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1]))

from core.babygpt.chain import empirical_counts, transition_graph
from core.babygpt.data import ARTICLE_SEQUENCE, parse_digits, parse_text
from core.babygpt.focus import around, seen, whole
from core.babygpt.play import loss_points, training_frames, walk_path
from core.babygpt.train import TrainConfig, train
from core.model import GPTConfig
from ui.player import play_html, play_payload

ASSETS = "app/static/vis/"


def row(name, snapshots, V, k, itos, counts, focus, walk_length=60):
    last = max(snapshots)
    g = transition_graph(snapshots[last], V, k, itos, counts, focus=focus)
    arrows = [(int(u), d["token"]) for u, _, d in g.edges(data=True)]
    frames = training_frames(snapshots, [int(n) for n in g.nodes], arrows)
    walk = walk_path(snapshots[last], walk_length, 0, (0,) * k)
    payload = play_payload(g, frames, last, loss_points([1.0] * (last + 1)), walk, itos, "step")
    page = play_html(g, payload, asset_base=ASSETS)
    size = len(json.dumps(payload, separators=(",", ":"), ensure_ascii=False))
    print(f"| {name} | {g.number_of_nodes()} | {len(arrows)} | {len(frames.steps)} | {size:,} | {len(page.encode()):,} |")


def random_snapshots(n, V, count=51, seed=0):
    rng = np.random.default_rng(seed)
    return {s: rng.dirichlet(np.ones(V), size=n) for s in range(count)}


def main():
    print("| case | states drawn | arrows | frames | payload (chars) | page (bytes) |")
    print("|---|---|---|---|---|---|")
    seq = parse_digits(ARTICLE_SEQUENCE, 2)
    article = train(GPTConfig(), TrainConfig(), seq.tokens)
    row("article V=2 k=3 (whole)", article.snapshots, 2, 3, seq.itos, empirical_counts(seq.tokens, 2, 3), whole(8))
    row("V=32 k=1 (whole, 1,024 arrows)", random_snapshots(32, 32), 32, 1, None, None, whole(32))
    text = parse_text("".join(chr(48 + (i * 7 + i // 64) % 64) for i in range(600)))
    snaps = random_snapshots(64**2, 64)
    counts = empirical_counts(text.tokens, 64, 2)
    row("V=64 k=2 seen view", snaps, 64, 2, text.itos, counts, seen(snaps[50], counts, 64, 2))
    row("V=64 k=2 around view, 2 hops", snaps, 64, 2, text.itos, counts, around(snaps[50], 64, 2, 0, 2))
    snaps = random_snapshots(64, 64)  # k = 1: every drawn state has an arrow to every drawn state, the largest view
    counts = empirical_counts(text.tokens, 64, 1)
    row("V=64 k=1 around view (largest focused)", snaps, 64, 1, text.itos, counts, around(snaps[50], 64, 1, 0, 1))


if __name__ == "__main__":
    main()
