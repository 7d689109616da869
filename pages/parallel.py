"""One text, two languages: the same sentence pairs in English and Chinese, states, bits and tokens side by side."""

import streamlit as st

from core.pages import parallel as model
from ui import parallel_views as views
from ui.cache import parallel, parallel_bpe
from ui.charts import PLOTLY_CONFIG
from ui.i18n import t
from ui.inputs import Refused, number, run, tabs
from ui.path import answer_slot, next_step, question
from ui.router import through_router

through_router()

st.title(t("parallel.title"))
question("parallel")
answer = answer_slot()
if (p := run(parallel, model.HELDOUT, model.CONTEXTS, label=t("parallel.counting"))) is None:
    st.stop()
frame = model.frame(p)
answer.markdown(views.answer(frame))
st.markdown(views.intro(frame))
st.caption(views.source(frame))

TABS = {code: t(f"parallel.tab_{code}") for code in ("sizes", "states", "bits", "bpe")}  # ?pl_tab=bits
open_tab, tab = tabs(TABS, "pl_tab")  # only the open tab is computed
with tab[open_tab]:
    if open_tab == "sizes":
        sizes = model.sizes(p)
        st.markdown(views.sizes_summary(sizes))
        views.show(views.sizes_table(sizes), key="pl_sizes")
        st.caption(t("parallel.shannon_note"))
    elif open_tab == "states":
        states = model.states(p)
        st.markdown(views.pair_states(states))
        st.markdown(views.states_summary(states))
        st.plotly_chart(views.states_chart(states), key="pl_states_chart", config=PLOTLY_CONFIG)
        with st.expander(t("parallel.states_tables")):
            st.markdown(t("parallel.states_intro", r=states.span_ratio))
            views.show(views.span_table(states), key="pl_span")
            views.show(views.states_table(states), height="content", key="pl_states")
    elif open_tab == "bits":
        bits = model.bits(p)
        st.markdown(views.bits_summary(bits))
        st.caption(views.bits_intro(bits))
        a, b = st.columns(2)
        a.plotly_chart(views.char_chart(bits), key="pl_char_chart", config=PLOTLY_CONFIG)
        b.plotly_chart(views.pair_chart(bits), key="pl_pair_chart", config=PLOTLY_CONFIG)
        st.caption(views.budget(bits))
        with st.expander(t("parallel.bits_table")):
            views.show(views.bits_table(bits), height="content", key="pl_bits")
    elif (trained := run(parallel_bpe, model.SIZES, model.HELDOUT, label=t("parallel.training_bpe"))) is not None:
        bpe = model.bpe(trained, model.HELDOUT)
        st.markdown(views.bpe_summary(bpe))
        st.caption(t("parallel.bpe_intro"))
        st.plotly_chart(views.bpe_chart(bpe), key="pl_bpe_chart", config=PLOTLY_CONFIG)
        with st.expander(t("parallel.bpe_table")):
            views.show(views.bpe_table(bpe), key="pl_bpe")
        with st.expander(t("parallel.bpe_pair"), expanded=True):
            try:
                n = number(t("parallel.pair_number", n=frame.heldout_pairs), 1, frame.heldout_pairs, 1, "pl_pair")
            except Refused:
                st.stop()
            views.show_pair(model.pair_tokens(trained, n, model.HELDOUT))

next_step("parallel")
