"""Vocabulary & GPT: vocabulary size on real text, and a GPT against the n-gram on never-seen contexts."""

import streamlit as st

from core.address import read_number
from core.pages import text_models as pm
from core.text.corpus import ALPHABETS, BUILTIN
from core.text.limits import MAX_SPAN, MAX_SWEEP_K, MAX_TEXT_CONTEXT, MAX_TEXT_STEPS, MAX_VOCAB_SIZES, MIN_SPAN
from core.text.pretrained import pretrained_key
from ui import i18n, sides_views, text_views, vocab_views
from ui import model_views as views
from ui.cache import (
    name_samples,
    pretrain_spec,
    pretrained_board,
    pretrained_samples,
    pretrained_status,
    shipped_model,
    table_on_curve,
    text_gpt_board,
    text_kn_curve,
    text_vocab,
)
from ui.i18n import t
from ui.inputs import BIND, SEED_MAX, Refused, bound, bound_many, choice, from_address, number, tabs
from ui.path import answer_slot, next_step, question
from ui.router import through_router

through_router()

st.title(t("text_models.title"))
question("text_models")
answer = answer_slot()
st.markdown(t("text_models.intro"))
corpus = BUILTIN[choice(t("parallel.tm_corpus"), list(BUILTIN), "tm_corpus", lambda name: name, horizontal=True)]
d = pm.defaults(corpus.language)
description, license_ = text_views.description(corpus.name), text_views.license_of(corpus.name)
st.caption(t("text_models.corpus", description=description, license=license_, heldout=pm.HELDOUT))

# The answer: the GPTs trained beforehand against the count tables (shipped or stored, never trained here).
status, info = pretrained_status()
pre, names = info.get("model"), shipped_model("names")
if status == "ready":
    board = pretrained_board(pretrained_key(pre.spec), pre)
    a = pm.answer(pre, board, names)
    answer.markdown(sides_views.answer(a))
else:
    sides_views.waiting(answer, status, info, pretrain_spec().train.steps)

TABS = {code: t(f"text_models.tab_{code}") for code in ("board", "own", "vocab")}  # codes in the address (?tm_tab=own)
open_tab, tab = tabs(TABS, "tm_tab")  # only the open tab is computed
if open_tab == "board" and status == "ready":
    with tab["board"]:
        sides_views.show_sides(a)
        st.page_link("pages/train_explore.py", label=t("score.names_bridge"), query_params={"tab": "unseen", "lang": i18n.lang()})
        side = choice(t("score.side_pick"), [s.corpus for s in a.sides.sides], "tm_side", lambda name: name, horizontal=True)
        p, b = (pre, board) if side == pre.spec.corpus else names
        key = pretrained_key(p.spec)
        kn_points = text_kn_curve(p.spec.corpus, p.spec.alphabet, p.spec.heldout)
        table_bits, examples = table_on_curve(key, p, b.best_k)  # on the curve's own examples
        drawn = name_samples(key, p, b.best_k, pm.NAME_CHARS, 0) if side == "names" else None
        sides_views.show_side(pm.side_view(p, b, table_bits, examples, drawn), p, kn_points, pm.NAME_CHARS)
        if drawn is None:
            sides_views.text_samples(pretrained_samples(key, p, b.best_k, pm.SAMPLE_CHARS, 0), b.best_k)
elif open_tab == "board":
    tab["board"].info(t("text_models.board_wait"))
if open_tab == "board":
    with tab["board"].expander(t("score.nano_title")):
        st.dataframe(views.nanogpt_table(), hide_index=True, key="tm_nanogpt")
        st.caption(t("score.nano_note"))

if open_tab == "own":
    with tab["own"]:
        c1, c2, c3, c4 = st.columns(4)
        first = ALPHABETS.index(d.alphabet)
        alphabet = bound("radio", t("text_models.alphabet"), ALPHABETS, f"tm_alphabet{d.suffix}", c1, index=first)
        if d.raw_only:
            c1.caption(t("parallel.tm_cjk"))
        try:
            k = number(t("text_models.context"), 1, MAX_TEXT_CONTEXT, 8, "tm_k", c2)
            steps = number(t("text_models.steps"), 1, MAX_TEXT_STEPS, 300, "tm_steps", c3)
            seed = number(t("text_models.seed"), 0, SEED_MAX, 0, "tm_seed", c4)
        except Refused:
            st.stop()
        st.caption(t("text_models.model", max_steps=MAX_TEXT_STEPS, **pm.MODEL_SHAPE))
        key = pm.OwnKey(corpus.name, alphabet, k, steps, seed)
        if (g := views.run_with_loss(text_gpt_board, *key, label=t("text_models.training_gpt"))) is None:
            st.stop()
        views.show_own(pm.own(g, key, (pre, board) if status == "ready" else None))

if open_tab == "vocab":
    with tab["vocab"]:
        c1, c2 = st.columns([3, 1])
        sizes = bound_many(t("text_models.sizes"), pm.SIZES, "tm_sizes", c1, MAX_VOCAB_SIZES, default=list(pm.DEFAULT_SIZES))
        from_address(f"tm_span{d.suffix}", lambda v: read_number(v, MIN_SPAN, MAX_SPAN, whole=True))
        span = c2.number_input(
            t("text_models.span", low=MIN_SPAN, high=MAX_SPAN, max_k=MAX_SWEEP_K), value=d.span, step=1,
            key=f"tm_span{d.suffix}", bind=BIND,
            help=t("text_models.span_help", max_k=MAX_SWEEP_K),
        )  # fmt: skip
        if not sizes:
            st.info(t("text_models.no_sizes"))
            st.stop()
        key = pm.vocab_key(corpus.name, sizes, span)
        if (sweep := views.run_with_loss(text_vocab, *key, label=t("text_models.training_tokenizers"))) is not None:
            vocab_views.show_vocab(pm.vocab(sweep, key), d.sentence, f"tm_sentence{d.suffix}")
        with st.expander(t("text_models.published")):
            st.dataframe(vocab_views.published_table(), hide_index=True, key="tm_published")

next_step("text_models")
