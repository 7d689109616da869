"""One meaning written twice: the parallel corpora python-docs-en and python-docs-zh, measured side by side.

What it is: `half` (one language: its sizes and, for each context k, possible and observed contexts, bits per
state and the plug-in and held-out Kneser-Ney costs per character, per UTF-8 byte and per sentence pair),
`compare` (both halves with the same sentence pairs held out, and the span ratio), `same_span` (bits per state of
a context of k characters and of the same stretch of text in the other language) and `bpe_compare` (byte-level
BPE vocabularies of equal sizes trained on each training part: tokens per pair, characters and bytes per token).

What it is not: a counter or a tokenizer of its own (`core.text.ngram.context_sweep` and `core.text.vocab`
do the work), nor a page. The corpora come from `core.text.corpus`, which also cuts them between pairs.

Units. A sentence pair is one line of each corpus (its newline counted as one character, the end of the
paragraph the model predicts). The held-out cost per character is the mean Kneser-Ney cost of the held-out
examples (positions with k held-out symbols before them); per byte and per pair it is that mean spread over the
held-out part's bytes and pairs: bits/byte = bits/char x chars / bytes, bits/pair = bits/char x chars / pairs.
The plug-in values use the training part's characters, bytes and pairs the same way.

The span ratio r = Chinese characters / English characters over all pairs: a context of k English characters
covers about as much meaning as k * r Chinese characters (and k Chinese characters as k / r English ones).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from tokenizers import Tokenizer

from core.errors import CoreError
from core.text.corpus import BUILTIN, PAIR_END, builtin_text, pair_cut, symbolize
from core.text.ngram import context_sweep
from core.text.vocab import check_sizes, encode, train_bpe

ENGLISH, CHINESE = "python-docs-en", "python-docs-zh"  # the two halves, in the order every result lists them


class ParallelError(CoreError):
    """A held-out sentence pair that does not exist."""

    messages = {"parallel.pair": "the held-out part has {n:,} sentence pairs: choose one of 1..{n:,}, got {index:,}"}


@dataclass(frozen=True)
class Row:
    """One context length k of one language."""

    context: int  # k characters before the next one
    possible_states_log10: float  # log10(V^k)
    bits_per_state: float  # k log2 V: what it takes to write one state down
    observed_contexts: int  # distinct k-contexts among the training examples
    coverage: float  # observed / V^k
    conditional_entropy_bits: float  # plug-in H(next | k previous) per character, training part
    plugin_bits_per_byte: float
    plugin_bits_per_pair: float
    heldout_unseen_fraction: float | None  # held-out examples whose k-context never occurs in training
    heldout_bits_per_char: float | None  # interpolated Kneser-Ney with k previous characters, held-out part
    heldout_bits_per_byte: float | None
    heldout_bits_per_pair: float | None


@dataclass(frozen=True)
class Half:
    """One language of the parallel corpus: its sizes and its sweep over k."""

    name: str  # python-docs-en or python-docs-zh
    language: str  # en or zh
    pairs: int
    characters: int  # newlines included: one per pair
    bytes: int  # UTF-8
    symbols: int  # V, distinct characters
    train_pairs: int
    train_characters: int
    train_bytes: int
    heldout_pairs: int
    heldout_characters: int
    heldout_bytes: int
    rows: tuple[Row, ...]

    @property
    def chars_per_pair(self) -> float:
        return self.characters / self.pairs

    @property
    def bytes_per_pair(self) -> float:
        return self.bytes / self.pairs

    def best(self) -> Row | None:
        """The row of the lowest held-out cost (per character, so also per pair and per byte); None without held-out."""
        held = [r for r in self.rows if r.heldout_bits_per_char is not None]
        return min(held, key=lambda r: r.heldout_bits_per_char) if held else None


def _utf8(text: str) -> int:
    return len(text.encode("utf-8"))


def half(name: str, heldout: float, contexts: Iterable[int]) -> Half:
    """One parallel corpus measured over `contexts`, its last floor(pairs * heldout) pairs held out."""
    text = builtin_text(name)
    s = symbolize(text, "raw")
    cut = pair_cut(text, heldout)
    train, held = text[:cut], text[cut:]
    n_train, n_held = train.count(PAIR_END), held.count(PAIR_END)
    b_train, b_held = _utf8(train), _utf8(held)
    rows = []
    for r in context_sweep(s.ids[:cut], s.ids[cut:], s.vocab, contexts):
        h = r.heldout_bits
        rows.append(
            Row(
                context=r.context,
                possible_states_log10=r.possible_states_log10,
                bits_per_state=r.context * math.log2(s.vocab),
                observed_contexts=r.observed_contexts,
                coverage=r.coverage,
                conditional_entropy_bits=r.conditional_entropy_bits,
                plugin_bits_per_byte=r.conditional_entropy_bits * len(train) / b_train,
                plugin_bits_per_pair=r.conditional_entropy_bits * len(train) / n_train,
                heldout_unseen_fraction=r.heldout_unseen_fraction,
                heldout_bits_per_char=h,
                heldout_bits_per_byte=None if h is None else h * len(held) / b_held,
                heldout_bits_per_pair=None if h is None else h * len(held) / n_held,
            )
        )
    return Half(
        name=name,
        language=BUILTIN[name].language,
        pairs=n_train + n_held,
        characters=len(text),
        bytes=b_train + b_held,
        symbols=s.vocab,
        train_pairs=n_train,
        train_characters=len(train),
        train_bytes=b_train,
        heldout_pairs=n_held,
        heldout_characters=len(held),
        heldout_bytes=b_held,
        rows=tuple(rows),
    )


@dataclass(frozen=True)
class Parallel:
    """Both halves, the same pairs held out in each."""

    en: Half
    zh: Half
    heldout: float

    @property
    def span_ratio(self) -> float:
        """r: Chinese characters per English character of the same text."""
        return self.zh.characters / self.en.characters


def compare(heldout: float = 0.1, contexts: Iterable[int] = range(9)) -> Parallel:
    """Both parallel corpora over the same contexts and held-out fraction."""
    contexts = tuple(contexts)
    return Parallel(half(ENGLISH, heldout, contexts), half(CHINESE, heldout, contexts), heldout)


@dataclass(frozen=True)
class Verdict:
    """The page's answer as data: which language has more possible states for a whole sentence pair (log2 of
    symbols^characters), which visits the larger share of its contexts at equal k, and which costs fewer held-out bits
    per sentence pair at its best k, by how much (None without a held-out part)."""

    more_states: str  # "en" or "zh"
    en_pair_log10: float  # log10 of the possible texts of a pair's mean length
    zh_pair_log10: float
    share_k: int
    larger_share: str
    cheaper: str | None
    pair_bits_saved: float | None  # bits per pair the cheaper one saves
    pair_share_saved: float | None  # of the dearer one's bits


def verdict(p: Parallel, share_k: int = 3) -> Verdict:
    e, z = p.en, p.zh
    le, lz = (h.chars_per_pair * math.log10(h.symbols) for h in (e, z))
    k = min(share_k, len(e.rows) - 1)
    larger = "en" if e.rows[k].coverage > z.rows[k].coverage else "zh"
    be, bz = e.best(), z.best()
    if be is None or bz is None:
        return Verdict("en" if le > lz else "zh", le, lz, e.rows[k].context, larger, None, None, None)
    cheap, dear = sorted((be.heldout_bits_per_pair, bz.heldout_bits_per_pair))
    cheaper = "en" if be.heldout_bits_per_pair < bz.heldout_bits_per_pair else "zh"
    return Verdict("en" if le > lz else "zh", le, lz, e.rows[k].context, larger, cheaper, dear - cheap, (dear - cheap) / dear)


@dataclass(frozen=True)
class Span:
    """A context of k characters of one language and the same stretch of text in the other."""

    context: int  # k characters of the language it is measured in
    bits: float  # k log2 V of that language
    other_chars: float  # characters of the other language covering the same text: k * r (or k / r)
    other_bits: float  # other_chars * log2 V of the other language


def same_span(p: Parallel, contexts: Sequence[int]) -> tuple[tuple[Span, ...], tuple[Span, ...]]:
    """(English contexts with their Chinese span, Chinese contexts with their English span), bits per state each."""
    r, le, lz = p.span_ratio, math.log2(p.en.symbols), math.log2(p.zh.symbols)
    en = tuple(Span(k, k * le, k * r, k * r * lz) for k in contexts)
    zh = tuple(Span(k, k * lz, k / r, k / r * le) for k in contexts)
    return en, zh


@dataclass(frozen=True)
class BpeRow:
    """One vocabulary size on one language: a byte-level BPE trained on its training part, on its held-out pairs."""

    name: str
    vocab_asked: int
    vocab_size: int  # reached (fewer when the text offers no more merges)
    heldout_tokens: int
    tokens_per_pair: float
    chars_per_token: float
    bytes_per_token: float


@dataclass(frozen=True)
class BpeCompare:
    """Rows by language (English first), then by size; the tokenizers in the same order (for a preview)."""

    rows: tuple[BpeRow, ...]
    tokenizers: tuple[Tokenizer, ...]


def bpe_compare(sizes: Sequence[int], heldout: float = 0.1, progress=None) -> BpeCompare:
    """A BPE of each size on each language's training part, measured on its held-out pairs; progress(done, total, None)."""
    check_sizes(sizes)
    rows, tokenizers = [], []
    for name in (ENGLISH, CHINESE):
        text = builtin_text(name)
        cut = pair_cut(text, heldout)
        train, held = text[:cut], text[cut:]
        pairs, chars, nbytes = held.count(PAIR_END), len(held), _utf8(held)
        for size in sizes:
            bpe = train_bpe(train, size)
            n = len(encode(bpe.tokenizer, held))
            rows.append(BpeRow(name, size, bpe.size, n, n / max(pairs, 1), chars / max(n, 1), nbytes / max(n, 1)))
            tokenizers.append(bpe.tokenizer)
            if progress is not None:
                progress(len(rows), 2 * len(sizes), None)
    return BpeCompare(tuple(rows), tuple(tokenizers))


def heldout_pair(number: int, heldout: float = 0.1) -> tuple[str, str]:
    """The held-out sentence pair of this number (1 = the first held out), English and Chinese, without newlines."""
    sides = []
    for name in (ENGLISH, CHINESE):
        text = builtin_text(name)
        sides.append(text[pair_cut(text, heldout) :].split(PAIR_END)[:-1])
    if not 1 <= number <= len(sides[0]):
        raise ParallelError("parallel.pair", n=len(sides[0]), index=number)
    return sides[0][number - 1], sides[1][number - 1]
