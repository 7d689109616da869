"""Vocabulary & GPT: vocabulary size on real text, and a GPT against the n-gram on never-seen contexts."""

import streamlit as st

from core.text.corpus import ALPHABETS, BUILTIN
from core.text.limits import MAX_SPAN, MAX_SWEEP_K, MAX_TEXT_CONTEXT, MAX_TEXT_STEPS, MAX_VOCAB_SIZES, MIN_SPAN
from ui import model_views as views
from ui import text_views
from ui.cache import text_gpt, text_vocab
from ui.charts import PLOTLY_CONFIG
from ui.i18n import t
from ui.inputs import BIND, SEED_MAX, Refused, choice, number
from ui.router import through_router

through_router()

MAX_K = min(MAX_TEXT_CONTEXT, MAX_SWEEP_K)

st.title(t("text_models.title"))
st.markdown(t("text_models.intro"))
corpus = BUILTIN[choice(t("parallel.tm_corpus"), list(BUILTIN), "tm_corpus", lambda name: name, horizontal=True)]
own = "" if corpus.language == "en" else f"_{corpus.language}"  # Chinese keeps its own span, sentence and alphabet
description = text_views.description(corpus.name)
license_ = text_views.license_of(corpus.name)
st.caption(t("text_models.corpus", description=description, license=license_, heldout=views.HELDOUT))

st.header(t("text_models.vocab"))
c1, c2 = st.columns([3, 1])
sizes = c1.multiselect(
    t("text_models.sizes"),
    views.SIZES,
    default=[256, 1024, 4096],
    max_selections=MAX_VOCAB_SIZES,
    key="tm_sizes",
    bind=BIND,
)
span = c2.number_input(
    t("text_models.span", low=MIN_SPAN, high=MAX_SPAN, max_k=MAX_SWEEP_K), value=views.SPANS[corpus.language], step=1,
    key=f"tm_span{own}", bind=BIND,
    help=t("text_models.span_help", max_k=MAX_SWEEP_K),
)  # fmt: skip
if not sizes:
    st.info(t("text_models.no_sizes"))
    st.stop()
result = views.run_with_loss(
    text_vocab, corpus.name, tuple(sorted(sizes)), int(span), views.HELDOUT, label=t("text_models.training_tokenizers")
)
if result is not None:
    rows = result.rows
    st.dataframe(views.vocab_table(rows), hide_index=True, key="tm_vocab_table", placeholder="—")
    early = [r for r in rows if r.vocab_size < r.vocab_asked]
    if early:
        st.caption(t("text_models.stopped_early", sizes=", ".join(f"{r.vocab_asked:,}" for r in early)))
    st.caption(t("text_models.vocab_note", span=int(span)))
    st.plotly_chart(views.vocab_chart(rows), key="tm_vocab_chart", config=PLOTLY_CONFIG)
    sentence = st.text_input(
        t("text_models.sentence"),
        views.SENTENCES[corpus.language],
        key=f"tm_sentence{own}",
        max_chars=300,
    )
    for row, tok in zip(rows, result.tokenizers, strict=True):
        st.markdown(t("text_models.tokens", n=row.vocab_size))
        st.code(views.preview(tok, sentence), language=None, wrap_lines=True)
st.subheader(t("text_models.published"))
st.dataframe(views.published_table(), hide_index=True, key="tm_published")

st.header(t("text_models.gpt"))
c1, c2, c3, c4 = st.columns(4)
default = "raw" if corpus.language == "zh" else "shannon27"  # shannon27 would erase every Chinese character
alphabet = c1.radio(t("text_models.alphabet"), ALPHABETS, index=ALPHABETS.index(default), key=f"tm_alphabet{own}", bind=BIND)
if corpus.language == "zh":
    c1.caption(t("parallel.tm_cjk"))
try:
    k = number(t("text_models.context"), 1, MAX_K, 8, "tm_k", c2)
    steps = number(t("text_models.steps"), 1, MAX_TEXT_STEPS, 300, "tm_steps", c3)
    seed = number(t("text_models.seed"), 0, SEED_MAX, 0, "tm_seed", c4)
except Refused:
    st.stop()
shape = views.MODEL_SHAPE
st.caption(t("text_models.model", max_steps=MAX_TEXT_STEPS, **shape))
gpt_args = (corpus.name, alphabet, k, steps, seed, views.HELDOUT, tuple(shape.values()), views.SAMPLE_CHARS)
if (g := views.run_with_loss(text_gpt, *gpt_args, label=t("text_models.training_gpt"))) is None:
    st.stop()
m1, m2, m3, m4 = st.columns(4)
m1.metric(t("text_models.params"), f"{g.n_params:,}")
m2.metric(t("text_models.steps_done"), f"{g.steps:,}")
m3.metric(t("text_models.seconds"), f"{g.seconds:.1f}")
m4.metric(t("text_models.tokens_per_second"), f"{g.tokens_per_second:,.0f}")
c = g.comparison
st.dataframe(views.split_table(c), hide_index=True, key="tm_split_table", placeholder="—")
st.caption(t("text_models.scored", evaluated=c.evaluated_examples, heldout=c.heldout_examples, loss=g.final_loss_bits))
st.markdown(views.split_summary(c, g.steps))
st.markdown(t("text_models.samples", n=views.SAMPLE_CHARS, start=views.shown(g.prompt), seed=seed))
a, b = st.columns(2)
a.markdown(t("text_models.gpt_sample"))
a.code(g.gpt_sample, language=None, wrap_lines=True)
b.markdown(t("text_models.ngram_sample", k=k))
b.code(g.ngram_sample, language=None, wrap_lines=True)
