"""A chain at a temperature, and how fast it forgets where it started.

What it is: `tempered(probs, T)`, the arrows a model gives when its logits are divided by T
(softmax(logits / T) = p^(1/T) renormalised, since the softmax's own normaliser cancels);
`transition_matrix` (the (n, n) matrix of a table over full states); and `mixing_time`: the
smallest t with max over start states of the total-variation distance between P^t(s, .) and the
stationary distribution <= 1/4, or why there is none (a periodic or reducible chain never mixes).
Zekri et al. 2024, "Large Language Models as Markov Chains": the higher the temperature, the
faster the chain mixes, i.e. the sooner a model forgets its prompt.

`at_temperature` gathers a tempered chain's long-run figures. What it is not: the stationary
distribution or the entropy rate themselves (`core.babygpt.chain`).
"""

from __future__ import annotations

from dataclasses import dataclass

import networkx as nx
import numpy as np

from core.babygpt.chain import (
    entropy_rate_bits,
    seen_in,
    stationary_distribution,
    variable_length_graph,
    variable_length_table,
)
from core.babygpt.limits import FULL_GRAPH_LIMIT, SWEEP_STATE_LIMIT
from core.babygpt.states import context_of, successors
from core.errors import ConfigError

MAX_TEMPERATURE = 5.0  # T in (0, 5]
MIXING_EPSILON = 0.25  # the usual threshold of a mixing time
MAX_MIXING_STATES = 256  # chains up to this many states get a mixing time (dense n x n matrix products)
MAX_MIXING_STEPS = 2**20  # past this, "mixes slower than 2^20 steps"


def check_temperature(temperature: float) -> None:
    """ConfigError unless 0 < T <= MAX_TEMPERATURE (T -> 0 is the limit of the likeliest arrow, not a temperature)."""
    if not 0 < temperature <= MAX_TEMPERATURE:
        raise ConfigError("config.temperature", value=temperature, high=MAX_TEMPERATURE)


def tempered(probs: np.ndarray, temperature: float) -> np.ndarray:
    """Each row p -> p^(1/T) / sum p^(1/T): the model's arrows with its logits divided by T (T = 1: unchanged)."""
    check_temperature(temperature)
    if temperature == 1.0:
        return probs
    with np.errstate(divide="ignore"):
        scaled = np.log(probs) / temperature  # log p = logits - logsumexp(logits): the shift cancels below
    scaled -= scaled.max(axis=1, keepdims=True)
    out = np.exp(scaled)
    return out / out.sum(axis=1, keepdims=True)


def transition_matrix(probs: np.ndarray) -> np.ndarray:
    """The (n, n) matrix P[s, s'] of a table over full states (V^k rows, V columns: arrow t goes to next_index(s, t))."""
    n, V = probs.shape
    succ = successors(V, context_of(n, V)) if V > 1 else np.zeros((n, 1), dtype=np.int64)
    P = np.zeros((n, n))
    np.add.at(P, (np.repeat(np.arange(n), V), succ.ravel()), probs.ravel())
    return P


@dataclass(frozen=True)
class Mixing:
    """A chain's mixing time, or why it has none: steps is None unless reason == "mixes"."""

    steps: int | None
    reason: str  # "mixes", "periodic", "reducible", "too_many_states", "too_slow"


def _distance(Pt: np.ndarray, pi: np.ndarray) -> float:
    """max over start states of the total-variation distance between P^t(s, .) and pi."""
    return float(0.5 * np.abs(Pt - pi[None, :]).sum(axis=1).max())


def mixing_time(P: np.ndarray, pi: np.ndarray, epsilon: float = MIXING_EPSILON) -> Mixing:
    """The smallest t with max_s TV(P^t(s, .), pi) <= epsilon, for a transition matrix P with stationary pi.

    The distance never grows with t, so t is found by doubling (P, P^2, P^4, ...) and then a binary
    search that composes the stored powers: about 2 log2(t) matrix products instead of t.
    """
    n = len(P)
    if n > MAX_MIXING_STATES:
        return Mixing(None, "too_many_states")
    g = nx.DiGraph()
    g.add_nodes_from(range(n))
    g.add_edges_from(zip(*np.nonzero(P > 0), strict=True))
    if not nx.is_strongly_connected(g):
        return Mixing(None, "reducible")
    if not nx.is_aperiodic(g):
        return Mixing(None, "periodic")
    if _distance(np.eye(n), pi) <= epsilon:
        return Mixing(0, "mixes")
    powers, t = [P], 1  # powers[i] = P^(2^i)
    while _distance(powers[-1], pi) > epsilon:
        if t >= MAX_MIXING_STEPS:
            return Mixing(None, "too_slow")
        powers.append(powers[-1] @ powers[-1])
        t *= 2
    # the answer lies in (t/2, t]: add the powers below 2^(i) from the largest, keeping the sum too short
    reached, at = np.eye(n), 0
    for i in range(len(powers) - 2, -1, -1):
        candidate = reached @ powers[i]
        if _distance(candidate, pi) > epsilon:
            reached, at = candidate, at + 2**i
    return Mixing(at + 1, "mixes")


@dataclass(frozen=True)
class AtTemperature:
    """One chain's long-run figures at one temperature."""

    temperature: float
    stationary: np.ndarray
    entropy_rate_bits: float
    mixing: Mixing


def at_temperature(probs: np.ndarray, temperature: float) -> AtTemperature:
    """The tempered chain's stationary distribution, entropy rate and mixing time (for up to MAX_MIXING_STATES states)."""
    q = tempered(probs, temperature)
    pi = stationary_distribution(q)
    mixing = mixing_time(transition_matrix(q), pi) if len(q) <= MAX_MIXING_STATES else Mixing(None, "too_many_states")
    return AtTemperature(temperature, pi, entropy_rate_bits(q, pi), mixing)


SWEEP_TEMPERATURES = (0.1, 0.2, 0.3, 0.5, 0.7, 1.0, 1.5, 2.0, 3.0, 4.0, 5.0)


def temperature_sweep(probs: np.ndarray, temperatures=SWEEP_TEMPERATURES) -> list[AtTemperature] | None:
    """`at_temperature` over a range of T: how the entropy rate and the mixing time follow the temperature; None past
    SWEEP_STATE_LIMIT states (core.babygpt.limits: each point is a long run)."""
    return [at_temperature(probs, T) for T in temperatures] if len(probs) <= SWEEP_STATE_LIMIT else None


def variable_length_chain(model, tokens: tuple[int, ...], itos: tuple[str, ...] | None, temperature: float = 1.0):
    """(states, probs, graph) of a model's chain over states of every length 1..k at `temperature`, each state marked
    seen or not in `tokens` (`core.babygpt.chain.variable_length_table`, `variable_length_graph`); the graph is None
    past FULL_GRAPH_LIMIT states (a whole chain is drawn only while it is small: the table shows the rest)."""
    states, probs = variable_length_table(model)
    probs = tempered(probs, temperature)
    if len(states) > FULL_GRAPH_LIMIT:
        return states, probs, None
    return states, probs, variable_length_graph(states, probs, model.config.block_size, itos, seen_in(states, tokens))
