"""One text, two languages: the same sentence pairs in English and Chinese, states, bits and tokens side by side."""

import streamlit as st

from core.text.corpus import PARALLEL_COMMIT, PARALLEL_REPO
from core.text.parallel import heldout_pair, same_span, verdict
from ui import parallel_views as views
from ui import text_views
from ui.cache import parallel, parallel_bpe
from ui.charts import PLOTLY_CONFIG
from ui.i18n import t
from ui.inputs import Refused, number, run, tabs
from ui.path import answer_slot, next_step, question
from ui.router import through_router

through_router()

HELDOUT = 0.1  # the last tenth of the pairs, in both languages
CONTEXTS = tuple(range(9))  # k = 0..8 characters

st.title(t("parallel.title"))
question("parallel")
answer = answer_slot()
if (p := run(parallel, HELDOUT, CONTEXTS, label=t("parallel.counting"))) is None:
    st.stop()
answer.markdown(views.answer(verdict(p)))
intro = dict(pairs=p.en.pairs, en_symbols=p.en.symbols, zh_symbols=p.zh.symbols, heldout=HELDOUT, held=p.en.heldout_pairs)
st.markdown(t("parallel.intro", **intro))
st.caption(
    t(
        "parallel.source",
        source=PARALLEL_REPO,
        commit=PARALLEL_COMMIT[:12],
        en_license=text_views.license_of(p.en.name),
        zh_license=text_views.license_of(p.zh.name),
    )
)

TABS = {code: t(f"parallel.tab_{code}") for code in ("sizes", "states", "bits", "bpe")}  # ?pl_tab=bits
open_tab, tab = tabs(TABS, "pl_tab")  # only the open tab is computed
with tab[open_tab]:
    if open_tab == "sizes":
        st.markdown(views.sizes_summary(p))
        views.show(views.sizes_table(p), key="pl_sizes")
        st.caption(t("parallel.shannon_note"))
    elif open_tab == "states":
        st.markdown(views.pair_states(p))
        st.markdown(views.states_summary(p))
        st.plotly_chart(views.states_chart(p), key="pl_states_chart", config=PLOTLY_CONFIG)
        with st.expander(t("parallel.states_tables")):
            st.markdown(t("parallel.states_intro", r=p.span_ratio))
            en_span, zh_span = same_span(p, [k for k in CONTEXTS if k > 0])
            views.show(views.span_table(en_span, zh_span), key="pl_span")
            views.show(views.states_table(p), height="content", key="pl_states")
    elif open_tab == "bits":
        st.markdown(views.bits_summary(p))
        cpp = dict(en_cpp=p.en.heldout_characters / p.en.heldout_pairs, zh_cpp=p.zh.heldout_characters / p.zh.heldout_pairs)
        st.caption(t("parallel.bits_intro", **cpp))
        a, b = st.columns(2)
        a.plotly_chart(views.char_chart(p), key="pl_char_chart", config=PLOTLY_CONFIG)
        b.plotly_chart(views.pair_chart(p), key="pl_pair_chart", config=PLOTLY_CONFIG)
        st.caption(t("parallel.budget", en_train=p.en.train_characters, zh_train=p.zh.train_characters, pairs=p.en.train_pairs))
        with st.expander(t("parallel.bits_table")):
            views.show(views.bits_table(p), height="content", key="pl_bits")
    elif (bpe := run(parallel_bpe, views.SIZES, HELDOUT, label=t("parallel.training_bpe"))) is not None:
        st.markdown(views.bpe_summary(bpe, p))
        st.caption(t("parallel.bpe_intro"))
        st.plotly_chart(views.bpe_chart(bpe, p), key="pl_bpe_chart", config=PLOTLY_CONFIG)
        with st.expander(t("parallel.bpe_table")):
            views.show(views.bpe_table(bpe, p), key="pl_bpe")
        with st.expander(t("parallel.bpe_pair"), expanded=True):
            try:
                n = number(t("parallel.pair_number", n=p.en.heldout_pairs), 1, p.en.heldout_pairs, 1, "pl_pair")
            except Refused:
                st.stop()
            sides = dict(zip(("en", "zh"), heldout_pair(n, HELDOUT), strict=True))
            halves = ((p.en, bpe.tokenizers[: len(views.SIZES)]), (p.zh, bpe.tokenizers[len(views.SIZES) :]))
            for h, tokenizers in halves:
                st.markdown(f"**{views.name(h)}**")
                st.code(sides[h.language], language=None, wrap_lines=True)
                for size, tok in zip(views.SIZES, tokenizers, strict=True):
                    st.markdown(t("parallel.tokens_at", size=size))
                    st.code(views.preview(tok, sides[h.language]), language=None, wrap_lines=True)

next_step("parallel")
