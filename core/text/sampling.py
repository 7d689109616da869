"""Seeded samples from a text GPT and from the training text's Kneser-Ney n-gram, symbol by symbol.

What it is: `sample_gpt` (each symbol drawn from the GPT's distribution after the last k symbols),
`kneser_ney` / `next_distribution` (the n-gram's next-symbol distribution after any context, with the
discounts of `core.text.ngram.level_discounts`, modified Kneser-Ney's three per order unless method="one", so it
equals the probabilities `core.text.ngram` scores held-out text with) and `sample_ngram`. One seed gives one sample.

What it is not: a trainer or a scorer (`core.text.textgpt`, `core.text.ngram`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import torch
from torch.nn import functional as F

from core.model import GPT
from core.text.limits import MAX_KN_K, MAX_SAMPLE
from core.text.ngram import _check_method, level_discounts
from core.text.textgpt import TEXT_TRAIN_THREADS, TextModelError, _check_range, _ids
from core.threads import pin_threads


def _start(start_ids, need: int) -> list[int]:
    start = [int(i) for i in np.asarray(start_ids, dtype=np.int64).reshape(-1)]
    if len(start) < need:
        raise TextModelError("textgpt.start", need=need, n=len(start))
    return start


def _draw(p: np.ndarray, u: float) -> int:
    """The symbol whose cumulative probability first exceeds u (p need not sum exactly to 1)."""
    c = np.cumsum(p)
    return int(min(np.searchsorted(c, u * c[-1], side="right"), len(p) - 1))


@torch.no_grad()
def sample_gpt(model: GPT, start_ids, n: int, seed: int) -> np.ndarray:
    """n symbols drawn from the GPT after start_ids (at least 1 symbol), each from the last k symbols."""
    _check_range("sample length", n, 0, MAX_SAMPLE)
    pin_threads(TEXT_TRAIN_THREADS)
    seq, k, rng = _start(start_ids, 1), model.config.block_size, np.random.default_rng(seed)
    for _ in range(n):
        logits = model(torch.tensor([seq[-k:]]))[0].double()
        seq.append(_draw(F.softmax(logits, dim=-1).numpy(), rng.random()))
    return np.array(seq[-n:] if n else [], dtype=np.int64)


@dataclass(frozen=True)
class KneserNey:
    """The training text's interpolated Kneser-Ney model with k previous symbols, as `core.text.ngram` scores it.

    Order k uses the raw counts of (k+1)-grams; orders k-1..0 the continuation counts N1+(. c w); the base
    is uniform. A context with no count at an order keeps the lower order's distribution. Discounts are
    `core.text.ngram.level_discounts` per order: (D1, D2, D3+) for counts 1, 2, >= 3. `next_distribution` finds
    a context's counts by filtering the positions of the training text that follow it, one symbol further back
    per order.
    """

    ids: np.ndarray  # training symbols
    vocab: int
    k: int
    discounts: tuple[tuple[float, float, float], ...]  # (D1, D2, D3+) of orders 0 .. k
    after: np.ndarray  # positions p >= 1 sorted by the symbol before them
    after_starts: np.ndarray  # (V + 1,) after[after_starts[s]:after_starts[s + 1]] follow symbol s
    counts0: np.ndarray  # (V,) the counts of order 0 (raw if k = 0, else continuation), the same for every context


def kneser_ney(train_ids, vocab: int, k: int, method: str = "modified") -> KneserNey:
    """Count the discounts of every order of the KN model with k previous symbols (one sort per order)."""
    _check_method(method)
    x = _ids(train_ids, vocab).numpy()
    n = len(x)
    _check_range("n-gram context", k, 0, min(MAX_KN_K, n - 1))
    discounts = [(0.0, 0.0, 0.0)] * (k + 1)
    window = np.zeros(n + 1, np.int64)  # id of the j-window starting at t (j = 0: the empty window)
    for j in range(k + 1):
        keys = window[: n - j] * vocab + x[j:]  # the (j+1)-windows starting at t = 0 .. n-j-1
        _, first, inverse, counts = np.unique(keys, return_index=True, return_inverse=True, return_counts=True)
        if j == k:
            discounts[k] = level_discounts(counts, method)
        if j > 0:  # continuation counts of order j-1: distinct (j+1)-grams per j-gram suffix
            cont = np.bincount(window[first + 1])
            discounts[j - 1] = level_discounts(cont[cont > 0], method)
        window = inverse.reshape(-1)
    after = np.argsort(x[:-1], kind="stable") + 1
    starts = np.searchsorted(x[after - 1], np.arange(vocab + 1))
    counts0 = (
        np.bincount(x, minlength=vocab) if k == 0 else np.bincount(np.unique(x[:-1] * vocab + x[1:]) % vocab, minlength=vocab)
    )
    return KneserNey(x, vocab, k, tuple(discounts), after, starts, counts0.astype(np.float64))


def next_distribution(kn: KneserNey, context: Sequence[int]) -> np.ndarray:
    """P(next symbol | the last k symbols of context) under the KN model, shape (V,)."""
    x, V, k = kn.ids, kn.vocab, kn.k
    if len(context) < k:
        raise TextModelError("textgpt.start", need=k, n=len(context))
    c = [int(i) for i in context[len(context) - k :]]
    p = np.full(V, 1.0 / V)
    at = np.zeros(0, np.int64)  # positions p whose j previous symbols equal the last j symbols of the context
    for j in range(k + 1):
        if j == 1:
            at = kn.after[kn.after_starts[c[-1]] : kn.after_starts[c[-1] + 1]]
        elif j > 1:
            at = at[at >= j]
            at = at[x[at - j] == c[-j]]
        if j == 0:
            counts = kn.counts0
        elif j == k:  # raw counts of the next symbol
            counts = np.bincount(x[at], minlength=V).astype(np.float64)
        else:  # continuation counts: distinct symbols before the context, per next symbol
            left = at[at >= j + 1]
            counts = np.bincount(np.unique(x[left - j - 1] * V + x[left]) % V, minlength=V).astype(np.float64)
        d1, d2, d3 = kn.discounts[j]
        d = np.where(counts >= 3, d3, np.where(counts == 2, d2, np.where(counts == 1, d1, 0.0)))
        total = counts.sum()
        if total > 0:
            p = (np.maximum(counts - d, 0) + d.sum() * p) / total
    return p


def sample_ngram(train_ids, vocab: int, k: int, start_ids, n: int, seed: int, method: str = "modified") -> np.ndarray:
    """n symbols drawn from the training text's KN n-gram with k previous symbols, after start_ids (>= k symbols)."""
    _check_range("sample length", n, 0, MAX_SAMPLE)
    kn = kneser_ney(train_ids, vocab, k, method)
    seq, rng = _start(start_ids, k), np.random.default_rng(seed)
    for _ in range(n):
        seq.append(_draw(next_distribution(kn, seq), rng.random()))
    return np.array(seq[-n:] if n else [], dtype=np.int64)
