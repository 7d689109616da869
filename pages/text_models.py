"""Vocabulary & GPT: vocabulary size on real text, and a GPT against the n-gram on never-seen contexts."""

import streamlit as st

from core.corpus import ALPHABETS, BUILTIN
from core.ngram import MAX_SWEEP_K
from core.textgpt import MAX_TEXT_CONTEXT, MAX_TEXT_STEPS
from core.vocab import MAX_SPAN, MAX_VOCAB_SIZES, MIN_SPAN
from ui import model_views as views
from ui.inputs import BIND, SEED_MAX, Refused, number
from ui.router import through_router

through_router()

corpus = BUILTIN[views.CORPUS]
MAX_K = min(MAX_TEXT_CONTEXT, MAX_SWEEP_K)

st.title("Vocabulary & GPT")
st.markdown(
    "Compare **256 and 4096 tokens**: a bigger vocabulary packs more characters into a token, so the same span of text "
    "is a shorter context, yet almost every held-out context is still one the training text never showed. Then see "
    "whether a small GPT or the count table does better on those never-seen contexts. "
    "**Every number here is measured on this corpus with the budget shown.**"
)
st.caption(f"Corpus: {corpus.description} License: {corpus.license}. The last {views.HELDOUT:.0%} is held out.")

st.header("Vocabulary size")
c1, c2 = st.columns([3, 1])
sizes = c1.multiselect(
    "Vocabulary sizes (byte-level BPE trained on the training part)",
    views.SIZES,
    default=[256, 1024, 4096],
    max_selections=MAX_VOCAB_SIZES,
    key="tm_sizes",
    bind=BIND,
)
span = c2.number_input(
    f"Span S in characters ({MIN_SPAN}..{MAX_SPAN})", value=32, step=1, key="tm_span", bind=BIND,
    help="A 256-token vocabulary needs about one token per character, so its context is about S tokens: "
    f"the n-gram allows at most {MAX_SWEEP_K}, so keep S <= {MAX_SWEEP_K} when 256 is selected.",
)  # fmt: skip
if not sizes:
    st.info("Choose at least one vocabulary size.")
    st.stop()
result = views.run_with_loss(views.vocab_rows, tuple(sorted(sizes)), int(span), label="training tokenizers…")
if result is not None:
    rows = result.rows
    st.dataframe(views.vocab_table(rows), hide_index=True, key="tm_vocab_table")
    early = [r for r in rows if r.vocab_size < r.vocab_asked]
    if early:
        st.caption(
            f"The trainer stopped merging early for {', '.join(f'{r.vocab_asked:,}' for r in early)}: "
            "the text offered no more merges."
        )
    st.caption(
        f"Context in tokens: what covers S = {int(span)} characters at the training part's characters per token. "
        "States: V^k possible contexts; observed: distinct contexts in the training part; unseen fraction: held-out "
        "examples whose context never occurs in training; n-gram: interpolated Kneser-Ney with that context."
    )
    st.plotly_chart(views.vocab_chart(rows), key="tm_vocab_chart")
    sentence = st.text_input(
        "A sentence to tokenize",
        'The "while" statement is used for repeated execution as long as an expression is true:',
        key="tm_sentence",
        max_chars=300,
    )
    for row, tok in zip(rows, result.tokenizers, strict=True):
        st.markdown(f"**{row.vocab_size:,} tokens**")
        st.code(views.preview(tok, sentence), language=None, wrap_lines=True)
st.subheader("Published figures, not measured here")
st.dataframe(views.published_table(), hide_index=True, key="tm_published")

st.header("GPT against the n-gram on never-seen contexts")
c1, c2, c3, c4 = st.columns(4)
alphabet = c1.radio("Alphabet", ALPHABETS, index=ALPHABETS.index("shannon27"), key="tm_alphabet", bind=BIND)
try:
    k = number("Context k (symbols)", 1, MAX_K, 8, "tm_k", c2)
    steps = number("Steps", 1, MAX_TEXT_STEPS, 300, "tm_steps", c3)
    seed = number("Seed", 0, SEED_MAX, 0, "tm_seed", c4)
except Refused:
    st.stop()
shape = views.MODEL_SHAPE
st.caption(
    f"Model: {shape['n_layer']} layers, {shape['n_head']} heads, {shape['n_embd']} wide; batches of 64 windows. "
    f"The default (300 steps) trains and scores in about 15 s on one core; at most {MAX_TEXT_STEPS:,} steps."
)
if (g := views.run_with_loss(views.gpt_vs_ngram, alphabet, k, steps, seed, label="training the GPT…")) is None:
    st.stop()
m1, m2, m3, m4 = st.columns(4)
m1.metric("Parameters", f"{g.n_params:,}")
m2.metric("Steps", f"{g.steps:,}")
m3.metric("Seconds", f"{g.seconds:.1f}")
m4.metric("Tokens per second", f"{g.tokens_per_second:,.0f}")
c = g.comparison
st.dataframe(views.split_table(c), hide_index=True, key="tm_split_table")
st.caption(
    f"{c.evaluated_examples:,} of {c.heldout_examples:,} held-out examples scored; "
    f"final training loss {g.final_loss_bits:.3f} bits."
)
st.markdown(views.split_summary(c, g.steps))
st.markdown(f"**Samples** of {views.SAMPLE_CHARS} characters after the held-out start `{views.shown(g.prompt)}` (seed {seed})")
a, b = st.columns(2)
a.markdown("GPT")
a.code(g.gpt_sample, language=None, wrap_lines=True)
b.markdown(f"n-gram (k = {k})")
b.code(g.ngram_sample, language=None, wrap_lines=True)
