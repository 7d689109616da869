"""Temperature and mixing time against closed forms, a direct model call and hand-built chains."""

import math

import numpy as np
import pytest
import torch

from core.babygpt.chain import stationary_distribution, transition_table
from core.babygpt.data import ARTICLE_SEQUENCE, parse_digits
from core.babygpt.mixing import Mixing, mixing_time, tempered, transition_matrix
from core.babygpt.train import TrainConfig, train
from core.errors import ConfigError
from core.model import GPTConfig, build_model


def test_tempered_is_p_to_the_one_over_t_renormalised():
    p = np.array([[0.2, 0.8], [0.5, 0.5], [0.999, 0.001]])
    for T in (0.25, 0.5, 2.0, 5.0):
        by_hand = p ** (1 / T) / (p ** (1 / T)).sum(axis=1, keepdims=True)
        assert np.allclose(tempered(p, T), by_hand, atol=1e-14), T
    assert tempered(p, 1.0) is p, "T = 1 leaves the table as it is"
    assert np.allclose(tempered(p, 0.01)[0], [0, 1], atol=1e-12), "T -> 0: the likeliest arrow"
    for bad in (0.0, -1.0, 5.01, math.nan):
        with pytest.raises(ConfigError):
            tempered(p, bad)


def test_tempered_equals_a_forward_with_divided_logits():
    model = build_model(GPTConfig(), 1337)
    probs = transition_table(model)
    states = torch.tensor([[(s >> 2) & 1, (s >> 1) & 1, s & 1] for s in range(8)])
    with torch.no_grad():
        logits = model(states).double()
    for T in (0.3, 2.5):
        direct = torch.softmax(logits / T, dim=-1).numpy()
        assert np.allclose(tempered(probs, T), direct, atol=1e-6), T


def test_two_state_mixing_time_matches_the_closed_form():
    # P = [[1-a, a], [b, 1-b]]: pi = (b, a) / (a + b), d(t) = max(pi) |1 - a - b|^t
    for a, b in ((0.1, 0.2), (0.05, 0.02), (0.3, 0.6), (0.01, 0.5)):
        P = np.array([[1 - a, a], [b, 1 - b]])
        pi = np.array([b, a]) / (a + b)
        lam = abs(1 - a - b)
        expected = max(0, math.ceil(math.log(0.25 / pi.max()) / math.log(lam)))
        assert mixing_time(P, pi) == Mixing(expected, "mixes"), (a, b)
        assert np.allclose(transition_matrix(P), P), "a table of V = 2, k = 1 is its own matrix"


def test_periodic_and_reducible_chains_do_not_mix():
    flip = np.array([[0.0, 1.0], [1.0, 0.0]])
    assert mixing_time(flip, np.array([0.5, 0.5])) == Mixing(None, "periodic")
    stuck = np.array([[1.0, 0.0], [0.5, 0.5]])
    assert mixing_time(stuck, np.array([1.0, 0.0])) == Mixing(None, "reducible")


def test_hotter_chains_mix_faster_on_the_article_model():
    seq = parse_digits(ARTICLE_SEQUENCE, 2)
    probs = train(GPTConfig(), TrainConfig(), seq.tokens).snapshots[50]
    times = []
    for T in (0.2, 1.0, 3.0):
        q = tempered(probs, T)
        m = mixing_time(transition_matrix(q), stationary_distribution(q))
        times.append(m.steps)
    assert times[0] > times[1] >= times[2], times


def run_cli(*argv):
    import contextlib
    import io
    import json

    from core.cli.main import main

    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(list(argv))
    return code, (json.loads(out.getvalue()) if code == 0 else None), err.getvalue()


def test_chain_command_prints_the_tempered_chain_of_the_trained_model():
    code, at_one, _ = run_cli("chain", "--json")
    assert code == 0 and at_one["temperature"] == 1.0 and at_one["step"] == 50
    _, trained, _ = run_cli("train", "--json")
    assert at_one["probs"] == trained["probs"], "T = 1: the trained table itself"
    assert round(at_one["probs"][0b101][1], 2) == 0.79 and round(at_one["probs"][0b000][1], 2) == 0.73, "the article's arrows"
    code, hot, _ = run_cli("chain", "--json", "--temperature", "2", "--step", "10")
    assert code == 0 and hot["step"] == 10
    _, early, _ = run_cli("train", "--json", "--steps", "10")
    p = np.array(early["probs"])
    assert np.allclose(hot["probs"], np.sqrt(p) / np.sqrt(p).sum(axis=1, keepdims=True), atol=1e-12), "p^(1/2) renormalised"
    P = np.array(hot["probs"])
    pi = np.array(hot["stationary"])
    assert np.allclose(pi @ transition_matrix(P), pi, atol=1e-10) and abs(pi.sum() - 1) < 1e-12
    h = -(P * np.log2(P)).sum(axis=1)
    assert hot["entropy_rate_bits"] == pytest.approx(float(pi @ h), abs=1e-12)
    assert hot["mixing_steps"] == mixing_time(transition_matrix(P), pi).steps


@pytest.mark.parametrize("argv", [("--temperature", "0"), ("--temperature", "6"), ("--step", "51"), ("--step", "-1")])
def test_chain_command_refuses_bad_arguments_in_one_line(argv):
    code, _, err = run_cli("chain", *argv)
    assert code == 2 and err.count("\n") == 1 and err.startswith("error: "), err


def test_no_temperature_curve_past_its_state_limit():
    """Each point of the curve is a long run: past SWEEP_STATE_LIMIT states there is none (the page says so)."""
    import numpy as np

    from core.babygpt.limits import SWEEP_STATE_LIMIT
    from core.babygpt.mixing import temperature_sweep

    assert temperature_sweep(np.full((SWEEP_STATE_LIMIT * 2, 2), 0.5)) is None
    assert len(temperature_sweep(np.full((8, 2), 0.5), temperatures=(0.5, 1.0))) == 2


def test_the_chain_of_every_length_is_drawn_only_while_it_is_small():
    """k = 4 over V = 2: 2 + 4 + 8 + 16 = 30 states, drawn; k = 5: 62 states, past FULL_GRAPH_LIMIT: the table alone."""
    import torch

    from core.babygpt.mixing import variable_length_chain
    from core.model import GPT, GPTConfig

    torch.manual_seed(0)
    for k, n, drawn in ((4, 30, True), (5, 62, False)):
        states, probs, g = variable_length_chain(GPT(GPTConfig(block_size=k)), (0, 1) * 8, ("0", "1"))
        assert len(states) == n == len(probs) and (g is not None) == drawn, (k, len(states), g)
