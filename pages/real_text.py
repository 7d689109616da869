"""Real text: what a longer context buys on real text, with Shannon's 1951 table side by side."""

import streamlit as st

from core.symbols import visible
from core.text.analysis import GRAPH_CONTEXTS
from core.text.corpus import ALPHABETS
from core.text.limits import MAX_HELDOUT, MAX_SWEEP_K
from core.text.shannon import CITATION, side_by_side
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

MAX_K = min(16, MAX_SWEEP_K)

st.title(t("real_text.title"))
question("real_text")
answer = answer_slot()
st.markdown(t("real_text.intro"))

source = choice(t("real_text.source"), list(views.SOURCES), "rt_source", lambda c: t(f"real_text.source_{c}"), horizontal=True)
corpus = views.corpus_input(source)
st.caption(t("real_text.in_url"))
c1, c2, c3 = st.columns([2, 1, 1])
alphabet_notes = [t(f"real_text.alphabet_{name}") for name in ALPHABETS]
alphabet = bound("radio", t("real_text.alphabet"), ALPHABETS, "rt_alphabet", c1, captions=alphabet_notes, horizontal=True)
K = slider(t("real_text.longest"), 1, MAX_K, 8, key="rt_K", where=c2)
heldout = slider(
    t("real_text.heldout"), 0.0, MAX_HELDOUT, 0.1, 0.05, key="rt_heldout", where=c3, help=t("real_text.heldout_help")
)
if corpus is None:
    st.stop()
key, text = corpus
if (result := run(text_sweep, key, text, alphabet, heldout, tuple(range(K + 1)), label=t("real_text.counting"))) is None:
    st.stop()

V = len(result.alphabet)
answer.markdown(views.answer(result.rows[-1], V))
with st.expander(t("real_text.alphabet_size", V=V, train=result.train_symbols, heldout=result.heldout_symbols)):
    symbols = " ".join(visible(s) for s in result.alphabet[:400]) + (t("real_text.more_symbols", n=V - 400) if V > 400 else "")
    st.code(symbols, language=None, wrap_lines=True)

TABS = {"contexts": t("real_text.contexts", K=K), "shannon": t("real_text.shannon"), "chain": t("real_text.chain")}
open_tab, tab = tabs(TABS, "rt_tab")  # codes in the address (?rt_tab=chain); only the open tab is computed
with tab[open_tab]:
    if open_tab == "contexts":
        a, b, c = st.columns(3)
        a.plotly_chart(views.bits_chart(result.rows, alphabet == "shannon27"), key="rt_bits", config=PLOTLY_CONFIG)
        b.plotly_chart(views.states_chart(result.rows), key="rt_states", config=PLOTLY_CONFIG)
        if result.rows[-1].heldout_unseen_fraction is not None:
            c.plotly_chart(views.unseen_chart(result.rows), key="rt_unseen", config=PLOTLY_CONFIG)
        else:
            c.info(t("real_text.no_heldout"))
        st.markdown(views.summary(result.rows))
        with st.expander(t("real_text.table_head", K=K)):
            table = views.sweep_table(result.rows, V)
            shown, config = views.display(table, views.sweep_formats())
            st.dataframe(shown, column_config=config, hide_index=True, height="content", key="rt_table")
            st.download_button(
                t("real_text.download_sweep"), views.csv(table), "real_text_sweep.csv", "text/csv", key="rt_dl", on_click="ignore"
            )
            st.caption(t("real_text.sweep_note"))
    elif open_tab == "shannon":
        comparisons = side_by_side(result.shannon27, 27) if result.shannon27 is not None else None
        if comparisons is None:
            st.info(t("parallel.rt_cjk", n=result.cjk) if result.cjk else t("real_text.shannon_too_short"))
        elif source == "built-in":
            f3 = result.shannon27[2].conditional_entropy_bits
            st.markdown(t("real_text.shannon_builtin", f3=f3))
        st.markdown(t("real_text.shannon_intro"))
        shown, config = views.display(views.shannon_table(comparisons), views.shannon_formats())
        st.dataframe(shown, column_config=config, hide_index=True, key="rt_shannon")
        st.caption(t("real_text.shannon_source", citation=CITATION))
    else:
        gk = bound("radio", t("real_text.graph_k"), GRAPH_CONTEXTS, "rt_graph_k", index=1, horizontal=True)
        if (f := result.focus[gk - 1]) is None:
            st.info(t("real_text.graph_too_short", k=gk))
        else:
            if gk <= K:
                st.markdown(t("real_text.graph_intro_of", k=gk, observed=result.rows[gk].observed_contexts))
            else:
                st.markdown(t("real_text.graph_intro", k=gk))
            html = text_graph_page(key, alphabet, heldout, gk, i18n.lang(), f, result.alphabet)
            st.iframe(
                html,
                height=frame_of(html),
                alt=t("real_text.graph_alt", k=gk),
            )
            st.caption(t("real_text.graph_note"))

next_step("real_text")
