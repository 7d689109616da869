"""Compare: what a longer context buys, what a bigger vocabulary costs, what a seed changes."""

import streamlit as st

from core.babygpt.compare import bit_widths, text_to_bits
from core.babygpt.limits import MAX_SEEDS, MAX_STATES, MAX_SWEEP_CONTEXT
from core.babygpt.train import TrainConfig
from core.pages import compare as model
from ui import cache, compare_views, explain_views
from ui.babygpt_inputs import sequence_input
from ui.i18n import t
from ui.inputs import SEED_MAX, Refused, bound, number, refusal, run, slider, tabs, text_box
from ui.path import answer_slot, next_step, question
from ui.router import through_router

through_router()

st.title(t("compare.title"))
question("compare")
answer = answer_slot()  # each tab's conclusion, from its numbers
st.markdown(t("compare.intro"))
st.caption(t("compare.limits", contexts=MAX_SWEEP_CONTEXT, states=MAX_STATES, seeds=MAX_SEEDS))

with st.expander(t("compare.sequence"), expanded=True):
    seq = sequence_input("c_")
    c1, c2 = st.columns(2)
    try:
        steps = number(t("compare.steps"), 1, 500, 50, "c_steps", c1)
        seed = number(t("compare.seed"), 0, SEED_MAX, 1337, "c_seed", c2)
    except Refused as r:
        seq = r
if isinstance(seq, Refused):  # said next to the control, and here where the comparisons would be
    refusal(st, seq)
    st.stop()
tc = TrainConfig(steps=steps, seed=seed)
# The graphs' temperature (the tables and curves stay the model's own, T = 1).
T = slider(t("train.temperature"), 0.1, 5.0, 1.0, 0.1, key="c_T", help=t("train.temperature_help"))

TABS = {code: t(f"compare.tab_{code}") for code in ("sweep", "bits", "side", "seeds")}  # codes in the address (?c_tab=side)
open_tab, tab = tabs(TABS, "c_tab")  # only the open tab is computed

if open_tab == "sweep":
    with tab["sweep"]:
        lo, hi = slider(t("compare.contexts"), 1, MAX_SWEEP_CONTEXT, (1, 4), key="c_range")
        if (rows := run(cache.sweep, seq, model.contexts(lo, hi), tc)) is not None:
            compare_views.sweep(answer, model.sweep_tab(seq, tc, rows), rows, steps)

if open_tab == "bits":
    with tab["bits"]:
        st.markdown(t("compare.bits_what"))
        text = text_box("text_input", t("compare.bits_text"), "hello markov chain", "c_bits_text")
        B = bound("radio", t("compare.bits_B"), [4, 8], "c_B", index=0, horizontal=True)
        bits = text_to_bits(text)
        if (rows := run(cache.bits_compare, bits, B, bit_widths(B), tc)) is not None:
            m = model.bits_tab(bits, B, tc, rows)
            compare_views.bits(answer, m, rows, steps)
            b = bound("radio", t("compare.bits_show"), list(m.widths), "c_bits_show", horizontal=True)
            if (chain := model.bits_chain(m, rows, b, T)).drawable:
                compare_views.graph(chain, t("compare.bits_alt", b=b))

if open_tab == "side":
    with tab["side"]:
        ca, cb = st.columns(2)
        try:
            kA = number(t("compare.side_context", side="A"), 1, MAX_SWEEP_CONTEXT, 3, "c_kA", ca)
            sA = number(t("compare.side_seed", side="A"), 0, SEED_MAX, 1337, "c_sA", ca)
            kB = number(t("compare.side_context", side="B"), 1, MAX_SWEEP_CONTEXT, 4, "c_kB", cb)
            sB = number(t("compare.side_seed", side="B"), 0, SEED_MAX, 1337, "c_sB", cb)
            cmp = run(cache.side, seq, (kA, sA), (kB, sB), steps)
        except Refused:
            cmp = None
        if cmp is not None:
            st.caption(compare_views.budget(steps))
            m = model.side_tab(seq, (kA, sA), (kB, sB), steps, cmp, T)
            compare_views.side(answer, m, cmp, (ca, cb), seq, steps)

if open_tab == "seeds":
    with tab["seeds"]:
        c1, c2 = st.columns(2)
        n = slider(t("compare.seeds_n"), 2, MAX_SEEDS, 8, key="c_nseeds", where=c2)
        seeds = model.seed_range(seed, n)
        try:
            k = number(t("compare.seeds_context"), 1, MAX_SWEEP_CONTEXT, 3, "c_seed_k", c1)
            mc = model.seeds_model(seq.vocab, k)
            spread = run(cache.spread, seq, mc, tc, seeds)
        except Refused:
            spread = None
        if spread is not None:
            compare_views.seeds(answer, model.seeds_tab(seq, mc, tc, seeds, spread), seq)
            explain_views.seed_agreement(seq, mc, tc, seeds, spread)

next_step("compare")
