"""The overview's page model (`core.pages.overview`) against the trained table read directly, the article's
published numbers and hand counts of its sequence; no web stack."""

import math

import numpy as np
import pytest

from core.babygpt.explain import explain, rule_states, rules, summarise
from core.babygpt.states import all_states
from core.model import GPTConfig
from core.pages.overview import GPT4, overview, snapshot_steps, source
from core.text.ngram import kneser_ney_rows

MC = GPTConfig()


@pytest.fixture(scope="module")
def unseen(article_sequence, article_run):
    """The never-seen states' summary of the last table, weighed as the app weighs it."""
    seq, last = article_sequence, article_run.snapshots[50]
    e = explain(seq.tokens, seq.vocab, 3, last)
    states = all_states(seq.vocab, 3)
    kn = kneser_ney_rows(np.asarray(seq.tokens), seq.vocab, 3, [states[int(s)] for s in rule_states(e)])
    return summarise(rules(e, seq.tokens, kn), len(e.never_seen))


def tempered_by_hand(p: float, T: float) -> float:
    """Two arrows p and 1 - p with their logits divided by T."""
    a, b = p ** (1 / T), (1 - p) ** (1 / T)
    return a / (a + b)


@pytest.mark.parametrize("step,T", [(50, 1.0), (0, 1.0), (20, 0.5), (50, 2.0)])
def test_quoted_arrows_are_the_trained_table_at_the_step_and_temperature(article_sequence, article_run, unseen, step, T):
    m = overview(article_sequence, MC, article_run, step, T, unseen)
    table = article_run.snapshots[step]
    expected = {
        "101": (tempered_by_hand(table[0b101, 1], T),),
        "111": (tempered_by_hand(table[0b111, 1], T), tempered_by_hand(table[0b111, 0], T)),
        "000": (tempered_by_hand(table[0b000, 1], T),),
    }
    got = {q.name: q.model for q in m.quotes}
    assert list(got) == ["101", "111", "000"], f"the article's order: {list(got)}"
    for name, values in expected.items():
        assert np.allclose(got[name], values, atol=1e-9), f"{name} at step {step}, T = {T}: {got[name]} vs {values}"
    assert np.allclose(m.probs[:, 1], [tempered_by_hand(p, T) for p in table[:, 1]]), "the drawn table is tempered too"
    assert m.key == source(step, T) == ("article", step, T), "the key names the training, the step and T"
    assert m.tempered == (T != 1.0), "a tempered table is said under the numbers"


def test_at_the_last_step_the_numbers_read_as_the_article_publishes(article_sequence, article_run, unseen):
    m = overview(article_sequence, MC, article_run, 50, 1.0, unseen)
    pct = lambda ps: [f"{p:.0%}" for p in ps]
    assert [pct(q.article) for q in m.quotes] == [["79%"], ["45%", "55%"], ["73%"]], "the article's figures"
    assert [pct(q.model) for q in m.quotes] == [pct(q.article) for q in m.quotes], "the trained table rounds to them"


def test_training_moves_101_and_the_unseen_arrow_is_the_last_tables_whatever_the_slider(article_sequence, article_run, unseen):
    m = overview(article_sequence, MC, article_run, 10, 3.0, unseen)
    snaps = article_run.snapshots
    assert m.trained == (snaps[0][0b101, 1], snaps[50][0b101, 1]), "init and last step, untempered"
    assert f"{m.trained[0]:.0%} -> {m.trained[1]:.0%}" == "55% -> 79%", "as the page says: 55% to 79% in 50 steps"
    assert m.unseen == snaps[50][0b000, 1], "000 -> 001 after training, untempered"
    assert (m.step, m.last) == (10, 50) and snapshot_steps(article_run) == tuple(range(51))


def test_the_never_seen_arrow_sits_beside_the_datas_own_rate(article_sequence, article_run, unseen):
    m = overview(article_sequence, MC, article_run, 50, 1.0, unseen)
    targets = "111101111011110"[3:]  # the next token of each of the 12 examples
    assert (m.unseen_symbol, m.data_rate) == ("1", targets.count("1") / len(targets)) == ("1", 0.75), "9 of 12"


def test_chain_size_losses_walk_and_gpt4_by_hand(article_sequence, article_run, unseen):
    m = overview(article_sequence, MC, article_run, 50, 1.0, unseen)
    assert (m.vocab, m.context, m.states) == (2, 3, 8), "V = 2, k = 3: 2^3 states"
    assert m.params == 12_656 and abs(m.first_bits - 0.6635 / math.log(2)) < 1e-4, "0.6635 nats at initialization"
    assert f"{m.first_bits:.4f} -> {m.final_bits:.4f}" == "0.9573 -> 0.6737", "the loss the page states, in bits"
    assert m.walk == (0, 60, (1, 1, 1)), "the walk starts in the sequence's first state, 111"
    assert m.gpt4_exponent == math.floor(GPT4.context * math.log10(GPT4.vocab)) == 163_879, "V^k = 10^(k log10 V)"


def test_another_shape_is_refused(article_sequence, article_run, unseen):
    with pytest.raises(AssertionError, match="k = 4"):
        overview(article_sequence, GPTConfig(block_size=4), article_run, 50, 1.0, unseen)
