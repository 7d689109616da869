"""The "One text, two languages" page's pieces: its tables, charts, token previews and the sentences under them.

What it is: display tables with human headers (numbers formatted as text, "—" where a value does not exist),
plotly charts with one trace per language, the BPE token preview, and the summary sentences, every one worded
from the measured values (which language costs fewer bits, which visits the larger share).

What it is not: a computation (`core.text.parallel` measures everything), a cache (`ui.cache`) or the page's
layout (`pages/parallel.py`).
"""

from __future__ import annotations

import math
import re

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from core.text.parallel import BpeCompare, Half, Parallel, Span, Verdict
from core.text.vocab import tokenize_preview, visible_token
from ui.charts import LOG_AXIS
from ui.i18n import t
from ui.text_views import scientific

COLORS = {"en": "#4C78A8", "zh": "#E45756"}
SIZES = (256, 1024, 4096, 8192)  # the BPE vocabularies compared
NA = "—"


def name(h: Half) -> str:
    """The language of a half, in the reader's language: English / Chinese."""
    return t(f"parallel.language_{h.language}")


def col(key: str) -> str:
    return t(f"parallel.col_{key}")


def _fmt(x, fmt) -> str:
    """x written by `fmt` (a format string or a function), '—' where there is no value."""
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return NA
    return fmt(x) if callable(fmt) else fmt.format(x)


NUMERIC = re.compile(r"[-+−]?[\d,.]+(?:%| × 10\^-?\d+)?|—")  # a number as the tables format it, or the dash of no value


def aligned(table: pd.DataFrame) -> dict:
    """Column settings for st.dataframe: a column of numbers (formatted as text here) right-aligned like numbers."""
    return {
        c: st.column_config.Column(alignment="right") for c in table.columns if all(NUMERIC.fullmatch(str(v)) for v in table[c])
    }


def show(table: pd.DataFrame, key: str, **kw) -> None:
    """One of this page's tables, its numbers right-aligned."""
    st.dataframe(table, hide_index=True, column_config=aligned(table), key=key, **kw)


def _table(columns: dict[str, tuple[str, list]]) -> pd.DataFrame:
    """header key -> (format, values): every cell formatted as text, '—' where there is no value."""
    return pd.DataFrame({col(key): [_fmt(v, fmt) for v in values] for key, (fmt, values) in columns.items()})


def sizes_table(p: Parallel) -> pd.DataFrame:
    """One row per language: pairs, characters, bytes, symbols and their ratios."""
    hs = (p.en, p.zh)
    return _table(
        {
            "language": ("{}", [name(h) for h in hs]),
            "pairs": ("{:,}", [h.pairs for h in hs]),
            "characters": ("{:,}", [h.characters for h in hs]),
            "bytes": ("{:,}", [h.bytes for h in hs]),
            "symbols": ("{:,}", [h.symbols for h in hs]),
            "chars_per_pair": ("{:.1f}", [h.chars_per_pair for h in hs]),
            "bytes_per_pair": ("{:.1f}", [h.bytes_per_pair for h in hs]),
            "bits_per_char_state": ("{:.2f}", [math.log2(h.symbols) for h in hs]),
        }
    )


def answer(v: Verdict) -> str:
    """The page's answer from its verdict (`core.text.parallel.verdict`)."""
    names = {lang: t(f"parallel.language_{lang}") for lang in ("en", "zh")}
    text = t("parallel.answer", more=names[v.more_states], en=v.en_pair_log10, zh=v.zh_pair_log10)
    text += t("parallel.answer_share", k=v.share_k, larger=names[v.larger_share])
    if v.cheaper is not None:
        text += t("parallel.answer_cheaper", cheaper=names[v.cheaper], bits=v.pair_bits_saved, pct=v.pair_share_saved)
    return text


def sizes_summary(p: Parallel) -> str:
    """The two halves' sizes in a sentence."""
    e, z = p.en, p.zh
    return t(
        "parallel.sizes_summary",
        zh_chars=z.characters,
        en_chars=e.characters,
        ratio=p.span_ratio,
        times=z.symbols / e.symbols,
        zh_symbols=z.symbols,
        en_symbols=e.symbols,
        zh_bytes=z.bytes,
        en_bytes=e.bytes,
        bytes_ratio=z.bytes / e.bytes,
    )


def span_table(en: tuple[Span, ...], zh: tuple[Span, ...]) -> pd.DataFrame:
    """Bits per state at k characters in each language and for the same span of text in the other."""
    return _table(
        {
            "k": ("{}", [s.context for s in en]),
            "en_bits": ("{:.1f}", [s.bits for s in en]),
            "zh_bits": ("{:.1f}", [s.bits for s in zh]),
            "zh_span_chars": ("{:.2f}", [s.other_chars for s in en]),
            "zh_span_bits": ("{:.1f}", [s.other_bits for s in en]),
            "en_span_chars": ("{:.2f}", [s.other_chars for s in zh]),
            "en_span_bits": ("{:.1f}", [s.other_bits for s in zh]),
        }
    )


def pair_states(p: Parallel) -> str:
    """A whole sentence pair as one state in each language, and which has more possible states."""
    e, z = p.en, p.zh
    be, bz = e.chars_per_pair * math.log2(e.symbols), z.chars_per_pair * math.log2(z.symbols)
    more = name(e) if be > bz else name(z)
    return t(
        "parallel.pair_states",
        en_cpp=e.chars_per_pair,
        en_lb=math.log2(e.symbols),
        en_bits=be,
        en_log10=be * math.log10(2),
        zh_cpp=z.chars_per_pair,
        zh_lb=math.log2(z.symbols),
        zh_bits=bz,
        zh_log10=bz * math.log10(2),
        more=more,
    )


def states_table(p: Parallel) -> pd.DataFrame:
    """Per k: possible (log10) and observed contexts, coverage and the held-out unseen share, both languages."""
    e, z = p.en.rows, p.zh.rows
    return _table(
        {
            "k": ("{}", [r.context for r in e]),
            "en_possible": ("{:.2f}", [r.possible_states_log10 for r in e]),
            "zh_possible": ("{:.2f}", [r.possible_states_log10 for r in z]),
            "en_observed": ("{:,}", [r.observed_contexts for r in e]),
            "zh_observed": ("{:,}", [r.observed_contexts for r in z]),
            "en_coverage": (scientific, [r.coverage for r in e]),
            "zh_coverage": (scientific, [r.coverage for r in z]),
            "en_unseen": ("{:.1%}", [r.heldout_unseen_fraction for r in e]),
            "zh_unseen": ("{:.1%}", [r.heldout_unseen_fraction for r in z]),
        }
    )


def states_summary(p: Parallel) -> str:
    """Which language visits the larger share of its contexts, at equal k and at the same span of text."""
    e, z = p.en.rows, p.zh.rows
    k = min(3, len(e) - 1)
    K = e[-1].context
    kz = max(0, min(round(K * p.span_ratio), z[-1].context))
    zk = next(r for r in z if r.context == kz)
    at_k = t(
        "parallel.states_equal_k",
        k=e[k].context,
        en_obs=e[k].observed_contexts,
        en_log=e[k].possible_states_log10,
        en_cov=e[k].coverage,
        zh_obs=z[k].observed_contexts,
        zh_log=z[k].possible_states_log10,
        zh_cov=z[k].coverage,
        larger=name(p.en) if e[k].coverage > z[k].coverage else name(p.zh),
    )
    at_span = t(
        "parallel.states_same_span",
        K=K,
        kz=kz,
        en_cov=e[-1].coverage,
        zh_cov=zk.coverage,
        larger=name(p.en) if e[-1].coverage > zk.coverage else name(p.zh),
    )
    return at_k + " " + at_span


def bits_table(p: Parallel) -> pd.DataFrame:
    """One row per (language, k): held-out and plug-in bits per character, per byte and per sentence pair."""
    rows = [(h, r) for h in (p.en, p.zh) for r in h.rows]
    return _table(
        {
            "language": ("{}", [name(h) for h, _ in rows]),
            "k": ("{}", [r.context for _, r in rows]),
            "heldout_char": ("{:.3f}", [r.heldout_bits_per_char for _, r in rows]),
            "heldout_byte": ("{:.3f}", [r.heldout_bits_per_byte for _, r in rows]),
            "heldout_pair": ("{:.1f}", [r.heldout_bits_per_pair for _, r in rows]),
            "plugin_char": ("{:.3f}", [r.conditional_entropy_bits for _, r in rows]),
            "plugin_byte": ("{:.3f}", [r.plugin_bits_per_byte for _, r in rows]),
            "plugin_pair": ("{:.1f}", [r.plugin_bits_per_pair for _, r in rows]),
        }
    )


def bits_summary(p: Parallel) -> str:
    """Each language at its best k, per character, byte and pair, and which costs fewer bits for the same meaning."""
    be, bz = p.en.best(), p.zh.best()
    if be is None or bz is None:
        return t("parallel.no_heldout")
    cheaper, dearer = (be, bz) if be.heldout_bits_per_pair < bz.heldout_bits_per_pair else (bz, be)
    return t(
        "parallel.bits_summary",
        en_k=be.context,
        en_char=be.heldout_bits_per_char,
        zh_k=bz.context,
        zh_char=bz.heldout_bits_per_char,
        char_ratio=bz.heldout_bits_per_char / be.heldout_bits_per_char,
        en_byte=be.heldout_bits_per_byte,
        zh_byte=bz.heldout_bits_per_byte,
        en_pair=be.heldout_bits_per_pair,
        zh_pair=bz.heldout_bits_per_pair,
        cheaper=name(p.en) if cheaper is be else name(p.zh),
        diff=dearer.heldout_bits_per_pair - cheaper.heldout_bits_per_pair,
        pct=(dearer.heldout_bits_per_pair - cheaper.heldout_bits_per_pair) / dearer.heldout_bits_per_pair,
    )


# The legend below the plot: four entries above it would cover the title on a narrow column
LAYOUT = dict(
    height=440, margin={"t": 40, "l": 10, "r": 10, "b": 10}, legend={"orientation": "h", "yanchor": "top", "y": -0.22, "x": 0}
)


def _lines(p: Parallel, series: list[tuple[str, str, str]], title: str, y_title: str, log: bool = False) -> go.Figure:
    """One line per (half, Row field, dash) against k."""
    fig = go.Figure()
    for field, label_key, dash in series:
        for h in (p.en, p.zh):
            pts = [(r.context, getattr(r, field)) for r in h.rows if getattr(r, field) is not None]
            fig.add_trace(
                go.Scatter(
                    x=[k for k, _ in pts],
                    y=[v for _, v in pts],
                    name=t(label_key, language=name(h)),
                    mode="lines+markers",
                    line={"color": COLORS[h.language], "dash": dash},
                )
            )
    fig.update_layout(title=title, xaxis_title=t("parallel.k_axis"), yaxis_title=y_title, **LAYOUT)
    if log:
        fig.update_yaxes(**LOG_AXIS)
    else:
        fig.update_yaxes(rangemode="tozero")
    return fig


def char_chart(p: Parallel) -> go.Figure:
    """Bits per character against k: held-out Kneser-Ney (solid) and plug-in (dotted), both languages."""
    series = [
        ("heldout_bits_per_char", "parallel.trace_heldout", "solid"),
        ("conditional_entropy_bits", "parallel.trace_plugin", "dot"),
    ]
    return _lines(p, series, t("parallel.char_title"), t("parallel.char_axis"))


def pair_chart(p: Parallel) -> go.Figure:
    """Bits per sentence pair against k: the fair unit, the same meaning in both languages."""
    series = [
        ("heldout_bits_per_pair", "parallel.trace_heldout", "solid"),
        ("plugin_bits_per_pair", "parallel.trace_plugin", "dot"),
    ]
    return _lines(p, series, t("parallel.pair_title"), t("parallel.pair_axis"))


def states_chart(p: Parallel) -> go.Figure:
    """log10 of the possible states V^k (dashed) and of the observed contexts (solid) against k."""
    fig = go.Figure()
    for h in (p.en, p.zh):
        ks = [r.context for r in h.rows]
        c = COLORS[h.language]
        fig.add_trace(
            go.Scatter(
                x=ks,
                y=[r.possible_states_log10 for r in h.rows],
                name=t("parallel.trace_possible", language=name(h)),
                mode="lines+markers",
                line={"color": c, "dash": "dash"},
            )
        )
        fig.add_trace(
            go.Scatter(
                x=ks,
                y=[math.log10(r.observed_contexts) for r in h.rows],
                name=t("parallel.trace_observed", language=name(h)),
                mode="lines+markers",
                line={"color": c},
            )
        )
    fig.update_layout(
        title=t("parallel.states_title"), xaxis_title=t("parallel.k_axis"), yaxis_title=t("parallel.states_axis"), **LAYOUT
    )
    return fig


def bpe_table(b: BpeCompare, p: Parallel) -> pd.DataFrame:
    """One row per (vocabulary size, language): tokens per held-out pair, characters and bytes per token."""
    langs = {p.en.name: p.en, p.zh.name: p.zh}
    rows = sorted(b.rows, key=lambda r: (r.vocab_asked, r.name != p.en.name))
    return _table(
        {
            "vocab": ("{:,}", [r.vocab_asked for r in rows]),
            "language": ("{}", [name(langs[r.name]) for r in rows]),
            "tokens_per_pair": ("{:.1f}", [r.tokens_per_pair for r in rows]),
            "chars_per_token": ("{:.2f}", [r.chars_per_token for r in rows]),
            "bytes_per_token": ("{:.2f}", [r.bytes_per_token for r in rows]),
            "vocab_reached": ("{:,}", [r.vocab_size for r in rows]),
        }
    )


def bpe_chart(b: BpeCompare, p: Parallel) -> go.Figure:
    """Tokens per held-out sentence pair against the vocabulary size, both languages."""
    fig = go.Figure()
    for h in (p.en, p.zh):
        rows = [r for r in b.rows if r.name == h.name]
        fig.add_trace(
            go.Scatter(
                x=[r.vocab_asked for r in rows],
                y=[r.tokens_per_pair for r in rows],
                name=name(h),
                mode="lines+markers",
                line={"color": COLORS[h.language]},
            )
        )
    fig.update_layout(title=t("parallel.bpe_title"), yaxis_title=t("parallel.bpe_axis"), **LAYOUT)
    fig.update_xaxes(type="log", title_text=t("parallel.vocab_axis"), tickvals=list(SIZES))
    fig.update_yaxes(rangemode="tozero")
    return fig


def bpe_summary(b: BpeCompare, p: Parallel) -> str:
    """At the largest and the smallest vocabulary: tokens per pair in each language."""
    by = {(r.name, r.vocab_asked): r for r in b.rows}
    lo, hi = min(r.vocab_asked for r in b.rows), max(r.vocab_asked for r in b.rows)
    e_lo, z_lo, e_hi, z_hi = by[p.en.name, lo], by[p.zh.name, lo], by[p.en.name, hi], by[p.zh.name, hi]
    return t(
        "parallel.bpe_summary",
        lo=lo,
        en_lo=e_lo.tokens_per_pair,
        zh_lo=z_lo.tokens_per_pair,
        hi=hi,
        en_hi=e_hi.tokens_per_pair,
        zh_hi=z_hi.tokens_per_pair,
        fewer=name(p.en) if e_hi.tokens_per_pair < z_hi.tokens_per_pair else name(p.zh),
        en_cpt=e_hi.chars_per_token,
        zh_cpt=z_hi.chars_per_token,
    )


def preview(tokenizer, sentence: str) -> str:
    """The sentence's tokens joined with " | ": whitespace drawn visibly, byte pieces labelled (<e4 b8>), never U+FFFD."""
    return " | ".join(visible_token(tok) for tok in tokenize_preview(tokenizer, sentence))
