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
from core.text.scoreboard import Board, Costs, Lead, lead, verdict
from core.text.textgpt import TextTrainConfig
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

    def progress(i, n, loss=None, stage=None):
        if stage is not None:  # after the steps: what the computation does now
            text = t(f"model_views.stage_{stage}", label=label, n=n)
        elif loss is None:
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
    return pd.DataFrame(
        {
            t("model_views.model"): [p.name for p in PRESETS],
            t("model_views.vocabulary"): [p.vocab for p in PRESETS],
            t("model_views.context"): [p.context for p in PRESETS],
            t("model_views.bits_per_state"): [round(p.context * math.log2(p.vocab)) for p in PRESETS],
            t("model_views.log10_states"): [round(p.context * math.log10(p.vocab)) for p in PRESETS],
            t("model_views.source"): [t(f"presets.source.{p.name}") for p in PRESETS],
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


# The scoreboard (core.text.scoreboard): two pairings, each a table, the learning curve and the sentences under them.

INF = "∞"


NA = "—"


def _num(x: float | None) -> str:
    if x is None:
        return NA
    return INF if math.isinf(x) else f"{x:.3f}"


def _row(name: str, c: Costs, note: str = "") -> dict:
    return {
        t("score.col_model"): name,
        t("score.col_never_seen"): _num(c.unseen),
        t("score.col_seen"): _num(c.seen),
        t("score.col_overall"): _num(c.overall),
        t("score.col_note"): note,
    }


def same_k_table(b: Board) -> pd.DataFrame:
    """Pairing 1: every model at the GPT's context k on the same examples."""
    ch = b.chain
    chain = Costs(None, ch.seen_bits, None)  # no prediction on a never-seen context, so none overall
    uniform = Costs(ch.overall_bits, ch.seen_bits, ch.uniform_bits)
    note = t("score.chain_note", coverage=ch.coverage, zero=ch.zero_fraction, bits=_num(ch.positive_bits))
    rows = [
        _row(t("score.chain"), chain, note),
        _row(t("score.chain_uniform"), uniform, t("score.uniform_note", bits=ch.uniform_bits, V=b.vocab)),
        _row(t("score.kn_one"), b.kn_one, t("score.kn_one_note")),
        _row(t("score.kn"), b.kn, t("score.kn_note")),
        _row(t("score.gpt"), b.gpt),
        _row(t("score.mix"), b.mix, t("score.mix_note", w=b.mix_weight, n=b.fit_examples)),
    ]
    return pd.DataFrame(rows)


def best_order_table(b: Board) -> pd.DataFrame:
    """Pairing 2: the GPT at its context against modified Kneser-Ney at its best order."""
    return pd.DataFrame(
        [
            _row(t("score.kn_best", k=b.best_k), b.kn_best, t("score.best_note", unseen=b.best_unseen_fraction)),
            _row(t("score.gpt_at", k=b.context), b.gpt),
        ]
    )


def _ahead(gpt: float, table: float) -> str:
    """Who is ahead and by how much, in words (`core.text.scoreboard.lead`)."""
    return said(lead(gpt, table))


def said(lead_: Lead) -> str:
    if lead_.ahead == "level":
        return t("score.level")
    return t("score.gpt_ahead" if lead_.ahead == "gpt" else "score.table_ahead", bits=lead_.bits)


def board_summary(b: Board, budget: str) -> str:
    """What the board shows, every clause from its measured values, naming the GPT's budget."""
    parts = []
    if b.gpt.unseen is not None and b.kn.unseen is not None:
        parts.append(
            t("score.sum_unseen", fraction=1 - b.seen_fraction, k=b.context, gpt=b.gpt.unseen, kn=b.kn.unseen, budget=budget)
            + _ahead(b.gpt.unseen, b.kn.unseen)
        )
    if b.gpt.seen is not None and b.kn.seen is not None:
        parts.append(t("score.sum_seen", gpt=b.gpt.seen, kn=b.kn.seen) + _ahead(b.gpt.seen, b.kn.seen))
    parts.append(
        t("score.sum_best", k=b.best_k, kn=b.kn_best.overall, gpt=b.gpt.overall, k_gpt=b.context)
        + _ahead(b.gpt.overall, b.kn_best.overall)
    )
    parts.append(t("score.sum_mix_better" if verdict(b).mix_better else "score.sum_mix_same", w=b.mix_weight, bits=b.mix.overall))
    ch = b.chain
    parts.append(t("score.sum_chain", coverage=ch.coverage, zero=ch.zero_fraction, uniform=ch.uniform_bits, V=b.vocab))
    return ("" if i18n.lang() == "zh" else " ").join(parts)  # Chinese sentences run on without spaces


def real_scale(b: Board, corpus: str, alphabet: str, steps: int, flops: float) -> str:
    """The real-scale step of the argument in a sentence or three, from the board's verdict: the share of never-seen
    contexts at k, who wins on them and by how much at which budget, and whether the two mixed beat both."""
    v = verdict(b)
    symbols = dict(V=b.vocab, alphabet=t(f"real_text.alphabet_{alphabet}"))
    parts = [t("score.real_share", corpus=corpus, k=v.context, fraction=v.unseen_fraction, **symbols)]
    if v.unseen_lead is not None:
        parts.append(t("score.real_unseen", kn=v.kn_unseen, gpt=v.gpt_unseen, steps=steps, flops=flops) + said(v.unseen_lead))
    key = "score.real_mix_better" if v.mix_better else "score.real_mix_same"
    parts.append(t(key, mix=v.mix_overall, gpt=v.gpt_overall, kn=v.kn_overall))
    return ("" if i18n.lang() == "zh" else " ").join(parts)


def budget(steps: int, batch: int, k: int, flops: float, seconds: float) -> str:
    """A GPT's training budget in words: steps, windows, characters seen, FLOPs, time."""
    return t("score.budget", steps=steps, batch=batch, k=k, chars=steps * batch * k, flops=flops, seconds=seconds)


def curve_chart(gpt_curve, kn_points) -> go.Figure:
    """Held-out bits per character against training characters (log axis): GPT checkpoints, KN on prefixes."""
    fig = go.Figure()
    if gpt_curve:
        fig.add_trace(
            go.Scatter(
                x=[c.chars for c in gpt_curve],
                y=[c.bits for c in gpt_curve],
                customdata=[[c.step, c.flops] for c in gpt_curve],
                hovertemplate=t("score.curve_gpt_hover") + "<extra></extra>",
                mode="lines+markers",
                name=t("score.curve_gpt"),
            )
        )
    fig.add_trace(
        go.Scatter(
            x=[p.chars for p in kn_points],
            y=[p.bits for p in kn_points],
            customdata=[[p.best_k] for p in kn_points],
            hovertemplate=t("score.curve_kn_hover") + "<extra></extra>",
            mode="lines+markers",
            name=t("score.curve_kn"),
        )
    )
    fig.update_xaxes(type="log", title_text=t("score.curve_x"))
    fig.update_yaxes(title_text=t("model_views.bits_axis"))
    fig.update_layout(height=380, margin=dict(t=40, b=10), legend={"orientation": "h", "yanchor": "bottom", "y": 1.02, "x": 0})
    return fig


def nanogpt_table() -> pd.DataFrame:
    """nanoGPT's published Tiny Shakespeare figures (its README), not measured here."""
    rows = [
        (t("score.nano_cpu"), "4 / 4 / 128", 64, 12, 2_000, 1.88),
        (t("score.nano_gpu"), "6 / 6 / 384", 256, 64, 5_000, 1.47),
    ]
    return pd.DataFrame(
        {
            t("score.col_recipe"): [r[0] for r in rows],
            t("score.col_shape"): [r[1] for r in rows],
            t("score.col_context"): [r[2] for r in rows],
            t("score.col_batch"): [r[3] for r in rows],
            t("score.col_steps"): [r[4] for r in rows],
            t("score.col_nats"): [r[5] for r in rows],
            t("score.col_bits"): [round(r[5] / math.log(2), 2) for r in rows],
        }
    )


BATCH = TextTrainConfig().batch_size  # windows per step of the page's own training


def show_board(b: Board, budget_text: str, key: str) -> None:
    """The two pairings as tables, then the sentences read from them."""
    st.markdown("**" + t("score.pairing_same", k=b.context) + "**")
    st.dataframe(same_k_table(b), hide_index=True, key=f"{key}_same")
    st.markdown("**" + t("score.pairing_best", k=b.context, best=b.best_k) + "**")
    st.dataframe(best_order_table(b), hide_index=True, key=f"{key}_best")
    st.caption(t("score.examples", n=b.examples))
    st.markdown(board_summary(b, budget_text))


def curve_table(gpt_curve, kn_points) -> pd.DataFrame:
    """The learning curve's points as a table: each GPT checkpoint with its FLOPs (and its validation bits, where the
    run recorded them), each Kneser-Ney prefix with its order.

    A cell with no value is missing (shown as the page's placeholder, "—"), never a "—" in a column of numbers."""
    validation = any(c.validation_bits is not None for c in gpt_curve)
    val = lambda c: None if c.validation_bits is None else round(c.validation_bits, 3)  # noqa: E731
    rows = [(t("score.curve_gpt"), c.chars, f"{c.flops:.2g}", c.step, None, round(c.bits, 3), val(c)) for c in gpt_curve]
    rows += [(t("score.curve_kn"), p.chars, NA, None, p.best_k, round(p.bits, 3), None) for p in kn_points]
    names = ("col_model", "col_chars", "col_flops", "col_step", "col_order", "col_curve_bits") + (
        ("col_validation",) if validation else ()
    )
    whole = {"col_step", "col_order"}
    return pd.DataFrame(
        {t(f"score.{n}"): pd.array([r[i] for r in rows], dtype="Int64" if n in whole else None) for i, n in enumerate(names)}
    )
