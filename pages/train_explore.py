"""Train & explore: train a BabyGPT on your sequence and look at the chain it learned."""

import json

import streamlit as st

from core.chain import entropy_rate_bits, model_vs_data, most_visited
from core.data import random_walk
from core.errors import CoreError
from core.focus import FULL_GRAPH_LIMIT
from core.states import label
from ui import cache, charts, tables
from ui.graph import GRAPH_NODE_LIMIT, HEATMAP_ROW_LIMIT
from ui.inputs import BIND, FINAL_LOSS, LN2, SEED_MAX, Refused, configs, model_input, number, sequence_input, training_input
from ui.router import through_router
from ui.views import chain_graph

through_router()

st.title("Train & explore")
st.markdown(
    "Try **k = 4** on the article's sequence: the ambiguous state 111 splits into 0111 and 1111 and the arrows sharpen. "
    "Then type your own text, and scrub the training step to watch the chain form."
)
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
    bar = st.progress(0.0, text="training…")
    try:
        result = cache.trained(
            mc, tc, seq.tokens, progress=lambda s, n, loss: bar.progress(s / n, text=f"step {s}/{n}, loss {loss / LN2:.4f} bits")
        )
    except CoreError as e:
        with controls:
            st.error(str(e))
        st.stop()
    finally:
        bar.empty()
    steps = sorted(result.snapshots)
    first_loss = result.losses[0] if result.losses else result.final_loss
    st.caption(
        f"{result.n_params:,} parameters · V = {V} · k = {k} · {V**k:,} states · "
        f"{len(seq.tokens) - k:,} examples · loss {first_loss / LN2:.4f} → {result.final_loss / LN2:.4f} bits per token"
    )
    step = (
        st.select_slider("Training step (0 = init)", steps, value=steps[-1], key="step", bind=BIND)
        if len(steps) > 1
        else steps[0]
    )
    probs = result.snapshots[step]
    data = cache.counts(seq.tokens, V, k)
    labels = cache.state_labels(V, k, seq.itos)

    tab_graph, tab_table, tab_var, tab_sample, tab_stat = st.tabs(
        ["Graph", "Table", f"Lengths 1..{k}", "Sample", "Long run"], key="tab", bind=BIND
    )
    with tab_graph:
        html = chain_graph(probs, V, k, seq.itos, data)
        if html is not None:
            standalone = lambda: cache.chain_html(probs, V, k, seq.itos, data, standalone=True)  # built on click
            if V**k <= GRAPH_NODE_LIMIT:
                st.download_button(
                    "Download graph (HTML)", standalone, "babygpt_graph.html", "text/html", key="dl_graph", on_click="ignore"
                )
        if FULL_GRAPH_LIMIT < V**k <= HEATMAP_ROW_LIMIT:
            with st.expander(f"The whole chain as a heatmap ({V**k:,} states)"):
                title = f"P(next token | state), step {step}"
                st.plotly_chart(charts.heatmap(probs, labels, list(seq.itos), title), key="heat")
        elif V**k > HEATMAP_ROW_LIMIT:
            st.info(f"{V**k:,} states is too many for a heatmap ({HEATMAP_ROW_LIMIT:,}): the Table tab has every state.")
        st.plotly_chart(charts.loss_curve([x / LN2 for x in result.losses], step), key="loss")
        st.caption(FINAL_LOSS)

    with tab_table:
        table = tables.model_vs_data(labels, probs, model_vs_data(probs, data), seq.itos)
        st.dataframe(tables.shown(table), hide_index=True, key="table")
        c1, c2, c3 = st.columns(3)
        # downloads are built on click (callables), not on every rerun
        c1.download_button(
            "Table (CSV)", lambda: tables.csv(table), "babygpt_table.csv", "text/csv", key="dl_csv", on_click="ignore"
        )
        payload = lambda: json.dumps(
            {
                "vocab": list(seq.itos),
                "context": k,
                "step": step,
                "states": labels,
                "probs": probs.tolist(),
                "counts": data.tolist(),
            }
        )
        c2.download_button("Table (JSON)", payload, "babygpt_table.json", "application/json", key="dl_json", on_click="ignore")
        weights = lambda: cache.weights_bytes(mc, tc, seq.tokens)
        c3.download_button("Trained weights (.pt)", weights, "babygpt.pt", key="dl_weights", on_click="ignore")

    with tab_var:
        try:
            vstates, vprobs, vhtml = cache.variable_length(mc, tc, seq.tokens, seq.itos)
        except CoreError as e:
            st.info(str(e))
        else:
            st.markdown(
                f"A GPT can also be fed 1..{k} tokens: {len(vstates):,} states. Shorter states **grow** "
                "(1 → 10 / 11), full ones **slide**. Trained model, last step."
            )
            if vhtml is not None:
                st.iframe(vhtml, height=600, alt="transition graph over states of every length")
            vlabels = [label(s, seq.itos) for s in vstates]
            st.dataframe(tables.variable_length(vlabels, vprobs, seq.itos), hide_index=True, key="vtable")

    with tab_sample:
        c1, c2 = st.columns(2)
        try:
            n = number("Tokens to generate", 1, 2000, 60, "sample_len", c1)
            sseed = number("Sampling seed", 0, SEED_MAX, 0, "sample_seed", c2)
        except Refused:
            pass
        else:
            start = tuple(seq.tokens[:k])
            generated = random_walk(probs, n, sseed, start)
            st.caption(f"Starting from the first state of the data, {label(start, seq.itos)!r}, step {step}:")
            st.code("".join(seq.itos[t] for t in generated), language=None, wrap_lines=True)

    with tab_stat:
        pi = cache.stationary(probs)
        st.metric("Entropy rate (bits per token)", f"{entropy_rate_bits(probs, pi):.4f}")
        st.plotly_chart(charts.stationary_bars(labels, pi, most_visited(pi, 40)), key="stationary")
        st.caption("The long-run share of time the chain spends in each state (top 40), and its average uncertainty.")
    st.caption("Every control above lives in the address bar: copy the URL to share exactly this view.")
