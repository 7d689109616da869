import math

import numpy as np
import pytest

from core.babygpt.compare import bits_to_tokens, context_sweep, equal_bits, parse_range, seed_spread, text_to_bits
from core.babygpt.train import TrainConfig, train
from core.model import GPTConfig


def H(p):
    return -sum(x * math.log2(x) for x in p if x > 0)


@pytest.mark.slow
def test_context_sweep_on_article(article_sequence):
    rows = context_sweep(article_sequence, range(1, 5), TrainConfig())
    assert [r.states for r in rows] == [2**k for k in range(1, 5)], "V^k by closed form"
    assert [r.observed_states for r in rows] == [2, 3, 4, 5], "1,0 | 11,10,01 | 111,110,101,011 | +0111"
    expected = [12 / 14 * H([0.25, 0.75]), 9 / 13 * H([1 / 3, 2 / 3]), 0.5, 0.0]
    assert np.allclose([r.conditional_entropy_bits for r in rows], expected), "H(next | k tokens) by hand"
    k3 = rows[2]
    direct = train(GPTConfig(), TrainConfig(), article_sequence.tokens)
    assert math.isclose(k3.final_loss_bits, direct.final_loss / math.log(2), rel_tol=1e-6), "k=3 row is the article's model"
    assert np.allclose(k3.probs, direct.snapshots[50]), "the k=3 row's chain is the article's"


def test_bits_to_tokens_reads_big_endian_groups():
    rng = np.random.default_rng(0)
    bits = tuple(int(x) for x in rng.integers(0, 2, 60))
    for b in (1, 2, 3, 4, 5, 6):
        tokens = bits_to_tokens(bits, b)
        assert len(tokens) == 60 // b, "a ragged tail is dropped"
        rebuilt = tuple(int(c) for t in tokens for c in format(t, f"0{b}b"))
        assert rebuilt == bits[: len(bits) // b * b], f"b={b}: the tokens spell the bits back"
    assert bits_to_tokens((1, 0, 1, 1), 2) == (2, 3)


def test_text_to_bits_is_utf8_msb_first():
    assert text_to_bits("A") == (0, 1, 0, 0, 0, 0, 0, 1), "0x41"
    assert len(text_to_bits("é")) == 16, "two UTF-8 bytes"


def test_equal_bits_same_state_count():
    bits = tuple(int(c) for c in "110100111010" * 6)
    rows = equal_bits(bits, 4, [1, 2, 4], TrainConfig(steps=5))
    assert [r.chain.states for r in rows] == [16, 16, 16], "2^B states for every b"
    assert [(r.chain.vocab, r.chain.context) for r in rows] == [(2, 4), (4, 2), (16, 1)]
    for r in rows:
        tokens = bits_to_tokens(bits, r.bits_per_token)
        k = r.chain.context
        windows = {tokens[i : i + k] for i in range(len(tokens) - k)}
        assert r.chain.observed_states == len(windows), f"b={r.bits_per_token}: observed states are the distinct windows"
    with pytest.raises(ValueError, match="cannot be split"):
        equal_bits(bits, 4, [3])


def test_seed_spread_first_seed_is_article(article_sequence):
    tables = seed_spread(article_sequence, GPTConfig(), TrainConfig(), [1337, 1, 2])
    assert tables.shape == (3, 8, 2), "(seeds, V^k states, V)"
    assert abs(tables[0, 5, 1] - 0.79) < 0.005, "seed 1337 gives the article's 79% for 101 -> 011"
    assert tables[:, 0, 1].std() > 0.01, "seeds give visibly different arrows"


@pytest.mark.parametrize("text", ["0-3", "4-2", "x", "1-99"])
def test_bad_ranges_are_refused(text):
    with pytest.raises(ValueError):
        parse_range(text)


def test_a_range_reads_both_ends():
    assert parse_range("1-4") == (1, 4) and parse_range("3") == (3, 3), "'lo-hi', or one context alone"


def test_batched_seeds_match_one_at_a_time(article_sequence):
    """Training seeds together gives each seed's own numbers (to 1e-4), losses included."""
    from core.babygpt.batched import train_seeds

    seeds = [1337, 5, 6]
    tables, losses = train_seeds(GPTConfig(), TrainConfig(steps=30), article_sequence.tokens, seeds)
    for i, s in enumerate(seeds):
        alone = train(GPTConfig(), TrainConfig(steps=30, seed=s), article_sequence.tokens)
        assert np.allclose(tables[i], alone.snapshots[30], atol=1e-4), f"seed {s}"
        assert np.allclose(losses[i], alone.losses, atol=1e-5), f"seed {s} losses"
    assert abs(losses[0][0] - 0.6635) < 5e-5, "the article's initial loss, 0.6635 nats"


def test_refinement_range_by_hand():
    from core.babygpt.compare import refinement_range

    # k=2 table over 00, 01, 10, 11; the k=1 states 0 and 1 collect {00, 10} and {01, 11}
    p_long = np.array([[0.9, 0.1], [0.2, 0.8], [0.5, 0.5], [0.4, 0.6]])
    lo, hi = refinement_range(p_long, 2, 1)
    assert np.allclose(lo, [[0.5, 0.1], [0.2, 0.6]]), "per k=1 state, the lowest arrow of the k=2 states ending with it"
    assert np.allclose(hi, [[0.9, 0.5], [0.4, 0.8]]), "and the highest"


@pytest.mark.parametrize(
    "bits,message",
    [((), "type some text"), ((0, 1, 2), "only 0s and 1s"), ((1,) * 4_001, "4,000 bits")],
)
def test_equal_bits_refuses_bad_streams(bits, message):
    with pytest.raises(ValueError, match=message):
        equal_bits(bits, 4, [1, 2])


def test_sweep_trains_exactly_the_requested_contexts(article_sequence):
    rows = context_sweep(article_sequence, [2, 3], TrainConfig(steps=2))
    assert [r.context for r in rows] == [2, 3] and [r.states for r in rows] == [4, 8], "one row per requested k"
    with pytest.raises(ValueError, match="within 1..8"):
        context_sweep(article_sequence, [0, 9], TrainConfig(steps=2))


def test_the_widest_seed_spread_and_the_cheapest_reading_against_plain_loops():
    from core.babygpt.compare import EqualBitsRow, cheapest_per_bit, seed_summary, widest

    rng = np.random.default_rng(3)
    tables_ = rng.dirichlet([1, 1], size=(5, 8))  # 5 seeds, 8 states, V = 2
    w = widest(seed_summary(tables_, 1))
    spreads = [max(tables_[:, s, 1]) - min(tables_[:, s, 1]) for s in range(8)]
    best = spreads.index(max(spreads))
    assert (w.state, w.low, w.high) == (best, min(tables_[:, best, 1]), max(tables_[:, best, 1])), "the widest spread"

    class Chain:  # only the loss is read
        def __init__(self, loss):
            self.final_loss_bits = loss

    rows = [EqualBitsRow(b, 8 // b, Chain(loss)) for b, loss in ((1, 0.9), (2, 1.5), (4, 3.2))]
    assert cheapest_per_bit(rows).bits_per_token == 2, "1.5 / 2 = 0.75 bits per bit, below 0.9 and 0.8"


def test_a_refinement_names_its_longer_side_whichever_side_it_is():
    from core.babygpt.compare import side_by_side
    from core.babygpt.data import ARTICLE_SEQUENCE, parse_digits

    seq = parse_digits(ARTICLE_SEQUENCE, 2)
    for a, b in (((3, 0), (1, 0)), ((1, 0), (3, 0))):
        r = side_by_side(seq, a, b, steps=2)
        assert (r.short.context, r.long.context) == (1, 3), (a, b)
