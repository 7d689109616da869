"""The "Vocabulary & GPT" page's pieces: its tables, chart and the sentence that reads the seen / never-seen split.

What it is: the page's fixed choices (the default sentence per language, the held-out fraction, the sizes
offered, the model's shape, the samples' length), `run_with_loss` (a cached job with a progress bar), the display
tables with human headers, one plotly chart and the summary sentence.

What it is not: a model or a counter (`core.text.vocab.vocab_sweep_with_tokenizers` and
`core.text.versus.gpt_vs_ngram` compute every number), a cache (`ui.cache` keeps both results), nor the
page's layout (`pages/text_models.py`).
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import streamlit as st
from plotly.subplots import make_subplots
from tokenizers import Tokenizer

from core.arith.presets import PRESETS
from core.errors import CoreError
from core.symbols import visible
from core.text.textgpt import Comparison
from core.text.vocab import VocabRow, tokenize_preview, visible_token
from ui import i18n
from ui.i18n import t

SPANS = {"en": 32, "zh": 12}  # the default span in characters: 12 Chinese characters hold about the text of 32 English ones
SENTENCES = {  # the default sentence to tokenize, by the corpus's language
    "en": 'The "while" statement is used for repeated execution as long as an expression is true:',
    "zh": "while 语句用于在表达式保持为真的情况下重复地执行:",
}
HELDOUT = 0.1
SIZES = (256, 512, 1024, 2048, 4096, 8192)
MODEL_SHAPE = dict(n_layer=2, n_head=4, n_embd=64)  # ~100k parameters: the default request stays near 10-20 s
SAMPLE_CHARS = 200


def run_with_loss(fn, *args, label: str):
    """Call a cached job with a progress bar that shows the loss in bits; None after showing a CoreError."""
    bar = st.progress(0.0, text=label)

    def progress(i, n, loss=None):
        if loss is None:
            text = t("model_views.progress", label=label, i=i, n=n)
        else:
            text = t("model_views.progress_loss", label=label, i=i, n=n, loss=loss / math.log(2))
        bar.progress(i / max(n, 1), text=text)

    try:
        return fn(*args, progress=progress)
    except CoreError as e:
        st.error(i18n.error(e))
        return None
    finally:
        bar.empty()


def _f(x: float | None) -> float:
    return np.nan if x is None else round(x, 3)


def vocab_table(rows: tuple[VocabRow, ...]) -> pd.DataFrame:
    """One row per vocabulary size, human headers."""
    return pd.DataFrame(
        {
            t("model_views.vocab_asked"): [r.vocab_asked for r in rows],  # the answers first: they stay on a phone's screen
            t("model_views.context_tokens"): [r.context_tokens for r in rows],
            t("model_views.unseen"): [_f(r.heldout_unseen_fraction) for r in rows],
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
    return pd.DataFrame(
        {
            t("model_views.model"): [p.name for p in PRESETS],
            t("model_views.vocabulary"): [p.vocab for p in PRESETS],
            t("model_views.context"): [p.context for p in PRESETS],
            t("model_views.bits_per_state"): [round(p.context * math.log2(p.vocab)) for p in PRESETS],
            t("model_views.log10_states"): [round(p.context * math.log10(p.vocab)) for p in PRESETS],
            t("model_views.source"): [p.source for p in PRESETS],
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


def shown(text: str) -> str:
    """Text with whitespace drawn visibly and backticks replaced, for inline code."""
    return "".join(visible(ch) for ch in text).replace("`", "'")


def split_table(c: Comparison) -> pd.DataFrame:
    """Overall / seen / never-seen rows: share of held-out examples and each model's bits per character."""
    parts = [(t("model_views.overall"), 1.0, c.gpt_bits, c.ngram_bits)]
    parts += [
        (t(f"model_views.{name}"), s.fraction, s.gpt_bits, s.ngram_bits)
        for name, s in (("seen", c.seen), ("never_seen", c.unseen))
    ]
    return pd.DataFrame(
        {
            t("model_views.examples"): [p[0] for p in parts],  # both models' costs first: on a phone they stay on screen
            t("model_views.gpt_bits"): [np.nan if p[2] is None else round(p[2], 3) for p in parts],
            t("model_views.ngram_bits_split"): [np.nan if p[3] is None else round(p[3], 3) for p in parts],
            t("model_views.fraction"): [round(p[1], 4) for p in parts],
        }
    )


def split_summary(c: Comparison, steps: int) -> str:
    """What the seen / never-seen split shows, written from the measured values."""
    u, s = c.unseen, c.seen
    if u.gpt_bits is None or u.ngram_bits is None:
        return t("model_views.all_seen", k=c.context)
    head = t("model_views.split_head", fraction=u.fraction, k=c.context, ngram=u.ngram_bits, gpt=u.gpt_bits)
    seen = "" if s.gpt_bits is None else t("model_views.split_seen", ngram=s.ngram_bits, gpt=s.gpt_bits)
    if u.ngram_bits < u.gpt_bits:
        tail = t("model_views.ngram_ahead", steps=steps, bits=u.gpt_bits - u.ngram_bits)
    else:
        tail = t("model_views.gpt_ahead", steps=steps, bits=u.ngram_bits - u.gpt_bits)
    return head + seen + tail
