"""The player below a chain's graph: a training's snapshots or a walk, played in the browser by `ui/play.js`.

What it is: `play_payload` (what play.js reads: the drawn arrows and states in the page's order, a training's frames,
a walk), `player_page` (the payload of a trained result and / or a walk, on the chain's page) and `play_html`. The
frames' numbers travel once, as one JSON value in the page; play.js hands each frame's percents and probabilities to
the graph (`chain.arrows`, ui/graph.js), which labels and sizes the arrows by the scene's rules.

What it is not: the graph's page itself (`ui.graph`) or the frames' arithmetic (`core.babygpt.play`).
"""

from __future__ import annotations

import networkx as nx

from core.babygpt.play import TrainingFrames, Walk, training_frames, training_loss_points, walk_path
from ui.graph import chain_page
from ui.i18n import t

PLAY_TEXTS = (
    "controls", "play", "pause", "back", "forward", "speed", "step", "token", "training", "walk", "not_drawn", "spoken",
    "in_focus",
)  # fmt: skip


def play_payload(
    g: nx.DiGraph,
    frames: TrainingFrames | None = None,
    start_step: int | None = None,
    loss: list[tuple[int, float]] | None = None,
    walk: Walk | None = None,
    itos: tuple[str, ...] | None = None,
    channel: str | None = None,
) -> dict:
    """What ui/play.js reads: the drawn arrows (their ids) and states in the page's order, a training's frames, a walk."""
    arrows = list(g.edges(data=True))
    slots = {name: "{" + name + "}" for name in ("step", "last", "i", "n", "loss", "label")}  # filled in by the player
    payload: dict = {"channel": channel, "text": {key: t(f"play.{key}", **slots) for key in PLAY_TEXTS}}
    if frames is not None:
        nodes = [int(node) for node in g.nodes]  # the frames' order; their colours are the scene's (ui/graph.js)
        edges = [f"e{i}" for i in range(len(arrows))]  # the arrows' texts are the scene's (ui/graph.js)
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


def player_page(g: nx.DiGraph, probs, itos, result=None, temperature: float = 1.0, start_step: int | None = None,
                walk: tuple[int, int, tuple[int, ...]] | None = None, channel: str = "step", asset_base: str | None = None,
                explain: dict | None = None) -> str:  # fmt: skip
    """The page of `g` (drawn from `probs`) with its player: every snapshot of `result` (a TrainResult) at `temperature`
    (`core.babygpt.play.training_frames`), and / or the walk (seed, length, start) through `probs`."""
    frames = loss = path = None
    if result is not None:
        arrows = [(int(u), d["token"]) for u, _, d in g.edges(data=True)]
        frames = training_frames(result.snapshots, [int(n) for n in g.nodes], arrows, temperature)
        loss = training_loss_points(result)
    if walk is not None:
        path = walk_path(probs, walk[1], walk[0], walk[2])
    g.graph["step"], g.graph["temperature"] = start_step, temperature  # what the table beside the graph says
    payload = play_payload(g, frames, start_step, loss, path, itos, channel)
    return play_html(g, payload, asset_base=asset_base, explain=explain)


def play_html(g: nx.DiGraph, payload: dict, height: int = 560, asset_base: str | None = None, explain: dict | None = None) -> str:
    """The chain's page with the player below the graph: `payload` from `play_payload` (drawn in the browser)."""
    return chain_page(g, height, asset_base, explain, play=payload)
