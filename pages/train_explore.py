"""Train & explore: train a BabyGPT on your sequence and look at the chain it learned."""

import streamlit as st

from core.errors import CoreError
from core.pages import train_explore as page
from ui import cache, explain_views, explore, i18n
from ui.babygpt_inputs import configs, model_input, sequence_input, training_input
from ui.explore import keep_step
from ui.i18n import t
from ui.inputs import Refused, bound, progress_bar, refusal, slider, tabs
from ui.path import answer_slot, next_step, question
from ui.router import through_router
from ui.views import stop_bridge

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

with out:
    try:
        with progress_bar() as bar:  # drawn once training starts: a cached or refused run shows no bar

            def progress(s, n, loss):
                done, bits = page.progress(s, n, loss)
                bar(done, t("train.progress", step=s, steps=n, loss=bits))

            result = cache.trained(mc, tc, seq.tokens, progress=progress)
    except CoreError as e:
        st.error(i18n.error(e))
        st.stop()
    run = page.training(mc, seq, result)
    numbers = {"params": run.params, "V": run.vocab, "k": run.context, "states": run.states, "examples": run.examples}
    st.caption(t("train.summary", **numbers, first=run.first_bits, final=run.final_bits))
    steps = list(run.steps)
    step = bound("select_slider", t("train.step"), steps, "step", value=run.last) if len(steps) > 1 else run.last
    T = slider(t("train.temperature"), 0.1, 5.0, 1.0, 0.1, key="T", help=t("train.temperature_help"))
    chain = page.chain(mc, tc, seq, result, step, T)  # its key: the cache key of every view of its table
    if chain.tempered:
        st.caption(t("train.temperature_note", T=T))
    data = cache.counts(seq.tokens, chain.vocab, chain.context)
    labels = cache.state_labels(chain.vocab, chain.context, seq.itos)
    _, rules = cache.weighed_rules(chain.key, chain.probs, seq.tokens, chain.vocab, chain.context)
    answer.markdown(explain_views.chain_answer(page.answer(chain, data, rules), seq.itos))

    stop_bridge("step", keep_step(tuple(result.snapshots)))  # outside the tabs' fragment: a stop reruns the page

    @i18n.fragment  # a tab, or a control inside one, reruns only the tabs (the rest of the page stays as drawn)
    def views() -> None:
        TABS = {"graph": t("train.tab_graph"), "table": t("train.tab_table"), "lengths": t("train.tab_lengths", k=run.context)}
        TABS |= {"sample": t("train.tab_sample"), "long_run": t("train.tab_long_run")}  # codes in the address (?tab=table)
        TABS["unseen"] = t("explain.tab")
        open_tab, tab = tabs(TABS, "tab")
        with tab[open_tab]:  # only the open tab is computed; the others stay empty until chosen
            if open_tab == "graph":
                explore.graph_tab(chain, result, seq, data, labels)
            elif open_tab == "table":
                explore.table_tab(chain, seq, data, labels)
            elif open_tab == "lengths":
                explore.lengths_tab(chain, seq.itos)
            elif open_tab == "unseen":
                explain_views.unseen_tab(chain, seq, labels)
            elif open_tab == "sample":
                explore.sample_tab(chain, seq, data)
            else:
                explore.long_run_tab(chain, result, labels)

    views()
    st.caption(t("train.share"))

next_step("train_explore")
