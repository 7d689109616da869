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

from core.model import MAX_VOCAB
from core.states import state_index

MAX_SEQUENCE_LEN = 5_000  # tokens in one training sequence
ARTICLE_SEQUENCE = "111101111011110"


class SequenceError(ValueError):
    """A training sequence that cannot be used, with a message the user can act on."""


@dataclass(frozen=True)
class Sequence:
    tokens: tuple[int, ...]  # token ids, each in 0 .. vocab-1
    itos: tuple[str, ...]  # itos[t] is the symbol shown for token t

    @property
    def vocab(self) -> int:
        return len(self.itos)

    def text(self) -> str:
        return "".join(self.itos[t] for t in self.tokens)


def _check_length(n: int) -> None:
    if n == 0:
        raise SequenceError("the sequence is empty: type some tokens, e.g. 111101111011110")
    if n > MAX_SEQUENCE_LEN:
        raise SequenceError(f"the sequence has {n:,} tokens; the limit is {MAX_SEQUENCE_LEN:,}")


def parse_digits(text: str, vocab: int) -> Sequence:
    """Digits 0..V-1, whitespace and commas ignored. parse_digits('1101', 2).tokens == (1, 1, 0, 1)."""
    if not 2 <= vocab <= 10:
        raise SequenceError(f"a digit sequence needs a vocabulary of 2 to 10 tokens, got {vocab}; use text mode for more")
    symbols = [c for c in text if not c.isspace() and c != ","]
    _check_length(len(symbols))
    tokens = []
    for i, c in enumerate(symbols):
        if not (c.isdigit() and c.isascii() and int(c) < vocab):
            raise SequenceError(
                f"token {c!r} at position {i + 1} is not in the vocabulary: with V = {vocab} use the digits 0 to {vocab - 1}"
            )
        tokens.append(int(c))
    return Sequence(tuple(tokens), tuple(str(d) for d in range(vocab)))


def parse_text(text: str) -> Sequence:
    """Free text; its distinct characters, sorted, are the vocabulary. parse_text('abba').itos == ('a', 'b')."""
    _check_length(len(text))
    itos = tuple(sorted(set(text)))
    if len(itos) > MAX_VOCAB:
        raise SequenceError(f"the text has {len(itos)} distinct characters; the vocabulary limit is {MAX_VOCAB}")
    stoi = {c: i for i, c in enumerate(itos)}
    return Sequence(tuple(stoi[c] for c in text), itos)


def check_long_enough(n_tokens: int, context: int) -> None:
    """A sequence must be longer than the context to make at least one example."""
    if n_tokens <= context:
        raise SequenceError(
            f"the sequence has {n_tokens} tokens, which is not longer than the context of {context}: "
            f"it needs at least {context + 1} tokens to make one example"
        )


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

    probs has shape (V^k, V) in the order of `core.states`; the walk starts from `start`
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
