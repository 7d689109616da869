import math

import numpy as np
import pytest
import torch
from torch.nn import functional as F

from core.babygpt import chain
from core.babygpt.chain import (
    conditional_entropy_bits,
    empirical_counts,
    empirical_table,
    entropy_rate_bits,
    model_vs_data,
    stationary_distribution,
    transition_graph,
    transition_table,
    variable_length_graph,
    variable_length_table,
)
from core.babygpt.data import parse_digits
from core.babygpt.states import all_states
from core.model import GPTConfig, build_model


def H(p):
    return -sum(x * math.log2(x) for x in p if x > 0)


@pytest.mark.parametrize("V,k", [(2, 3), (3, 2), (2, 6)])
def test_batched_table_equals_direct_calls(V, k):
    m = build_model(GPTConfig(vocab_size=V, block_size=k), 3)
    table = transition_table(m)
    with torch.no_grad():
        for s, state in enumerate(all_states(V, k)):
            direct = F.softmax(m(torch.tensor(state)[None]), dim=-1)[0].double().numpy()
            assert np.allclose(table[s], direct, atol=1e-6), f"state {state}"


def test_variable_length_table_equals_direct_prefix_calls():
    m = build_model(GPTConfig(vocab_size=3, block_size=3), 11)
    states, probs = variable_length_table(m)
    assert len(states) == 3 + 9 + 27
    with torch.no_grad():
        for s, row in zip(states, probs, strict=True):
            direct = F.softmax(m(torch.tensor(s)[None]), dim=-1)[0].double().numpy()
            assert np.allclose(row, direct, atol=1e-6), f"prefix {s}"


def test_article_empirical_chain(article_sequence):
    counts = empirical_counts(article_sequence.tokens, 2, 3)
    by_hand = {0b011: [0, 2], 0b101: [0, 2], 0b110: [0, 2], 0b111: [3, 3]}
    for s in range(8):
        assert counts[s].tolist() == by_hand.get(s, [0, 0]), f"state {s:03b}"
    q = empirical_table(counts)
    assert np.isnan(q[0]).all() and q[7].tolist() == [0.5, 0.5]


def test_conditional_entropy_by_hand(article_sequence):
    expected = [12 / 14 * H([0.25, 0.75]), 9 / 13 * H([1 / 3, 2 / 3]), 6 / 12 * 1.0, 0.0]
    for k, e in zip(range(1, 5), expected, strict=True):
        got = conditional_entropy_bits(empirical_counts(article_sequence.tokens, 2, k))
        assert math.isclose(got, e, abs_tol=1e-12), f"k={k}"


def test_compare_tv_and_kl_by_hand():
    counts = np.array([[1, 3], [0, 0]])
    model = np.array([[0.5, 0.5], [0.9, 0.1]])
    c = model_vs_data(model, counts)
    assert math.isclose(c.total_variation[0], 0.25), "1/2 (|0.5-0.25| + |0.5-0.75|)"
    assert math.isclose(c.kl_bits[0], 0.25 * math.log2(0.5) + 0.75 * math.log2(1.5)), "sum q log2(q/p)"
    assert np.isnan(c.kl_bits[1]) and not c.seen[1], "a never-seen state has no divergence"
    assert c.data_probs[0].tolist() == [0.25, 0.75] and c.visits.tolist() == [4, 0]


def test_stationary_two_state_closed_form():
    a, b = 0.3, 0.6  # P(0 -> 1) = a, P(1 -> 0) = b
    P = np.array([[1 - a, a], [b, 1 - b]])
    pi = stationary_distribution(P)
    assert np.allclose(pi, [b / (a + b), a / (a + b)])
    h = b / (a + b) * H([a, 1 - a]) + a / (a + b) * H([b, 1 - b])
    assert math.isclose(entropy_rate_bits(P), h)


def test_stationary_power_iteration_matches_dense(monkeypatch):
    rng = np.random.default_rng(0)
    P = rng.dirichlet([1.0, 1.0, 1.0], size=27)  # V = 3, k = 3
    dense = stationary_distribution(P)
    monkeypatch.setattr(chain, "DENSE_STATIONARY_MAX", 0)
    iterated = stationary_distribution(P)
    assert np.allclose(dense, iterated, atol=1e-9)
    succ = np.array([[(s * 3) % 27 + t for t in range(3)] for s in range(27)])
    step = np.zeros(27)
    np.add.at(step, succ.ravel(), (dense[:, None] * P).ravel())
    assert np.allclose(step, dense, atol=1e-10), "pi P = pi"


def test_periodic_chain_stationary():
    """The deterministic cycle 01 -> 10 -> 01 (k=2) has pi = 1/2 on each of its states."""
    P = np.array([[0.5, 0.5], [1.0, 0.0], [0.0, 1.0], [0.5, 0.5]])  # 01 -0-> 10 -1-> 01
    pi = stationary_distribution(P)
    assert np.allclose(pi, [0, 0.5, 0.5, 0], atol=1e-9)


def test_article_graph(article_run, article_sequence):
    counts = empirical_counts(article_sequence.tokens, 2, 3)
    g = transition_graph(article_run.snapshots[50], 2, 3, counts=counts)
    assert g.number_of_nodes() == 8 and g.number_of_edges() == 16
    assert g.edges[5, 3]["label"] == "1 (79%)", "101 -> 011 labelled as in the notebook"
    assert g.edges[7, 7]["label"] == "1 (45%)" and g.edges[7, 6]["label"] == "0 (55%)"
    assert g.edges[0, 1]["label"] == "1 (73%)"
    assert [g.nodes[s]["seen"] for s in range(8)] == [False, False, False, True, False, True, True, True]


def test_variable_length_graph_has_14_nodes(article_run):
    states, probs = variable_length_table(article_run.model)
    g = variable_length_graph(states, probs, 3)
    assert g.number_of_nodes() == 14 and g.number_of_edges() == 28
    one = states.index((1,))
    assert {g.nodes[v]["label"] for v in g.successors(one)} == {"10", "11"}


def test_text_sequence_graph_labels():
    seq = parse_digits("0120", 3)
    P = np.full((9, 3), 1 / 3)
    g = transition_graph(P, 3, 2, itos=("x", "y", "z"), counts=empirical_counts(seq.tokens, 3, 2))
    assert g.nodes[5]["label"] == "yz" and g.edges[5, 7]["label"] == "y (33%)", "yz --y--> zy, index 2*3+1"
    assert [s for s in g.nodes if g.nodes[s]["seen"]] == [1, 5], "the data visits 01 (-> 2) and 12 (-> 0) only"


def test_power_iteration_on_a_periodic_chain(monkeypatch):
    """Append 1 after 00, else 0: every state of k = 11 drains into the 3-cycle of ...001001..., period 3.

    The iteration (past the dense solver's size) must still find pi = 1/3 on each cycle state.
    """
    V, k = 2, 11
    n = V**k
    P = np.zeros((n, V))
    ends_00 = (np.arange(n) & 3) == 0
    P[ends_00, 1] = 1.0
    P[~ends_00, 0] = 1.0
    cycle = [int(("001" * 4)[i : i + k], 2) for i in range(3)]
    monkeypatch.setattr(chain, "DENSE_STATIONARY_MAX", 0)
    pi = stationary_distribution(P)
    assert np.allclose(pi[cycle], 1 / 3, atol=1e-6), pi[cycle]
    assert pi.sum() == pytest.approx(1.0) and pi[cycle].sum() == pytest.approx(1.0, abs=1e-6), "nothing outside the cycle"
