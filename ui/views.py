"""The learned chain as a graph on a page: the whole chain while small, a focused view past that.

What it is: the view picker (bound to the URL), one sentence saying which states are drawn,
the graph and its legend. Used wherever a chain is drawn.

What it is not: the choice of states (`core.babygpt.focus`) or the renderer (`ui/graph.py`).
"""

from __future__ import annotations

import numpy as np
import streamlit as st

from core.babygpt import focus
from core.babygpt.states import label
from core.errors import CoreError
from ui import cache, i18n, tables
from ui.i18n import inert, t
from ui.inputs import BIND, choice

VIEWS = ["seen", "around", "visited"]  # codes in the address (?view=around)


def legend() -> str:
    """What the colours, borders and labels of a chain graph mean."""
    return t("views.legend")


def _center(labels: list[str], default: int, key: str) -> int | None:
    """The state typed by the user (its label), or None after a visible message."""
    text = st.text_input(t("views.center"), labels[default], key=key, bind=BIND)
    if text in labels:
        return labels.index(text)
    st.error(t("views.not_a_state", text=inert(text), k=len(labels[0]), example=inert(labels[default])))
    return None


def chain_graph(
    source: tuple, probs: np.ndarray, V: int, k: int, itos: tuple[str, ...], data: np.ndarray, key: str = "view"
) -> str | None:
    """Draw the chain (whole or focused; `source` describes where `probs` came from) and return its HTML, or None."""
    n = V**k
    labels = cache.state_labels(V, k, itos)
    if n <= focus.FULL_GRAPH_LIMIT:
        chosen = focus.whole(n)
    else:
        mode = choice(t("views.show"), VIEWS, key, lambda c: t(f"views.mode_{c}"), horizontal=True)
        if mode == "seen":
            chosen = focus.seen(probs, data, V, k)
            st.markdown(t("views.seen_note", n=n, drawn=len(chosen.nodes)))
        elif mode == "around":
            seen = np.flatnonzero(data.sum(axis=1))
            c1, c2 = st.columns([3, 1])
            with c1:
                center = _center(labels, int(seen[0]) if len(seen) else 0, f"{key}_state")
            hops = c2.radio(t("views.hops"), [1, 2], key=f"{key}_hops", bind=BIND, horizontal=True)
            if center is None:
                return None
            chosen = focus.around(probs, V, k, center, hops)
            st.markdown(t("views.around_note", state=inert(labels[center]), hops=hops, drawn=len(chosen.nodes), n=n))
        else:
            chosen = focus.visited(probs, cache.stationary(source, probs))
            st.markdown(t("views.visited_note", drawn=len(chosen.nodes), n=n))
    html = cache.chain_html(source, probs, V, k, itos, data, focus=chosen, lang=i18n.lang())
    st.iframe(html, height=600, alt=t("views.alt"))
    st.caption(legend())
    return html


def lengths_view(model_config, train_config, tokens: tuple[int, ...], itos: tuple[str, ...]) -> None:
    """The chain over states of every length 1..k: a sentence, its graph while small, and its table."""
    try:
        states, probs, html = cache.variable_length(model_config, train_config, tokens, itos, i18n.lang())
    except CoreError as e:
        st.info(i18n.error(e))
        return
    st.markdown(t("train.lengths", k=model_config.block_size, states=len(states)))
    if html is not None:
        st.iframe(html, height=600, alt=t("train.lengths_alt"))
    labels = [label(s, itos) for s in states]
    st.dataframe(tables.variable_length(labels, probs, itos), hide_index=True, key="vtable")
