"""Real text: what a longer context buys on real text, with Shannon's 1951 table side by side."""

import streamlit as st

from core.pages import real_text as model
from core.text.analysis import GRAPH_CONTEXTS
from core.text.corpus import ALPHABETS
from core.text.limits import MAX_HELDOUT
from ui import i18n
from ui import text_views as views
from ui.cache import text_graph_page, text_sweep
from ui.charts import PLOTLY_CONFIG
from ui.graph import frame_of
from ui.i18n import t
from ui.inputs import bound, choice, run, slider, tabs
from ui.path import answer_slot, next_step, question
from ui.router import through_router

through_router()

st.title(t("real_text.title"))
question("real_text")
answer = answer_slot()
st.markdown(t("real_text.intro"))

source = choice(t("real_text.source"), list(model.SOURCES), "rt_source", lambda c: t(f"real_text.source_{c}"), horizontal=True)
corpus = views.corpus_input(source)
st.caption(t("real_text.in_url"))
c1, c2, c3 = st.columns([2, 1, 1])
alphabet_notes = [t(f"real_text.alphabet_{name}") for name in ALPHABETS]
alphabet = bound("radio", t("real_text.alphabet"), ALPHABETS, "rt_alphabet", c1, captions=alphabet_notes, horizontal=True)
K = slider(t("real_text.longest"), 1, model.MAX_K, model.DEFAULT_K, key="rt_K", where=c2)
heldout = slider(
    t("real_text.heldout"),
    0.0,
    MAX_HELDOUT,
    model.DEFAULT_HELDOUT,
    0.05,
    key="rt_heldout",
    where=c3,
    help=t("real_text.heldout_help"),
)
if corpus is None:
    st.stop()
key, text = corpus
if (result := run(text_sweep, key, text, alphabet, heldout, tuple(range(K + 1)), label=t("real_text.counting"))) is None:
    st.stop()
inputs = (result, key, alphabet, heldout, K)

page = model.real_text(*inputs)
answer.markdown(views.answer(page))
with st.expander(t("real_text.alphabet_size", V=page.vocab, train=page.train_symbols, heldout=page.heldout_symbols)):
    st.code(views.symbols(page), language=None, wrap_lines=True)

TABS = {"contexts": t("real_text.contexts", K=K), "shannon": t("real_text.shannon"), "chain": t("real_text.chain")}
open_tab, tab = tabs(TABS, "rt_tab")  # codes in the address (?rt_tab=chain); only the open tab is computed
with tab[open_tab]:
    if open_tab == "contexts":
        view = model.contexts(*inputs)
        a, b, c = st.columns(3)
        a.plotly_chart(views.bits_chart(view.curves), key="rt_bits", config=PLOTLY_CONFIG)
        b.plotly_chart(views.states_chart(view.curves), key="rt_states", config=PLOTLY_CONFIG)
        if view.has_heldout:
            c.plotly_chart(views.unseen_chart(view.curves), key="rt_unseen", config=PLOTLY_CONFIG)
        else:
            c.info(t("real_text.no_heldout"))
        st.markdown(views.summary(view.summary))
        with st.expander(t("real_text.table_head", K=K)):
            table = views.sweep_table(view)
            shown, config = views.display(table, views.sweep_formats())
            st.dataframe(shown, column_config=config, hide_index=True, height="content", key="rt_table")
            st.download_button(
                t("real_text.download_sweep"), views.csv(table), "real_text_sweep.csv", "text/csv", key="rt_dl", on_click="ignore"
            )
            st.caption(t("real_text.sweep_note"))
    elif open_tab == "shannon":
        view = model.shannon(*inputs, source)
        if view.missing is not None:
            st.info(t("parallel.rt_cjk", n=view.cjk) if view.missing == "cjk" else t("real_text.shannon_too_short"))
        elif view.builtin_f3 is not None:
            st.markdown(t("real_text.shannon_builtin", f3=view.builtin_f3))
        st.markdown(t("real_text.shannon_intro"))
        shown, config = views.display(views.shannon_table(view), views.shannon_formats())
        st.dataframe(shown, column_config=config, hide_index=True, key="rt_shannon")
        st.caption(t("real_text.shannon_source", citation=view.citation))
    else:
        index = GRAPH_CONTEXTS.index(model.DEFAULT_GRAPH_K)
        gk = bound("radio", t("real_text.graph_k"), GRAPH_CONTEXTS, "rt_graph_k", index=index, horizontal=True)
        view = model.chain(*inputs, gk)
        if view.focus is None:
            st.info(t("real_text.graph_too_short", k=gk))
        else:
            if view.observed is not None:
                st.markdown(t("real_text.graph_intro_of", k=gk, observed=view.observed))
            else:
                st.markdown(t("real_text.graph_intro", k=gk))
            html = text_graph_page(key, alphabet, heldout, gk, i18n.lang(), view.focus, result.alphabet)
            st.iframe(html, height=frame_of(html), alt=t("real_text.graph_alt", k=gk))
            st.caption(t("real_text.graph_note"))

next_step("real_text")
