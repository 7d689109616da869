"""Vocabulary size on real text: byte-level BPE tokenizers of several sizes, trained on one text and compared.

What it is: `train_bpe` (a byte-level BPE of a given size, trained on a text: every string round-trips
exactly), `encode` / `decode`, `tokenize_preview` (a sentence cut into its tokens), and `vocab_sweep`: for
each vocabulary size, how many characters a token holds, how long a context of S characters is in tokens,
how many states such a context has, and what the training text's n-gram of that context makes of the
held-out text, in bits per character.

What it is not: a download of a published tokenizer (every tokenizer here is trained on the text at hand,
on its training part only), nor a model (see `core.text.ngram` and `core.text.textgpt`).

Characters of a token: the characters that START in its bytes (UTF-8 bytes that are not continuation bytes).
A token that holds only the tail of a character counts 0, one that holds its first byte counts 1, so the
counts of a text's tokens add up to the text's length exactly, however the tokens cut its characters.
Bits per character on held-out text: the n-gram's total bits over the held-out examples divided by the
characters of the tokens those examples predict.
"""

from __future__ import annotations

import math
import re
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
from tokenizers import Tokenizer, decoders, models, pre_tokenizers, trainers

from core.arith.statespace import bits_per_state, count_states
from core.errors import CoreError
from core.symbols import visible
from core.text.corpus import check_heldout, training_length
from core.text.limits import MAX_BPE_VOCAB, MAX_SPAN, MAX_SWEEP_K, MAX_VOCAB_SIZES, MIN_BPE_VOCAB, MIN_SPAN
from core.text.ngram import context_sweep

# Split points that leave the byte-level pre-tokenizer's words intact: a newline between two printable ASCII
# characters always ends one word and starts the next, so encoding the pieces gives the ids of the whole.
_SAFE_SPLIT = re.compile(r"(?<=[!-~]\n)(?=[!-~])")


def _byte_of_char() -> dict[str, int]:
    """The byte-level alphabet: each byte is stored as one printable character (printable bytes as themselves)."""
    printable = [*range(ord("!"), ord("~") + 1), *range(ord("\u00a1"), ord("\u00ac") + 1), *range(ord("\u00ae"), 256)]
    others = [b for b in range(256) if b not in printable]
    return {chr(b): b for b in printable} | {chr(256 + i): b for i, b in enumerate(others)}


_BYTE_OF_CHAR = _byte_of_char()


class VocabError(CoreError):
    """A vocabulary sweep that cannot run: sizes or span out of range, or a text too short for a context."""

    messages = {
        "vocab.size": "vocabulary sizes must lie within {low:,}..{high:,}, got {size:,}",
        "vocab.sizes_count": "choose 1 to {limit} vocabulary sizes, got {count}",
        "vocab.sizes_syntax": "vocabulary sizes must look like 256,1024,4096, got “{text}”",
        "vocab.span": "the span must be {low}..{high} characters, got {span}",
        "vocab.too_short": "with a vocabulary of {size:,} tokens the training part has {tokens:,} tokens, "
        "too few for a context of {context}",
        "vocab.context": "with a vocabulary of {size:,} tokens, a span of {span} characters is {context} tokens; the n-gram's "
        "limit is {limit} tokens, so with this vocabulary the span can be at most {max_span}",
    }


@dataclass(frozen=True)
class Bpe:
    """A trained byte-level BPE tokenizer and how it came about."""

    tokenizer: Tokenizer
    asked: int  # the vocabulary size asked for
    size: int  # the vocabulary it has: smaller than asked when the text offers no more merges
    seconds: float  # time to train it


@dataclass(frozen=True)
class VocabRow:
    """One vocabulary size on one text: token lengths, the context for a span, its states, the n-gram's cost."""

    vocab_asked: int
    vocab_size: int  # actual V (< asked when the trainer ran out of merges)
    train_seconds: float  # BPE training time
    tokens: int  # tokens of the whole text (training + held-out part)
    train_tokens: int
    heldout_tokens: int
    chars_per_token_train: float
    chars_per_token_heldout: float | None  # None without a held-out part
    round_trip: bool  # decode(encode(part)) == part for both parts
    span: int  # S, characters a context should cover
    context_tokens: int  # k = max(1, round(S / chars_per_token_train))
    possible_states_log10: float  # log10(V^k)
    bits_per_state: float  # k * log2(V)
    observed_contexts: int  # distinct k-token contexts among the training examples
    heldout_examples: int  # held-out positions i >= k
    heldout_unseen_fraction: float | None  # held-out examples whose k-token context never occurs in training
    heldout_bits_per_token: float | None  # mean KN cost per held-out example
    heldout_bits_per_char: float | None  # total KN bits / characters of the predicted tokens


def _byte_level_bpe() -> Tokenizer:
    tok = Tokenizer(models.BPE())
    tok.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False, trim_offsets=False, use_regex=True)
    tok.decoder = decoders.ByteLevel()
    return tok


def pieces(text: str) -> list[str]:
    """The text cut at newlines between printable ASCII characters: encoding the pieces equals encoding the whole."""
    return _SAFE_SPLIT.split(text)


def train_bpe(text: str, vocab_size: int) -> Bpe:
    """A byte-level BPE of at most vocab_size tokens (256 bytes + merges), trained on `text`, no special tokens."""
    if not MIN_BPE_VOCAB <= vocab_size <= MAX_BPE_VOCAB:
        raise VocabError("vocab.size", low=MIN_BPE_VOCAB, high=MAX_BPE_VOCAB, size=vocab_size)
    tok = _byte_level_bpe()
    trainer = trainers.BpeTrainer(
        vocab_size=vocab_size, initial_alphabet=pre_tokenizers.ByteLevel.alphabet(), special_tokens=[], show_progress=False
    )
    t0 = time.perf_counter()
    tok.train_from_iterator(pieces(text), trainer=trainer)
    return Bpe(tok, vocab_size, tok.get_vocab_size(), time.perf_counter() - t0)


def encode(tokenizer: Tokenizer, text: str) -> np.ndarray:
    """Text -> token ids, shape (n,) int64."""
    encodings = tokenizer.encode_batch(pieces(text)) if text else []
    return np.fromiter((i for e in encodings for i in e.ids), dtype=np.int64)


def decode(tokenizer: Tokenizer, ids) -> str:
    """Token ids -> text; decode(t, encode(t, s)) == s for every string s."""
    return tokenizer.decode([int(i) for i in ids])


def token_bytes(tokenizer: Tokenizer, token_id: int) -> bytes:
    """The bytes a token stands for, e.g. b' the' (a token may end inside a multi-byte character)."""
    return bytes(_BYTE_OF_CHAR[c] for c in tokenizer.id_to_token(int(token_id)))


def chars_per_id(tokenizer: Tokenizer) -> np.ndarray:
    """For every token id, the characters that start in its bytes (see the module docstring), shape (V,)."""
    V = tokenizer.get_vocab_size()
    return np.array([sum((b & 0xC0) != 0x80 for b in token_bytes(tokenizer, i)) for i in range(V)], dtype=np.int64)


_STRAY = re.compile("[\udc80-\udcff]+")  # bytes that are no whole UTF-8 character, after surrogateescape
_LABEL = re.compile(r"(<[0-9a-f]{2}(?: [0-9a-f]{2})*>)")  # what `labelled` makes of them


def labelled(data: bytes) -> str:
    """Bytes as text: whole UTF-8 characters as themselves, each run of bytes that is no whole character as its
    bytes in hex between angle brackets, never as U+FFFD: labelled("中".encode()[:2]) == "<e4 b8>"."""
    text = data.decode("utf-8", errors="surrogateescape")  # an undecodable byte b becomes U+DC00 + b
    return _STRAY.sub(lambda m: "<" + " ".join(f"{ord(c) - 0xDC00:02x}" for c in m.group()) + ">", text)


def visible_token(token: str) -> str:
    """A previewed token with its whitespace drawn (`core.symbols.visible`) and its byte labels as they are:
    visible_token(" <e4 b8>") == "␣<e4 b8>"."""
    return "".join(part if i % 2 else visible(part) for i, part in enumerate(_LABEL.split(token)))


def tokenize_preview(tokenizer: Tokenizer, sentence: str) -> list[str]:
    """The sentence's tokens as strings, one per token: ["Caf", "<c3>", "<a9>"] when tokens cut a character.

    A token whose bytes are not whole UTF-8 characters shows those bytes labelled (`labelled`), so "".join(preview)
    equals the sentence whenever no token cuts a character.
    """
    return [labelled(token_bytes(tokenizer, i)) for i in encode(tokenizer, sentence).tolist()]


def parse_sizes(text: str) -> list[int]:
    """'256,1024,4096' -> [256, 1024, 4096], each within MIN_BPE_VOCAB..MAX_BPE_VOCAB, at most MAX_VOCAB_SIZES."""
    if not re.fullmatch(r"\s*\d+\s*(,\s*\d+\s*)*", text):
        raise VocabError("vocab.sizes_syntax", text=text)
    sizes = [int(s) for s in text.split(",")]
    check_sizes(sizes)
    return sizes


def check_sizes(sizes: Sequence[int]) -> None:
    """VocabError unless 1..MAX_VOCAB_SIZES sizes, each within MIN_BPE_VOCAB..MAX_BPE_VOCAB."""
    if not 1 <= len(sizes) <= MAX_VOCAB_SIZES:
        raise VocabError("vocab.sizes_count", limit=MAX_VOCAB_SIZES, count=len(sizes))
    for size in sizes:
        if not MIN_BPE_VOCAB <= size <= MAX_BPE_VOCAB:
            raise VocabError("vocab.size", low=MIN_BPE_VOCAB, high=MAX_BPE_VOCAB, size=size)


def context_for_span(span: int, chars_per_token: float) -> int:
    """Tokens needed to cover `span` characters: max(1, round(span / chars_per_token))."""
    return max(1, round(span / chars_per_token))


def max_span(chars_per_token: float) -> int:
    """The longest span whose context stays within the n-gram's MAX_SWEEP_K tokens (at most MAX_SPAN)."""
    span = min(MAX_SPAN, math.floor((MAX_SWEEP_K + 0.5) * chars_per_token))
    while span > 1 and context_for_span(span, chars_per_token) > MAX_SWEEP_K:
        span -= 1
    return span


def vocab_row(bpe: Bpe, train_text: str, heldout_text: str, span: int) -> VocabRow:
    """Every figure of one tokenizer on a text split into a training and a held-out part."""
    tok, V = bpe.tokenizer, bpe.size
    train_ids, heldout_ids = encode(tok, train_text), encode(tok, heldout_text)
    round_trip = decode(tok, train_ids) == train_text and decode(tok, heldout_ids) == heldout_text
    cpt_train = len(train_text) / len(train_ids)
    k = context_for_span(span, cpt_train)
    if k > MAX_SWEEP_K:
        raise VocabError("vocab.context", span=span, context=k, size=V, limit=MAX_SWEEP_K, max_span=max_span(cpt_train))
    if k >= len(train_ids):
        raise VocabError("vocab.too_short", size=V, tokens=len(train_ids), context=k)
    (row,) = context_sweep(train_ids, heldout_ids, V, [k])
    bits_per_char = None
    if row.heldout_bits is not None:  # total bits = mean * examples, over the characters the examples predict
        chars = int(chars_per_id(tok)[heldout_ids[k:]].sum())
        bits_per_char = row.heldout_bits * row.heldout_examples / max(chars, 1)
    return VocabRow(
        vocab_asked=bpe.asked,
        vocab_size=V,
        train_seconds=bpe.seconds,
        tokens=len(train_ids) + len(heldout_ids),
        train_tokens=len(train_ids),
        heldout_tokens=len(heldout_ids),
        chars_per_token_train=cpt_train,
        chars_per_token_heldout=len(heldout_text) / len(heldout_ids) if len(heldout_ids) else None,
        round_trip=round_trip,
        span=span,
        context_tokens=k,
        possible_states_log10=count_states(V, k).log10,
        bits_per_state=bits_per_state(V, k),
        observed_contexts=row.observed_contexts,
        heldout_examples=row.heldout_examples,
        heldout_unseen_fraction=row.heldout_unseen_fraction,
        heldout_bits_per_token=row.heldout_bits,
        heldout_bits_per_char=bits_per_char,
    )


def split_text(text: str, heldout: float) -> tuple[str, str]:
    """The training and held-out parts, cut where `core.text.corpus.training_length` cuts the raw characters."""
    cut = training_length(text, "raw", len(text), heldout)
    return text[:cut], text[cut:]


@dataclass(frozen=True)
class VocabSweep:
    """A vocabulary sweep's rows and the tokenizers that made them (for a preview), in the order of the sizes."""

    rows: tuple[VocabRow, ...]
    tokenizers: tuple[Tokenizer, ...]


def vocab_sweep_with_tokenizers(
    text: str,
    sizes: Sequence[int],
    span: int = 32,
    heldout: float = 0.1,
    progress: Callable[[int, int, float | None], None] | None = None,
) -> VocabSweep:
    """One VocabRow per vocabulary size, in the order given, with each trained tokenizer; progress(done, total, None)."""
    check_sizes(sizes)
    if not MIN_SPAN <= span <= MAX_SPAN:
        raise VocabError("vocab.span", low=MIN_SPAN, high=MAX_SPAN, span=span)
    check_heldout(heldout)
    train_text, heldout_text = split_text(text, heldout)
    rows, tokenizers = [], []
    for size in sizes:
        bpe = train_bpe(train_text, size)
        rows.append(vocab_row(bpe, train_text, heldout_text, span))
        tokenizers.append(bpe.tokenizer)
        if progress is not None:
            progress(len(rows), len(sizes), None)
    return VocabSweep(tuple(rows), tuple(tokenizers))


def vocab_sweep(
    text: str,
    sizes: Sequence[int],
    span: int = 32,
    heldout: float = 0.1,
    progress: Callable[[int, int, float | None], None] | None = None,
) -> list[VocabRow]:
    """One VocabRow per vocabulary size, in the order given; progress(done, total, None) after each."""
    return list(vocab_sweep_with_tokenizers(text, sizes, span, heldout, progress).rows)
