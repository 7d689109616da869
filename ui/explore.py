"""The tabs of Train & explore, one function each: what a tab's page model (`core.pages.train_explore`) says, drawn.

What it is not: the controls or the training (`ui.inputs`, `ui.cache`), nor any number or verdict (the page model,
`core.babygpt.chain`). The page calls only the open tab's function.
"""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st

from core.babygpt.data import Sequence
from core.babygpt.states import label
from core.babygpt.train import TrainResult
from core.errors import CoreError
from core.pages import train_explore as page
from ui import cache, charts, i18n, tables
from ui.graph import frame_of
from ui.i18n import inert, t
from ui.inputs import SEED_MAX, Refused, number
from ui.views import Player, chain_graph, explain_link


def keep_step(steps) -> Callable[[int], None]:
    """What a stopped player does with its step: the step slider (key "step", in the address) moves there."""

    def keep(step: int) -> None:
        if step in steps:
            st.session_state["step"] = step

    return keep


def graph_tab(c: page.Chain, result: TrainResult, seq: Sequence, data, labels: list[str]) -> None:
    """The learned chain at the page's step (whole or focused, playing every snapshot), a heatmap past the graph's
    size, the loss curve. A stopped player's step reaches the page through its `stop_bridge("step", ...)`."""
    g = page.graph_tab(c, result)
    V, k = c.vocab, c.context
    player = Player("step", result, c.key.temperature, g.step)
    html = chain_graph(c.key, c.probs, V, k, seq.itos, data, player=player, explain=explain_link(V, k))
    if html is not None and g.download:
        lang = i18n.lang()  # the click runs outside this script run
        standalone = lambda: cache.chain_html(c.key, c.probs, V, k, seq.itos, data, standalone=True, lang=lang)  # on click
        st.download_button(
            t("train.download_graph"), standalone, "babygpt_graph.html", "text/html", key="dl_graph", on_click="ignore"
        )
    if g.heatmap:
        with st.expander(t("train.heatmap", states=g.states)):
            title = t("train.heatmap_title", step=g.step)
            st.plotly_chart(charts.heatmap(c.probs, labels, list(seq.itos), title), key="heat", config=charts.PLOTLY_CONFIG)
    elif g.too_big:
        st.info(t("train.no_heatmap", states=g.states, limit=g.heatmap_limit))
    st.plotly_chart(charts.loss_curve(list(g.losses_bits)), key="loss", config=charts.PLOTLY_CONFIG)
    st.caption(t("train.final_loss"))


def table_tab(c: page.Chain, seq: Sequence, data, labels: list[str]) -> None:
    """Model against data for every state, with CSV / JSON / weights downloads (built on click)."""
    m = page.table_tab(c, data)
    key = m.key
    table = tables.model_vs_data(labels, m.probs, m.vs_data, seq.itos)
    st.dataframe(tables.shown(table), hide_index=True, key="table", placeholder=tables.never_seen())
    c1, c2, c3 = st.columns(3)
    missing = tables.never_seen()  # in this run's language: the file is built on click, in another thread
    csv = lambda: tables.csv(table, missing)
    c1.download_button(t("train.download_csv"), csv, "babygpt_table.csv", "text/csv", key="dl_csv", on_click="ignore")
    payload = lambda: tables.chain_json(seq.itos, c.context, key.step, labels, m.probs, m.counts, key.temperature)
    c2.download_button(
        t("train.download_json"), payload, "babygpt_table.json", "application/json", key="dl_json", on_click="ignore"
    )
    weights = lambda: cache.weights_bytes(key.model, key.train, key.tokens)
    c3.download_button(t("train.download_weights"), weights, "babygpt.pt", key="dl_weights", on_click="ignore")


def lengths_tab(c: page.Chain, itos: tuple[str, ...]) -> None:
    """The chain over states of every length 1..k at the page's step and T: a sentence, its graph while small, its table."""
    key = c.key
    try:
        states, probs, html = cache.variable_length(
            key.model, key.train, key.tokens, itos, key.step, key.temperature, i18n.lang()
        )
    except CoreError as e:
        st.info(i18n.error(e))
        return
    m = page.lengths_tab(c, states, probs)
    st.markdown(t("train.lengths", k=m.context, states=len(m.states), step=m.step, last=m.last))
    if m.tempered:
        st.caption(t("train.temperature_note", T=key.temperature))
    if html is not None:
        st.iframe(html, height=frame_of(html), alt=t("train.lengths_alt"))
    labels = [label(s, itos) for s in m.states]
    tables.show_fixed(tables.variable_length(labels, m.probs, itos), "vtable")


def sample_tab(c: page.Chain, seq: Sequence, data) -> None:
    """A seeded walk through the learned chain from the data's first state, and the same walk played in the graph."""
    c1, c2 = st.columns(2)
    try:
        n = number(t("train.sample_length"), 1, 2000, 60, "sample_len", c1)
        seed = number(t("train.sample_seed"), 0, SEED_MAX, 0, "sample_seed", c2)
    except Refused:
        return
    m = page.sample_tab(c, n, seed)
    st.caption(t("train.sample_start", state=inert(label(m.start, seq.itos)), step=m.key.step))
    st.code("".join(seq.itos[tok] for tok in m.generated), language=None, wrap_lines=True)
    if m.focus is not None:  # too many states to draw: the ones the walk passes through
        st.markdown(t("play.walk_note", drawn=len(m.focus.nodes), n=m.states))
    st.caption(t("play.walk_played"))
    V, k = c.vocab, c.context
    player = Player("walk", walk=(m.seed, m.length, m.start))
    chain_graph(m.key, c.probs, V, k, seq.itos, data, player=player, chosen=m.focus, explain=explain_link(V, k))


def long_run_tab(c: page.Chain, result: TrainResult, labels: list[str]) -> None:
    """The learned chain at temperature T: stationary distribution, entropy rate, mixing time, and both against T."""
    key, trained = c.key.as_trained, result.snapshots[c.key.step]
    m = page.long_run(c, cache.long_run(key, trained, c.key.temperature), cache.by_temperature(key, trained))
    c1, c2 = st.columns(2)
    c1.metric(t("train.entropy_rate"), f"{m.entropy_rate_bits:.4f}")
    mixing = f"{m.mixing_steps:,}" if m.mixing_steps is not None else t(f"train.mixing_none_{m.mixing_reason}")
    c2.metric(t("train.mixing"), mixing, help=t("train.mixing_help"))
    bars = charts.stationary_bars(labels, m.stationary, m.most_visited)
    st.plotly_chart(bars, key="stationary", config=charts.PLOTLY_CONFIG)
    st.caption(t("train.stationary"))
    if m.by_temperature is not None:
        curve = charts.temperature_curve(m.by_temperature, m.temperature)
        st.plotly_chart(curve, key="by_temperature", config=charts.PLOTLY_CONFIG)
        st.caption(t("train.by_temperature", step=m.step))
