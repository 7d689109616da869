"""Real text: what a longer context buys on real text, with Shannon's 1951 table side by side."""

import streamlit as st

from core.corpus import ALPHABETS, MAX_HELDOUT
from core.ngram import MAX_SWEEP_K
from core.shannon import CITATION, TABLES, side_by_side
from ui import text_views as views
from ui.inputs import BIND, run
from ui.router import through_router

through_router()

MAX_K = min(16, MAX_SWEEP_K)
ALPHABET_NOTES = ["every distinct character", "a-z and the space, as Shannon"]

st.title("Real text")
st.markdown(
    "The article says almost every context a model meets was never seen in training. Here is that, measured on real "
    "text with its own Markov chain (a count table of the next symbol after k symbols): **slide K to 12** and watch "
    "the held-out contexts that never occur in training pass one half, while the in-sample entropy heads for 0."
)

source = st.radio("Text", views.SOURCES, key="rt_source", bind=BIND, horizontal=True)
corpus = views.corpus_input(source)
st.caption("Every setting is kept in the URL except the pasted text and the uploaded file: they are too long for a link.")
c1, c2, c3 = st.columns([2, 1, 1])
alphabet = c1.radio("Alphabet", ALPHABETS, captions=ALPHABET_NOTES, key="rt_alphabet", bind=BIND, horizontal=True)
K = c2.slider("Longest context K", 1, MAX_K, 8, key="rt_K", bind=BIND)
heldout = c3.slider("Held-out fraction", 0.0, MAX_HELDOUT, 0.1, 0.05, key="rt_heldout", bind=BIND, help="0: no held-out part")
if corpus is None:
    st.stop()
key, text = corpus
if (result := run(views.sweep, key, text, alphabet, heldout, tuple(range(K + 1)), label="counting contexts…")) is None:
    st.stop()

V = len(result.alphabet)
st.markdown(
    f"**Alphabet: {V:,} symbols** · {result.train_symbols:,} training symbols · {result.heldout_symbols:,} held out "
    "(the end of the text)"
)
symbols = " ".join(views.visible(s) for s in result.alphabet[:400]) + (f" … and {V - 400:,} more" if V > 400 else "")
st.code(symbols, language=None, wrap_lines=True)

st.subheader(f"Contexts k = 0..{K}")
table = views.sweep_table(result.rows, V)
shown, config = views.display(table, views.SWEEP_FORMATS)
st.dataframe(shown, column_config=config, hide_index=True, height="content", key="rt_table")
st.download_button("Sweep (CSV)", views.csv(table), "real_text_sweep.csv", "text/csv", key="rt_dl", on_click="ignore")
st.caption(
    "Possible states V^k (V^0 = 1: the empty context); observed contexts: distinct k-contexts in the training part; "
    "coverage: observed / possible; "
    "unseen fraction: held-out examples whose context never occurs in training; — : no held-out part."
)

a, b, c = st.columns(3)
a.plotly_chart(views.bits_chart(result.rows, alphabet == "shannon27"), key="rt_bits")
b.plotly_chart(views.states_chart(result.rows), key="rt_states")
if result.rows[-1].heldout_unseen_fraction is not None:
    c.plotly_chart(views.unseen_chart(result.rows), key="rt_unseen")
else:
    c.info("No held-out part: set a held-out fraction above 0 to measure unseen contexts.")
st.markdown(views.summary(result.rows))

st.subheader("Shannon 1951, side by side")
st.markdown(
    "Shannon's F_N is the entropy of a letter given the N - 1 letters before it, so F_N lines up with context "
    "k = N - 1: F_1 (letter frequencies alone) with k = 0, F_3 with k = 2. F_0 = log2 of the alphabet size lines up "
    "with no counts at all. The text's columns use the 27-letter alphabet whichever alphabet is chosen above."
)
comparisons = side_by_side(result.shannon27, 27) if result.shannon27 is not None else None
shown, config = views.display(views.shannon_table(comparisons), views.SHANNON_FORMATS)
st.dataframe(shown, column_config=config, hide_index=True, key="rt_shannon")
st.caption(f"Source: {CITATION}; F_1..F_3 {TABLES}, in bits per letter. F_word: his word-level estimate per letter.")
if comparisons is None:
    st.info("The text is too short for a 27-letter comparison (at least 3 training symbols after folding).")
elif source == "built-in":
    f3 = result.shannon27[2].conditional_entropy_bits
    st.markdown(
        f"His figures describe English prose of 1951; this corpus is technical prose and code from the Python manual, "
        f"where a letter is more predictable from the two before it ({f3:.2f} bits in-sample against his 3.1), "
        "plausibly because its keywords and identifiers recur."
    )

st.subheader("The text's chain, most visited states")
gk = st.radio("States of k symbols", views.GRAPH_CONTEXTS, index=1, key="rt_graph_k", bind=BIND, horizontal=True)
if (f := result.focus[gk - 1]) is None:
    st.info(f"The training part is too short for states of {gk} symbols.")
else:
    seen = f" (of {result.rows[gk].observed_contexts:,} in the training part)" if gk <= K else ""
    st.markdown(
        f"Only the most visited states of {gk} symbols are drawn{seen}, each with arrows for its 3 likeliest next symbols."
    )
    st.iframe(
        views.graph_page(key, alphabet, heldout, gk, f, result.alphabet), height=560, alt=f"chain of states of {gk} symbols"
    )
    st.caption(
        "Blue: a most visited state (hover for its visits). Red, dashed: a faded end point, outside the most visited "
        "set. Arrow: next symbol (the data's probability); ␣ space, ↵ newline, ⇥ tab."
    )
