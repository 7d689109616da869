"""The n-gram engine against hand-computed texts, plain Counter/dict references, and sources of known entropy."""

import math
from collections import Counter, defaultdict

import numpy as np
import pytest

from core.text.corpus import builtin_text, split_point, symbolize
from core.text.ngram import (
    FALLBACK_DISCOUNT,
    MAX_SWEEP_K,
    NgramError,
    _rank,
    context_sweep,
    example_bits,
    level_discounts,
    modified_discounts,
    parse_contexts,
    top_states,
)

# ---------------------------------------------------------------- references, written as plainly as possible


def ref_counts(train, held, k):
    """Observed contexts, plug-in H(next | k previous) and held-out unseen fraction, with Counters and loops."""
    ctx = Counter(tuple(train[i - k : i]) for i in range(k, len(train)))
    grams = Counter((tuple(train[i - k : i]), train[i]) for i in range(k, len(train)))
    n = len(train) - k
    h = 0.0
    for (c, _), a in grams.items():
        h -= a / n * math.log2(a / ctx[c])
    held_ctx = [tuple(held[i - k : i]) for i in range(k, len(held))]
    unseen = sum(c not in ctx for c in held_ctx) / len(held_ctx) if held_ctx else None
    return len(ctx), h, unseen


def ref_discounts(values, method):
    """(D1, D2, D3+) of one level, from a list of positive counts, written from Chen & Goodman's formulas."""
    n1, n2, n3, n4 = (sum(v == r for v in values) for r in (1, 2, 3, 4))
    if method == "one":
        d = n1 / (n1 + 2 * n2) if n1 else FALLBACK_DISCOUNT
        return d, d, d
    fallback = (0.5, 1.0, 1.5)
    if n1 == 0:
        return fallback
    y = n1 / (n1 + 2 * n2)
    d1 = 1 - 2 * y * n2 / n1
    d2 = 2 - 3 * y * n3 / n2 if n2 else None
    d3 = 3 - 4 * y * n4 / n3 if n3 else None
    return tuple(d if d is not None and 0 < d <= r else f for d, r, f in zip((d1, d2, d3), (1, 2, 3), fallback, strict=True))


def ref_kn(train, vocab, k, method="modified"):
    """Interpolated (modified) KN with k previous symbols, from dicts: raw counts on top, continuation counts below."""
    n = len(train)
    levels = []
    for j in range(k + 1):
        a = Counter()
        if j == k:
            for i in range(j, n):
                a[(tuple(train[i - j : i]), train[i])] += 1
        else:  # N1+(. c w): distinct symbols u before the (j+1)-gram c w
            for g in {tuple(train[i - j - 1 : i + 1]) for i in range(j + 1, n)}:
                a[(g[1:-1], g[-1])] += 1
        d = ref_discounts(list(a.values()), method)
        total, gamma = defaultdict(int), defaultdict(float)
        for (c, _), v in a.items():
            total[c] += v
            gamma[c] += d[min(v, 3) - 1]
        levels.append((a, d, total, gamma))

    def p(j, c, w):
        low = 1 / vocab if j == 0 else p(j - 1, c[1:], w)
        a, d, total, gamma = levels[j]
        if total[c] == 0:
            return low
        v = a[(c, w)]
        return (max(v - (d[min(v, 3) - 1] if v else 0), 0) + gamma[c] * low) / total[c]

    return p


def random_text(rng, vocab, n, skew=1.5):
    """A skewed i.i.d. text, so that some contexts repeat and others are rare."""
    p = np.arange(1, vocab + 1, dtype=float) ** -skew
    return [int(s) for s in rng.choice(vocab, size=n, p=p / p.sum())]


# ---------------------------------------------------------------- hand-computed texts


def test_abab_has_the_hand_counted_contexts_and_entropies():
    rows = context_sweep([0, 1, 0, 1], None, 2, range(3))
    assert [r.observed_contexts for r in rows] == [1, 2, 2], "contexts: (), {a, b}, {ab, ba}"
    assert [r.conditional_entropy_bits for r in rows] == [1.0, 0.0, 0.0], "a and b equally often, then determined"
    assert [r.train_examples for r in rows] == [4, 3, 2], "a part of n symbols has n - k examples"
    assert all(r.heldout_bits is None and r.heldout_unseen_fraction is None for r in rows), "no held-out part"


def test_aab_aab_has_the_hand_computed_entropies_and_unseen_fractions():
    a, b, sp = 1, 2, 0  # alphabet (" ", "a", "b")
    train, held = [a, a, b, sp, a, a, b], [a, b, b, a]
    rows = context_sweep(train, held, 3, range(3))
    h0 = -(4 / 7 * math.log2(4 / 7) + 2 / 7 * math.log2(2 / 7) + 1 / 7 * math.log2(1 / 7))
    assert rows[0].conditional_entropy_bits == pytest.approx(h0, abs=1e-12), "unigram entropy of a:4 b:2 space:1"
    assert rows[1].conditional_entropy_bits == pytest.approx(2 / 3, abs=1e-12), "after a: a or b (1 bit), 4 of 6 examples"
    assert rows[2].conditional_entropy_bits == 0.0, "every 2-context has one continuation"
    assert [r.observed_contexts for r in rows] == [1, 3, 4], "(), {a, b, space}, {aa, ab, 'b ', ' a'}"
    assert [r.heldout_unseen_fraction for r in rows] == [0.0, 0.0, 0.5], "held-out 2-contexts ab (seen), bb (never)"


def test_a_context_seen_only_at_the_end_of_training_counts_as_unseen():
    rows = context_sweep([0, 1, 2], [2, 0], 3, [1])
    assert rows[0].heldout_unseen_fraction == 1.0, "symbol 2 ends the training part, so no training example has context 2"


# ---------------------------------------------------------------- the numpy sweep against Counter


@pytest.mark.parametrize("seed", range(6))
def test_sweep_matches_counter_reference_on_random_texts(seed):
    rng = np.random.default_rng(seed)
    vocab = int(rng.integers(2, 6))
    train, held = random_text(rng, vocab, int(rng.integers(30, 400))), random_text(rng, vocab, int(rng.integers(0, 60)))
    for row in context_sweep(train, held, vocab, range(8)):
        observed, h, unseen = ref_counts(train, held, row.context)
        assert row.observed_contexts == observed, f"observed contexts at k={row.context}"
        assert abs(row.conditional_entropy_bits - h) < 1e-12, f"entropy at k={row.context}: {row.conditional_entropy_bits} vs {h}"
        assert row.heldout_unseen_fraction == (None if unseen is None else pytest.approx(unseen, abs=1e-15)), f"k={row.context}"


def test_deep_contexts_with_a_large_alphabet_never_overflow():
    rng = np.random.default_rng(7)
    vocab = 200
    text = list(rng.integers(0, 20, 3000)) * 3  # repeats, so long contexts recur
    train, held = text[:8000], text[8000:]
    rows = context_sweep(train, held, vocab, range(MAX_SWEEP_K + 1))
    for k in (0, 9, 20, MAX_SWEEP_K):
        observed, h, unseen = ref_counts(train, held, k)
        row = rows[k]
        assert (row.observed_contexts, row.heldout_unseen_fraction) == (observed, pytest.approx(unseen)), f"k={k}"
        assert abs(row.conditional_entropy_bits - h) < 1e-12, f"entropy at k={k}"
    assert rows[MAX_SWEEP_K].possible_states_log10 == pytest.approx(MAX_SWEEP_K * math.log10(vocab)), "log10 V^k"


def test_rank_equals_numpy_unique_on_small_and_huge_keys():
    rng = np.random.default_rng(3)
    for high in (50, 2**61):  # the packed sort, then the np.unique fallback
        keys = rng.integers(0, high, 5000, dtype=np.int64)
        got, want = _rank(keys), np.unique(keys, return_inverse=True, return_counts=True)
        assert all(np.array_equal(g, w) for g, w in zip(got, want, strict=True)), f"keys below {high}"


# ---------------------------------------------------------------- Kneser-Ney


@pytest.mark.parametrize("method", ["modified", "one"])
@pytest.mark.parametrize("seed", range(5))
def test_kneser_ney_matches_dict_reference(seed, method):
    rng = np.random.default_rng(100 + seed)
    vocab = int(rng.integers(2, 6))
    train = random_text(rng, vocab - 1, int(rng.integers(20, 300)))  # the last symbol never occurs in training
    held = random_text(rng, vocab, int(rng.integers(1, 60)))
    for k in range(6):
        bits, seen = example_bits(train, held, vocab, k, method=method)
        p = ref_kn(train, vocab, k, method)
        ref = [-math.log2(p(k, tuple(held[i - k : i]), held[i])) for i in range(k, len(held))]
        assert len(bits) == len(ref) == len(seen), f"one cost per held-out position i >= {k}"
        assert np.allclose(bits, ref, rtol=0, atol=1e-9), f"k={k}: {bits} vs {ref}"
        assert np.all(np.isfinite(bits)), "never infinite, even for a symbol unseen in training"


@pytest.mark.parametrize("k", [0, 1, 2, 3])
def test_kneser_ney_distributions_sum_to_one(k):
    rng = np.random.default_rng(11)
    vocab = 4
    train = random_text(rng, vocab, 200)
    contexts = [train[5 : 5 + k], train[50 : 50 + k], [3] * k, list(rng.integers(0, vocab, k))]
    for c in contexts:
        probs = [2.0 ** -example_bits(train, c + [w], vocab, k)[0][-1] for w in range(vocab)]
        assert abs(sum(probs) - 1) < 1e-12, f"context {c}: sum {sum(probs)}"
        assert min(probs) > 0, f"context {c}: a symbol with probability 0"


def test_sweep_heldout_fields_match_the_plain_reimplementation():
    rng = np.random.default_rng(5)
    train, held = random_text(rng, 4, 500), random_text(rng, 4, 120)
    tr, hl = [int(x) for x in train], [int(x) for x in held]
    for row in context_sweep(train, held, 4, range(6)):
        k = row.context
        p = ref_kn(tr, 4, k)
        plain = [-math.log2(p(k, tuple(hl[i - k : i]), hl[i])) for i in range(k, len(hl))]
        assert row.heldout_bits == pytest.approx(sum(plain) / len(plain), rel=1e-12), f"k={k}"
        assert row.heldout_unseen_fraction == pytest.approx(ref_counts(tr, hl, k)[2], abs=1e-15), f"k={k}"
        assert row.heldout_examples == len(held) - k, f"k={k}"


# ---------------------------------------------------------------- sources of known entropy


def test_iid_source_has_its_entropy_at_every_context():
    p = np.array([0.5, 0.25, 0.125, 0.125])  # H = 1.75 bits
    ids = np.random.default_rng(1951).choice(4, size=200_000, p=p)
    cut = split_point(len(ids), 0.1)
    rows = context_sweep(ids[:cut], ids[cut:], 4, range(3))
    for r in rows:
        assert abs(r.conditional_entropy_bits - 1.75) < 0.01, f"H_{r.context} = {r.conditional_entropy_bits}"
        assert abs(r.heldout_bits - 1.75) < 0.02, f"held-out bits at k={r.context}: {r.heldout_bits}"


def test_markov_source_has_its_closed_form_entropy_rate():
    P = np.array([[0.9, 0.1, 0.0], [0.2, 0.5, 0.3], [0.3, 0.3, 0.4]])
    w, v = np.linalg.eig(P.T)
    pi = np.real(v[:, np.argmin(abs(w - 1))])
    pi /= pi.sum()
    rate = -sum(pi[i] * sum(q * math.log2(q) for q in P[i] if q > 0) for i in range(3))  # about 0.98 bits
    rng, cum = np.random.default_rng(1948), np.cumsum(P, axis=1)
    ids, s = np.empty(200_000, np.int64), 0
    for i, u in enumerate(rng.random(len(ids))):
        s = ids[i] = min(int(np.searchsorted(cum[s], u, side="right")), 2)
    cut = split_point(len(ids), 0.1)
    rows = context_sweep(ids[:cut], ids[cut:], 3, range(5))
    for r in rows[1:]:
        assert abs(r.conditional_entropy_bits - rate) < 0.01, f"H_{r.context} = {r.conditional_entropy_bits}, rate {rate}"
    assert rows[0].conditional_entropy_bits > rate + 0.3, "without context the chain looks much more random"
    assert abs(rows[1].heldout_bits - rate) < 0.02, f"held-out bits at k=1: {rows[1].heldout_bits}, rate {rate}"


# ---------------------------------------------------------------- the built-in corpus, top states, inputs


def test_builtin_corpus_sweeps_to_context_20():
    s = symbolize(builtin_text("python-docs"), "shannon27")
    cut = split_point(len(s.ids), 0.1)
    calls = []
    rows = context_sweep(s.ids[:cut], s.ids[cut:], s.vocab, range(21), progress=lambda *a: calls.append(a))
    observed = [r.observed_contexts for r in rows]
    assert observed == sorted(observed), f"observed contexts never decrease with k: {observed}"
    assert all(r.observed_contexts <= r.train_examples for r in rows), "at most one new context per example"
    assert calls == [(i + 1, 21, None) for i in range(21)], "progress(done, total, None) once per context"
    assert all(0 < r.heldout_bits < math.log2(27) for r in rows), "held-out cost is finite and beats uniform"


def test_top_states_match_counter():
    rng = np.random.default_rng(2)
    text = random_text(rng, 3, 400)
    for k in (0, 1, 3):
        states, counts = top_states(text, 3, k, 5)
        ctx = Counter(tuple(text[i - k : i]) for i in range(k, len(text)))
        assert [ctx[s] for s in states] == sorted(ctx.values(), reverse=True)[: len(states)], f"most visited first, k={k}"
        for s, row in zip(states, counts, strict=True):
            want = [sum(1 for i in range(k, len(text)) if tuple(text[i - k : i]) == s and text[i] == w) for w in range(3)]
            assert row.tolist() == want, f"next-symbol counts of {s}"


def test_parse_contexts_accepts_ranges_and_rejects_the_rest():
    assert parse_contexts("0-8") == range(0, 9) and parse_contexts(" 3-3 ") == range(3, 4) and parse_contexts("5") == range(5, 6)
    for bad, code in (
        ("a-b", "ngram.contexts_syntax"),
        ("8-2", "ngram.contexts_range"),
        (f"0-{MAX_SWEEP_K + 1}", "ngram.contexts_range"),
    ):
        with pytest.raises(NgramError) as e:
            parse_contexts(bad)
        assert e.value.code == code, f"{bad!r} -> {e.value.code}"


def test_bad_inputs_raise_ngram_errors():
    cases = [
        (lambda: context_sweep([0, 1], None, 2, range(3)), "ngram.too_short"),
        (lambda: context_sweep([0, 2], None, 2, range(1)), "ngram.symbols"),
        (lambda: context_sweep([0, 1], [5], 2, range(1)), "ngram.symbols"),
        (lambda: context_sweep([0, 1] * 40, None, 2, [MAX_SWEEP_K + 1]), "ngram.contexts_range"),
        (lambda: top_states([0, 1], 2, 0, 0), "ngram.top_states"),
    ]
    for fn, code in cases:
        with pytest.raises(NgramError) as e:
            fn()
        assert e.value.code == code and str(e.value), f"expected {code}, got {e.value.code}"


# ---------------------------------------------------------------- modified Kneser-Ney against hand-computed values


def test_modified_discounts_by_hand():
    # counts a:1 b:2 c:3 d:4 e:1 -> n1 = 2, n2 = n3 = n4 = 1, Y = 2 / (2 + 2) = 1/2
    # D1 = 1 - 2 (1/2) 1/2 = 1/2, D2 = 2 - 3 (1/2) 1/1 = 1/2, D3+ = 3 - 4 (1/2) 1/1 = 1
    assert modified_discounts(np.array([1, 2, 3, 4, 1])) == pytest.approx((0.5, 0.5, 1.0), abs=1e-15)
    # no count of 2: D2 is undefined and takes the fallback 1; D3+ = 3 - 4 * 1 * 0 / 1 = 3 (in range)
    assert modified_discounts(np.array([1, 3])) == pytest.approx((1.0, 1.0, 3.0), abs=1e-15)
    assert modified_discounts(np.array([2, 2, 5])) == (0.5, 1.0, 1.5), "no count of 1: every discount falls back"
    assert level_discounts(np.array([1, 2, 3, 4, 1]), "one") == (0.5, 0.5, 0.5), "one discount: n1 / (n1 + 2 n2) = 2 / 4"


def test_modified_kneser_ney_unigram_by_hand():
    train = [0, 1, 1, 2, 2, 2, 3, 3, 3, 3, 4]  # a:1 b:2 c:3 d:4 e:1, f never: V = 6
    bits, seen = example_bits(train, [0, 1, 2, 3, 4, 5], 6, 0)
    # discounts (1/2, 1/2, 1) as above; gamma = 1/2 * 2 + 1/2 * 1 + 1 * 2 = 3.5 of a total of 11, spread uniformly
    base = 3.5 / 6
    want = [(0.5 + base) / 11, (1.5 + base) / 11, (2 + base) / 11, (3 + base) / 11, (0.5 + base) / 11, base / 11]
    assert sum(want) == pytest.approx(1.0, abs=1e-15)
    assert np.allclose(2.0**-bits, want, rtol=1e-12, atol=0), (2.0**-bits, want)
    assert seen.all(), "the empty context is always seen"


def test_modified_kneser_ney_bigram_by_hand():
    # a a a a b: bigrams aa x3, ab x1 -> n1 = 1, n3 = 1: Y = 1, D1 = 1, D2 falls back to 1, D3+ = 3 - 0 = 3
    # continuation counts N1+(. a) = 1, N1+(. b) = 1 -> the lower order is (1/2, 1/2)
    # after a: total 4, gamma = D3+ + D1 = 4 -> p(a|a) = (max(3 - 3, 0) + 4 * 1/2) / 4 = 1/2, p(b|a) = (0 + 2) / 4 = 1/2
    # after b (never a context in training): the lower order, 1/2 each
    bits, seen = example_bits([0, 0, 0, 0, 1], [0, 0, 1, 1], 2, 1)
    assert np.allclose(bits, [1.0, 1.0, 1.0], rtol=0, atol=1e-12), bits
    assert seen.tolist() == [True, True, False]


def test_modified_beats_one_discount_on_the_builtin_corpus():
    s = symbolize(builtin_text("python-docs"), "raw")
    cut = split_point(len(s.ids), 0.1)
    one = context_sweep(s.ids[:cut], s.ids[cut:], s.vocab, range(3, 9), method="one")
    mod = context_sweep(s.ids[:cut], s.ids[cut:], s.vocab, range(3, 9))
    assert all(m.heldout_bits < o.heldout_bits for m, o in zip(mod, one, strict=True)), [
        (m.heldout_bits, o.heldout_bits) for m, o in zip(mod, one, strict=True)
    ]


def test_a_bad_method_is_an_ngram_error():
    with pytest.raises(NgramError) as e:
        example_bits([0, 1, 0], [0, 1], 2, 1, method="plain")
    assert e.value.code == "score.kn_method"
