"""The real-text page's pieces: its corpus input, tables, charts and the measured summary under them.

What it is: `corpus_input` (built-in, pasted or uploaded text, checked by `core.text.corpus`), the display
tables (human headers, "—" where a value does not exist), three plotly charts and the summary sentence.

What it is not: a computation (`core.text.analysis` computes every number and the focused graph), a cache
(`ui.cache` keeps the sweep and the graph's page) or the page's layout (`pages/real_text.py`).
"""

from __future__ import annotations

import math

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from core.text.analysis import possible_states, text_key
from core.text.analysis import trend as cost_trend
from core.text.corpus import BUILTIN, CorpusError, builtin_text, check_text, decode_text
from core.text.ngram import SweepRow
from core.text.shannon import ESTIMATES, Comparison
from ui import i18n
from ui.i18n import t
from ui.inputs import choice

SOURCES = ("built-in", "paste", "upload")  # also their values in the URL
NA = "—"
MAX_UPLOAD_MB = 5  # the uploader says "5MB per file": MAX_CORPUS_BYTES (5,000,000 bytes) is what the app checks
ORANGE, RED = "#F58518", "#E45756"


def description(name: str) -> str:
    """A built-in corpus's description in the current language (core's English one for a corpus the catalogue lacks)."""
    key = "text_views." + name.replace("-", "_")
    return t(key) if key in i18n.catalogue(i18n.lang()) else BUILTIN[name].description


def license_of(name: str) -> str:
    """A built-in corpus's license in the current language (core's English one for a corpus the catalogue lacks)."""
    key = "text_views.license_" + name.replace("-", "_")
    return t(key) if key in i18n.catalogue(i18n.lang()) else BUILTIN[name].license


def builtin_choice() -> str:
    """The built-in corpus chosen on the Real text page (?rt_corpus=, default python-docs)."""
    return choice(t("text_views.corpus"), list(BUILTIN), "rt_corpus", lambda name: name, horizontal=True)


def _key(text: str) -> str:
    """The text's cache key, hashed once per text in a session, not on every rerun (a 5 MB text takes a while)."""
    last = st.session_state.get("_rt_last_key")
    if last is None or last[0] != text:  # comparing equal texts is a memory compare, far cheaper than hashing
        last = st.session_state["_rt_last_key"] = (text, text_key(text))
    return last[1]


def corpus_input(source: str) -> tuple[str, str] | None:
    """(cache key, text) of the chosen source, or None after saying why there is none (input stays in its box)."""
    if source == "built-in":
        name = builtin_choice()
        st.caption(t("text_views.builtin", name=name, description=description(name), license=license_of(name)))
        return f"builtin:{name}", builtin_text(name)
    try:
        if source == "paste":
            text = st.text_area(
                t("text_views.paste"),
                key="rt_text",
                height=160,
                persist_state="session",
                placeholder=t("text_views.paste_placeholder"),
            )
            if not text:
                st.info(t("text_views.paste_ask"))
                return None
            return _key(text), check_text(text, t("text_views.pasted"))
        file = st.file_uploader(t("text_views.upload"), type=["txt"], key="rt_file", max_upload_size=MAX_UPLOAD_MB)
        if file is None:
            st.info(t("text_views.upload_ask"))
            return None
        text = decode_text(file.getvalue(), t("text_views.uploaded"))  # its name is shown by the uploader
        return _key(text), text
    except CorpusError as e:
        st.error(i18n.error(e))
        return None


def scientific(x: float) -> str:
    """A share that spans many orders of magnitude, always in one form: '2.52 × 10^-1', '3.60 × 10^-20' (as V^k is)."""
    if x == 0:
        return "0"
    mantissa, exponent = f"{x:.2e}".split("e")
    return f"{mantissa} × 10^{int(exponent)}"


SWEEP_FORMATS = {  # column key -> number format (a format string, or a function)
    "col_possible": "{}",
    "col_log10": "{:.2f}",
    "col_observed": "{:,}",
    "col_coverage": scientific,
    "col_plug_in": "{:.3f}",
    "col_unseen": "{:.1%}",
    "col_heldout_bits": "{:.3f}",
}


def col(key: str) -> str:
    """A table header in the current language."""
    return t(f"text_views.{key}")


def sweep_formats() -> dict[str, str]:
    """The sweep table's number formats by header, in the current language."""
    return {col(k): fmt for k, fmt in SWEEP_FORMATS.items()}


def _nan(x: float | None) -> float:
    return math.nan if x is None else x


def sweep_table(rows: tuple[SweepRow, ...], vocab: int) -> pd.DataFrame:
    """One row per context k with the headers a reader sees (and downloads); NaN where there is no held-out part."""
    return pd.DataFrame(
        {
            col("col_context"): [r.context for r in rows],  # the answers first: they stay on a phone's screen
            col("col_unseen"): [_nan(r.heldout_unseen_fraction) for r in rows],
            col("col_heldout_bits"): [_nan(r.heldout_bits) for r in rows],
            col("col_plug_in"): [r.conditional_entropy_bits for r in rows],
            col("col_observed"): [r.observed_contexts for r in rows],
            col("col_possible"): [possible_states(vocab, r.context) for r in rows],
            col("col_log10"): [r.possible_states_log10 for r in rows],
            col("col_coverage"): [r.coverage for r in rows],
        }
    )


def display(table: pd.DataFrame, formats: dict[str, str]) -> tuple[pd.DataFrame, dict]:
    """(the table as shown, its column_config): numbers as text, rounded and right-aligned, "—" where none exists."""
    shown = table.copy()
    for col, fmt in formats.items():
        write = fmt if callable(fmt) else fmt.format
        shown[col] = [NA if isinstance(x, float) and math.isnan(x) else write(x) for x in table[col]]
    return shown, {col: st.column_config.TextColumn(alignment="right") for col in formats}


def csv(table: pd.DataFrame) -> str:
    """The table as a CSV with the same headers, "—" where a value does not exist."""
    return table.to_csv(index=False, na_rep=NA)


def shannon_table(comparisons: list[Comparison] | None) -> pd.DataFrame:
    """Shannon's F_N as printed, next to the text's shannon27 values in bits per letter."""
    where = lambda e: (
        t("text_views.at_context", k=e.context)
        if e.context is not None
        else t("text_views.no_counts")
        if e.name == "F_0"
        else t("text_views.whole_words")
    )
    rows = comparisons or [Comparison(e, None, None) for e in ESTIMATES]
    return pd.DataFrame(
        {
            col("col_figure"): [c.estimate.name for c in rows],
            col("col_lines_up"): [where(c.estimate) for c in rows],
            col("col_shannon26"): [c.estimate.printed(c.estimate.letters26) for c in rows],
            col("col_shannon27"): [c.estimate.printed(c.estimate.letters27) for c in rows],
            col("col_text_in_sample"): [_nan(c.plug_in_bits) for c in rows],
            col("col_text_heldout"): [_nan(c.heldout_bits) for c in rows],
        }
    )


SHANNON_FORMATS = {  # column key -> number format
    "col_shannon26": "{}",
    "col_shannon27": "{}",
    "col_text_in_sample": "{:.2f}",
    "col_text_heldout": "{:.2f}",
}


def shannon_formats() -> dict[str, str]:
    """The Shannon table's number formats by header, in the current language."""
    return {col(k): fmt for k, fmt in SHANNON_FORMATS.items()}


LAYOUT = dict(height=360, margin={"t": 40, "l": 10, "r": 10}, showlegend=True, legend={"orientation": "h", "y": -0.25})


def bits_chart(rows: tuple[SweepRow, ...], shannon: bool) -> go.Figure:
    """Bits per symbol against k: in-sample plug-in, held-out Kneser-Ney, and Shannon's F_1..F_3 if shannon."""
    ks = [r.context for r in rows]
    fig = go.Figure(
        go.Scatter(x=ks, y=[r.conditional_entropy_bits for r in rows], name=t("text_views.in_sample"), mode="lines+markers")
    )
    held = [(r.context, r.heldout_bits) for r in rows if r.heldout_bits is not None]
    if held:
        fig.add_trace(
            go.Scatter(x=[k for k, _ in held], y=[b for _, b in held], name=t("text_views.heldout_kn"), mode="lines+markers")
        )
    if shannon:
        e = [e for e in ESTIMATES if e.context is not None]
        marker = {"symbol": "diamond", "size": 11, "color": RED}
        fig.add_trace(
            go.Scatter(
                x=[x.context for x in e], y=[x.letters27 for x in e], name=t("text_views.shannon"), mode="markers", marker=marker
            )
        )
    fig.update_layout(
        title=t("text_views.bits_title"), xaxis_title=t("text_views.k_axis"), yaxis_title=t("text_views.bits_axis"), **LAYOUT
    )
    fig.update_yaxes(rangemode="tozero")
    return fig


def states_chart(rows: tuple[SweepRow, ...]) -> go.Figure:
    """log10 of the possible states V^k against log10 of the contexts the training text visits."""
    ks = [r.context for r in rows]
    fig = go.Figure(
        go.Scatter(x=ks, y=[r.possible_states_log10 for r in rows], name=t("text_views.possible"), mode="lines+markers")
    )
    fig.add_trace(
        go.Scatter(x=ks, y=[math.log10(r.observed_contexts) for r in rows], name=t("text_views.observed"), mode="lines+markers")
    )
    fig.update_layout(
        title=t("text_views.states_title"), xaxis_title=t("text_views.k_axis"), yaxis_title=t("text_views.states_axis"), **LAYOUT
    )
    return fig


def unseen_chart(rows: tuple[SweepRow, ...]) -> go.Figure:
    """The share of held-out examples whose k-context never occurs in training, against k."""
    held = [(r.context, 100 * r.heldout_unseen_fraction) for r in rows if r.heldout_unseen_fraction is not None]
    fig = go.Figure(
        go.Scatter(
            x=[k for k, _ in held], y=[u for _, u in held], name=t("text_views.unseen"), mode="lines+markers", marker_color=ORANGE
        )
    )
    fig.update_layout(
        title=t("text_views.unseen_title"),
        xaxis_title=t("text_views.k_axis"),
        yaxis_title=t("text_views.unseen_axis"),
        **LAYOUT,
    )
    fig.update_yaxes(range=[0, 100])
    return fig


def answer(last: SweepRow, V: int) -> str:
    """The page's answer, from the longest context's row: the held-out share whose context training never shows."""
    seen = dict(k=last.context, observed=last.observed_contexts, V=V, log=last.possible_states_log10)
    if last.heldout_unseen_fraction is None:
        return t("text_views.answer_no_heldout", **seen)
    return t("text_views.answer", unseen=last.heldout_unseen_fraction, **seen)


def summary(rows: tuple[SweepRow, ...]) -> str:
    """What the measured rows show, in two or three sentences (numbers only: safe as Markdown)."""
    first, last = rows[0], rows[-1]
    text = t(
        "text_views.summary_in_sample",
        first=first.conditional_entropy_bits,
        k_first=first.context,
        last=last.conditional_entropy_bits,
        k_last=last.context,
    )
    if last.heldout_bits is None:
        return text + t("text_views.summary_no_heldout")
    if len(rows) < 3:
        return text
    mid = rows[len(rows) // 2]
    early, late = first.heldout_bits - mid.heldout_bits, mid.heldout_bits - last.heldout_bits
    trend = t(f"text_views.trend_{cost_trend(early, late)}", bits=abs(late))
    unseen = last.heldout_unseen_fraction
    if unseen - first.heldout_unseen_fraction < 0.01:  # no climb worth a sentence ("from 0% to 0%")
        clause = t("text_views.unseen_none", k=last.context, last=unseen)
    else:
        most = t("text_views.most_unseen" if unseen >= 0.5 else "text_views.more_unseen")
        clause = t("text_views.unseen_rise", first=first.heldout_unseen_fraction, last=unseen, most=most)
    return text + t(
        "text_views.summary_heldout",
        early=early,
        k_first=first.context,
        k_mid=mid.context,
        trend=trend,
        k_last=last.context,
        last=last.heldout_bits,
        unseen=clause,
    )
