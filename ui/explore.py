"""The tabs of Train & explore, one function each: what a tab shows for one trained model at one step.

What it is not: the controls or the training (`ui.inputs`, `ui.cache`), nor the chain's mathematics
(`core.babygpt.chain`). The page calls only the open tab's function.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import streamlit as st

from core.babygpt.chain import model_vs_data, most_visited
from core.babygpt.data import Sequence, random_walk
from core.babygpt.limits import FULL_GRAPH_LIMIT, GRAPH_NODE_LIMIT, HEATMAP_ROW_LIMIT
from core.babygpt.play import walk_focus, walk_path
from core.babygpt.states import label
from core.babygpt.train import TrainResult
from ui import cache, charts, i18n, tables
from ui.i18n import inert, t
from ui.inputs import LN2, SEED_MAX, Refused, number
from ui.views import Player, chain_graph, explain_link


def keep_step(steps) -> Callable[[int], None]:
    """What a stopped player does with its step: the step slider (key "step", in the address) moves there."""

    def keep(step: int) -> None:
        if step in steps:
            st.session_state["step"] = step

    return keep


def graph_tab(
    source: tuple,
    result: TrainResult,
    step: int,
    probs: np.ndarray,
    seq: Sequence,
    V: int,
    k: int,
    data,
    labels: list[str],
    T: float = 1.0,
) -> None:
    """The learned chain `probs` at `step` (whole or focused, playing every snapshot), a heatmap past the graph's size,
    the loss curve."""
    player = Player("step", result, T, step, on_stop=keep_step(tuple(result.snapshots)))
    html = chain_graph(source, probs, V, k, seq.itos, data, player=player, explain=explain_link(V, k))
    if html is not None and V**k <= GRAPH_NODE_LIMIT:
        lang = i18n.lang()  # the click runs outside this script run
        standalone = lambda: cache.chain_html(source, probs, V, k, seq.itos, data, standalone=True, lang=lang)  # built on click
        st.download_button(
            t("train.download_graph"), standalone, "babygpt_graph.html", "text/html", key="dl_graph", on_click="ignore"
        )
    if FULL_GRAPH_LIMIT < V**k <= HEATMAP_ROW_LIMIT:
        with st.expander(t("train.heatmap", states=V**k)):
            title = t("train.heatmap_title", step=step)
            st.plotly_chart(charts.heatmap(probs, labels, list(seq.itos), title), key="heat", config=charts.PLOTLY_CONFIG)
    elif V**k > HEATMAP_ROW_LIMIT:
        st.info(t("train.no_heatmap", states=V**k, limit=HEATMAP_ROW_LIMIT))
    st.plotly_chart(charts.loss_curve([x / LN2 for x in result.losses], step), key="loss", config=charts.PLOTLY_CONFIG)
    st.caption(t("train.final_loss"))


def table_tab(mc, tc, seq: Sequence, step: int, T: float, probs: np.ndarray, data: np.ndarray, labels: list[str]) -> None:
    """Model against data for every state, with CSV / JSON / weights downloads (built on click)."""
    table = tables.model_vs_data(labels, probs, model_vs_data(probs, data), seq.itos)
    st.dataframe(tables.shown(table), hide_index=True, key="table", placeholder=tables.never_seen())
    c1, c2, c3 = st.columns(3)
    c1.download_button(
        t("train.download_csv"), lambda: tables.csv(table), "babygpt_table.csv", "text/csv", key="dl_csv", on_click="ignore"
    )
    payload = lambda: tables.chain_json(seq.itos, mc.block_size, step, labels, probs, data, T)
    c2.download_button(
        t("train.download_json"), payload, "babygpt_table.json", "application/json", key="dl_json", on_click="ignore"
    )
    weights = lambda: cache.weights_bytes(mc, tc, seq.tokens)
    c3.download_button(t("train.download_weights"), weights, "babygpt.pt", key="dl_weights", on_click="ignore")


def sample_tab(source: tuple, seq: Sequence, k: int, step: int, probs: np.ndarray, data: np.ndarray) -> None:
    """A seeded walk through the learned chain from the data's first state, and the same walk played in the graph."""
    c1, c2 = st.columns(2)
    try:
        n = number(t("train.sample_length"), 1, 2000, 60, "sample_len", c1)
        seed = number(t("train.sample_seed"), 0, SEED_MAX, 0, "sample_seed", c2)
    except Refused:
        return
    start = tuple(seq.tokens[:k])
    generated = random_walk(probs, n, seed, start)
    st.caption(t("train.sample_start", state=inert(label(start, seq.itos)), step=step))
    st.code("".join(seq.itos[tok] for tok in generated), language=None, wrap_lines=True)
    V = seq.vocab
    chosen = None
    if V**k > FULL_GRAPH_LIMIT:  # too many states to draw: the ones the walk passes through
        chosen = walk_focus(walk_path(probs, n, seed, start), V**k)
        st.markdown(t("play.walk_note", drawn=len(chosen.nodes), n=V**k))
    st.caption(t("play.walk_played"))
    chain_graph(
        source,
        probs,
        V,
        k,
        seq.itos,
        data,
        player=Player("walk", walk=(seed, n, start)),
        chosen=chosen,
        explain=explain_link(V, k),
    )


def long_run_tab(source: tuple, trained: np.ndarray, T: float, step: int, labels: list[str]) -> None:
    """The learned chain at temperature T: stationary distribution, entropy rate, mixing time, and both against T."""
    at = cache.long_run(source, trained, T)
    c1, c2 = st.columns(2)
    c1.metric(t("train.entropy_rate"), f"{at.entropy_rate_bits:.4f}")
    mixing = f"{at.mixing.steps:,}" if at.mixing.steps is not None else t(f"train.mixing_none_{at.mixing.reason}")
    c2.metric(t("train.mixing"), mixing, help=t("train.mixing_help"))
    pi = at.stationary
    st.plotly_chart(charts.stationary_bars(labels, pi, most_visited(pi, 40)), key="stationary", config=charts.PLOTLY_CONFIG)
    st.caption(t("train.stationary"))
    points = cache.by_temperature(source, trained)
    if points is not None:
        st.plotly_chart(charts.temperature_curve(points, T), key="by_temperature", config=charts.PLOTLY_CONFIG)
        st.caption(t("train.by_temperature", step=step))
