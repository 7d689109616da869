"""The "Vocabulary & GPT" page's pieces: its two cached computations, their tables, chart and summary sentence.

What it is: `vocab_rows` (byte-level BPE tokenizers of several sizes on the built-in corpus, each with the
figures of `core.text.vocab.vocab_row`, the tokenizers kept for the preview) and `gpt_vs_ngram` (a text GPT
trained on the corpus and scored against the n-gram of the same context on held-out text, with seeded
samples from both), each run once per configuration through a `ui.cache.Job` in a bounded cache; the
display tables with human headers; one plotly chart; the sentence that reads the seen / never-seen split.

What it is not: a model or a counter (`core.text.vocab`, `core.text.textgpt` and `core.text.ngram` compute every number),
nor the page's layout (`pages/text_models.py`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import streamlit as st
from plotly.subplots import make_subplots
from tokenizers import Tokenizer

from core.arith.presets import PRESETS
from core.babygpt.states import visible
from core.errors import CoreError
from core.text.corpus import builtin_text, check_heldout, split_point, symbolize
from core.text.textgpt import (
    Comparison,
    TextGPTConfig,
    TextTrainConfig,
    compare_on_heldout,
    sample_gpt,
    sample_ngram,
    train_text_model,
)
from core.text.vocab import (
    MAX_SPAN,
    MIN_SPAN,
    VocabError,
    VocabRow,
    check_sizes,
    split_text,
    tokenize_preview,
    train_bpe,
    vocab_row,
)
from ui import i18n
from ui.cache import TTL, Job
from ui.i18n import t

CORPUS = "python-docs"
HELDOUT = 0.1
SIZES = (256, 512, 1024, 2048, 4096, 8192)
MODEL_SHAPE = dict(n_layer=2, n_head=4, n_embd=64)  # ~100k parameters: the default request stays near 10-20 s
SAMPLE_CHARS = 200


@dataclass(frozen=True)
class VocabResult:
    rows: tuple[VocabRow, ...]
    tokenizers: tuple[Tokenizer, ...]  # in the order of rows


def _vocab(sizes: tuple[int, ...], span: int, progress=None) -> VocabResult:
    """core.text.vocab.vocab_sweep's steps, keeping each trained tokenizer for the preview."""
    check_sizes(sizes)
    if not MIN_SPAN <= span <= MAX_SPAN:
        raise VocabError("vocab.span", low=MIN_SPAN, high=MAX_SPAN, span=span)
    train_text, heldout_text = split_text(builtin_text(CORPUS), check_heldout(HELDOUT))
    rows, toks = [], []
    for size in sizes:
        bpe = train_bpe(train_text, size)
        rows.append(vocab_row(bpe, train_text, heldout_text, span))
        toks.append(bpe.tokenizer)
        if progress is not None:
            progress(len(rows), len(sizes), None)
    return VocabResult(tuple(rows), tuple(toks))


@st.cache_resource(max_entries=8, ttl=TTL, show_spinner=False)
def _vocab_job(sizes: tuple[int, ...], span: int) -> Job:
    return Job(_vocab, sizes, span)


def vocab_rows(sizes: tuple[int, ...], span: int, progress=None) -> VocabResult:
    """Every vocabulary size's figures on the built-in corpus, cached per (sizes, span)."""
    return _vocab_job(sizes, span).result(progress)


@dataclass(frozen=True)
class GptResult:
    n_params: int
    steps: int
    seconds: float
    tokens_per_second: float
    final_loss_bits: float
    comparison: Comparison
    prompt: str  # the first k held-out symbols both samples start from
    gpt_sample: str
    ngram_sample: str


def _gpt(alphabet: str, k: int, steps: int, seed: int, progress=None) -> GptResult:
    symbols = symbolize(builtin_text(CORPUS), alphabet)
    config = TextGPTConfig(block_size=k, vocab_size=symbols.vocab, **MODEL_SHAPE)
    cut = split_point(len(symbols.ids), HELDOUT)
    train_ids, heldout_ids = symbols.ids[:cut], symbols.ids[cut:]
    r = train_text_model(train_ids, config, TextTrainConfig(steps=steps, seed=seed), progress=progress)
    c = compare_on_heldout(r.model, train_ids, heldout_ids)
    start = heldout_ids[:k]
    return GptResult(
        r.n_params,
        steps,
        r.seconds,
        r.tokens_per_second,
        r.losses[-1] / math.log(2),
        c,
        symbols.decode(start),
        symbols.decode(sample_gpt(r.model, start, SAMPLE_CHARS, seed)),
        symbols.decode(sample_ngram(train_ids, symbols.vocab, k, start, SAMPLE_CHARS, seed)),
    )


@st.cache_resource(max_entries=8, ttl=TTL, show_spinner=False)
def _gpt_job(alphabet: str, k: int, steps: int, seed: int) -> Job:
    return Job(_gpt, alphabet, k, steps, seed)


def gpt_vs_ngram(alphabet: str, k: int, steps: int, seed: int, progress=None) -> GptResult:
    """A text GPT and the n-gram of the same context on the corpus's held-out part, cached per configuration."""
    return _gpt_job(alphabet, k, steps, seed).result(progress)


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
    return " | ".join("".join(visible(c) for c in tok) for tok in tokenize_preview(tokenizer, sentence))


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
