"""Real text for the n-gram views: where it comes from, how it is checked, and how it becomes symbols.

What it is: the built-in corpora (CPython's own reference manual, no download; and the Python 3.11 tutorial and
language reference in English and in Simplified Chinese, one sentence pair a line, shipped in `corpora/`), the
checks an uploaded or pasted text must pass (`decode_text`, `check_text`), the two alphabets (`raw`: every
distinct character is a symbol; `shannon27`: the 26 letters and the space, as in Shannon 1951, refused for a
text with CJK characters, which it would erase), `symbolize` (text -> an array of symbol ids and the alphabet
they index), and the contiguous train / held-out split (`split_point`; `training_length` also cuts the two
parallel corpora between sentence pairs, so both hold out the same pairs).

What it is not: a counter or a model (see `core.text.ngram`), nor a tokenizer: a symbol is one character.
"""

from __future__ import annotations

import functools
import math
import pathlib
import random
import re
import string
import unicodedata
from dataclasses import dataclass

import numpy as np

from core.errors import CoreError
from core.text.limits import MAX_CORPUS_BYTES, MAX_HELDOUT

# Caps on what a visitor can hand in (bounded work per request).

ALPHABETS = ("raw", "shannon27")
SHANNON27 = (" ", *string.ascii_lowercase)  # Shannon's 27-letter alphabet: the word space, then a-z


@dataclass(frozen=True)
class Corpus:
    """A text that ships with the app: its description and its license."""

    name: str
    description: str
    license: str
    language: str = "en"  # "en" or "zh"
    translation: str | None = None  # the corpus holding the same sentence pairs in the other language
    lines: bool = False  # one item a line (a sentence pair, a name): the held-out part starts at a line
    shuffle_seed: int | None = None  # the lines are shuffled by random.Random(seed) before anything is held out


NAMES_SEED = 3407  # the names' shuffle (makemore's seed)
PSF = "PSF License (Python Software Foundation License Version 2)"
PARALLEL_REPO, PARALLEL_COMMIT = "python/python-docs-zh-cn", "40e2bdd28fda1d2e93bf8a04ef21fcf7b80a78b3"  # branch 3.11
PARALLEL_SOURCE = f"{PARALLEL_REPO}, branch 3.11, commit {PARALLEL_COMMIT}"
BUILTIN = {
    "python-docs": Corpus(
        "python-docs",
        "The Python language reference topics that ship with CPython (pydoc_data.topics), about 0.47 MB of English.",
        PSF,
    ),
    "python-docs-en": Corpus(
        "python-docs-en",
        "The Python 3.11 tutorial and language reference in English, one paragraph a line, line for line the same "
        f"paragraphs as python-docs-zh ({PARALLEL_SOURCE}).",
        PSF,
        "en",
        "python-docs-zh",
        lines=True,
    ),
    "python-docs-zh": Corpus(
        "python-docs-zh",
        "The Simplified Chinese translation of the Python 3.11 tutorial and language reference, one paragraph a line, "
        f"line for line the same paragraphs as python-docs-en ({PARALLEL_SOURCE}).",
        "CC0 1.0 (the translation, contributed to the Python Software Foundation); the text it translates: " + PSF,
        "zh",
        "python-docs-en",
        lines=True,
    ),
    "names": Corpus(
        "names",
        "32,033 US baby names of 2018 (the US Social Security Administration's data, as in karpathy/makemore, commit "
        f"988aa59), one a line, lowercase a-z, shuffled with a fixed seed ({NAMES_SEED}) before the last tenth is held "
        "out (the file lists them by popularity).",
        "public data of the US government; the file from karpathy/makemore, MIT License",
        lines=True,
        shuffle_seed=NAMES_SEED,
    ),
}
CORPORA = pathlib.Path(__file__).resolve().parent / "corpora"  # the shipped texts (how they are built: SOURCE.md there)
PAIR_END = "\n"  # in a parallel corpus every sentence pair is one line


class CorpusError(CoreError):
    """A text that cannot be used: empty, not UTF-8, too big, or an unknown corpus or alphabet."""

    messages = {
        "corpus.empty": "{name} is empty (or only whitespace)",
        "corpus.not_utf8": "{name} is not UTF-8 text: byte {offset:,} (0x{byte:02x}) cannot be decoded",
        "corpus.too_big": "{name} has {size:,} bytes; the limit is {limit:,} bytes",
        "corpus.unreadable": "{name} cannot be read: {reason}",
        "corpus.unknown_builtin": "unknown built-in corpus “{name}”; choose one of: {choices}",
        "corpus.unknown_alphabet": "unknown alphabet “{name}”; choose one of: {choices}",
        "corpus.heldout": "the held-out fraction must be between 0 and {limit}, got {heldout}",
        "corpus.too_short": "the text has {n} symbols; at least 1 is needed",
        "corpus.cjk_shannon27": "shannon27 keeps only the letters a-z and the space, and this text has {n:,} CJK characters "
        "that it would erase: use the raw alphabet (every distinct character) for it",
    }


@functools.lru_cache(maxsize=8)
def builtin_text(name: str) -> str:
    """The text of a built-in corpus: for python-docs, the topic texts joined in sorted key order; for the
    parallel corpora, their shipped file (one sentence pair a line)."""
    if name not in BUILTIN:
        raise CorpusError("corpus.unknown_builtin", name=name, choices=", ".join(BUILTIN))
    corpus = BUILTIN[name]
    if corpus.shuffle_seed is not None:
        lines = (CORPORA / f"{name}.txt").read_text(encoding="utf-8").splitlines()
        random.Random(corpus.shuffle_seed).shuffle(lines)
        return "".join(line + PAIR_END for line in lines)
    if corpus.lines:
        return (CORPORA / f"{name}.txt").read_text(encoding="utf-8")
    from pydoc_data.topics import topics

    return "\n\n".join(topics[key] for key in sorted(topics))


def lined_name(text: str) -> str | None:
    """The built-in corpus of one item a line this text is (its name), or None."""
    for name, c in BUILTIN.items():
        if c.lines and len(text) == len(builtin := builtin_text(name)) and text == builtin:
            return name
    return None


def _label(name: str) -> str:
    return name or "the text"


def decode_text(data: bytes, name: str = "") -> str:
    """Bytes of a file -> its text, or a CorpusError naming what is wrong (size, first bad byte, emptiness)."""
    if len(data) > MAX_CORPUS_BYTES:
        raise CorpusError("corpus.too_big", name=_label(name), size=len(data), limit=MAX_CORPUS_BYTES)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as e:
        raise CorpusError("corpus.not_utf8", name=_label(name), offset=e.start, byte=data[e.start]) from None
    if not text.strip():
        raise CorpusError("corpus.empty", name=_label(name))
    return text


def check_text(text: str, name: str = "") -> str:
    """A pasted text, unchanged, or a CorpusError if it is empty or longer than the cap in UTF-8 bytes."""
    size = len(text.encode("utf-8", errors="surrogatepass"))
    if size > MAX_CORPUS_BYTES:
        raise CorpusError("corpus.too_big", name=_label(name), size=size, limit=MAX_CORPUS_BYTES)
    if not text.strip():
        raise CorpusError("corpus.empty", name=_label(name))
    return text


def to_shannon27(text: str) -> str:
    """Fold to Shannon's 27 symbols: drop accents, lower-case, every run of non-letters becomes one space.

    "Café, NAÏVE—déjà vu!" -> "cafe naive deja vu ". Digits, punctuation and newlines are non-letters.
    A leading or trailing run is kept as a single space (it is a word boundary like any other), so the
    result never has two spaces in a row; letters outside a-z after folding (ß, ø, Greek) are non-letters.
    """
    text = unicodedata.normalize("NFKD", text)
    marks = {ord(c): None for c in set(text) if unicodedata.combining(c)}  # one lookup per distinct character
    return re.sub(r"[^a-z]+", " ", text.translate(marks).lower())


@dataclass(frozen=True)
class Symbols:
    """A text as symbol ids: `alphabet[ids[i]]` is the i-th symbol; the alphabet is sorted."""

    ids: np.ndarray  # (n,) int32, read-only
    alphabet: tuple[str, ...]  # sorted by code point; V = len(alphabet)

    @property
    def vocab(self) -> int:
        """V, the number of symbols of the alphabet."""
        return len(self.alphabet)

    def decode(self, ids) -> str:
        """Symbol ids -> text, e.g. ids (2, 0) with alphabet (" ", "a", "b") -> "b "."""
        return "".join(self.alphabet[int(i)] for i in ids)


def _codepoints(text: str) -> np.ndarray:
    return np.frombuffer(text.encode("utf-32-le", errors="surrogatepass"), dtype="<u4")


# Code point ranges of CJK characters: kana, CJK extension A, unified ideographs, Hangul syllables,
# compatibility ideographs, and the supplementary ideographs (extensions B..H)
CJK_RANGES = ((0x3040, 0x30FF), (0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xAC00, 0xD7AF), (0xF900, 0xFAFF), (0x20000, 0x3134F))


def cjk_characters(text: str) -> int:
    """How many characters of the text are CJK (Chinese, Japanese kana, Korean Hangul): cjk_characters('a中文') == 2."""
    codes = _codepoints(text)
    return int(sum(np.count_nonzero((codes >= lo) & (codes <= hi)) for lo, hi in CJK_RANGES))


def symbolize(text: str, alphabet_name: str) -> Symbols:
    """Text -> Symbols. raw: the distinct characters of the text; shannon27: the fixed (" ", a..z) after folding.

    shannon27 is refused for a text with CJK characters: folding would erase them (a Chinese text would be spaces).
    """
    if alphabet_name not in ALPHABETS:
        raise CorpusError("corpus.unknown_alphabet", name=alphabet_name, choices=", ".join(ALPHABETS))
    if alphabet_name == "shannon27":
        if n := cjk_characters(text):
            raise CorpusError("corpus.cjk_shannon27", n=n)
        codes = _codepoints(to_shannon27(text))
        alphabet = SHANNON27
        table = np.zeros(128, dtype=np.int32)  # every folded character is " " or a-z
        table[[ord(c) for c in alphabet]] = np.arange(len(alphabet), dtype=np.int32)
        ids = table[codes]
    else:
        uniq, inverse = np.unique(_codepoints(text), return_inverse=True)
        alphabet = tuple(chr(int(c)) for c in uniq)
        ids = inverse.astype(np.int32).reshape(-1)
    ids.flags.writeable = False
    return Symbols(ids, alphabet)


def check_heldout(heldout: float) -> float:
    """The held-out fraction, unchanged, or a CorpusError if it is not a number within 0..MAX_HELDOUT."""
    if not (isinstance(heldout, int | float) and 0 <= heldout <= MAX_HELDOUT):  # also rejects NaN
        raise CorpusError("corpus.heldout", heldout=heldout, limit=MAX_HELDOUT)
    return heldout


def split_point(n: int, heldout: float) -> int:
    """Length of the training part: the first n - floor(n * heldout) symbols; the rest is held out.

    split_point(10, 0.1) -> 9; split_point(10, 0) -> 10 (no held-out part).
    """
    check_heldout(heldout)
    if n < 1:
        raise CorpusError("corpus.too_short", n=n)
    return n - math.floor(n * heldout)


def pair_cut(text: str, heldout: float) -> int:
    """Characters of the training part of a text of one sentence pair a line: every line but the last
    floor(pairs * heldout), so the held-out part starts at a pair. pair_cut("a\\nb\\nc\\n", 0.4) -> 4 ("a\\nb\\n")."""
    check_heldout(heldout)
    ends = np.flatnonzero(_codepoints(text) == ord(PAIR_END))  # the newline ending each pair
    held = math.floor(len(ends) * heldout)
    return len(text) if held == 0 else int(ends[len(ends) - held - 1]) + 1


def training_length(text: str, alphabet_name: str, n_symbols: int, heldout: float) -> int:
    """Symbols in the training part of symbolize(text, alphabet_name) (n_symbols of them).

    A built-in corpus of one item a line is cut between lines (`pair_cut`), so the two languages of a parallel
    corpus hold out the same pairs and no name is cut in two; folded to shannon27, the cut is where the folded
    training lines end (folding keeps that prefix). Any other text: split_point(n_symbols, heldout).
    """
    if lined_name(text) is None:
        return split_point(n_symbols, heldout)
    cut = pair_cut(text, heldout)
    return cut if alphabet_name == "raw" else len(to_shannon27(text[:cut]))
