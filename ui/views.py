"""The learned chain as a graph on a page: the whole chain while small, a focused view past that.

What it is: the view picker (bound to the URL), one sentence saying which states are drawn,
the graph and its legend. Used wherever a chain is drawn.

What it is not: the choice of states (`core.focus`) or the renderer (`ui/graph.py`).
"""

from __future__ import annotations

import numpy as np
import streamlit as st

from core import focus
from ui import cache
from ui.inputs import BIND

VIEWS = {
    "seen": "seen in the data",
    "around": "around a state",
    "visited": "most visited",
}
LEGEND = (
    "Blue: states seen in the data (thick border: the data always continues the same way). Red, dashed: never seen. "
    "Grey: end points outside this view. Arrow: next token (model %), and the data's % on seen states."
)


def _center(labels: list[str], default: int, key: str) -> int | None:
    """The state typed by the user (its label), or None after a visible message."""
    text = st.text_input("State to centre on (type its label)", labels[default], key=key, bind=BIND)
    if text in labels:
        return labels.index(text)
    st.error(f"{text!r} is not a state of this chain: type {len(labels[0])} symbols of its vocabulary, e.g. {labels[default]!r}.")
    return None


def chain_graph(probs: np.ndarray, V: int, k: int, itos: tuple[str, ...], data: np.ndarray, key: str = "view") -> str | None:
    """Draw the chain (whole or focused) and return its HTML, or None if nothing was drawn."""
    n = V**k
    labels = cache.state_labels(V, k, itos)
    if n <= focus.FULL_GRAPH_LIMIT:
        chosen = focus.whole(n)
    else:
        mode = st.radio("Show", list(VIEWS), format_func=VIEWS.get, key=key, bind=BIND, horizontal=True)
        if mode == "seen":
            chosen = focus.seen(probs, data, V, k)
            st.markdown(
                f"**{n:,} states** are too many to draw legibly: here are the **{len(chosen.nodes)} states the data visits** "
                f"(most visited first) and, in grey, where their likeliest arrows lead."
            )
        elif mode == "around":
            seen = np.flatnonzero(data.sum(axis=1))
            c1, c2 = st.columns([3, 1])
            with c1:
                center = _center(labels, int(seen[0]) if len(seen) else 0, f"{key}_state")
            hops = c2.radio("Arrows away", [1, 2], key=f"{key}_hops", bind=BIND, horizontal=True)
            if center is None:
                return None
            chosen = focus.around(probs, V, k, center, hops)
            st.markdown(
                f"**{labels[center]}** with the states that lead to it and that it leads to, up to {hops} arrow(s) away "
                f"({len(chosen.nodes)} of {n:,} states)."
            )
        else:
            chosen = focus.visited(probs, cache.stationary(probs))
            st.markdown(
                f"The **{len(chosen.nodes)} states where the learned chain spends most of its time** (stationary probability) "
                f"of {n:,}, with the arrows between them."
            )
    html = cache.chain_html(probs, V, k, itos, data, focus=chosen)
    st.iframe(html, height=600, alt="transition graph of the learned chain")
    st.caption(LEGEND)
    return html
