"""The "One text, two languages" page as data: what `pages/parallel.py` states above its tabs and in each of them.

What it is: the page's configuration (HELDOUT, CONTEXTS, SIZES) and one pure function per view: `frame` (the
answer and the introduction above the tabs), `sizes`, `states`, `bits` and `bpe` (the four tabs) and `pair_tokens`
(one held-out pair cut by each BPE vocabulary). Every comparison is a `Lead`: which language ("en" or "zh") is
ahead and by how much; a tie goes to Chinese.

What it is not: the measuring (`core.text.parallel.compare` and `bpe_compare` do it, cached by `ui.cache`, and
arrive here as arguments), nor words, tables or charts (`ui.parallel_views`).

Example: English writes a pair in 132.8 characters of 99 symbols, Chinese in 50.3 of 1,183, so a pair is one of
about 10^(132.8 log10 99) = 10^265 English texts against 10^(50.3 log10 1183) = 10^155 Chinese ones:
`frame(p).more_states` is Lead("en", by=110.3, share=0.416), 110.3 = 264.9 - 154.6 and 0.416 = 110.3 / 264.9.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from core.text.corpus import BUILTIN
from core.text.parallel import BpeCompare, BpeRow, Half, Parallel, Row, Span, heldout_pair, same_span
from core.text.vocab import tokenize_preview, visible_token

HELDOUT = 0.1  # the last tenth of the pairs, in both languages
CONTEXTS = tuple(range(9))  # k = 0..8 characters
SIZES = (256, 1024, 4096, 8192)  # the BPE vocabularies compared
SHARE_K = 3  # the shares of visited contexts are compared at this k (the longest swept one if shorter)


@dataclass(frozen=True)
class Lead:
    """Which language is ahead and by how much."""

    side: str  # "en" or "zh"
    by: float  # |en - zh|, in the unit of what is compared
    share: float  # `by` over the larger of the two values (0 when both are 0)


def _lead(en: float, zh: float, higher: bool) -> Lead:
    """English leads when its value is strictly higher (higher=True) or strictly lower (higher=False); else Chinese."""
    side = "en" if (en > zh if higher else en < zh) else "zh"
    gap, top = abs(en - zh), max(en, zh)
    return Lead(side, gap, gap / top if top else 0.0)


def _key(p: Parallel) -> tuple:
    return ("parallel", p.heldout, tuple(r.context for r in p.en.rows))


def _halves(p: Parallel) -> dict[str, Half]:
    return {"en": p.en, "zh": p.zh}


@dataclass(frozen=True)
class PairStates:
    """A whole sentence pair as one state of one language: its mean characters, each worth log2 V bits."""

    chars: float  # characters per pair, its newline included
    bits_per_char: float  # log2 V
    bits: float  # chars x log2 V: what it takes to write the pair down
    log10: float  # log10 of the possible texts of that length: bits x log10 2


def _pair_states(h: Half) -> PairStates:
    lb = math.log2(h.symbols)
    bits = h.chars_per_pair * lb
    return PairStates(h.chars_per_pair, lb, bits, bits * math.log10(2))


@dataclass(frozen=True)
class Share:
    """The share of its possible contexts of k characters a language's training part visits."""

    context: int  # k
    observed: int
    possible_log10: float  # log10 V^k
    coverage: float  # observed / V^k


def _share(r: Row) -> Share:
    return Share(r.context, r.observed_contexts, r.possible_states_log10, r.coverage)


def _at_k(p: Parallel) -> dict[str, Share]:
    """Both languages at the same k: SHARE_K, or the longest swept one."""
    k = min(SHARE_K, len(p.en.rows) - 1)
    return {lang: _share(h.rows[k]) for lang, h in _halves(p).items()}


def _cheaper(p: Parallel) -> Lead | None:
    """Held-out bits per pair at each language's best k, fewer ahead; None without a held-out part."""
    be, bz = p.en.best(), p.zh.best()
    if be is None or bz is None:
        return None
    return _lead(be.heldout_bits_per_pair, bz.heldout_bits_per_pair, higher=False)


@dataclass(frozen=True)
class Frame:
    """Above the tabs: the answer (more states, larger visited share, fewer bits) and what the introduction counts."""

    key: tuple
    pairs: int
    heldout: float  # the held-out fraction of the pairs
    heldout_pairs: int
    corpora: dict[str, str]  # language -> corpus name (for its license)
    symbols: dict[str, int]  # V
    pair: dict[str, PairStates]
    more_states: Lead  # by: log10 of the possible texts of a pair's length
    at_k: dict[str, Share]
    larger_at_k: Lead  # by: the share of visited contexts
    cheaper: Lead | None  # by: held-out bits per pair at each best k; None without a held-out part


def frame(p: Parallel) -> Frame:
    """The page's answer and introduction from both measured halves."""
    hs, pair, at_k = _halves(p), {lang: _pair_states(h) for lang, h in _halves(p).items()}, _at_k(p)
    return Frame(
        key=_key(p),
        pairs=p.en.pairs,
        heldout=p.heldout,
        heldout_pairs=p.en.heldout_pairs,
        corpora={lang: h.name for lang, h in hs.items()},
        symbols={lang: h.symbols for lang, h in hs.items()},
        pair=pair,
        more_states=_lead(pair["en"].log10, pair["zh"].log10, higher=True),
        at_k=at_k,
        larger_at_k=_lead(at_k["en"].coverage, at_k["zh"].coverage, higher=True),
        cheaper=_cheaper(p),
    )


@dataclass(frozen=True)
class Size:
    """One language's row of the sizes table."""

    pairs: int
    characters: int  # newlines included
    bytes: int  # UTF-8
    symbols: int  # V
    chars_per_pair: float
    bytes_per_pair: float
    log2_symbols: float  # bits per character of a state: log2 V


@dataclass(frozen=True)
class SizesTab:
    """The two halves' sizes and how Chinese compares with English."""

    key: tuple
    rows: dict[str, Size]  # English first
    span_ratio: float  # r: Chinese characters per English character
    symbols_ratio: float  # Chinese symbols per English symbol
    bytes_ratio: float  # Chinese UTF-8 bytes per English byte


def sizes(p: Parallel) -> SizesTab:
    """Pairs, characters, bytes and symbols of each language, and their ratios."""
    rows = {
        lang: Size(h.pairs, h.characters, h.bytes, h.symbols, h.chars_per_pair, h.bytes_per_pair, math.log2(h.symbols))
        for lang, h in _halves(p).items()
    }
    return SizesTab(_key(p), rows, p.span_ratio, p.zh.symbols / p.en.symbols, p.zh.bytes / p.en.bytes)


@dataclass(frozen=True)
class StatesTab:
    """Possible and visited states: a whole pair, equal k, the same span of text, and the tables and chart per k."""

    key: tuple
    pair: dict[str, PairStates]
    more_states: Lead  # by: log10 of the possible texts of a pair's length
    at_k: dict[str, Share]  # both at the same k
    larger_at_k: Lead  # by: share
    at_span: dict[str, Share]  # English at its longest k, Chinese at the k covering about the same text
    larger_at_span: Lead  # by: share
    span_ratio: float  # r
    spans: dict[str, tuple[Span, ...]]  # each language's contexts k > 0 beside the same span in the other
    rows: dict[str, tuple[Row, ...]]
    observed_log10: dict[str, tuple[float, ...]]  # log10 of the observed contexts, per row


def states(p: Parallel) -> StatesTab:
    """The states tab: shares compared at equal k and at the same span of text (K English ~ K r Chinese characters)."""
    f, e, z = frame(p), p.en.rows, p.zh.rows
    kz = max(0, min(round(e[-1].context * p.span_ratio), z[-1].context))
    at_span = {"en": _share(e[-1]), "zh": _share(next(r for r in z if r.context == kz))}
    en_span, zh_span = same_span(p, [r.context for r in e if r.context > 0])
    return StatesTab(
        key=f.key,
        pair=f.pair,
        more_states=f.more_states,
        at_k=f.at_k,
        larger_at_k=f.larger_at_k,
        at_span=at_span,
        larger_at_span=_lead(at_span["en"].coverage, at_span["zh"].coverage, higher=True),
        span_ratio=p.span_ratio,
        spans={"en": en_span, "zh": zh_span},
        rows={lang: h.rows for lang, h in _halves(p).items()},
        observed_log10={lang: tuple(math.log10(r.observed_contexts) for r in h.rows) for lang, h in _halves(p).items()},
    )


@dataclass(frozen=True)
class BitsTab:
    """Bits per character, byte and pair: each language at its best k, which is cheaper, and every row for the charts."""

    key: tuple
    best: dict[str, Row] | None  # the row of the lowest held-out cost; None without a held-out part
    char_ratio: float | None  # Chinese held-out bits per character over English's, each at its best k
    cheaper: Lead | None  # by: held-out bits per pair
    heldout_chars_per_pair: dict[str, float]  # what turns bits per character into bits per pair
    train_pairs: int
    train_characters: dict[str, int]
    rows: dict[str, tuple[Row, ...]]


def bits(p: Parallel) -> BitsTab:
    """The bits tab from both measured halves."""
    hs = _halves(p)
    best = {lang: h.best() for lang, h in hs.items()}
    best = None if None in best.values() else best
    return BitsTab(
        key=_key(p),
        best=best,
        char_ratio=None if best is None else best["zh"].heldout_bits_per_char / best["en"].heldout_bits_per_char,
        cheaper=_cheaper(p),
        heldout_chars_per_pair={lang: h.heldout_characters / h.heldout_pairs for lang, h in hs.items()},
        train_pairs=p.en.train_pairs,
        train_characters={lang: h.train_characters for lang, h in hs.items()},
        rows={lang: h.rows for lang, h in hs.items()},
    )


def _language(r: BpeRow) -> str:
    return BUILTIN[r.name].language


@dataclass(frozen=True)
class BpeTab:
    """BPE vocabularies of equal sizes: tokens per held-out pair at the smallest and the largest, which needs fewer."""

    key: tuple
    sizes: tuple[int, ...]  # the vocabulary sizes asked, ascending
    at_lo: dict[str, BpeRow]  # at the smallest size
    at_hi: dict[str, BpeRow]  # at the largest
    fewer: Lead  # by: tokens per held-out pair at the largest size
    rows: dict[str, tuple[BpeRow, ...]]  # per language, by size: the chart
    table: tuple[tuple[str, BpeRow], ...]  # (language, row) by size, English first


def bpe(b: BpeCompare, heldout: float = HELDOUT) -> BpeTab:
    """The BPE tab from the trained vocabularies (`core.text.parallel.bpe_compare`)."""
    rows = {lang: tuple(r for r in b.rows if _language(r) == lang) for lang in ("en", "zh")}
    sizes_ = tuple(sorted({r.vocab_asked for r in b.rows}))
    by = {(_language(r), r.vocab_asked): r for r in b.rows}
    at_lo = {lang: by[lang, sizes_[0]] for lang in rows}
    at_hi = {lang: by[lang, sizes_[-1]] for lang in rows}
    return BpeTab(
        key=("parallel-bpe", sizes_, heldout),
        sizes=sizes_,
        at_lo=at_lo,
        at_hi=at_hi,
        fewer=_lead(at_hi["en"].tokens_per_pair, at_hi["zh"].tokens_per_pair, higher=False),
        rows=rows,
        table=tuple((lang, by[lang, size]) for size in sizes_ for lang in rows),
    )


@dataclass(frozen=True)
class PairTokens:
    """One held-out sentence pair in both languages and its tokens at each vocabulary size."""

    key: tuple
    sentences: dict[str, str]  # language -> the sentence, without its newline
    tokens: dict[str, dict[int, tuple[str, ...]]]  # language -> size -> tokens, whitespace drawn, byte pieces labelled


def pair_tokens(b: BpeCompare, number: int, heldout: float = HELDOUT) -> PairTokens:
    """Held-out pair `number` (1 = the first held out) cut by every tokenizer of `b`; ParallelError past the last."""
    sentences = dict(zip(("en", "zh"), heldout_pair(number, heldout), strict=True))
    tokens: dict[str, dict[int, tuple[str, ...]]] = {lang: {} for lang in sentences}
    for r, tok in zip(b.rows, b.tokenizers, strict=True):
        lang = _language(r)
        tokens[lang][r.vocab_asked] = tuple(visible_token(x) for x in tokenize_preview(tok, sentences[lang]))
    return PairTokens(("parallel-pair", tuple(sorted({r.vocab_asked for r in b.rows})), heldout, number), sentences, tokens)
