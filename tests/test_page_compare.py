"""Compare's page models (`core.pages.compare`) against closed forms, direct trainings and plain loops; no web stack."""

import math

import numpy as np
import pytest

from core.babygpt.compare import (
    DEFAULT_MODEL,
    EqualBitsRow,
    context_sweep,
    equal_bits,
    model_config,
    side_by_side,
    text_to_bits,
)
from core.babygpt.limits import GRAPH_NODE_LIMIT
from core.babygpt.train import TrainConfig, train
from core.model import GPTConfig
from core.pages import compare as model

TC = TrainConfig(steps=5)


def H(p):
    return -sum(x * math.log2(x) for x in p if x > 0)


def tempered_by_hand(probs: np.ndarray, T: float) -> np.ndarray:
    """Each row p -> p^(1/T) / sum p^(1/T), by a plain loop."""
    out = np.empty_like(probs)
    for i, row in enumerate(probs):
        w = [p ** (1 / T) for p in row]
        out[i] = [x / sum(w) for x in w]
    return out


def test_the_requests_the_trainings_need():
    assert model.contexts(2, 5) == (2, 3, 4, 5) and model.contexts(3, 3) == (3,), "both ends included"
    assert model.seed_range(1337, 3) == (1337, 1338, 1339), "n seeds from the first"
    assert model.seeds_model(3, 4) == model_config(DEFAULT_MODEL, 3, 4) == GPTConfig(vocab_size=3, block_size=4), (
        "the seeds train the article's shape, as the sweep does"
    )


def test_sweep_states_both_ends_of_the_context_range(article_sequence):
    rows = context_sweep(article_sequence, (1, 2, 3, 4), TC)
    m = model.sweep_tab(article_sequence, TC, rows)
    assert (m.lo, m.hi, m.states, m.seen) == (1, 4, 16, 5), "k = 1..4: 2^4 states, 5 of them in the data"
    assert math.isclose(m.entropy_lo, 12 / 14 * H([0.25, 0.75])), "H(next | 1 token) of 111101111011110 by hand"
    assert m.entropy_hi == 0.0, "at k = 4 every seen state always continues the same way"
    for k, loss in ((1, m.loss_lo), (4, m.loss_hi)):
        direct = train(GPTConfig(block_size=k), TC, article_sequence.tokens)
        assert math.isclose(loss, direct.final_loss / math.log(2), rel_tol=1e-6), f"k = {k}: a direct training's loss"
    assert m.key == (article_sequence, (1, 2, 3, 4), TC), "the key is the sweep's inputs"


class Chain:  # an equal-bits row's chain: only its loss is read
    def __init__(self, loss):
        self.final_loss_bits = loss


def test_bits_names_the_reading_with_the_lowest_loss_per_bit_first_on_a_tie():
    rows = [EqualBitsRow(b, 64 // b, Chain(loss)) for b, loss in ((1, 0.9), (2, 1.6), (4, 3.2))]  # 0.9, 0.8, 0.8
    m = model.bits_tab((0, 1) * 32, 4, TC, rows)
    per_bit = [r.chain.final_loss_bits / r.bits_per_token for r in rows]
    assert (m.cheapest, m.cheapest_loss) == (2, min(per_bit)) == (2, 0.8), "b = 2 ties b = 4 at 0.8 and comes first"
    assert (m.states, m.n_bits, m.widths) == (16, 64, (1, 2, 4)), "2^B states each way, every bit counted"


def test_bits_draws_the_chosen_reading_at_the_graphs_temperature():
    bits = text_to_bits("hello markov chain")
    rows = equal_bits(bits, 8, [1, 2, 4], TC)
    m = model.bits_tab(bits, 8, TC, rows)
    best = min(rows, key=lambda r: r.loss_per_bit)
    assert m.cheapest == best.bits_per_token and m.states == 256 == rows[0].chain.states, "the same 256 states"
    d = model.bits_chain(m, rows, 2, 0.5)
    chain = rows[1].chain
    assert (d.vocab, d.context, d.states, d.itos) == (4, 4, 256, chain.itos), "b = 2: V = 4, k = 4"
    assert d.drawable and d.tempered and np.allclose(d.probs, tempered_by_hand(chain.probs, 0.5)), "drawn at T = 0.5"
    assert d.key == ("bits", bits, 8, 2, TC, 0.5), "the drawing's key names the stream, B, b, the training and T"
    visits = chain.counts.sum(axis=1)
    seen = sorted((s for s in range(256) if visits[s]), key=lambda s: (-visits[s], s))[:20]
    assert (d.focus.mode, d.focus.nodes) == ("seen", tuple(seen)), "past 32 states: the 20 most visited, in order"


def test_a_chain_past_the_graph_limit_is_not_drawn():
    V, k = 2, 9
    assert V**k > GRAPH_NODE_LIMIT
    d = model.drawn(("x",), np.full((V**k, V), 0.5), np.zeros((V**k, V)), ("0", "1"), k, 1.0)
    assert (d.drawable, d.probs, d.focus, d.states) == (False, None, None, 512), "512 states: a table, no graph"


@pytest.fixture(scope="module")
def two_seeds(article_sequence):
    return side_by_side(article_sequence, (3, 1337), (3, 5), 50)


def test_side_by_side_of_two_seeds_counts_the_states_whose_arrows_part(article_sequence, two_seeds):
    m = model.side_tab(article_sequence, (3, 1337), (3, 5), 50, two_seeds, 1.0)
    a, b = two_seeds.a.probs, two_seeds.b.probs
    parted = [s for s in range(8) if max(abs(b[s, t] - a[s, t]) for t in range(2)) > 0.1]
    assert m.same_context and list(np.flatnonzero(m.changed)) == parted, "states more than 10 points apart"
    assert m.n_changed == len(parted) == 1 and parted == [0b111], (
        "after 50 steps seeds 1337 and 5 part on the ambiguous 111 alone"
    )
    assert (m.short, m.long) == (3, 3)
    direct = train(GPTConfig(), TrainConfig(steps=50, seed=5), article_sequence.tokens)
    assert math.isclose(m.b.loss, direct.final_loss / math.log(2), rel_tol=1e-6), "B's loss is a direct training's"
    assert (m.a.name, m.a.seed, m.b.name, m.b.seed) == ("A", 1337, "B", 5)
    assert not m.a.chain.tempered and m.a.chain.probs is two_seeds.a.probs, "T = 1: the model's own arrows"
    assert m.a.chain.focus.nodes == tuple(range(8)), "8 states: the whole chain is drawn"


def test_side_by_side_of_two_contexts_names_the_shorter_and_the_longer(article_sequence):
    cmp = side_by_side(article_sequence, (4, 1337), (2, 1337), 5)
    m = model.side_tab(article_sequence, (4, 1337), (2, 1337), 5, cmp, 2.0)
    assert not m.same_context and m.changed is None and m.n_changed == 0, "two contexts: a refinement, no diff"
    assert (m.short, m.long) == (2, 4), "whichever side has it"
    assert (m.a.context, m.b.context, m.a.chain.states, m.b.chain.states) == (4, 2, 16, 4)
    assert np.allclose(m.b.chain.probs, tempered_by_hand(cmp.b.probs, 2.0)), "B drawn at T = 2"
    assert m.a.chain.key == ("side", article_sequence, (4, 1337), (2, 1337), 5, "A", 2.0), "the drawing's key"


def test_seeds_find_the_widest_arrow_to_the_last_token_by_a_plain_loop(article_sequence):
    rng = np.random.default_rng(7)
    tables = rng.dirichlet([1, 1], size=(5, 8))  # 5 seeds, 8 states, V = 2
    mc = model.seeds_model(2, 3)
    m = model.seeds_tab(article_sequence, mc, TC, (10, 11, 12, 13, 14), tables)
    spreads = [max(tables[:, s, 1]) - min(tables[:, s, 1]) for s in range(8)]
    s = spreads.index(max(spreads))
    assert m.token == 1, "the arrow to the vocabulary's last token"
    assert (m.widest.state, m.widest.low, m.widest.high) == (s, min(tables[:, s, 1]), max(tables[:, s, 1]))
    assert np.array_equal(m.summary.first, tables[0, :, 1]), "the first seed's arrows"
    assert (m.context, m.seeds, m.boxes) == (3, (10, 11, 12, 13, 14), True)
    assert m.key == (article_sequence, mc, TC, (10, 11, 12, 13, 14))


@pytest.mark.parametrize("k,boxes", [(6, True), (7, False)])
def test_seed_boxes_are_drawn_up_to_64_states(article_sequence, k, boxes):
    tables = np.full((2, 2**k, 2), 0.5)
    m = model.seeds_tab(article_sequence, model.seeds_model(2, k), TC, (0, 1), tables)
    assert m.boxes is boxes, f"2^{k} = {2**k} states"


def test_a_graph_draws_up_to_32_states_whole_and_past_that_the_seen_ones():
    from core.babygpt import focus

    for k, mode in ((5, "all"), (6, "seen")):
        counts = np.zeros((2**k, 2))
        counts[[3, 9, 17], 1] = [1, 4, 2]
        chosen = focus.default(np.full((2**k, 2), 0.5), counts, 2, k)
        assert (chosen.mode, chosen.total) == (mode, 2**k), f"2^{k} = {2**k} states"
    assert chosen.nodes == (9, 17, 3), "the seen states, most visited first"
    assert focus.first_seen(counts) == 3 and focus.first_seen(np.zeros((4, 2))) == 0, "the around view's centre"


def test_the_nearest_rule_is_the_one_nearest_for_the_most_states_first_in_order_on_a_tie():
    from core.babygpt.explain import RULES
    from core.pages.rules import nearest

    assert nearest(dict.fromkeys(RULES, 0)) is None, "no state weighed: no nearest rule"
    counts = {"uniform": 1, "overall": 3, "suffix": 0, "kneser_ney": 2}
    assert nearest(counts) == ("overall", 3, 6)
    tie = {"uniform": 0, "overall": 2, "suffix": 2, "kneser_ney": 1}
    assert nearest(tie).rule == RULES[min(RULES.index("overall"), RULES.index("suffix"))], "a tie: the first in RULES"


def test_the_sweep_says_falls_rises_or_stays_as_the_numbers_show_them():
    from core.pages.compare import moves

    assert moves(0.6954, 0.6357) == "falls" and moves(0.75, 0.76) == "rises", "by the values, not by assumption"
    assert moves(0.75001, 0.74999) == "stays", "equal at the three decimals shown: neither falls nor rises"
