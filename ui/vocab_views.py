"""The "Vocabulary & GPT" page's vocab tab, in tables, a chart and tokens: what a bigger vocabulary does to the
context that covers a span of text.

What it is: the sweep's table with human headers and its column formats, its chart, the published models beside it
and a sentence cut by each tokenizer. What it is not: a tokenizer or a counter (`core.text.vocab` computes every row,
`core.pages.text_models` says which sizes stopped early and the published yardstick); words come from the catalogues.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import streamlit as st
from plotly.subplots import make_subplots
from tokenizers import Tokenizer

from core.pages.text_models import Vocab, published
from core.text.vocab import VocabRow, tokenize_preview, visible_token
from ui.charts import PLOTLY_CONFIG
from ui.i18n import t


def _f(x: float | None) -> float:
    return np.nan if x is None else round(x, 3)


def _pct(x: float | None) -> float:
    """A share as a percentage to one decimal, as every page shows the share of never-seen contexts."""
    return np.nan if x is None else round(100 * x, 1)


def vocab_columns() -> dict:
    """The vocabulary table's column settings: its share of never-seen contexts reads as a percentage, every other
    number with the same decimals down its column."""
    fixed = {"unseen": "%.1f%%", "ngram_bits": "%.3f", "chars_train": "%.3f", "chars_heldout": "%.3f"}
    fixed |= {"log10_states": "%.1f", "bits_per_state": "%.1f"}  # (st.dataframe alone drops trailing zeros: 1.56)
    return {t(f"model_views.{key}"): st.column_config.NumberColumn(format=fmt) for key, fmt in fixed.items()}


def vocab_table(rows: tuple[VocabRow, ...]) -> pd.DataFrame:
    """One row per vocabulary size, human headers."""
    return pd.DataFrame(
        {
            t("model_views.vocab_asked"): [r.vocab_asked for r in rows],  # the answers first: they stay on a phone's screen
            t("model_views.context_tokens"): [r.context_tokens for r in rows],
            t("model_views.unseen"): [_pct(r.heldout_unseen_fraction) for r in rows],
            t("model_views.ngram_bits"): [_f(r.heldout_bits_per_char) for r in rows],
            t("model_views.chars_train"): [round(r.chars_per_token_train, 3) for r in rows],
            t("model_views.chars_heldout"): [_f(r.chars_per_token_heldout) for r in rows],
            t("model_views.vocab_reached"): [r.vocab_size for r in rows],
            t("model_views.tokens"): [r.tokens for r in rows],
            t("model_views.log10_states"): [round(r.possible_states_log10, 1) for r in rows],
            t("model_views.bits_per_state"): [round(r.bits_per_state, 1) for r in rows],
            t("model_views.observed"): [r.observed_contexts for r in rows],
        }
    )


def published_table() -> pd.DataFrame:
    """Published vocabularies and contexts with the article's yardstick (k log2 V bits per state)."""
    rows = published()
    return pd.DataFrame(
        {
            t("model_views.model"): [p.name for p in rows],
            t("model_views.vocabulary"): [p.vocab for p in rows],
            t("model_views.context"): [p.context for p in rows],
            t("model_views.bits_per_state"): [round(p.bits_per_state) for p in rows],
            t("model_views.log10_states"): [round(p.states_log10) for p in rows],
            t("model_views.source"): [t(f"presets.source.{p.name}") for p in rows],
        }
    )


def vocab_chart(rows: tuple[VocabRow, ...]) -> go.Figure:
    """Characters per token and n-gram bits per character against the vocabulary size, one above the other."""
    x = [r.vocab_size for r in rows]
    titles = (t("model_views.chars_per_token"), t("model_views.ngram_bits"))
    fig = make_subplots(rows=2, cols=1, subplot_titles=titles, vertical_spacing=0.18)
    fig.add_trace(
        go.Scatter(x=x, y=[r.chars_per_token_train for r in rows], mode="lines+markers", name=t("model_views.training")), 1, 1
    )
    fig.add_trace(
        go.Scatter(x=x, y=[r.chars_per_token_heldout for r in rows], mode="lines+markers", name=t("model_views.heldout")), 1, 1
    )
    fig.add_trace(
        go.Scatter(x=x, y=[r.heldout_bits_per_char for r in rows], mode="lines+markers", name=t("model_views.ngram")), 2, 1
    )
    fig.update_xaxes(type="log", title_text=t("model_views.vocab_axis"), tickvals=x)
    fig.update_yaxes(title_text=t("model_views.chars_axis"), row=1, col=1)
    fig.update_yaxes(title_text=t("model_views.bits_axis"), row=2, col=1)
    fig.update_layout(height=560, margin=dict(t=40, b=10), legend={"orientation": "h", "yanchor": "bottom", "y": 1.06, "x": 0})
    return fig


def preview(tokenizer: Tokenizer, sentence: str) -> str:
    """The sentence's tokens joined with " | ", whitespace drawn visibly."""
    return " | ".join(visible_token(tok) for tok in tokenize_preview(tokenizer, sentence))


def show_vocab(v: Vocab, sentence_default: str, sentence_key: str) -> None:
    """The vocab tab under its inputs: the sweep's table, its notes and chart, and a sentence through each tokenizer."""
    rows = v.sweep.rows
    st.dataframe(vocab_table(rows), hide_index=True, column_config=vocab_columns(), key="tm_vocab_table", placeholder="—")
    if v.stopped_early:
        st.caption(t("text_models.stopped_early", sizes=", ".join(f"{n:,}" for n in v.stopped_early)))
    st.caption(t("text_models.vocab_note", span=v.key.span))
    st.plotly_chart(vocab_chart(rows), key="tm_vocab_chart", config=PLOTLY_CONFIG)
    with st.expander(t("text_models.sentence_head"), expanded=True):
        sentence = st.text_input(t("text_models.sentence"), sentence_default, key=sentence_key, max_chars=300)
        for row, tok in zip(rows, v.sweep.tokenizers, strict=True):
            st.markdown(t("text_models.tokens", n=row.vocab_size))
            st.code(preview(tok, sentence), language=None, wrap_lines=True)
