"""Counting a text's Markov chain of order k, and a smoothed n-gram model that can be tested on held-out text.

What it is: for each context length k, the k-contexts the training text visits, the plug-in entropy
H(next | k previous), and the cost on held-out text of an interpolated Kneser-Ney model that sees k
previous symbols. Everything is counted with numpy over integer keys, never with a loop per symbol.

What it is not: a text reader (see `core.text.corpus`) or a sampler. An *example* of context k is a position
with k preceding symbols in the same part, so a part of n symbols has n - k examples; examples never
cross from the training part into the held-out part.

The model is interpolated *modified* Kneser-Ney (Chen & Goodman 1998, section 3.5; the default, method
"modified"): each order has three discounts from its count-of-counts n_r (the number of grams of that order
seen exactly r times), Y = n1 / (n1 + 2 n2), D1 = 1 - 2 Y n2 / n1, D2 = 2 - 3 Y n3 / n2, D3+ = 3 - 4 Y n4 / n3,
and a gram of count a is discounted by D(a) = D1, D2 or D3+ for a = 1, 2, >= 3:
p(w | c) = (max(a(c w) - D(a(c w)), 0) + gamma(c) p(w | c')) / a(c .), gamma(c) = sum over w of D(a(c w)),
where c' is c without its oldest symbol. A discount the formula leaves undefined (n_r = 0) or outside (0, r]
(tiny texts) takes KenLM's fallback value 0.5, 1 or 1.5. Method "one" is the one-discount interpolated
Kneser-Ney, D1 = D2 = D3+ = n1 / (n1 + 2 n2) (0.5 without a count of 1): kept for comparison.
The top order uses raw counts a; lower orders use continuation counts a(c w) = N1+(. c w), the number of
distinct symbols seen before c w, with discounts from their own count-of-counts. The recursion ends in the
uniform distribution over all V symbols, so every symbol, even one the training part never has, gets a
positive probability. A context with a(c .) = 0 passes its lower order through unchanged.

Keys: the k-window starting at t gets a dense id (its rank among the distinct k-windows of both parts, so
ids sort like the windows). The (k+1)-window's key is id * V + next symbol, and ranking those keys gives the
ids of order k + 1: keys stay below (n + m + 1) * V for parts of n and m symbols, so any k works.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass

import numpy as np

from core import ranges
from core.errors import CoreError
from core.text.limits import MAX_KN_K, MAX_SWEEP_K, MAX_TOP_STATES

FALLBACK_DISCOUNT = 0.5  # KN discount when an order has no count of 1 (n1 = 0 would give D = 0 and zero probabilities)
FALLBACK_DISCOUNTS = (0.5, 1.0, 1.5)  # modified KN's D1, D2, D3+ where the formula fails (KenLM's --discount_fallback)
METHODS = ("modified", "one")  # three discounts per order (the default), or one


class NgramError(CoreError):
    """A context range or a symbol array that the n-gram engine cannot use."""

    messages = {
        "ngram.contexts_syntax": "contexts must look like 0-8 or 5, got “{text}”",
        "ngram.contexts_range": "contexts must lie within 0-{limit} and ascend, got {text}",
        "ngram.too_short": "context {context} needs at least {need:,} training symbols, the training part has {n:,}",
        "ngram.symbols": "symbol ids must lie within 0..{last} for an alphabet of {vocab} symbols",
        "ngram.top_states": "the number of states must lie within 1..{limit}, got {n}",
        "score.kn_method": "the Kneser-Ney method must be one of {choices}, got “{method}”",
    }


@dataclass(frozen=True)
class SweepRow:
    """One context length k: what the training text visits, what it costs, how the held-out text fares."""

    context: int  # k, the number of previous symbols
    possible_states_log10: float  # log10(V^k)
    observed_contexts: int  # distinct k-contexts among training examples
    coverage: float  # observed / V^k (can underflow to 0.0 for large k)
    conditional_entropy_bits: float  # plug-in H(next | k previous) on the training examples; k = 0: unigram entropy
    heldout_unseen_fraction: float | None  # held-out examples whose k-context no training example has
    heldout_bits: float | None  # mean cost of the held-out examples under interpolated KN with k previous symbols
    train_examples: int  # n_train - k
    heldout_examples: int  # n_heldout - k (0 without a held-out part)


def parse_contexts(text: str) -> range:
    """'0-8' -> range(0, 9); '5' -> range(5, 6); within 0..MAX_SWEEP_K."""
    if not ranges.RANGE_FORM.fullmatch(text):
        raise NgramError("ngram.contexts_syntax", text=text)
    lo, hi = ranges.parse_range(text) or (0, -1)
    if not 0 <= lo <= hi <= MAX_SWEEP_K:
        raise NgramError("ngram.contexts_range", text=text, limit=MAX_SWEEP_K)
    return range(lo, hi + 1)


def _rank(keys: np.ndarray, index: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """np.unique(keys, return_inverse=True, return_counts=True) for non-negative int64 keys, faster.

    Packs (key, position) into one int64 and sorts values (much faster than argsort) when the bits fit;
    `index` is np.arange of at least len(keys), passed in to reuse one allocation.
    """
    n = len(keys)
    if n == 0:
        return keys, np.zeros(0, np.int64), np.zeros(0, np.int64)
    shift = max(n - 1, 1).bit_length()
    if int(keys.max()).bit_length() + shift > 62 or n >= 2**31:
        return np.unique(keys, return_inverse=True, return_counts=True)
    index = np.arange(n, dtype=np.int64) if index is None else index[:n]
    packed = np.sort((keys << shift) | index)
    order, skeys = packed & ((1 << shift) - 1), packed >> shift
    first = np.empty(n, dtype=np.uint8)
    first[0], first[1:] = 1, skeys[1:] != skeys[:-1]
    inverse = np.empty(n, dtype=np.int64)
    inverse[order] = np.cumsum(first, dtype=np.int32) - 1  # int32 cumsum is faster; n < 2**31
    starts = np.flatnonzero(first)
    return skeys[starts], inverse, np.diff(np.append(starts, n))


def discount(counts: np.ndarray) -> float:
    """Chen & Goodman's D = n1 / (n1 + 2 n2) over the positive counts of one order."""
    n1, n2 = int(np.count_nonzero(counts == 1)), int(np.count_nonzero(counts == 2))
    return n1 / (n1 + 2 * n2) if n1 else FALLBACK_DISCOUNT


def modified_discounts(counts: np.ndarray) -> tuple[float, float, float]:
    """Chen & Goodman's (D1, D2, D3+) over the positive counts of one order; FALLBACK_DISCOUNTS where undefined."""
    c = np.asarray(counts)
    n = [int(np.count_nonzero(c == r)) for r in (1, 2, 3, 4)]
    y = n[0] / (n[0] + 2 * n[1]) if n[0] else None
    out = []
    for r in (1, 2, 3):
        d = r - (r + 1) * y * n[r] / n[r - 1] if y is not None and n[r - 1] else None
        out.append(d if d is not None and 0 < d <= r else FALLBACK_DISCOUNTS[r - 1])
    return out[0], out[1], out[2]


def level_discounts(counts: np.ndarray, method: str = "modified") -> tuple[float, float, float]:
    """(D1, D2, D3+) of one order's positive counts: modified KN's three, or the one discount three times."""
    if method == "one":
        d = discount(counts)
        return d, d, d
    return modified_discounts(counts)


def _check_method(method: str) -> None:
    if method not in METHODS:
        raise NgramError("score.kn_method", method=method, choices=", ".join(METHODS))


def _interpolate(counts, ctx_of_gram, n_ctx, h_ctx, h_gram, lower, method) -> np.ndarray:
    """One KN level: p(w|c) = (max(a(c,w) - D(a), 0) + gamma(c) p_lower(w)) / a(c.), or p_lower(w) if a(c.) = 0."""
    d1, d2, d3 = level_discounts(counts[counts > 0], method)
    d = np.where(counts >= 3, d3, np.where(counts == 2, d2, np.where(counts == 1, d1, 0.0)))  # D of each gram (0: unseen)
    total = np.bincount(ctx_of_gram, weights=counts, minlength=n_ctx)[h_ctx]
    gamma = np.bincount(ctx_of_gram, weights=d, minlength=n_ctx)[h_ctx]
    seen = total > 0
    mixed = (np.maximum(counts[h_gram] - d[h_gram], 0) + gamma * lower) / np.where(seen, total, 1.0)
    return np.where(seen, mixed, lower)


def _check(ids: np.ndarray, vocab: int) -> np.ndarray:
    ids = np.asarray(ids, dtype=np.int64).reshape(-1)
    if len(ids) and (ids.min() < 0 or ids.max() >= vocab):
        raise NgramError("ngram.symbols", last=vocab - 1, vocab=vocab)
    return ids


def _orders(train_ids, heldout_ids, vocab: int, k_max: int, method: str = "modified"):
    """For k = 0..k_max: (k, SweepRow, KN bits of the held-out examples, their seen flags, the data's own chain's
    probability of each held-out example: a(c w) / a(c .), 0 where the context was never seen). One sort per k.

    Training and held-out windows are ranked together, so equal windows share an id; a window that only the
    held-out part has gets an id with a training count of 0.
    """
    _check_method(method)
    x, h = _check(train_ids, vocab), _check(heldout_ids if heldout_ids is not None else [], vocab)
    n, m, V = len(x), len(h), vocab
    if k_max >= n:
        raise NgramError("ngram.too_short", context=k_max, need=k_max + 1, n=n)
    ctx, h_ctx, n_ctx = np.zeros(n + 1, np.int64), np.zeros(m + 1, np.int64), 1  # the empty context has id 0
    prev = None  # order k - 1: (ctx_of_gram, n_ctx, h_ctx) for its continuation level
    lower = np.full(m, 1.0 / V)  # continuation-level p of order k - 1 per held-out position (base: uniform)
    index = np.arange(n + m, dtype=np.int64)
    for k in range(k_max + 1):
        mk = max(m - k, 0)  # held-out examples
        keys = np.concatenate([ctx[: n - k] * V + x[k:], h_ctx[:mk] * V + h[k:]])  # the (k+1)-windows, train then held-out
        grams, inverse, _ = _rank(keys, index)
        inverse, h_gram = inverse[: n - k], inverse[n - k :]
        counts = np.bincount(inverse, minlength=len(grams)).astype(np.float64)  # training counts
        ctx_of_gram = grams // V
        ctx_total = np.bincount(ctx_of_gram, weights=counts, minlength=n_ctx)
        used = counts > 0
        c = counts[used]
        entropy = float(-(c * np.log2(c / ctx_total[ctx_of_gram[used]])).sum() / (n - k))
        if k > 0 and m > k - 1:  # continuation counts of order k - 1: distinct left extensions, from this order's grams
            suffix = np.zeros(len(grams), np.int64)
            suffix[inverse] = ctx[1 : n - k + 1]  # the k-window after dropping the first symbol = order k-1 gram id
            cont = np.bincount(suffix[used], minlength=n_ctx).astype(np.float64)
            p_ctx, p_n_ctx, p_h_ctx = prev
            lower[k - 1 :] = _interpolate(cont, p_ctx, p_n_ctx, p_h_ctx[: m - k + 1], h_ctx[: m - k + 1], lower[k - 1 :], method)
        h_c = h_ctx[:mk]
        seen = ctx_total[h_c] > 0
        bits = -np.log2(_interpolate(counts, ctx_of_gram, n_ctx, h_c, h_gram, lower[k:], method))
        chain = counts[h_gram] / np.where(seen, ctx_total[h_c], 1.0)  # 0 where never seen (then no prediction at all)
        observed = int(np.count_nonzero(ctx_total))
        row = SweepRow(
            context=k,
            possible_states_log10=k * math.log10(V),
            observed_contexts=observed,
            coverage=10 ** (math.log10(observed) - k * math.log10(V)),
            conditional_entropy_bits=entropy + 0.0,  # + 0.0 turns -0.0 into 0.0
            heldout_unseen_fraction=float(1 - seen.mean()) if mk else None,
            heldout_bits=float(bits.mean()) if mk else None,
            train_examples=n - k,
            heldout_examples=mk,
        )
        yield k, row, bits, seen, chain
        prev = (ctx_of_gram, n_ctx, h_ctx)
        ctx, h_ctx, n_ctx = inverse, h_gram, len(grams)


def context_sweep(
    train_ids,
    heldout_ids,
    vocab: int,
    contexts: Iterable[int],
    progress: Callable[[int, int, float | None], None] | None = None,
    method: str = "modified",
    limit: int = MAX_SWEEP_K,
) -> list[SweepRow]:
    """One SweepRow per context length in `contexts` (each within 0..limit, at most MAX_KN_K); heldout_ids may be
    empty or None. Held-out costs are modified Kneser-Ney's unless method="one"."""
    limit = min(limit, MAX_KN_K)
    wanted = sorted(set(int(k) for k in contexts))
    if not wanted or wanted[0] < 0 or wanted[-1] > limit:
        raise NgramError("ngram.contexts_range", text=f"{wanted}", limit=limit)
    rows = []
    for k, row, *_ in _orders(train_ids, heldout_ids, vocab, wanted[-1], method):
        if k in wanted:
            rows.append(row)
            if progress is not None:
                progress(len(rows), len(wanted), None)
    return rows


def example_bits(train_ids, heldout_ids, vocab: int, k: int, method: str = "modified") -> tuple[np.ndarray, np.ndarray]:
    """Per held-out example i >= k (k within 0..MAX_KN_K), in order: its KN cost in bits (modified KN unless
    method="one") and whether its k-context occurs in training."""
    bits, seen, _ = example_costs(train_ids, heldout_ids, vocab, k, method)
    return bits, seen


def example_costs(train_ids, heldout_ids, vocab: int, k: int, method: str = "modified"):
    """(KN bits, seen flags, the data's own chain's probability a(c w) / a(c .), 0 where never seen) per held-out
    example i >= k."""
    if not 0 <= k <= MAX_KN_K:
        raise NgramError("ngram.contexts_range", text=f"{k}", limit=MAX_KN_K)
    for j, _, bits, seen, chain in _orders(train_ids, heldout_ids, vocab, k, method):
        if j == k:
            return bits, seen, chain
    raise AssertionError("unreachable")


def sweep_costs(train_ids, heldout_ids, vocab: int, k_max: int, method: str = "modified"):
    """For k = 0..k_max (within MAX_KN_K), in one pass: (SweepRow, KN bits, seen flags, chain probabilities) per k."""
    if not 0 <= k_max <= MAX_KN_K:
        raise NgramError("ngram.contexts_range", text=f"{k_max}", limit=MAX_KN_K)
    return [(row, bits, seen, chain) for _, row, bits, seen, chain in _orders(train_ids, heldout_ids, vocab, k_max, method)]


def top_states(ids, vocab: int, k: int, n: int) -> tuple[list[tuple[int, ...]], np.ndarray]:
    """The n most frequent k-contexts (ties: in symbol order; fewer if fewer occur) and their next-symbol counts (n, V)."""
    if not 1 <= n <= MAX_TOP_STATES:
        raise NgramError("ngram.top_states", n=n, limit=MAX_TOP_STATES)
    x = _check(ids, vocab)
    if not 0 <= k <= MAX_SWEEP_K:
        raise NgramError("ngram.contexts_range", text=f"{k}", limit=MAX_SWEEP_K)
    if k >= len(x):
        raise NgramError("ngram.too_short", context=k, need=k + 1, n=len(x))
    ctx, n_ctx = np.zeros(len(x) + 1, np.int64), 1
    for j in range(k):  # ids of the j+1-windows from the j-windows
        _, ctx, _ = _rank(ctx[: len(x) - j] * vocab + x[j:])
        n_ctx = int(ctx.max()) + 1
    ex, nxt = ctx[: len(x) - k], x[k:]  # contexts and next symbols of the examples
    visits = np.bincount(ex, minlength=n_ctx)
    best = np.argsort(-visits, kind="stable")[: min(n, int(np.count_nonzero(visits)))]
    rank = np.full(n_ctx, -1, np.int64)
    rank[best] = np.arange(len(best))
    r = rank[ex]
    at = np.flatnonzero(r >= 0)
    _, first = np.unique(r[at], return_index=True)  # first example of each chosen context, in rank order
    states = [tuple(int(s) for s in x[t : t + k]) for t in at[first]]
    table = np.bincount(r[at] * vocab + nxt[at], minlength=len(best) * vocab).reshape(len(best), vocab)
    return states, table


def kneser_ney_rows(train_ids, vocab: int, k: int, contexts) -> np.ndarray:
    """Interpolated modified Kneser-Ney's P(next | context) trained on train_ids at order k, one row per given
    k-symbol context (shape (len(contexts), vocab)). One pass: every (context, next) pair becomes one held-out
    example of a sequence laid out block by block, and only the examples at the blocks' ends are read."""
    contexts = [tuple(int(x) for x in c) for c in contexts]
    if any(len(c) != k for c in contexts):
        raise ValueError(f"every context has {k} symbols")
    if not contexts:
        return np.zeros((0, vocab))
    held = [x for c in contexts for w in range(vocab) for x in (*c, w)]
    bits, _, _ = example_costs(train_ids, held, vocab, k)
    ends = np.arange(len(contexts) * vocab) * (k + 1)  # example index of each block's last symbol (index i - k)
    return np.exp2(-bits[ends]).reshape(len(contexts), vocab)
