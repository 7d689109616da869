"""Train & explore: train a BabyGPT on your sequence and look at the chain it learned."""

import streamlit as st

from core.babygpt.mixing import tempered
from core.errors import CoreError
from ui import cache, explain_views, explore, i18n
from ui.i18n import t
from ui.inputs import (
    LN2,
    Refused,
    bound,
    configs,
    model_input,
    progress_bar,
    refusal,
    sequence_input,
    slider,
    tabs,
    training_input,
)
from ui.path import answer_slot, next_step, question
from ui.router import through_router
from ui.views import lengths_view

through_router()

st.title(t("train.title"))
question("train_explore")
answer = answer_slot()
st.markdown(t("train.intro"))
controls, out = st.columns([1, 2.6], gap="large")

with controls:
    seq = sequence_input()
    model = model_input()
    training = training_input()
    cfg = configs(seq, model, training)
if isinstance(cfg, Refused):  # said next to the control, and here where the results would be
    refusal(out, cfg)
    st.stop()
mc, tc = cfg
k = mc.block_size

V = seq.vocab
with out:
    try:
        with progress_bar() as bar:  # drawn once training starts: a cached or refused run shows no bar
            progress = lambda s, n, loss: bar(s / n, t("train.progress", step=s, steps=n, loss=loss / LN2))
            result = cache.trained(mc, tc, seq.tokens, progress=progress)
    except CoreError as e:
        st.error(i18n.error(e))
        st.stop()
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
    step = bound("select_slider", t("train.step"), steps, "step", value=steps[-1]) if len(steps) > 1 else steps[0]
    T = slider(t("train.temperature"), 0.1, 5.0, 1.0, 0.1, key="T", help=t("train.temperature_help"))
    probs = tempered(result.snapshots[step], T)  # T = 1: the table as trained
    source = (mc, tc, seq.tokens, step)  # where the table comes from: the cache key of its views
    if T != 1.0:
        st.caption(t("train.temperature_note", T=T))
    data = cache.counts(seq.tokens, V, k)
    labels = cache.state_labels(V, k, seq.itos)
    answer.markdown(explain_views.chain_answer(source + (T,), probs, seq, k, data))

    TABS = {"graph": t("train.tab_graph"), "table": t("train.tab_table"), "lengths": t("train.tab_lengths", k=k)}
    TABS |= {"sample": t("train.tab_sample"), "long_run": t("train.tab_long_run")}  # codes in the address (?tab=table)
    TABS["unseen"] = t("explain.tab")
    open_tab, tab = tabs(TABS, "tab")
    with tab[open_tab]:  # only the open tab is computed; the others stay empty until chosen
        if open_tab == "graph":
            explore.graph_tab(source + (T,), result, step, probs, seq, V, k, data, labels, T)
        elif open_tab == "table":
            explore.table_tab(mc, tc, seq, step, T, probs, data, labels)
        elif open_tab == "lengths":
            lengths_view(mc, tc, seq.tokens, seq.itos, step, T)
        elif open_tab == "unseen":
            explain_views.unseen_tab(mc, tc, seq, step, source + (T,), probs, labels)
        elif open_tab == "sample":
            explore.sample_tab(source + (T,), seq, k, step, probs, data)
        else:
            explore.long_run_tab(source, result.snapshots[step], T, step, labels)
    st.caption(t("train.share"))

next_step("train_explore")
