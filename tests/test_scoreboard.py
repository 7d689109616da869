"""The real-text scoreboard against plain references: Counter chains, the dict Kneser-Ney, a grid-searched weight."""

import math
from collections import Counter

import numpy as np
import pytest

from core.text.corpus import split_point
from core.text.ngram import example_bits
from core.text.scoreboard import (
    BEST_K_MAX,
    FIT_FRACTION,
    GptCosts,
    ScoreError,
    fit_weight,
    gpt_costs,
    kn_curve,
    mix_bits,
    scoreboard,
    verdict,
)
from core.text.textgpt import TextGPTConfig, TextTrainConfig, gpt_example_bits, train_text_model
from tests.test_ngram import random_text, ref_kn


def fake_gpt(train, held, vocab, k, rng):
    """Costs of a stand-in model: any positive bits will do, the board only averages and mixes them."""
    cut = split_point(len(train), FIT_FRACTION)
    h = np.full(len(held), np.nan)
    h[k:] = rng.uniform(0.2, 4.0, len(held) - k)
    f = np.full(len(train) - cut, np.nan)
    f[k:] = rng.uniform(0.2, 4.0, len(f) - k)
    return GptCosts(h, f)


@pytest.fixture(scope="module")
def case():
    rng = np.random.default_rng(42)
    vocab, k = 6, 4  # 1,296 contexts for 3,000 symbols: some held-out ones are new
    train, held = random_text(rng, vocab, 3000, skew=0.8), random_text(rng, vocab, 400, skew=0.8)
    gpt = fake_gpt(train, held, vocab, k, rng)
    return train, held, vocab, k, gpt, scoreboard(train, held, vocab, k, gpt)


def test_every_row_is_on_the_same_examples_split_by_the_training_contexts(case):
    train, held, vocab, k, gpt, b = case
    reach = max(k, BEST_K_MAX)
    positions = range(reach, len(held))
    contexts = {tuple(train[i - k : i]) for i in range(k, len(train))}
    seen = np.array([tuple(held[i - k : i]) in contexts for i in positions])
    assert 0 < seen.mean() < 1, "both parts have examples"
    assert b.examples == len(positions) and b.seen_fraction == pytest.approx(seen.mean(), abs=1e-15)
    g = gpt.heldout[list(positions)]
    assert b.gpt.overall == pytest.approx(g.mean()) and b.gpt.seen == pytest.approx(g[seen].mean())
    assert b.gpt.unseen == pytest.approx(g[~seen].mean())
    p = ref_kn(train, vocab, k)
    kn = np.array([-math.log2(p(k, tuple(held[i - k : i]), held[i])) for i in positions])
    assert (b.kn.overall, b.kn.seen, b.kn.unseen) == pytest.approx((kn.mean(), kn[seen].mean(), kn[~seen].mean()), rel=1e-12)
    one = ref_kn(train, vocab, k, "one")
    kn1 = np.array([-math.log2(one(k, tuple(held[i - k : i]), held[i])) for i in positions])
    assert b.kn_one.overall == pytest.approx(kn1.mean(), rel=1e-12)


def test_the_data_chain_has_its_counted_probabilities_and_a_uniform_guess_elsewhere(case):
    train, held, vocab, k, _, b = case
    ctx = Counter(tuple(train[i - k : i]) for i in range(k, len(train)))
    grams = Counter(tuple(train[i - k : i + 1]) for i in range(k, len(train)))
    costs, zeros, seen = [], 0, 0
    for i in range(max(k, BEST_K_MAX), len(held)):
        c = tuple(held[i - k : i])
        if ctx[c]:
            seen += 1
            a = grams[c + (held[i],)]
            zeros += a == 0
            if a:
                costs.append(-math.log2(a / ctx[c]))
    n = b.examples
    assert b.chain.coverage == pytest.approx(seen / n) and b.chain.zero_fraction == pytest.approx(zeros / n)
    assert b.chain.positive_bits == pytest.approx(np.mean(costs), rel=1e-12)
    assert b.chain.uniform_bits == math.log2(vocab)
    assert (b.chain.seen_bits == math.inf) == (zeros > 0) and (b.chain.overall_bits == math.inf) == (zeros > 0)


def test_without_zero_counts_the_chain_with_a_uniform_guess_has_a_finite_cost():
    # training ends in 2 2 2: the window 222 has no next symbol there, so it is never a context; the held-out part
    # reaches it only through seen contexts that training continued the same way (011 -> 2, 112 -> 2, 122 -> 2)
    train, held = [0, 1, 0, 1, 1] * 40 + [2, 2, 2], [0, 1, 0, 1, 1] * 4 + [2, 2, 2, 2, 2]
    k, vocab = 3, 3
    cut = split_point(len(train), FIT_FRACTION)
    gpt = GptCosts(np.r_[np.full(k, np.nan), np.ones(len(held) - k)], np.r_[np.full(k, np.nan), np.ones(len(train) - cut - k)])
    b = scoreboard(train, held, vocab, k, gpt)
    assert b.chain.zero_fraction == 0 and 0 < b.chain.coverage < 1, b.chain
    assert b.chain.seen_bits == b.chain.positive_bits < math.inf
    want = b.chain.coverage * b.chain.seen_bits + (1 - b.chain.coverage) * math.log2(3)
    assert b.chain.overall_bits == pytest.approx(want, rel=1e-12), "log2 V bits on every never-seen context"


def test_best_order_is_the_cheapest_on_the_same_examples(case):
    train, held, vocab, k, _, b = case
    reach = max(k, BEST_K_MAX)
    per_order = [example_bits(train, held, vocab, j)[0][reach - j :].mean() for j in range(reach + 1)]
    assert b.best_k == int(np.argmin(per_order)) and b.kn_best.overall == pytest.approx(min(per_order), rel=1e-12)


def test_the_weight_is_the_grid_maximum_and_never_sees_the_heldout_part(case):
    train, held, vocab, k, gpt, b = case
    cut = split_point(len(train), FIT_FRACTION)
    kn_fit = example_bits(train[:cut], train[cut:], vocab, k)[0]
    a, c = np.exp2(-gpt.fit[k:]), np.exp2(-kn_fit)
    grid = np.linspace(0, 1, 100_001)
    best = grid[np.argmax([np.mean(np.log(w * a + (1 - w) * c)) for w in grid])]
    assert b.mix_weight == pytest.approx(best, abs=2e-5) and b.fit_examples == len(a)
    other = GptCosts(gpt.heldout + 1.0, gpt.fit)  # other held-out costs: the same weight
    assert scoreboard(train, held, vocab, k, other).mix_weight == b.mix_weight, "fitted on the training slice only"
    positions = np.arange(max(k, BEST_K_MAX), len(held))
    kn = example_bits(train, held, vocab, k)[0][positions - k]
    mixed = -np.log2(b.mix_weight * np.exp2(-gpt.heldout[positions]) + (1 - b.mix_weight) * np.exp2(-kn))
    assert b.mix.overall == pytest.approx(mixed.mean(), rel=1e-12)


def test_fit_weight_edges():
    p = np.array([0.5, 0.25, 0.9])
    assert fit_weight(p, p / 10) > 0.999 and fit_weight(p / 10, p) < 0.001, "a model that is always better takes it all"
    assert np.allclose(mix_bits(0.3, np.ones(3), np.ones(3)), 1.0), "equal models mix to themselves"


def test_gpt_costs_are_the_models_own_per_example_bits():
    rng = np.random.default_rng(0)
    train, held = np.array(random_text(rng, 5, 3000)), np.array(random_text(rng, 5, 300))
    config = TextGPTConfig(block_size=4, vocab_size=5, n_layer=1, n_head=2, n_embd=16)
    model = train_text_model(train, config, TextTrainConfig(steps=5)).model
    c = gpt_costs(model, train, held)
    assert np.isnan(c.heldout[:4]).all() and np.allclose(c.heldout[4:], gpt_example_bits(model, held), rtol=0, atol=1e-12)
    cut = split_point(len(train), FIT_FRACTION)
    assert np.allclose(c.fit[4:], gpt_example_bits(model, train[cut:]), rtol=0, atol=1e-12)


def test_kn_curve_points_are_best_orders_on_prefixes(case):
    train, held, vocab, _, _, _ = case
    points = kn_curve(train, held, vocab, sizes=(100, 1000, 10_000), k_max=4)
    assert [p.chars for p in points] == [100, 1000, len(train)], "prefixes shorter than the training part, then all of it"
    for p in points:
        per_order = [example_bits(train[: p.chars], held, vocab, j)[0][4 - j :].mean() for j in range(5)]
        assert p.best_k == int(np.argmin(per_order)) and p.bits == pytest.approx(min(per_order), rel=1e-12)


def test_bad_lengths_are_score_errors(case):
    train, held, vocab, k, gpt, _ = case
    with pytest.raises(ScoreError) as e:
        scoreboard(train, held, vocab, k, GptCosts(gpt.heldout[:-1], gpt.fit))
    assert e.value.code == "score.lengths"
    with pytest.raises(ScoreError) as e:
        scoreboard(train, held[:10], vocab, k, GptCosts(gpt.heldout[:10], gpt.fit))
    assert e.value.code == "score.too_short"


def test_the_verdict_names_who_wins_from_the_per_example_costs(case):
    """The page's conclusion, recomputed from the raw per-example costs, with the fake GPT shifted both ways."""
    train, held, vocab, k, gpt, b = case
    reach = max(k, BEST_K_MAX)
    positions = list(range(reach, len(held)))
    contexts = {tuple(train[i - k : i]) for i in range(k, len(train))}
    seen = np.array([tuple(held[i - k : i]) in contexts for i in positions])
    p = ref_kn(train, vocab, k)
    kn = np.array([-math.log2(p(k, tuple(held[i - k : i]), held[i])) for i in positions])
    for shift in (-3.0, 3.0):  # a GPT far better, then far worse than the table on every example
        g = np.where(np.isnan(gpt.heldout), np.nan, np.clip(kn.mean() + shift, 0.05, None))
        v = verdict(scoreboard(train, held, vocab, k, GptCosts(g, gpt.fit)))
        gap = kn[~seen].mean() - g[positions][~seen].mean()
        assert v.unseen_lead.ahead == ("gpt" if gap > 0 else "table")
        assert v.unseen_lead.bits == pytest.approx(abs(gap))
        assert v.unseen_fraction == pytest.approx(1 - seen.mean())
    v = verdict(b)
    assert v.mix_better == (b.mix.overall < min(b.gpt.overall, b.kn.overall) - 0.0005)
    level = verdict(scoreboard(train, held, vocab, k, GptCosts(np.where(np.isnan(gpt.heldout), np.nan, 0.0), gpt.fit)))
    assert level.overall_lead.ahead == "gpt"
