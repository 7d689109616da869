"""Train & explore: train a BabyGPT on your sequence and look at the chain it learned."""

import streamlit as st

from core.chain import entropy_rate_bits, model_vs_data, most_visited
from core.data import random_walk
from core.errors import CoreError
from core.focus import FULL_GRAPH_LIMIT
from core.states import label
from ui import cache, charts, i18n, tables
from ui.graph import GRAPH_NODE_LIMIT, HEATMAP_ROW_LIMIT
from ui.i18n import t
from ui.inputs import BIND, LN2, SEED_MAX, Refused, configs, model_input, number, sequence_input, training_input
from ui.router import through_router
from ui.views import chain_graph, lengths_view

through_router()

st.title(t("train.title"))
st.markdown(t("train.intro"))
controls, out = st.columns([1, 2.6], gap="large")

with controls:
    seq = sequence_input()
    model = model_input()
    training = training_input()
    cfg = configs(seq, model, training)
if cfg is None:
    st.stop()
mc, tc = cfg
k = mc.block_size

V = seq.vocab
with out:
    bar = st.progress(0.0, text=t("train.training"))
    progress = lambda s, n, loss: bar.progress(s / n, text=t("train.progress", step=s, steps=n, loss=loss / LN2))
    try:
        result = cache.trained(mc, tc, seq.tokens, progress=progress)
    except CoreError as e:
        with controls:
            st.error(i18n.error(e))
        st.stop()
    finally:
        bar.empty()
    steps = sorted(result.snapshots)
    first_loss = result.losses[0] if result.losses else result.final_loss
    st.caption(
        t(
            "train.summary",
            params=result.n_params,
            V=V,
            k=k,
            states=V**k,
            examples=len(seq.tokens) - k,
            first=first_loss / LN2,
            final=result.final_loss / LN2,
        )
    )
    step = st.select_slider(t("train.step"), steps, value=steps[-1], key="step", bind=BIND) if len(steps) > 1 else steps[0]
    probs = result.snapshots[step]
    data = cache.counts(seq.tokens, V, k)
    labels = cache.state_labels(V, k, seq.itos)

    tab_graph, tab_table, tab_var, tab_sample, tab_stat = st.tabs(
        [t("train.tab_graph"), t("train.tab_table"), t("train.tab_lengths", k=k), t("train.tab_sample"), t("train.tab_long_run")],
        key="tab",
        bind=BIND,
    )
    with tab_graph:
        html = chain_graph(probs, V, k, seq.itos, data)
        if html is not None:
            lang = i18n.lang()  # the click runs outside this script run
            standalone = lambda: cache.chain_html(probs, V, k, seq.itos, data, standalone=True, lang=lang)  # built on click
            if V**k <= GRAPH_NODE_LIMIT:
                st.download_button(
                    t("train.download_graph"), standalone, "babygpt_graph.html", "text/html", key="dl_graph", on_click="ignore"
                )
        if FULL_GRAPH_LIMIT < V**k <= HEATMAP_ROW_LIMIT:
            with st.expander(t("train.heatmap", states=V**k)):
                title = t("train.heatmap_title", step=step)
                st.plotly_chart(charts.heatmap(probs, labels, list(seq.itos), title), key="heat")
        elif V**k > HEATMAP_ROW_LIMIT:
            st.info(t("train.no_heatmap", states=V**k, limit=HEATMAP_ROW_LIMIT))
        st.plotly_chart(charts.loss_curve([x / LN2 for x in result.losses], step), key="loss")
        st.caption(t("train.final_loss"))

    with tab_table:
        table = tables.model_vs_data(labels, probs, model_vs_data(probs, data), seq.itos)
        st.dataframe(tables.shown(table), hide_index=True, key="table")
        c1, c2, c3 = st.columns(3)
        # downloads are built on click (callables), not on every rerun
        c1.download_button(
            t("train.download_csv"), lambda: tables.csv(table), "babygpt_table.csv", "text/csv", key="dl_csv", on_click="ignore"
        )
        payload = lambda: tables.chain_json(seq.itos, k, step, labels, probs, data)
        c2.download_button(
            t("train.download_json"), payload, "babygpt_table.json", "application/json", key="dl_json", on_click="ignore"
        )
        weights = lambda: cache.weights_bytes(mc, tc, seq.tokens)
        c3.download_button(t("train.download_weights"), weights, "babygpt.pt", key="dl_weights", on_click="ignore")

    with tab_var:
        lengths_view(mc, tc, seq.tokens, seq.itos)

    with tab_sample:
        c1, c2 = st.columns(2)
        try:
            n = number(t("train.sample_length"), 1, 2000, 60, "sample_len", c1)
            sseed = number(t("train.sample_seed"), 0, SEED_MAX, 0, "sample_seed", c2)
        except Refused:
            pass
        else:
            start = tuple(seq.tokens[:k])
            generated = random_walk(probs, n, sseed, start)
            st.caption(t("train.sample_start", state=repr(label(start, seq.itos)), step=step))
            st.code("".join(seq.itos[tok] for tok in generated), language=None, wrap_lines=True)

    with tab_stat:
        pi = cache.stationary(probs)
        st.metric(t("train.entropy_rate"), f"{entropy_rate_bits(probs, pi):.4f}")
        st.plotly_chart(charts.stationary_bars(labels, pi, most_visited(pi, 40)), key="stationary")
        st.caption(t("train.stationary"))
    st.caption(t("train.share"))
