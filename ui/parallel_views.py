"""The "One text, two languages" page's pieces: its tables, charts, token previews and the sentences under them.

What it is: display tables with human headers (numbers formatted as text, "—" where a value does not exist),
plotly charts with one trace per language, the BPE token preview, and the summary sentences, each worded from a
page model of `core.pages.parallel` (which holds every number and which language is ahead).

What it is not: a computation (`core.text.parallel` measures, `core.pages.parallel` compares), a cache
(`ui.cache`) or the page's layout (`pages/parallel.py`).
"""

from __future__ import annotations

import math
import re

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from core.pages.parallel import BitsTab, BpeTab, Frame, PairTokens, SizesTab, StatesTab
from core.text.corpus import PARALLEL_COMMIT, PARALLEL_REPO
from ui.i18n import t
from ui.text_views import license_of, scientific

COLORS = {"en": "#4C78A8", "zh": "#E45756"}
NA = "—"


def name(language: str) -> str:
    """A language in the reader's language: English / Chinese."""
    return t(f"parallel.language_{language}")


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


def _per_language(values: dict, **names: str) -> dict:
    """A sentence's per-language placeholders: {"en": x, "zh": y}, cpp="chars" -> {"en_cpp": x.chars, "zh_cpp": y.chars}."""
    return {f"{lang}_{ph}": getattr(v, attr) for lang, v in values.items() for ph, attr in names.items()}


def answer(f: Frame) -> str:
    """The page's answer: more possible states, the larger visited share, and fewer bits for the same meaning."""
    text = t("parallel.answer", more=name(f.more_states.side), en=f.pair["en"].log10, zh=f.pair["zh"].log10)
    text += t("parallel.answer_share", k=f.at_k["en"].context, larger=name(f.larger_at_k.side))
    if f.cheaper is not None:
        text += t("parallel.answer_cheaper", cheaper=name(f.cheaper.side), bits=f.cheaper.by, pct=f.cheaper.share)
    return text


def intro(f: Frame) -> str:
    """What the page measures, on how many pairs, how many held out."""
    s = f.symbols
    return t("parallel.intro", pairs=f.pairs, en_symbols=s["en"], zh_symbols=s["zh"], heldout=f.heldout, held=f.heldout_pairs)


def source(f: Frame) -> str:
    """Where the two corpora come from, and their licenses."""
    licenses = {f"{lang}_license": license_of(corpus) for lang, corpus in f.corpora.items()}
    return t("parallel.source", source=PARALLEL_REPO, commit=PARALLEL_COMMIT[:12], **licenses)


def sizes_table(s: SizesTab) -> pd.DataFrame:
    """One row per language: pairs, characters, bytes, symbols and their ratios."""
    rs = s.rows.values()
    return _table(
        {
            "language": ("{}", [name(lang) for lang in s.rows]),
            "pairs": ("{:,}", [r.pairs for r in rs]),
            "characters": ("{:,}", [r.characters for r in rs]),
            "bytes": ("{:,}", [r.bytes for r in rs]),
            "symbols": ("{:,}", [r.symbols for r in rs]),
            "chars_per_pair": ("{:.1f}", [r.chars_per_pair for r in rs]),
            "bytes_per_pair": ("{:.1f}", [r.bytes_per_pair for r in rs]),
            "bits_per_char_state": ("{:.2f}", [r.log2_symbols for r in rs]),
        }
    )


def sizes_summary(s: SizesTab) -> str:
    """The two halves' sizes in a sentence."""
    sizes = _per_language(s.rows, chars="characters", symbols="symbols", bytes="bytes")
    return t("parallel.sizes_summary", ratio=s.span_ratio, times=s.symbols_ratio, bytes_ratio=s.bytes_ratio, **sizes)


def span_table(s: StatesTab) -> pd.DataFrame:
    """Bits per state at k characters in each language and for the same span of text in the other."""
    en, zh = s.spans["en"], s.spans["zh"]
    return _table(
        {
            "k": ("{}", [x.context for x in en]),
            "en_bits": ("{:.1f}", [x.bits for x in en]),
            "zh_bits": ("{:.1f}", [x.bits for x in zh]),
            "zh_span_chars": ("{:.2f}", [x.other_chars for x in en]),
            "zh_span_bits": ("{:.1f}", [x.other_bits for x in en]),
            "en_span_chars": ("{:.2f}", [x.other_chars for x in zh]),
            "en_span_bits": ("{:.1f}", [x.other_bits for x in zh]),
        }
    )


def pair_states(s: StatesTab) -> str:
    """A whole sentence pair as one state in each language, and which has more possible states."""
    pair = _per_language(s.pair, cpp="chars", lb="bits_per_char", bits="bits", log10="log10")
    return t("parallel.pair_states", more=name(s.more_states.side), **pair)


def states_table(s: StatesTab) -> pd.DataFrame:
    """Per k: possible (log10) and observed contexts, coverage and the held-out unseen share, both languages."""
    columns = {"k": ("{}", [r.context for r in s.rows["en"]])}
    fields = (
        ("possible", "{:.2f}", "possible_states_log10"),
        ("observed", "{:,}", "observed_contexts"),
        ("coverage", scientific, "coverage"),
        ("unseen", "{:.1%}", "heldout_unseen_fraction"),
    )
    for key, fmt, field in fields:
        columns |= {f"{lang}_{key}": (fmt, [getattr(r, field) for r in rows]) for lang, rows in s.rows.items()}
    return _table(columns)


def states_summary(s: StatesTab) -> str:
    """Which language visits the larger share of its contexts, at equal k and at the same span of text."""
    shares = _per_language(s.at_k, obs="observed", log="possible_log10", cov="coverage")
    at_k = t("parallel.states_equal_k", k=s.at_k["en"].context, larger=name(s.larger_at_k.side), **shares)
    e, z = s.at_span["en"], s.at_span["zh"]
    larger = name(s.larger_at_span.side)
    at_span = t("parallel.states_same_span", K=e.context, kz=z.context, en_cov=e.coverage, zh_cov=z.coverage, larger=larger)
    return at_k + " " + at_span


def bits_table(b: BitsTab) -> pd.DataFrame:
    """One row per (language, k): held-out and plug-in bits per character, per byte and per sentence pair."""
    rows = [(lang, r) for lang, rs in b.rows.items() for r in rs]
    return _table(
        {
            "language": ("{}", [name(lang) for lang, _ in rows]),
            "k": ("{}", [r.context for _, r in rows]),
            "heldout_char": ("{:.3f}", [r.heldout_bits_per_char for _, r in rows]),
            "heldout_byte": ("{:.3f}", [r.heldout_bits_per_byte for _, r in rows]),
            "heldout_pair": ("{:.1f}", [r.heldout_bits_per_pair for _, r in rows]),
            "plugin_char": ("{:.3f}", [r.conditional_entropy_bits for _, r in rows]),
            "plugin_byte": ("{:.3f}", [r.plugin_bits_per_byte for _, r in rows]),
            "plugin_pair": ("{:.1f}", [r.plugin_bits_per_pair for _, r in rows]),
        }
    )


def bits_summary(b: BitsTab) -> str:
    """Each language at its best k, per character, byte and pair, and which costs fewer bits for the same meaning."""
    if b.best is None or b.cheaper is None:
        return t("parallel.no_heldout")
    fields = dict(k="context", char="heldout_bits_per_char", byte="heldout_bits_per_byte", pair="heldout_bits_per_pair")
    lead = dict(cheaper=name(b.cheaper.side), diff=b.cheaper.by, pct=b.cheaper.share)
    return t("parallel.bits_summary", char_ratio=b.char_ratio, **lead, **_per_language(b.best, **fields))


def bits_intro(b: BitsTab) -> str:
    """The three units, and the characters per held-out pair that turn bits per character into bits per pair."""
    return t("parallel.bits_intro", en_cpp=b.heldout_chars_per_pair["en"], zh_cpp=b.heldout_chars_per_pair["zh"])


def budget(b: BitsTab) -> str:
    """How much training text the costs come from."""
    c = b.train_characters
    return t("parallel.budget", en_train=c["en"], zh_train=c["zh"], pairs=b.train_pairs)


# The legend below the plot: four entries above it would cover the title on a narrow column
LAYOUT = dict(
    height=440, margin={"t": 40, "l": 10, "r": 10, "b": 10}, legend={"orientation": "h", "yanchor": "top", "y": -0.22, "x": 0}
)


def _line(x, y, label: str, language: str, dash: str | None = None) -> go.Scatter:
    """One language's line in its colour, dashed when `dash` says so."""
    line = {"color": COLORS[language]} | ({"dash": dash} if dash else {})
    return go.Scatter(x=x, y=y, name=label, mode="lines+markers", line=line)


def _bits_lines(b: BitsTab, fields: tuple[str, str], title: str, y_title: str) -> go.Figure:
    """Held-out (solid) and plug-in (dotted) Row fields against k, both languages; a missing value is not drawn."""
    fig = go.Figure()
    for field, label_key, dash in zip(fields, ("parallel.trace_heldout", "parallel.trace_plugin"), ("solid", "dot"), strict=True):
        for lang, rows in b.rows.items():
            pts = [(r.context, getattr(r, field)) for r in rows if getattr(r, field) is not None]
            fig.add_trace(_line([k for k, _ in pts], [v for _, v in pts], t(label_key, language=name(lang)), lang, dash))
    fig.update_layout(title=title, xaxis_title=t("parallel.k_axis"), yaxis_title=y_title, **LAYOUT)
    fig.update_yaxes(rangemode="tozero")
    return fig


def char_chart(b: BitsTab) -> go.Figure:
    """Bits per character against k: held-out Kneser-Ney (solid) and plug-in (dotted), both languages."""
    fields = ("heldout_bits_per_char", "conditional_entropy_bits")
    return _bits_lines(b, fields, t("parallel.char_title"), t("parallel.char_axis"))


def pair_chart(b: BitsTab) -> go.Figure:
    """Bits per sentence pair against k: the fair unit, the same meaning in both languages."""
    fields = ("heldout_bits_per_pair", "plugin_bits_per_pair")
    return _bits_lines(b, fields, t("parallel.pair_title"), t("parallel.pair_axis"))


def states_chart(s: StatesTab) -> go.Figure:
    """log10 of the possible states V^k (dashed) and of the observed contexts (solid) against k."""
    fig = go.Figure()
    for lang, rows in s.rows.items():
        ks = [r.context for r in rows]
        possible = [r.possible_states_log10 for r in rows]
        fig.add_trace(_line(ks, possible, t("parallel.trace_possible", language=name(lang)), lang, "dash"))
        fig.add_trace(_line(ks, list(s.observed_log10[lang]), t("parallel.trace_observed", language=name(lang)), lang))
    fig.update_layout(
        title=t("parallel.states_title"), xaxis_title=t("parallel.k_axis"), yaxis_title=t("parallel.states_axis"), **LAYOUT
    )
    return fig


def bpe_table(b: BpeTab) -> pd.DataFrame:
    """One row per (vocabulary size, language): tokens per held-out pair, characters and bytes per token."""
    rows = b.table
    return _table(
        {
            "vocab": ("{:,}", [r.vocab_asked for _, r in rows]),
            "language": ("{}", [name(lang) for lang, _ in rows]),
            "tokens_per_pair": ("{:.1f}", [r.tokens_per_pair for _, r in rows]),
            "chars_per_token": ("{:.2f}", [r.chars_per_token for _, r in rows]),
            "bytes_per_token": ("{:.2f}", [r.bytes_per_token for _, r in rows]),
            "vocab_reached": ("{:,}", [r.vocab_size for _, r in rows]),
        }
    )


def bpe_chart(b: BpeTab) -> go.Figure:
    """Tokens per held-out sentence pair against the vocabulary size, both languages."""
    fig = go.Figure()
    for lang, rows in b.rows.items():
        fig.add_trace(_line([r.vocab_asked for r in rows], [r.tokens_per_pair for r in rows], name(lang), lang))
    fig.update_layout(title=t("parallel.bpe_title"), yaxis_title=t("parallel.bpe_axis"), **LAYOUT)
    fig.update_xaxes(type="log", title_text=t("parallel.vocab_axis"), tickvals=list(b.sizes))
    fig.update_yaxes(rangemode="tozero")
    return fig


def bpe_summary(b: BpeTab) -> str:
    """At the largest and the smallest vocabulary: tokens per pair in each language."""
    at = _per_language(b.at_lo, lo="tokens_per_pair") | _per_language(b.at_hi, hi="tokens_per_pair", cpt="chars_per_token")
    return t("parallel.bpe_summary", lo=b.sizes[0], hi=b.sizes[-1], fewer=name(b.fewer.side), **at)


def show_pair(pt: PairTokens) -> None:
    """The held-out pair in each language, then its tokens at each vocabulary size joined by " | "."""
    for lang, sentence in pt.sentences.items():
        st.markdown(f"**{name(lang)}**")
        st.code(sentence, language=None, wrap_lines=True)
        for size, tokens in pt.tokens[lang].items():
            st.markdown(t("parallel.tokens_at", size=size))
            st.code(" | ".join(tokens), language=None, wrap_lines=True)
