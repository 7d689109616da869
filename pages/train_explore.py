"""Train & explore: train a BabyGPT on your sequence and look at the chain it learned."""

import json

import streamlit as st

from core.chain import entropy_rate_bits, model_vs_data, most_visited
from core.data import random_walk
from core.errors import CoreError
from core.states import label
from ui import cache, charts, tables
from ui.graph import GRAPH_NODE_LIMIT, HEATMAP_ROW_LIMIT
from ui.inputs import BIND, configs, model_input, sequence_input, training_input

st.title("Train & explore")
controls, out = st.columns([1, 2.6], gap="large")

with controls:
    seq = sequence_input()
    k, shape = model_input()
    training = training_input()

if seq is None:
    st.stop()
cfg = configs(seq, k, shape, training)
if cfg is None:
    st.stop()
mc, tc = cfg

V = seq.vocab
with out:
    bar = st.progress(0.0, text="training…")
    try:
        result = cache.trained(
            mc, tc, seq.tokens, progress=lambda s, n, loss: bar.progress(s / n, text=f"step {s}/{n}, loss {loss:.4f}")
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
        f"{len(seq.tokens) - k:,} examples · loss {first_loss:.4f} → {result.final_loss:.4f}"
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
        ["Graph", "Table", f"All lengths 1..{k}", "Sample", "Stationary distribution"]
    )
    with tab_graph:
        if V**k <= GRAPH_NODE_LIMIT:
            html = cache.chain_html(probs, V, k, seq.itos, data)
            st.iframe(html, height=600, alt="transition graph of the learned chain")
            st.caption("Blue: states seen in the data. Red, dashed: never seen. Arrow width: probability. Label: next token (P).")
            standalone = lambda: cache.chain_html(probs, V, k, seq.itos, data, standalone=True)  # built on click
            st.download_button(
                "Download graph (HTML)", standalone, "babygpt_graph.html", "text/html", key="dl_graph", on_click="ignore"
            )
        elif V**k <= HEATMAP_ROW_LIMIT:
            st.info(
                f"{V**k:,} states is more than the {GRAPH_NODE_LIMIT} a graph can show legibly: here is the table as a heatmap."
            )
            st.plotly_chart(charts.heatmap(probs, labels, list(seq.itos), f"P(next token | state), step {step}"), key="heat")
        else:
            st.info(
                f"{V**k:,} states is too many to draw (graph: {GRAPH_NODE_LIMIT}, heatmap: {HEATMAP_ROW_LIMIT:,}): see the table."
            )
        st.plotly_chart(charts.loss_curve(list(result.losses), step), key="loss")

    with tab_table:
        table = tables.model_vs_data(labels, probs, model_vs_data(probs, data), seq.itos)
        st.dataframe(table, hide_index=True, key="table")
        c1, c2, c3 = st.columns(3)
        # downloads are built on click (callables), not on every rerun
        c1.download_button(
            "Table (CSV)", lambda: table.to_csv(index=False), "babygpt_table.csv", "text/csv", key="dl_csv", on_click="ignore"
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
        n = c1.number_input("Tokens to generate", 1, 2000, 60, key="sample_len", bind=BIND)
        sseed = c2.number_input("Sampling seed", 0, 2**31 - 1, 0, key="sample_seed", bind=BIND)
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
