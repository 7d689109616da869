"""The State space page's model: how many states a GPT with vocabulary V and context k has, and how each count
is written, plus the published models, the article's claims and the growth curves its tabs show.

What it is: `state_space` (the two counts, each with the form it is written in, the bits, bytes and KiB of one
state and whether a one-token vocabulary makes it "one state"), `growth` (log10 V^k against k for a few
vocabularies and the visitor's), `published` (the real models, the article's three claims, the home computers),
and the preset box's rules (`preset_inputs`, `shown_preset`). Each model has a `key`: the inputs it depends on.

What it is not: the arithmetic (`core.arith.statespace` counts; its `StateSpace` comes in as an argument,
cached by `ui.cache`), the presets' data (`core.arith.presets`), or words, tables and charts
(`ui.state_space_views`, `ui.tables`, `ui.charts`).
"""

from __future__ import annotations

from dataclasses import dataclass

from core.arith.presets import ARTICLE_CLAIMS, MACHINES, PRESETS, article_rows, preset, preset_for, preset_rows
from core.arith.statespace import Count, StateSpace, states_log10

ARTICLE = ARTICLE_CLAIMS[0]  # GPT-2 as the article states it (its context is GPT-3's)
CHOICES = ("custom", "article") + tuple(p.name for p in PRESETS)  # the preset box; codes in the address (?preset=GPT-4o)
DEFAULT_V, DEFAULT_K = 2, 3  # the article's example: 8 states, 14 of every length
WHOLE_DIGITS = 30  # a count of at most this many digits is written out in its box; longer ones as d.ddd × 10^n
ANSWER_DIGITS = 16  # the same in the answer's sentence
LISTED_DIGITS = 20_000  # an expander lists at most this many of a count's digits (the download has them all)
GROWTH_VOCABS = (2, 3, 10, 256, 50_257)  # the growth tab's vocabularies, beside the visitor's V
GROWTH_CONTEXT = 32  # the growth tab's longest context


def preset_inputs(name: str) -> tuple[int, int] | None:
    """(V, k) that the preset `name` sets: the article's own figures for 'article', None for 'custom'."""
    if name == "custom":
        return None
    if name == "article":
        return ARTICLE.vocab, ARTICLE.context
    p = preset(name)
    return p.vocab, p.context


def shown_preset(V, k, chosen: str | None) -> str:
    """The preset the numbers (V, k) are: 'article' while it is the one chosen and still matches (GPT-3 has the same
    numbers), else the first preset with them, else 'custom' (also for a V or k that is not a whole number)."""
    if not (isinstance(V, int) and isinstance(k, int)):
        return "custom"
    if chosen == "article" and (V, k) == (ARTICLE.vocab, ARTICLE.context):
        return "article"
    return preset_for(V, k) or "custom"


@dataclass(frozen=True)
class CountView:
    """A count and how it is written: every digit, or its leading digits and power of ten."""

    count: Count
    whole: bool  # every digit in its box (known exactly, at most WHOLE_DIGITS)
    listed: bool  # known exactly but longer: its digits behind an expander and in a download
    cut: bool  # the expander lists only the first LISTED_DIGITS digits
    too_many: bool  # past core.arith.limits.EXACT_MAX_DIGITS: only its size is known
    answer_whole: bool  # every digit in the answer's sentence (known exactly, at most ANSWER_DIGITS)


def count_view(c: Count) -> CountView:
    """How the count c is written in its box, its expander and the answer."""
    exact = c.exact is not None
    return CountView(
        count=c,
        whole=exact and c.digits <= WHOLE_DIGITS,
        listed=exact and c.digits > WHOLE_DIGITS,
        cut=exact and c.digits > LISTED_DIGITS,
        too_many=not exact,
        answer_whole=exact and c.digits <= ANSWER_DIGITS,
    )


@dataclass(frozen=True)
class StateSpacePage:
    """What the page states above its tabs for vocabulary V and context k."""

    key: tuple[int, int]  # (V, k)
    vocab: int
    context: int
    one_state: bool  # V = 1: one state at every length, said as "one state"
    states: CountView  # V^k full states
    all_lengths: CountView  # V + V^2 + ... + V^k states of every length
    bits: float  # k log2 V: the bits that name one state
    bytes: float
    kib: float
    kib_small: bool  # under 1 KiB: three significant digits, else three decimals


def state_space(s: StateSpace) -> StateSpacePage:
    """The page's counts and sizes of one state, from core.arith.statespace.state_space(V, k)."""
    return StateSpacePage(
        key=(s.vocab, s.context),
        vocab=s.vocab,
        context=s.context,
        one_state=s.vocab == 1,
        states=count_view(s.states),
        all_lengths=count_view(s.all_lengths),
        bits=s.bits_per_state,
        bytes=s.bytes_per_state,
        kib=s.kib_per_state,
        kib_small=s.kib_per_state < 1,
    )


@dataclass(frozen=True)
class Growth:
    """The growth tab: log10(V^k) = k log10 V against k = 1..GROWTH_CONTEXT, one line per vocabulary."""

    key: int  # the visitor's V
    ks: tuple[int, ...]
    lines: tuple[tuple[int, tuple[float, ...]], ...]  # (V, log10 V^k at each k), smallest V first


def growth(V: int) -> Growth:
    """The growth lines of GROWTH_VOCABS and the visitor's V (a V of 1 is a flat line at 0: V = 2 stands in)."""
    ks = tuple(range(1, GROWTH_CONTEXT + 1))
    vocabs = sorted({*GROWTH_VOCABS, V if V > 1 else 2})
    return Growth(V, ks, tuple((v, tuple(states_log10(v, k) for k in ks)) for v in vocabs))


@dataclass(frozen=True)
class Published:
    """The article, models and machines tabs: published figures beside the arithmetic (no input of the visitor)."""

    key: tuple[()]
    models: tuple[dict, ...]  # core.arith.presets.preset_rows(): bits, bytes and KiB of one state per real model
    article: tuple[dict, ...]  # core.arith.presets.article_rows(): each claim beside its own and the published inputs
    machines: dict[str, tuple[int, str]]  # home computers: name -> (RAM in bytes, note)


def published() -> Published:
    """The published models and the article's claims, each computed by core.arith.presets."""
    return Published((), tuple(preset_rows()), tuple(article_rows()), MACHINES)
