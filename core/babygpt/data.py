"""Training data: a sequence of tokens and the (X, Y) examples a context of k tokens makes.

What it is: parsing a user's sequence, either digits 0..V-1 (the article's
`111101111011110`) or free text whose distinct characters form the vocabulary, and
generators for sequences (a repeated pattern, a random walk of a given chain).

What it is not: a tokenizer of real text; one character is one token.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import torch

from core.babygpt.limits import MAX_SEQUENCE_LEN, MAX_VOCAB, LimitError
from core.babygpt.states import state_index
from core.errors import CoreError

ARTICLE_SEQUENCE = "111101111011110"


class SequenceError(CoreError):
    """A training sequence that cannot be used, with a message the user can act on."""

    messages = {
        "seq.empty": "the sequence is empty: type some tokens, e.g. 111101111011110",
        "seq.digit_vocab": "a digit sequence needs a vocabulary of 2 to 10 tokens, got {vocab}; use text mode for more",
        "seq.bad_token": "token “{token}” at position {position} is not in the vocabulary: "
        "with V = {vocab} use the digits 0 to {highest}",
        "seq.too_short": "the sequence has {n} tokens, which is not longer than the context of {context}: "
        "it needs at least {needed} tokens to make one example",
        "seq.bits": "the bit stream may hold only 0s and 1s",
        "seq.no_text": "type some text: its bits are the stream to compare on",
    }


@dataclass(frozen=True)
class Sequence:
    tokens: tuple[int, ...]  # token ids, each in 0 .. vocab-1
    itos: tuple[str, ...]  # itos[t] is the symbol shown for token t

    @property
    def vocab(self) -> int:
        """V, the number of distinct tokens the sequence may use."""
        return len(self.itos)


def _check_length(n: int) -> None:
    if n == 0:
        raise SequenceError("seq.empty")
    if n > MAX_SEQUENCE_LEN:
        raise LimitError("limit.sequence", n=n, limit=MAX_SEQUENCE_LEN)


def parse_digits(text: str, vocab: int) -> Sequence:
    """Digits 0..V-1, whitespace and commas ignored. parse_digits('1101', 2).tokens == (1, 1, 0, 1)."""
    if not 2 <= vocab <= 10:
        raise SequenceError("seq.digit_vocab", vocab=vocab)
    symbols = [c for c in text if not c.isspace() and c != ","]
    _check_length(len(symbols))
    tokens = []
    for i, c in enumerate(symbols):
        if not (c.isdigit() and c.isascii() and int(c) < vocab):
            raise SequenceError("seq.bad_token", token=c, position=i + 1, vocab=vocab, highest=vocab - 1)
        tokens.append(int(c))
    return Sequence(tuple(tokens), tuple(str(d) for d in range(vocab)))


def parse_text(text: str) -> Sequence:
    """Free text; its distinct characters, sorted, are the vocabulary. parse_text('abba').itos == ('a', 'b')."""
    _check_length(len(text))
    itos = tuple(sorted(set(text)))
    if len(itos) > MAX_VOCAB:
        raise LimitError("limit.text_vocab", n=len(itos), limit=MAX_VOCAB)
    stoi = {c: i for i, c in enumerate(itos)}
    return Sequence(tuple(stoi[c] for c in text), itos)


def check_long_enough(n_tokens: int, context: int) -> None:
    """A sequence must be longer than the context to make at least one example."""
    if n_tokens <= context:
        raise SequenceError("seq.too_short", n=n_tokens, context=context, needed=context + 1)


def make_examples(tokens: tuple[int, ...], context: int) -> tuple[torch.Tensor, torch.Tensor]:
    """Every k consecutive tokens -> the next one: X (N, k), Y (N,), N = len(tokens) - k."""
    check_long_enough(len(tokens), context)
    n = len(tokens) - context
    t = torch.tensor(tokens, dtype=torch.long)
    X = t.unfold(0, context, 1)[:n]  # (N, k)
    Y = t[context:]  # (N,)
    return X.contiguous(), Y.contiguous()


def repeat_pattern(pattern: str, vocab: int, length: int) -> Sequence:
    """A digit pattern repeated up to `length` tokens. repeat_pattern('11110', 2, 15) is the article's."""
    base = parse_digits(pattern, vocab)
    _check_length(length)
    reps = -(-length // len(base.tokens))
    return Sequence((base.tokens * reps)[:length], base.itos)


def random_walk(probs: np.ndarray, length: int, seed: int, start: tuple[int, ...] | None = None) -> tuple[int, ...]:
    """Sample `length` tokens from a chain given as next-token probabilities per full state.

    probs has shape (V^k, V) in the order of `core.babygpt.states`; the walk starts from `start`
    (default: the all-zero state), whose tokens are not part of the output.
    """
    _check_length(length)
    n, vocab = probs.shape
    rng = np.random.default_rng(seed)
    cdf = np.cumsum(probs, axis=1)
    s = state_index(start, vocab) if start is not None else 0
    out = []
    for u in rng.random(length):
        t = min(int(np.searchsorted(cdf[s], u * cdf[s, -1], side="right")), vocab - 1)
        out.append(t)
        s = (s * vocab) % n + t
    return tuple(out)


def cycle_chain(vocab: int, p_step: float) -> np.ndarray:
    """A chain over single tokens (k = 1): from a, go to a+1 (mod V) with p_step, else to any other token evenly.

    cycle_chain(3, 0.8)[0] == [0.1, 0.8, 0.1]
    """
    probs = np.full((vocab, vocab), (1 - p_step) / (vocab - 1))
    probs[np.arange(vocab), (np.arange(vocab) + 1) % vocab] = p_step
    return probs
