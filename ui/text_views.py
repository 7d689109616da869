"""The real-text page's pieces: its corpus input, cached sweep, tables, charts and focused chain graph.

What it is: `corpus_input` (built-in, pasted or uploaded text, checked by `core.text.corpus`), `sweep` (every number
the page shows for one text, alphabet, held-out fraction and context range, computed once and cached), the
display tables (human headers, "—" where a value does not exist), three plotly charts, the measured summary
under them, and `focused_graph`: the most visited states of the text's chain with their likeliest arrows.

Caching: a text is keyed by a sha256 of its UTF-8 bytes ("builtin:<name>" for a built-in corpus), never by the
text itself; every cache is bounded by `max_entries` and a TTL. A finished sweep keeps its result, not the text.

What it is not: a counter (`core.text.ngram` counts) or the page's layout (`pages/real_text.py`). Only
`corpus_input` and the cached calls touch streamlit; the rest are plain functions of core values.
"""

from __future__ import annotations

import hashlib
import math
import unicodedata
from dataclasses import dataclass

import networkx as nx
import numpy as np
import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from core.arith.statespace import count_states
from core.errors import CoreError
from core.text.corpus import BUILTIN, CorpusError, builtin_text, check_text, decode_text, split_point, symbolize
from core.text.ngram import SweepRow, context_sweep, top_states
from core.text.shannon import CONTEXTS as SHANNON_CONTEXTS
from core.text.shannon import ESTIMATES, Comparison
from ui import i18n
from ui.cache import ASSET_BASE, TTL, Job
from ui.graph import graph_html
from ui.i18n import t

BUILTIN_NAME = "python-docs"
SOURCES = ("built-in", "paste", "upload")  # also their values in the URL
GRAPH_CONTEXTS = (1, 2, 3)  # contexts the chain graph can show
TOP_STATES = 30  # most visited states considered for the graph
NEXT_ARROWS = 3  # arrows per state: its likeliest next symbols
NODE_BUDGET = 32  # states drawn at most, end points included (up to 32 they sit on a circle)
VISIBLE = {" ": "␣", "\n": "↵", "\t": "⇥", "\r": "\\r"}
NA = "—"
MAX_UPLOAD_MB = 5  # the uploader says "5MB per file": MAX_CORPUS_BYTES (5,000,000 bytes) is what the app checks
ORANGE, RED = "#F58518", "#E45756"


def visible(symbol: str) -> str:
    """A symbol as it can be seen: ' ' -> '␣', newline -> '↵', tab -> '⇥', CR -> '\\r', other invisible ones -> 'U+00A0'."""
    if symbol in VISIBLE:
        return VISIBLE[symbol]
    if unicodedata.category(symbol)[0] in "CZ":
        return f"U+{ord(symbol):04X}"
    return symbol


def description(name: str) -> str:
    """A built-in corpus's description in the current language (core's English one for a corpus the catalogue lacks)."""
    key = "text_views." + name.replace("-", "_")
    return t(key) if key in i18n.catalogue(i18n.lang()) else BUILTIN[name].description


def text_key(text: str) -> str:
    """The cache key of a pasted or uploaded text: a sha256 of its UTF-8 bytes."""
    return "sha256:" + hashlib.sha256(text.encode("utf-8", errors="surrogatepass")).hexdigest()


def corpus_input(source: str) -> tuple[str, str] | None:
    """(cache key, text) of the chosen source, or None after saying why there is none (input stays in its box)."""
    if source == "built-in":
        c = BUILTIN[BUILTIN_NAME]
        st.caption(t("text_views.builtin", name=c.name, description=description(c.name), license=c.license))
        return f"builtin:{BUILTIN_NAME}", builtin_text(BUILTIN_NAME)
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
            return text_key(text), check_text(text, t("text_views.pasted"))
        file = st.file_uploader(t("text_views.upload"), type=["txt"], key="rt_file", max_upload_size=MAX_UPLOAD_MB)
        if file is None:
            st.info(t("text_views.upload_ask"))
            return None
        text = decode_text(file.getvalue(), t("text_views.uploaded"))  # its name is shown by the uploader
        return text_key(text), text
    except CorpusError as e:
        st.error(i18n.error(e))
        return None


@dataclass(frozen=True)
class Focus:
    """The most visited k-contexts of the training part, most visited first, with their likeliest next symbols."""

    context: int
    states: tuple[tuple[int, ...], ...]
    visits: tuple[int, ...]  # training examples with this context
    next_ids: np.ndarray  # (n, NEXT_ARROWS) symbol ids, likeliest first; -1 where fewer were ever seen
    next_p: np.ndarray  # (n, NEXT_ARROWS) the data's P(next | state)


def focus(train_ids: np.ndarray, vocab: int, k: int) -> Focus:
    """The TOP_STATES most visited k-contexts and their NEXT_ARROWS likeliest next symbols with probabilities."""
    states, table = top_states(train_ids, vocab, k, TOP_STATES)
    visits = table.sum(axis=1)
    order = np.argsort(-table, axis=1, kind="stable")[:, :NEXT_ARROWS]
    counts = np.take_along_axis(table, order, axis=1)
    next_ids, next_p = np.where(counts > 0, order, -1), counts / visits[:, None]
    next_ids.flags.writeable = next_p.flags.writeable = False
    return Focus(k, tuple(states), tuple(int(v) for v in visits), next_ids, next_p)


@dataclass(frozen=True)
class TextSweep:
    """Everything the page shows about one text, alphabet, held-out fraction and context range."""

    alphabet: tuple[str, ...]
    train_symbols: int
    heldout_symbols: int
    rows: tuple[SweepRow, ...]  # one per context k
    shannon27: tuple[SweepRow, ...] | None  # the shannon27 sweep over k = 0..2; None if the text is too short
    focus: tuple[Focus | None, ...]  # per k in GRAPH_CONTEXTS; None if the training part is too short


def analyse(text: str, alphabet: str, heldout: float, contexts: tuple[int, ...], progress=None) -> TextSweep:
    """The sweep over `contexts`, the shannon27 sweep over k = 0..2 and the graph's states; progress(done, total)."""
    total = len(contexts) + 2
    report = (lambda i: progress(i, total, None)) if progress else (lambda i: None)
    s = symbolize(text, alphabet)
    cut = split_point(len(s.ids), heldout)
    rows = context_sweep(s.ids[:cut], s.ids[cut:], s.vocab, contexts, progress=lambda i, n, _: report(i))
    if alphabet == "shannon27" and set(SHANNON_CONTEXTS) <= set(contexts):
        rows27 = tuple(r for r in rows if r.context in SHANNON_CONTEXTS)
    else:
        s27 = symbolize(text, "shannon27")
        cut27 = split_point(len(s27.ids), heldout)
        try:
            rows27 = tuple(context_sweep(s27.ids[:cut27], s27.ids[cut27:], s27.vocab, SHANNON_CONTEXTS))
        except CoreError:
            rows27 = None
    report(total - 1)
    graphs = tuple(focus(s.ids[:cut], s.vocab, k) if k < cut else None for k in GRAPH_CONTEXTS)
    report(total)
    return TextSweep(s.alphabet, cut, len(s.ids) - cut, tuple(rows), rows27, graphs)


def _analyse_once(box: list[str], alphabet: str, heldout: float, contexts: tuple[int, ...], progress=None) -> TextSweep:
    result = analyse(box[0], alphabet, heldout, contexts, progress)
    box.clear()  # the finished job keeps its result, not the text
    return result


@st.cache_resource(max_entries=8, ttl=TTL, show_spinner=False)
def _sweep_job(key: str, alphabet: str, heldout: float, contexts: tuple[int, ...], _box: list[str]) -> Job:
    return Job(_analyse_once, _box, alphabet, heldout, contexts)


def sweep(key: str, text: str, alphabet: str, heldout: float, contexts: tuple[int, ...], progress=None) -> TextSweep:
    """`analyse`, cached per (text key, alphabet, held-out fraction, contexts) and shared by every session."""
    return _sweep_job(key, alphabet, heldout, contexts, [text]).result(progress)


def _end_points(f: Focus, n: int) -> set[tuple[int, ...]]:
    top = set(f.states[:n])
    return {s[1:] + (int(tok),) for s, toks in zip(f.states[:n], f.next_ids[:n], strict=True) for tok in toks if tok >= 0} - top


def focused_graph(f: Focus, alphabet: tuple[str, ...], max_nodes: int = NODE_BUDGET) -> nx.DiGraph:
    """The most visited states (as many as fit in max_nodes with their end points), each with arrows to the
    states its likeliest next symbols lead to (state[1:] + symbol). Nodes: label, seen (False: an end point
    outside the drawn top states), visits. Edges: label 'symbol (p%)', symbol, p (the data's probability)."""
    n = len(f.states)
    while n > 1 and n + len(_end_points(f, n)) > max_nodes:
        n -= 1
    label = lambda s: "".join(visible(alphabet[i]) for i in s)
    node = {s: i for i, s in enumerate(f.states[:n])}
    g, order = nx.DiGraph(), []
    for i, s in enumerate(f.states[:n]):
        g.add_node(i, label=label(s), seen=True, visits=f.visits[i])
    for i, s in enumerate(f.states[:n]):
        order.append(i)
        for tok, p in zip(f.next_ids[i], f.next_p[i], strict=True):
            if tok < 0:
                continue
            target = s[1:] + (int(tok),)
            if target not in node:
                node[target] = len(node)
                g.add_node(node[target], label=label(target), seen=True, end=True, visits=None)  # grey, as everywhere
                order.append(node[target])
            sym = visible(alphabet[tok])
            g.add_edge(i, node[target], label=f"{sym} ({p:.0%})" if p >= 0.005 else f"{sym} (<1%)", symbol=sym, p=float(p))
    g.graph["circle_order"] = order
    return g


@st.cache_data(max_entries=32, ttl=TTL, show_spinner=False)
def graph_page(key: str, alphabet_name: str, heldout: float, k: int, lang: str, _focus: Focus, _alphabet: tuple[str, ...]) -> str:
    """The pyvis page of the focused graph, cached per (text key, alphabet, held-out fraction, k, language).

    Its grey states are end points outside the drawn top states (the same colour and tooltip as on every page).
    """
    i18n.use(lang)
    return graph_html(focused_graph(_focus, _alphabet), height=520, asset_base=ASSET_BASE)  # fits a 560 px frame


def possible_states(vocab: int, k: int) -> str:
    """V^k in words: every digit while short, else '1.27 × 10^16' (V^0 = 1: the empty context)."""
    if k == 0:
        return "1"
    c = count_states(vocab, k)
    return f"{int(c.exact):,}" if c.exact is not None and c.digits <= 12 else f"{c.mantissa(3)} × 10^{c.exponent}"


SWEEP_FORMATS = {  # column key -> number format
    "col_possible": "{}",
    "col_log10": "{:.2f}",
    "col_observed": "{:,}",
    "col_coverage": "{:.3g}",
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
        shown[col] = [NA if isinstance(x, float) and math.isnan(x) else fmt.format(x) for x in table[col]]
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
    if late < 0:
        trend = t("text_views.trend_worse", bits=-late)
    else:
        trend = t("text_views.trend_barely" if late < early / 2 else "text_views.trend_better", bits=late)
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
