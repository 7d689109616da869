"""The real-text page's pieces: its corpus input, tables, charts and the measured summary under them, in words.

What it is: `corpus_input` (built-in, pasted or uploaded text, checked by `core.text.corpus`), the display
tables (human headers, "—" where a value does not exist), three plotly charts and the answer and summary
sentences, each drawn from the page model `core.pages.real_text`.

What it is not: a computation (`core.text.analysis` computes every number and the focused graph, the page
model every verdict), a cache (`ui.cache` keeps the sweep and the graph's page) or the page's layout
(`pages/real_text.py`).
"""

from __future__ import annotations

import math

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from core.pages import real_text as model
from core.text.analysis import text_key
from core.text.corpus import BUILTIN, CorpusError, builtin_text, check_text, decode_text
from ui import i18n
from ui.i18n import t
from ui.inputs import choice

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


def sweep_table(view: model.Contexts) -> pd.DataFrame:
    """One row per context k with the headers a reader sees (and downloads); NaN where there is no held-out part."""
    rows = view.rows
    return pd.DataFrame(
        {
            col("col_context"): [r.context for r in rows],  # the answers first: they stay on a phone's screen
            col("col_unseen"): [_nan(r.heldout_unseen_fraction) for r in rows],
            col("col_heldout_bits"): [_nan(r.heldout_bits) for r in rows],
            col("col_plug_in"): [r.conditional_entropy_bits for r in rows],
            col("col_observed"): [r.observed_contexts for r in rows],
            col("col_possible"): list(view.possible),
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


LINES_UP = {"no_counts": "text_views.no_counts", "whole_words": "text_views.whole_words"}  # else "at k = ..."


def shannon_table(view: model.Shannon) -> pd.DataFrame:
    """Shannon's F_N as printed, next to the text's shannon27 values in bits per letter."""
    where = lambda r: t(LINES_UP[r.lines_up]) if r.lines_up in LINES_UP else t("text_views.at_context", k=r.estimate.context)
    rows = view.rows
    return pd.DataFrame(
        {
            col("col_figure"): [r.estimate.name for r in rows],
            col("col_lines_up"): [where(r) for r in rows],
            col("col_shannon26"): [r.estimate.printed(r.estimate.letters26) for r in rows],
            col("col_shannon27"): [r.estimate.printed(r.estimate.letters27) for r in rows],
            col("col_text_in_sample"): [_nan(r.plug_in_bits) for r in rows],
            col("col_text_heldout"): [_nan(r.heldout_bits) for r in rows],
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


def _line(points, name: str, **kw) -> go.Scatter:
    """A trace through (k, value) points."""
    return go.Scatter(x=[k for k, _ in points], y=[v for _, v in points], name=name, **kw)


def bits_chart(c: model.Curves) -> go.Figure:
    """Bits per symbol against k: in-sample plug-in, held-out Kneser-Ney, and Shannon's F_1..F_3 where given."""
    fig = go.Figure(go.Scatter(x=list(c.ks), y=list(c.in_sample), name=t("text_views.in_sample"), mode="lines+markers"))
    if c.heldout:
        fig.add_trace(_line(c.heldout, t("text_views.heldout_kn"), mode="lines+markers"))
    if c.shannon:
        marker = {"symbol": "diamond", "size": 11, "color": RED}
        fig.add_trace(_line(c.shannon, t("text_views.shannon"), mode="markers", marker=marker))
    fig.update_layout(
        title=t("text_views.bits_title"), xaxis_title=t("text_views.k_axis"), yaxis_title=t("text_views.bits_axis"), **LAYOUT
    )
    fig.update_yaxes(rangemode="tozero")
    return fig


def states_chart(c: model.Curves) -> go.Figure:
    """log10 of the possible states V^k against log10 of the contexts the training text visits."""
    ks = list(c.ks)
    fig = go.Figure(go.Scatter(x=ks, y=list(c.possible_log10), name=t("text_views.possible"), mode="lines+markers"))
    fig.add_trace(go.Scatter(x=ks, y=list(c.observed_log10), name=t("text_views.observed"), mode="lines+markers"))
    fig.update_layout(
        title=t("text_views.states_title"), xaxis_title=t("text_views.k_axis"), yaxis_title=t("text_views.states_axis"), **LAYOUT
    )
    return fig


def unseen_chart(c: model.Curves) -> go.Figure:
    """The share of held-out examples whose k-context never occurs in training, against k."""
    fig = go.Figure(_line(c.unseen_percent, t("text_views.unseen"), mode="lines+markers", marker_color=ORANGE))
    fig.update_layout(
        title=t("text_views.unseen_title"),
        xaxis_title=t("text_views.k_axis"),
        yaxis_title=t("text_views.unseen_axis"),
        **LAYOUT,
    )
    fig.update_yaxes(range=[0, 100])
    return fig


def answer(page: model.RealText) -> str:
    """The page's answer, from the longest context's row: the held-out share whose context training never shows."""
    a = page.answer
    seen = dict(k=a.context, observed=a.observed, V=page.vocab, log=a.possible_log10)
    if a.unseen is None:
        return t("text_views.answer_no_heldout", **seen)
    return t("text_views.answer", unseen=a.unseen, **seen)


def symbols(page: model.RealText) -> str:
    """The alphabet, its symbols drawn visibly, and how many more there are past those listed."""
    more = t("real_text.more_symbols", n=page.more_symbols) if page.more_symbols else ""
    return " ".join(page.symbols) + more


def summary(s: model.Summary) -> str:
    """What the measured rows show, in two or three sentences (numbers only: safe as Markdown)."""
    text = t("text_views.summary_in_sample", first=s.first_bits, k_first=s.k_first, last=s.last_bits, k_last=s.k_last)
    if not s.has_heldout:
        return text + t("text_views.summary_no_heldout")
    if (h := s.heldout) is None:
        return text
    if h.unseen_climbs:
        most = t("text_views.most_unseen" if h.unseen_most else "text_views.more_unseen")
        clause = t("text_views.unseen_rise", first=h.unseen_first, last=h.unseen_last, most=most)
    else:
        clause = t("text_views.unseen_none", k=s.k_last, last=h.unseen_last)
    return text + t(
        "text_views.summary_heldout",
        early=h.early,
        k_first=s.k_first,
        k_mid=h.mid,
        trend=t(f"text_views.trend_{h.trend}", bits=h.late_size),
        k_last=s.k_last,
        last=h.last_bits,
        unseen=clause,
    )
