"""Never-seen states: the data's suffix counts against hand counts, the agreement against a direct model call,
the attention weights against a recomputation from the modules' own weights."""

import math

import numpy as np
import pytest
import torch
from torch.nn import functional as F

from core.babygpt.data import ARTICLE_SEQUENCE, parse_digits
from core.babygpt.explain import agreement_over_seeds, attention, explain, explain_json, gap_from_even, newest_share
from core.babygpt.states import state_index
from core.babygpt.train import TrainConfig, train
from core.model import GPTConfig, build_model

ARTICLE = parse_digits(ARTICLE_SEQUENCE, 2).tokens

# By hand, positions 1..15 of 1 1 1 1 0 1 1 1 1 0 1 1 1 1 0 (a count needs a next token, so position 15 counts for nothing):
#   "0" at 5, 10, 15 -> followed by 1, 1: (0, 2).           "00" never occurs.
#   "01" at 5-6, 10-11 -> 1, 1: (0, 2).                      "10" at 4-5, 9-10, 14-15 -> 1, 1: (0, 2).
#   "1" at 1,2,3,4,6,7,8,9,11,12,13,14 -> 1,1,1,0,1,1,1,0,1,1,1,0: (3, 9).
#   "11" at 1-2,2-3,3-4,6-7,7-8,8-9,11-12,12-13,13-14 -> 1,1,0,1,1,0,1,1,0: (3, 6).
#   full states: 111 at 1,2,6,7,11,12 -> 1,0,1,0,1,0: (3, 3); 110 at 3, 8 (13 ends the data): (0, 2);
#   101 at 4, 9: (0, 2); 011 at 5, 10: (0, 2); 000, 001, 010, 100 never: 12 examples in all.
HAND = {
    "0": (0, 2),
    "1": (3, 9),
    "00": (0, 0),
    "01": (0, 2),
    "10": (0, 2),
    "11": (3, 6),
    "000": (0, 0),
    "001": (0, 0),
    "010": (0, 0),
    "011": (0, 2),
    "100": (0, 0),
    "101": (0, 2),
    "110": (0, 2),
    "111": (3, 3),
}
LONGEST = {"000": "0", "001": "01", "010": "10", "100": "0", "011": "011", "101": "101", "110": "110", "111": "111"}


@pytest.fixture(scope="module")
def article():
    """The article's trained model and its final table."""
    r = train(GPTConfig(), TrainConfig(), ARTICLE, snapshots=[50])
    return r.model, r.snapshots[50]


def test_suffix_counts_are_the_hand_counts():
    e = explain(ARTICLE, 2, 3, np.full((8, 2), 0.5))
    for state in ("000", "001", "010", "011", "100", "101", "110", "111"):
        s = int(state, 2)
        for j in (1, 2, 3):
            suffix = state[3 - j :]
            assert tuple(e.counts(s, j)) == HAND[suffix], f"{state}: after its last {j} tokens {suffix}"
    assert sum(sum(HAND[s]) for s in HAND if len(s) == 3) == 12, "the hand table holds the 12 examples"


def test_the_article_state_000_backs_off_to_0_seen_twice_followed_by_1():
    e = explain(ARTICLE, 2, 3, np.full((8, 2), 0.5))
    assert list(e.never_seen) == [0, 1, 2, 4], "000, 001, 010 and 100 never occur"
    rows = {r["state"]: r for r in explain_json(e)["states"]}
    assert {s: r["suffix"] for s, r in rows.items()} == LONGEST
    assert rows["000"]["suffix_counts"] == [0, 2] and rows["000"]["seen"] is False
    assert all(rows[s]["suffix_counts"] == list(HAND[LONGEST[s]]) for s in rows)


def test_agreement_against_a_direct_model_call(article):
    model, probs = article
    e = explain(ARTICLE, 2, 3, probs)
    never = ["000", "001", "010", "100"]
    with torch.no_grad():
        direct = F.softmax(model(torch.tensor([[int(c) for c in s] for s in never])).double(), dim=-1).numpy()
    data_choice = [int(np.argmax(HAND[LONGEST[s]])) for s in never]  # 1 for all four: no tie among them
    expect = [int(np.argmax(p)) == d for p, d in zip(direct, data_choice, strict=True)]
    got = [bool(e.agree[int(s, 2)]) for s in never]
    assert got == expect, (got, expect)
    assert abs(direct[0, 1] - 0.73) < 0.005 and abs(e.probs[0, 1] - direct[0, 1]) < 1e-5, "000 -> 001 at 73%"
    assert e.with_suffix == 4 and e.agreeing == sum(expect) and e.agree_fraction == sum(expect) / 4
    assert e.agree_overall == sum(int(np.argmax(p)) == 1 for p in direct), "1 is the data's commonest token (11 of 15)"


def test_ties_and_states_with_no_seen_suffix():
    # 1 1 0 0 with k = 2: 11 -> 0, 10 -> 0 seen; 00 backs off to "0" (once -> 0); 01 to "1" (-> 1 once, -> 0 once): a tie
    probs = np.array([[0.9, 0.1], [0.2, 0.8], [0.6, 0.4], [0.7, 0.3]])
    e = explain((1, 1, 0, 0), 2, 2, probs)
    assert list(e.never_seen) == [0, 1] and list(e.longest) == [1, 1, 2, 2]
    assert bool(e.agree[0]) and not e.agree[1] and bool(e.tie[1]) and e.data_choice[1] == -1
    assert (e.with_suffix, e.agreeing, e.ties, e.agree_fraction) == (2, 1, 1, 0.5), "a tie counts as not agreeing"
    assert e.overall_choice == -1 and e.agree_overall == 0, "two 0s and two 1s: no commonest token"
    # V = 3 on 0 1 0 1: nothing ever follows a 2, so a state ending in 2 has no seen suffix at all
    e = explain((0, 1, 0, 1), 3, 2, np.full((9, 3), 1 / 3))
    ends_in_2 = [state_index(s, 3) for s in ((0, 2), (1, 2), (2, 2))]
    assert all(e.longest[s] == 0 for s in ends_in_2)
    rows = explain_json(e)["states"]
    assert all(rows[s]["suffix"] == "" and rows[s]["suffix_counts"] is None and rows[s]["agree"] is None for s in ends_in_2)
    assert e.with_suffix == len(e.never_seen) - 3


def test_agreement_over_seeds_is_explain_per_table():
    probs_a = np.tile([0.2, 0.8], (8, 1))  # every arrow to 1: the suffixes' choice on all four never-seen states
    probs_b = probs_a.copy()
    probs_b[[0, 2]] = [0.7, 0.3]  # 000 and 010 now go to 0
    rows = agreement_over_seeds(np.stack([probs_a, probs_b]), (5, 6), ARTICLE, 2, 3)
    assert [(r.seed, r.never_seen, r.with_suffix, r.agreeing, r.agree_fraction) for r in rows] == [
        (5, 4, 4, 4, 1.0),
        (6, 4, 4, 2, 0.5),
    ]


def test_a_table_of_the_wrong_shape_is_refused():
    with pytest.raises(ValueError, match="shape"):
        explain(ARTICLE, 2, 3, np.full((4, 2), 0.5))


def _by_hand(model, idx: torch.Tensor) -> list[torch.Tensor]:
    """Each layer's attention weights from its own c_attn weight and plain math, the blocks run as they are."""
    C, nh = model.config.n_embd, model.config.n_head
    hs = C // nh
    T = idx.size(1)
    x = model.transformer.wte(idx) + model.transformer.wpe(torch.arange(T))
    out = []
    for block in model.transformer.h:
        h = block.ln_1(x)
        Wq, Wk, _ = block.attn.c_attn.weight.split(C, dim=0)
        q, k = h @ Wq.T, h @ Wk.T  # (B, T, C)
        layer = []
        for head in range(nh):
            qh, kh = q[..., head * hs : (head + 1) * hs], k[..., head * hs : (head + 1) * hs]
            scores = qh @ kh.transpose(-1, -2) / math.sqrt(hs)  # (B, T, T)
            scores = scores.masked_fill(torch.triu(torch.ones(T, T, dtype=torch.bool), 1), float("-inf"))
            layer.append(torch.softmax(scores, dim=-1))
        out.append(torch.stack(layer, dim=1))  # (B, nh, T, T)
        x = block(x)
    return out


@pytest.mark.parametrize("cfg", [GPTConfig(), GPTConfig(vocab_size=3, block_size=5, n_layer=2, n_head=2, n_embd=8, bias=True)])
def test_attention_weights_are_causal_rows_that_match_a_recomputation(cfg):
    model = build_model(cfg, 7)
    g = torch.Generator().manual_seed(0)
    idx = torch.randint(0, cfg.vocab_size, (4, cfg.block_size), generator=g)
    logits, w = model.forward_with_attention(idx)
    with torch.no_grad():
        assert torch.equal(logits, model(idx)), "the same pass as forward: the same numbers"
        hand = _by_hand(model, idx)
    k = cfg.block_size
    assert w.shape == (cfg.n_layer, 4, cfg.n_head, k, k)
    assert torch.allclose(w.sum(-1), torch.ones(()), atol=1e-6), "each row sums to 1"
    assert torch.all(w[..., torch.triu(torch.ones(k, k, dtype=torch.bool), 1)] == 0), "no position reads ahead"
    for layer in range(cfg.n_layer):
        assert torch.allclose(w[layer], hand[layer], atol=1e-6), f"layer {layer} against the recomputation"


def test_attention_of_one_state_and_its_newest_share(article):
    model, _ = article
    w = attention(model, (0, 0, 0))
    assert w.shape == (4, 4, 3, 3)
    _, full = model.forward_with_attention(torch.tensor([[0, 0, 0]]))
    assert np.allclose(w, full[:, 0].numpy())
    assert newest_share(w) == pytest.approx(float(np.mean([w[i, h, 2, 2] for i in range(4) for h in range(4)])))
    with pytest.raises(ValueError, match="3 tokens"):
        attention(model, (0, 2, 0))


def test_gap_from_even_is_the_largest_distance_from_an_even_spread():
    k = 3
    even = np.tril(np.ones((k, k))) / np.array([[1], [2], [3]])
    assert gap_from_even(np.stack([np.stack([even, even])])) == pytest.approx(0.0)
    sharp = even.copy()
    sharp[2] = [0.0, 0.1, 0.9]  # the last position reads mostly itself: 0.9 - 1/3 away from even
    assert gap_from_even(np.stack([np.stack([even, sharp])])) == pytest.approx(0.9 - 1 / 3)


# --- the simple rules beside the GPT ---------------------------------------------------------------------------


def test_rules_on_the_article_against_hand_numbers(article):
    """9 of the 12 examples continue with 1 (75%); each never-seen state's longest seen ending is always followed
    by 1; the GPT's 73-78% is nearest the 75% for all four (total variation, hand-computed for V = 2 as |p1 - q1|)."""
    from core.babygpt.explain import rules, summarise

    _, probs = article
    e = explain(ARTICLE, 2, 3, probs)
    r = rules(e, ARTICLE)
    assert r.targets.tolist() == [3, 9]
    assert [int(s) for s in r.states] == [0b000, 0b001, 0b010, 0b100]
    assert np.allclose(r.said["overall"], [0.25, 0.75]) and np.allclose(r.said["uniform"], 0.5)
    assert np.allclose(r.said["suffix"], [0.0, 1.0]), "0, 01, 10, 0: each followed by 1 twice"
    assert np.isnan(r.said["kneser_ney"]).all(), "nothing to say when the caller gives no count table"
    for i, s in enumerate(r.states):
        p1 = probs[s, 1]
        assert math.isclose(r.distance["overall"][i], abs(p1 - 0.75), abs_tol=1e-12)
        assert math.isclose(r.distance["suffix"][i], 1 - p1, abs_tol=1e-12)
    assert r.closest == ("overall",) * 4
    lead = summarise(r, len(e.never_seen))
    assert lead.token == 1 and (lead.count, lead.examples) == (9, 12) and lead.nearest == "overall"
    assert round(lead.low, 2) == 0.73 and round(lead.high, 2) == 0.78, (lead.low, lead.high)


def test_the_nearest_rule_follows_the_arrows_not_the_training():
    """A hand-made table: arrows copying each rule in turn are nearest that rule."""
    from core.babygpt.explain import rules

    probs = np.tile([0.5, 0.5], (8, 1))
    probs[0b000] = [0.25, 0.75]  # the targets' rate
    probs[0b001] = [0.0, 1.0]  # the ending 01's counts
    kn = np.array([[0.9, 0.1], [0.9, 0.1], [0.1, 0.9], [0.5, 0.5]])  # a made-up back-off: 010 copies it
    probs[0b010] = [0.1, 0.9]
    r = rules(explain(ARTICLE, 2, 3, probs), ARTICLE, kn)
    assert r.closest == ("overall", "suffix", "kneser_ney", "uniform")
    assert r.closest_counts == {"uniform": 1, "overall": 1, "suffix": 1, "kneser_ney": 1}


def test_kneser_ney_rows_are_the_count_tables_single_predictions():
    from core.text.ngram import example_costs, kneser_ney_rows

    contexts = [(0, 0, 0), (0, 0, 1), (0, 1, 0), (1, 0, 0), (1, 1, 1)]
    rows = kneser_ney_rows(np.array(ARTICLE), 2, 3, contexts)
    assert np.allclose(rows.sum(axis=1), 1)
    for c, row in zip(contexts, rows, strict=True):
        direct = [2 ** -example_costs(np.array(ARTICLE), [*c, w], 2, 3)[0][0] for w in (0, 1)]
        assert np.allclose(row, direct)


def test_the_disagreeing_preset_disagrees():
    """Its examples favour 1, the longest seen ending of every never-seen state favours 0: measured, not assumed."""
    from core.babygpt.explain import DISAGREEING

    seq = tuple(int(c) for c in DISAGREEING)
    e = explain(seq, 2, 3, np.full((8, 2), 0.5))
    targets = np.bincount(seq[3:], minlength=2)
    assert targets[1] > targets[0] and len(e.never_seen) >= 2
    assert all(e.data_choice[s] == 0 for s in e.never_seen)


def test_agreement_over_seeds_names_the_nearest_rule():
    probs = np.tile([0.25, 0.75], (8, 1))
    rows = agreement_over_seeds(np.stack([probs, np.tile([0.0, 1.0], (8, 1))]), (1, 2), ARTICLE, 2, 3)
    assert rows[0].closest["overall"] == 4 and rows[1].closest["suffix"] == 4
