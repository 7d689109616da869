"""Overview: the idea, and the article's BabyGPT as a live, interactive chain."""

import streamlit as st

from core.data import ARTICLE_SEQUENCE, parse_digits
from core.model import GPTConfig
from core.train import TrainConfig
from ui import cache
from ui.inputs import FINAL_LOSS, LN2
from ui.router import through_router
from ui.views import LEGEND

through_router()

st.title("BabyGPT Explorer")
st.markdown(
    "A GPT with a vocabulary of **V** tokens and a context of **k** tokens is a **finite-state Markov chain**. "
    "Its states are the possible contents of its context window (V^k of them); from each state, V arrows lead "
    "on (append a token, drop the oldest), and the network's parameters set the probabilities on the arrows. "
    "Below is the article's BabyGPT: V = 2, k = 3, so 2³ = 8 states, trained for 50 steps on `111101111011110`."
)
st.markdown("**Try:** switch training off to see the arrows near 50% at initialization, then hover over the red state 000.")

seq = parse_digits(ARTICLE_SEQUENCE, 2)
result = cache.trained(GPTConfig(), TrainConfig(), seq.tokens)
after = st.toggle("After training (off: at initialization)", value=True, key="trained", bind="query-params")
probs = result.snapshots[50 if after else 0]

c1, c2, c3 = st.columns(3)
c1.metric("101 → 011 (the data always does this)", f"{probs[0b101, 1]:.0%}", help="The article: 79%")
c2.metric("111 → 111 / 110 (the data: 50 / 50)", f"{probs[0b111, 1]:.0%} / {probs[0b111, 0]:.0%}", help="The article: 45% / 55%")
c3.metric("000 → 001 (never seen in the data)", f"{probs[0b000, 1]:.0%}", help="The article: 73%")

counts = cache.counts(seq.tokens, 2, 3)
st.iframe(cache.chain_html(probs, 2, 3, seq.itos, counts), height=600, alt="the article's BabyGPT as a transition graph")
st.caption(
    f"{result.n_params:,} parameters · loss {result.losses[0] / LN2:.4f} → {result.final_loss / LN2:.4f} bits per token "
    f"({result.losses[0]:.4f} → {result.final_loss:.4f} nats, the article's unit). {FINAL_LOSS} {LEGEND}"
)

st.markdown(
    "- **Not 100%:** 101 is always followed by 1 in the data, but 50 steps of optimization only get it to about 79%.\n"
    "- **111 is ambiguous:** with 3 tokens of context, 111 is followed by 1 and by 0 equally often: the model learns ~50/50.\n"
    "- **Never-seen states are not 50/50:** 000 never occurs, yet its arrows are sharp. That is the transformer's "
    "inductive bias, and in real use almost every input is a never-seen state."
)

st.subheader("Go further")
c1, c2, c3 = st.columns(3)
c1.page_link("pages/train_explore.py", label="What if the context were 4?", query_params={"k": "4"})
c2.page_link("pages/state_space.py", label="How many states does GPT-4 have?", query_params={"V": "100277", "k": "32768"})
c3.page_link("pages/compare.py", label="Compare contexts and seeds")
