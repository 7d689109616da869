"""The Real text page's model: what the page states about one text's context sweep, as numbers and verdicts.

What it is: `real_text` (the answer under the page's question and the alphabet shown above the tabs),
`contexts` (the three charts' curves, the sweep table's rows and the summary's verdicts: how the held-out cost
moves, whether the unseen share climbs and past a half), `shannon` (Shannon's 1951 table beside the text's
figures, or why there is none) and `chain` (which focused graph the chain tab draws, and the count its intro
gives). Each returns a frozen dataclass with a `key`: the inputs it depends on, which is also its cache key.

What it is not: a counter (`core.text.analysis.analyse` counts; its `TextSweep` comes in as an argument,
computed and cached by `ui.cache`), words, charts or tables (`ui.text_views` renders), or the graph's page.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from core.symbols import visible
from core.text.analysis import GRAPH_CONTEXTS, Focus, TextSweep, possible_states, trend
from core.text.limits import MAX_SWEEP_K
from core.text.ngram import SweepRow
from core.text.shannon import CITATION, ESTIMATES, Estimate, side_by_side

SOURCES = ("built-in", "paste", "upload")  # where the text comes from; also their values in the URL
MAX_K = min(16, MAX_SWEEP_K)  # the longest context the slider offers
DEFAULT_K = 8  # the slider's default longest context
DEFAULT_HELDOUT = 0.1  # the default held-out fraction
DEFAULT_GRAPH_K = 2  # the chain tab's default context
SHOWN_SYMBOLS = 400  # symbols of the alphabet listed at most; the rest are counted
UNSEEN_CLIMB = 0.01  # a rise of the unseen share below this is no climb worth a sentence ("from 0% to 0%")
MOST = 0.5  # an unseen share from this on is "most" of the held-out examples
SHANNON_VOCAB = 27  # Shannon's table compares against the shannon27 alphabet

Key = tuple[str, str, float, int]  # (text key, alphabet, held-out fraction, longest context K or the graph's k)


@dataclass(frozen=True)
class Answer:
    """The answer under the question, from the longest context's row."""

    context: int  # k
    observed: int  # distinct k-contexts the training part visits
    possible_log10: float  # log10(V^k)
    unseen: float | None  # held-out share whose k-context training never shows; None without a held-out part


@dataclass(frozen=True)
class RealText:
    """What the page states above its tabs."""

    key: Key
    vocab: int  # V, the alphabet's size
    train_symbols: int
    heldout_symbols: int
    symbols: tuple[str, ...]  # the first SHOWN_SYMBOLS symbols, drawn visibly (a space as ␣)
    more_symbols: int  # symbols past those, 0 if none
    answer: Answer


def real_text(result: TextSweep, key: str, alphabet: str, heldout: float, K: int) -> RealText:
    """The page's answer and alphabet for the sweep of contexts 0..K of the text `key`."""
    V, last = len(result.alphabet), result.rows[-1]
    return RealText(
        key=(key, alphabet, heldout, K),
        vocab=V,
        train_symbols=result.train_symbols,
        heldout_symbols=result.heldout_symbols,
        symbols=tuple(visible(s) for s in result.alphabet[:SHOWN_SYMBOLS]),
        more_symbols=max(V - SHOWN_SYMBOLS, 0),
        answer=Answer(last.context, last.observed_contexts, last.possible_states_log10, last.heldout_unseen_fraction),
    )


@dataclass(frozen=True)
class Curves:
    """The contexts tab's three charts as points; (k, value) pairs only where a value exists."""

    ks: tuple[int, ...]
    in_sample: tuple[float, ...]  # plug-in bits per symbol at each k
    heldout: tuple[tuple[int, float], ...]  # held-out Kneser-Ney bits per symbol
    shannon: tuple[tuple[int, float], ...]  # Shannon's F_1..F_3 (27 letters) at their k; only on the shannon27 alphabet
    possible_log10: tuple[float, ...]  # log10(V^k)
    observed_log10: tuple[float, ...]  # log10 of the distinct contexts the training part visits
    unseen_percent: tuple[tuple[int, float], ...]  # held-out examples whose context training never shows, in %


@dataclass(frozen=True)
class HeldoutTrend:
    """How the held-out cost and the unseen share move from the first context to the middle one to the last."""

    mid: int  # the middle row's context
    early: float  # bits gained from the first context to the middle one
    late: float  # bits gained from the middle context to the last (negative: worse)
    trend: str  # core.text.analysis.trend of (early, late): 'flat', 'worse', 'barely' or 'better'
    late_size: float  # |late|, the change the trend's sentence names
    last_bits: float  # the last context's held-out bits
    unseen_first: float
    unseen_last: float
    unseen_climbs: bool  # the unseen share rises by UNSEEN_CLIMB or more
    unseen_most: bool  # the last unseen share is MOST or more


@dataclass(frozen=True)
class Summary:
    """The summary under the charts: the in-sample cost at both ends, and the held-out trend where there is one."""

    k_first: int
    first_bits: float  # in-sample plug-in bits at the first context
    k_last: int
    last_bits: float
    has_heldout: bool
    heldout: HeldoutTrend | None  # None without a held-out part or with fewer than three contexts


@dataclass(frozen=True)
class Contexts:
    """The contexts tab: its charts, its table (one row per k) and its summary."""

    key: Key
    curves: Curves
    has_heldout: bool  # the unseen-share chart exists (else a note stands in its place)
    rows: tuple[SweepRow, ...]
    possible: tuple[str, ...]  # V^k per row, in words ('1', '729', '7.98 × 10^22')
    summary: Summary


def _summary(rows: tuple[SweepRow, ...]) -> Summary:
    first, last = rows[0], rows[-1]
    has_heldout = last.heldout_bits is not None
    held = None
    if has_heldout and len(rows) >= 3:
        mid = rows[len(rows) // 2]
        early, late = first.heldout_bits - mid.heldout_bits, mid.heldout_bits - last.heldout_bits
        u0, u1 = first.heldout_unseen_fraction, last.heldout_unseen_fraction
        held = HeldoutTrend(
            mid=mid.context,
            early=early,
            late=late,
            trend=trend(early, late),
            late_size=abs(late),
            last_bits=last.heldout_bits,
            unseen_first=u0,
            unseen_last=u1,
            unseen_climbs=not u1 - u0 < UNSEEN_CLIMB,
            unseen_most=u1 >= MOST,
        )
    return Summary(first.context, first.conditional_entropy_bits, last.context, last.conditional_entropy_bits, has_heldout, held)


def contexts(result: TextSweep, key: str, alphabet: str, heldout: float, K: int) -> Contexts:
    """The contexts tab of the sweep of contexts 0..K."""
    rows, V = result.rows, len(result.alphabet)
    shannon = [(e.context, e.letters27) for e in ESTIMATES if e.context is not None] if alphabet == "shannon27" else []
    curves = Curves(
        ks=tuple(r.context for r in rows),
        in_sample=tuple(r.conditional_entropy_bits for r in rows),
        heldout=tuple((r.context, r.heldout_bits) for r in rows if r.heldout_bits is not None),
        shannon=tuple(shannon),
        possible_log10=tuple(r.possible_states_log10 for r in rows),
        observed_log10=tuple(math.log10(r.observed_contexts) for r in rows),
        unseen_percent=tuple((r.context, 100 * r.heldout_unseen_fraction) for r in rows if r.heldout_unseen_fraction is not None),
    )
    return Contexts(
        key=(key, alphabet, heldout, K),
        curves=curves,
        has_heldout=rows[-1].heldout_unseen_fraction is not None,
        rows=rows,
        possible=tuple(possible_states(V, r.context) for r in rows),
        summary=_summary(rows),
    )


@dataclass(frozen=True)
class ShannonRow:
    """One of Shannon's figures beside the text's value at the same context (None where the text has none)."""

    estimate: Estimate
    lines_up: str  # 'context' (at k = estimate.context), 'no_counts' (F_0) or 'whole_words' (F_word)
    plug_in_bits: float | None
    heldout_bits: float | None


@dataclass(frozen=True)
class Shannon:
    """The Shannon tab: the table, why the text has no column of its own, and the built-in corpus's F_3."""

    key: Key
    rows: tuple[ShannonRow, ...]
    missing: str | None  # None, 'cjk' (folding would erase the CJK characters) or 'too_short'
    cjk: int  # CJK characters of the text
    builtin_f3: float | None  # a built-in corpus's in-sample bits at k = 2, said before the table; else None
    citation: str = CITATION


def _lines_up(e: Estimate) -> str:
    return "context" if e.context is not None else "no_counts" if e.name == "F_0" else "whole_words"


def shannon(result: TextSweep, key: str, alphabet: str, heldout: float, K: int, source: str) -> Shannon:
    """The Shannon tab: his F_N beside the text folded to 27 letters (the sweep's shannon27 rows)."""
    rows27 = result.shannon27
    compared = side_by_side(rows27, SHANNON_VOCAB) if rows27 is not None else [None] * len(ESTIMATES)
    rows = tuple(
        ShannonRow(e, _lines_up(e), c.plug_in_bits if c else None, c.heldout_bits if c else None)
        for e, c in zip(ESTIMATES, compared, strict=True)
    )
    missing = None if rows27 is not None else "cjk" if result.cjk else "too_short"
    f3 = rows27[2].conditional_entropy_bits if rows27 is not None and source == "built-in" else None
    return Shannon((key, alphabet, heldout, K), rows, missing, result.cjk, f3)


@dataclass(frozen=True)
class Chain:
    """The chain tab: the focused graph of context k, and the count its intro gives."""

    key: Key  # (text key, alphabet, held-out fraction, k)
    k: int  # the graph's context, one of GRAPH_CONTEXTS
    focus: Focus | None  # its most visited states; None if the training part is too short
    observed: int | None  # distinct k-contexts of the training part, where the sweep reached k; else None


def chain(result: TextSweep, key: str, alphabet: str, heldout: float, K: int, k: int) -> Chain:
    """The chain tab's graph of context k (the sweep ran over contexts 0..K)."""
    assert k in GRAPH_CONTEXTS, f"the chain tab draws contexts {GRAPH_CONTEXTS}, got {k}"
    observed = result.rows[k].observed_contexts if k <= K else None
    return Chain((key, alphabet, heldout, k), k, result.focus[GRAPH_CONTEXTS.index(k)], observed)
