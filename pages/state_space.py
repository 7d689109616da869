"""State space: how many states a GPT has, exactly, and how many bits one state holds."""

import pandas as pd
import streamlit as st

from core.limits import EXACT_MAX_DIGITS, MAX_ARITH
from core.presets import ARTICLE_CLAIMS, MACHINES, PRESETS, article_rows, preset, preset_rows
from ui import cache, charts
from ui.inputs import BIND, Refused, number
from ui.router import through_router

through_router()

ARTICLE = ARTICLE_CLAIMS[0]  # GPT-2 as the article states it (its context is GPT-3's)
ARTICLE_CHOICE = f"{ARTICLE.model} as the article says ({ARTICLE.context:,})"
CHOICES = ["custom", ARTICLE_CHOICE] + [p.name for p in PRESETS]


def apply_preset():
    """Set V and k from the chosen preset."""
    name = st.session_state["preset"]
    if name == ARTICLE_CHOICE:
        st.session_state["V"], st.session_state["k"] = ARTICLE.vocab, ARTICLE.context
    elif name != "custom":
        p = preset(name)
        st.session_state["V"], st.session_state["k"] = p.vocab, p.context


def show_count(title: str, count, filename: str, key: str):
    st.markdown(f"**{title}**")
    if count.exact is not None and count.digits <= 30:
        st.markdown(f"### {int(count.exact):,}")
    else:
        st.markdown(f"### {count.mantissa(16)} × 10^{count.exponent:,}")
    st.caption(f"{count.digits:,} decimal digits · log10 = {count.log10:,.6f}")
    if count.exact is not None and count.digits > 30:
        with st.expander(f"All {count.digits:,} digits"):
            st.code(count.exact[:20_000] + ("…" if count.digits > 20_000 else ""), language=None, wrap_lines=True)
        st.download_button(
            f"Download all {count.digits:,} digits", count.exact, filename, "text/plain", key=key, on_click="ignore"
        )
    elif count.exact is None:
        st.caption(f"More than {EXACT_MAX_DIGITS:,} digits: shown by its size and leading digits.")


st.title("State space")
st.markdown("A context of **k** tokens from a vocabulary of **V** has **V^k** full states, and Σ V^i over lengths 1..k.")
st.markdown("**Try:** pick GPT-4 (32K) and download all of its state count's digits; then check the article's figures below.")

c1, c2, c3 = st.columns([2, 1, 1])
c1.selectbox("Preset", CHOICES, key="preset", on_change=apply_preset, bind=BIND)
try:
    V = number("Vocabulary V", 1, MAX_ARITH, 2, "V", c2)
    k = number("Context k", 1, MAX_ARITH, 3, "k", c3)
except Refused:
    st.stop()

s = cache.space(V, k)
left, right = st.columns(2)
with left:
    show_count("Full states V^k", s.states, f"states_V{V}_k{k}.txt", "dl_states")
with right:
    show_count("States of every length 1..k", s.all_lengths, f"all_lengths_V{V}_k{k}.txt", "dl_all")

b1, b2, b3 = st.columns(3)
b1.metric("Bits per state, k·log2(V)", f"{s.bits_per_state:,.1f}")
b2.metric("Bytes per state", f"{s.bytes_per_state:,.1f}")
b3.metric("KiB per state", f"{s.kib_per_state:,.3f}")

st.subheader("The article's comparison, checked")
arts = pd.DataFrame(article_rows())
st.dataframe(
    arts[["model", "quote", "article_claim_bytes", "computed_bytes", "published_context", "published_bytes", "machine", "slips"]],
    hide_index=True,
    column_config={
        "article_claim_bytes": st.column_config.NumberColumn("article says (bytes)", format="%d"),
        "computed_bytes": st.column_config.NumberColumn("its inputs give (bytes)", format="%.0f"),
        "published_context": st.column_config.NumberColumn("published context", format="%d"),
        "published_bytes": st.column_config.NumberColumn("published figures give (bytes)", format="%.0f"),
    },
    key="article_table",
)
st.caption("Once a model can call tools (search, retrieval), input arrives from outside and the finite-state picture breaks.")

st.subheader("Real models")
rows = pd.DataFrame(preset_rows())
st.dataframe(rows, hide_index=True, key="preset_table")
st.download_button("Presets (CSV)", rows.to_csv(index=False), "presets.csv", "text/csv", key="dl_presets", on_click="ignore")

st.subheader("How the state space explodes")
vocabs = sorted({2, 3, 10, 256, 50_257, int(V) if V > 1 else 2})
st.plotly_chart(charts.state_growth(vocabs), key="explode")

st.subheader("One state against a home computer's memory")
st.plotly_chart(charts.home_computers(preset_rows(), article_rows(), MACHINES), key="machines")
