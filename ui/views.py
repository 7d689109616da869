"""The learned chain as a graph on a page: the whole chain while small, a focused view past that.

What it is: the view picker (bound to the URL), one sentence saying which states are drawn,
the graph and its legend. Used wherever a chain is drawn. With a `Player`, the graph plays a
training or a walk in its frame (`ui/play.js`); when playing stops on another step, a small
bridge (a components v2 element with no face) hands that one step back: one rerun, never one per frame.

What it is not: the choice of states (`core.babygpt.focus`) or the renderer (`ui/graph.py`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import streamlit as st

from core.babygpt import focus
from core.babygpt.train import TrainResult
from core.pages.unseen import picker_listed
from ui import cache, i18n
from ui.graph import frame_of
from ui.i18n import inert, t
from ui.inputs import bound, choice, text_box

VIEWS = ["seen", "around", "visited"]  # codes in the address (?view=around)


def explain_link(V: int, k: int) -> dict:
    """Where a never-seen state's panel links: Train & explore's Never seen tab, opened on that state."""
    return {
        "page": "train_explore",
        "tab": ["tab", "unseen"],
        "state": "unseen_state" if picker_listed(V, k) else "unseen_state_text",
    }


def seen_note(chosen: focus.Focus) -> None:
    """Say how many of the chain's states a view of the seen states draws (nothing for another view)."""
    if chosen.mode == "seen":
        st.markdown(t("views.seen_note", n=chosen.total, drawn=len(chosen.nodes)))


def legend() -> str:
    """What the colours, borders and labels of a chain graph mean."""
    return t("views.legend")


@dataclass(frozen=True)
class Player:
    """What a graph plays: a training's snapshots (from `step`) and / or a walk; `on_stop(step)` keeps a stopped step
    (None: the page mounts its `stop_bridge` itself, or a stopped step stays in the frame)."""

    channel: str  # the page's name for the step handed back (also the bridge's key)
    result: TrainResult | None = None
    temperature: float = 1.0
    step: int | None = None
    walk: tuple[int, int, tuple[int, ...]] | None = None  # (seed, length, start state's tokens)
    on_stop: Callable[[int], None] | None = None


# The frame calls window.parent.babygptPlay[channel](step) once playing stops; the bridge turns it into one trigger.
_BRIDGE_JS = """export default function ({data, setTriggerValue}) {
  window.babygptPlay = window.babygptPlay || {};
  window.babygptPlay[data.channel] = function (step) { setTriggerValue('stop', step); };
}"""
_bridge = st.components.v2.component("babygpt_play_bridge", js=_BRIDGE_JS, isolate_styles=False)


def stop_bridge(channel: str, on_stop: Callable[[int], None]) -> None:
    """Where a stopped player hands its step (`on_stop(step)`, then the script reruns). A page whose graph sits in a
    fragment mounts it outside, so a stop reruns the whole page: the step slider and everything above follow."""
    key = f"{channel}_bridge"

    def stopped():
        step = (st.session_state.get(key) or {}).get("stop")
        if isinstance(step, int):
            on_stop(step)

    _bridge(key=key, data={"channel": channel}, height=0, on_stop_change=stopped)


def _center(labels: list[str], default: int, key: str) -> int | None:
    """The state typed by the user (its label), or None after a visible message."""
    text = text_box("text_input", t("views.center"), labels[default], key)
    if text in labels:
        return labels.index(text)
    st.error(t("views.not_a_state", text=inert(text), k=len(labels[0]), example=inert(labels[default])))
    return None


def _picked(
    source: tuple, probs: np.ndarray, V: int, k: int, itos: tuple[str, ...], data: np.ndarray, key: str
) -> focus.Focus | None:
    """The states to draw: the whole chain while small, else the view picked (None after a visible message)."""
    unasked = focus.default(probs, data, V, k)
    if unasked.mode == "all":
        return unasked
    labels = cache.state_labels(V, k, itos)
    mode = choice(t("views.show"), VIEWS, key, lambda c: t(f"views.mode_{c}"), horizontal=True)
    if mode == "seen":
        chosen = unasked
        seen_note(chosen)
    elif mode == "around":
        c1, c2 = st.columns([3, 1])
        with c1:
            center = _center(labels, focus.first_seen(data), f"{key}_state")
        hops = bound("radio", t("views.hops"), [1, 2], f"{key}_hops", c2, horizontal=True)
        if center is None:
            return None
        chosen = focus.around(probs, V, k, center, hops)
        st.markdown(t("views.around_note", state=inert(labels[center]), hops=hops, drawn=len(chosen.nodes), n=chosen.total))
    else:
        chosen = focus.visited(probs, cache.stationary(source, probs))
        st.markdown(t("views.visited_note", drawn=len(chosen.nodes), n=chosen.total))
    return chosen


def player_page(source: tuple, probs, V: int, k: int, itos, data, chosen: focus.Focus, player: Player, explain, lang: str) -> str:
    """The graph page with its player, cached by everything it shows (a graph's page, and the server's start-up work)."""
    p = player
    return cache.play_page(
        source, probs, V, k, itos, data, chosen, lang, p.result, p.temperature, p.step, p.walk, p.channel, explain
    )


def chain_graph(
    source: tuple,
    probs: np.ndarray,
    V: int,
    k: int,
    itos: tuple[str, ...],
    data: np.ndarray,
    key: str = "view",
    player: Player | None = None,
    chosen: focus.Focus | None = None,
    alt: str | None = None,
    caption: bool = True,
    explain: dict | None = None,
) -> str | None:
    """Draw the chain (whole or focused; `source` describes where `probs` came from) and return its HTML, or None.

    With a `player`, the graph plays (see `Player`); `source` then also names the player's training and step.
    `chosen`: the states to draw, decided by the caller (no view picker). alt: the frame's accessible name;
    caption False: the caller says what the colours mean. explain: where a never-seen state's panel links to.
    """
    chosen = chosen or _picked(source, probs, V, k, itos, data, key)
    if chosen is None:
        return None
    if player is None:
        html = cache.chain_html(source, probs, V, k, itos, data, focus=chosen, lang=i18n.lang(), explain=explain)
    else:
        html = player_page(source, probs, V, k, itos, data, chosen, player, explain, i18n.lang())
        if player.on_stop is not None:
            stop_bridge(player.channel, player.on_stop)
    st.iframe(html, height=frame_of(html), alt=alt or t("views.alt"))
    if caption:
        played = "" if player is None or player.result is None else " " + t("play.legend")  # a walk alone: its own note
        st.caption(legend() + played)
    return html
