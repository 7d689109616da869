"""Real text for the n-gram views: where it comes from, how it is checked, and how it becomes symbols.

What it is: the built-in corpus (CPython's own reference manual, no download), the checks an uploaded or
pasted text must pass (`decode_text`, `check_text`), the two alphabets (`raw`: every distinct character
is a symbol; `shannon27`: the 26 letters and the space, as in Shannon 1951), `symbolize` (text -> an
array of symbol ids and the alphabet they index), and the contiguous train / held-out split.

What it is not: a counter or a model (see `core.text.ngram`), nor a tokenizer: a symbol is one character.
"""

from __future__ import annotations

import functools
import math
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


BUILTIN = {
    "python-docs": Corpus(
        "python-docs",
        "The Python language reference topics that ship with CPython (pydoc_data.topics), about 0.47 MB of English.",
        "PSF License (Python Software Foundation License Version 2)",
    ),
}


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
    }


@functools.lru_cache(maxsize=8)
def builtin_text(name: str) -> str:
    """The text of a built-in corpus: for python-docs, the topic texts joined in sorted key order."""
    if name not in BUILTIN:
        raise CorpusError("corpus.unknown_builtin", name=name, choices=", ".join(BUILTIN))
    from pydoc_data.topics import topics

    return "\n\n".join(topics[key] for key in sorted(topics))


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


def symbolize(text: str, alphabet_name: str) -> Symbols:
    """Text -> Symbols. raw: the distinct characters of the text; shannon27: the fixed (" ", a..z) after folding."""
    if alphabet_name not in ALPHABETS:
        raise CorpusError("corpus.unknown_alphabet", name=alphabet_name, choices=", ".join(ALPHABETS))
    if alphabet_name == "shannon27":
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
