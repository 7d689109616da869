"""Markov chains over context windows: from a model, from data, and what to compute on them.

What it is: the transition table of a model over all full states (batched forward passes),
the same over variable-length states, the empirical chain of a sequence, model-vs-data
divergences, the stationary distribution, the entropy rate, and the transition graph as a
networkx graph that any renderer can draw.

A chain is given as a table `probs` of shape (V^k, V): probs[s, t] is the probability of
token t after full state s (order: `core.babygpt.states`); the arrow goes to `next_index(s, t)`.

What it is not: a renderer (see `ui/graph.py`) or a trainer (see `core.babygpt.train`).
"""

from __future__ import annotations

from dataclasses import dataclass

import networkx as nx
import numpy as np
import torch

from core.babygpt.focus import Focus
from core.babygpt.states import (
    all_states,
    context_of,
    de_bruijn_order,
    label,
    n_states,
    next_state,
    successors,
    variable_length_states,
)
from core.symbols import visible
from core.threads import TABLE_THREADS, pin_threads

DENSE_STATIONARY_MAX = 1_024  # up to this many states the stationary distribution is solved exactly


def _softmax(logits: torch.Tensor) -> np.ndarray:
    return torch.softmax(logits.double(), dim=-1).numpy()


def transition_table(model) -> np.ndarray:
    """probs[s, t] = P(next = t | full state s) from the model, shape (V^k, V).

    Computed in one batched pass over the prefix tree (`GPT.prefix_logits`), never one
    forward per state.
    """
    n_states(model.config.vocab_size, model.config.block_size)
    pin_threads(TABLE_THREADS)
    return _softmax(model.prefix_logits()[-1])


def variable_length_table(model) -> tuple[list[tuple[int, ...]], np.ndarray]:
    """Next-token probabilities for every state of length 1..k: (states, probs (n, V)).

    The same batched pass gives every prefix's prediction: the model is causal, so the
    activations at position L-1 of a state see exactly its first L tokens.
    """
    V, k = model.config.vocab_size, model.config.block_size
    states = variable_length_states(V, k)
    pin_threads(TABLE_THREADS)
    return states, _softmax(torch.cat(model.prefix_logits()))


def empirical_counts(tokens: tuple[int, ...], vocab: int, context: int) -> np.ndarray:
    """counts[s, t] = how often full state s is followed by token t in the sequence, shape (V^k, V)."""
    n = n_states(vocab, context)
    counts = np.zeros((n, vocab), dtype=np.int64)
    s = 0
    for i, t in enumerate(tokens):
        if i >= context:
            counts[s, t] += 1
        s = (s * vocab) % n + t
    return counts


def empirical_table(counts: np.ndarray) -> np.ndarray:
    """The data's next-token probabilities per state; NaN rows for never-seen states."""
    totals = counts.sum(axis=1, keepdims=True)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(totals > 0, counts / np.maximum(totals, 1), np.nan)


@dataclass(frozen=True)
class ModelVsData:
    """Per state (arrays of length V^k): the model's chain against the data's; NaN where the data never goes."""

    visits: np.ndarray  # how often the data is in the state (with a next token)
    seen: np.ndarray  # visits > 0
    data_probs: np.ndarray  # (V^k, V) the data's next-token probabilities, NaN rows where unseen
    total_variation: np.ndarray  # 1/2 sum_t |p - q|
    kl_bits: np.ndarray  # KL(data || model) in bits


def model_vs_data(model_probs: np.ndarray, counts: np.ndarray) -> ModelVsData:
    """Per state: total variation 1/2 sum|p - q| and KL(data || model) in bits; NaN where unseen."""
    q = empirical_table(counts)
    visits = counts.sum(axis=1)
    seen = visits > 0
    tv = 0.5 * np.abs(model_probs - q).sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        terms = np.where(q > 0, q * (np.log2(q) - np.log2(model_probs)), 0.0)
    kl = np.where(seen, terms.sum(axis=1), np.nan)
    return ModelVsData(visits, seen, q, np.where(seen, tv, np.nan), kl)


def conditional_entropy_bits(counts: np.ndarray) -> float:
    """H(next | previous k tokens) of the data in bits: sum_s P(s) H(next | s), empirical."""
    total = counts.sum()
    if total == 0:
        return float("nan")
    with np.errstate(invalid="ignore", divide="ignore"):
        q = counts / counts.sum(axis=1, keepdims=True)
        h = -np.where(counts > 0, q * np.log2(q), 0.0).sum(axis=1)
    return float((counts.sum(axis=1) / total * np.nan_to_num(h)).sum())


def _step(pi: np.ndarray, probs: np.ndarray, succ: np.ndarray) -> np.ndarray:
    return np.bincount(succ.ravel(), weights=(pi[:, None] * probs).ravel(), minlength=len(pi))


def stationary_distribution(probs: np.ndarray, tol: float = 1e-12, max_iter: int = 20_000) -> np.ndarray:
    """pi with pi = pi P for the chain over full states.

    Up to DENSE_STATIONARY_MAX states: solved exactly (least squares on pi (P - I) = 0, sum pi = 1).
    Past it: power iteration on the lazy chain (I + P) / 2, which has the same stationary
    distribution and converges for every aperiodic or periodic irreducible chain.
    """
    n, V = probs.shape
    k = context_of(n, V)
    succ = successors(V, k) if V > 1 else np.zeros((n, 1), dtype=np.int64)
    if n <= DENSE_STATIONARY_MAX:
        P = np.zeros((n, n))
        np.add.at(P, (np.repeat(np.arange(n), V), succ.ravel()), probs.ravel())
        A = np.vstack([(P - np.eye(n)).T, np.ones((1, n))])
        b = np.zeros(n + 1)
        b[-1] = 1.0
        pi = np.linalg.lstsq(A, b, rcond=None)[0]
        pi = np.clip(pi, 0, None)
        return pi / pi.sum()
    pi = np.full(n, 1.0 / n)
    for _ in range(max_iter):
        new = 0.5 * (pi + _step(pi, probs, succ))
        if np.abs(new - pi).sum() < tol:
            return new
        pi = new
    return pi


def most_visited(pi: np.ndarray, n: int) -> np.ndarray:
    """Indices of the n states with the largest stationary probability, largest first (ties: lower index)."""
    return np.argsort(-pi, kind="stable")[:n]


def entropy_rate_bits(probs: np.ndarray, pi: np.ndarray | None = None) -> float:
    """sum_s pi_s H(P[s]) in bits per token: the chain's average uncertainty about the next token."""
    if pi is None:
        pi = stationary_distribution(probs)
    with np.errstate(invalid="ignore", divide="ignore"):
        h = -np.where(probs > 0, probs * np.log2(probs), 0.0).sum(axis=1)
    return float(pi @ h)


ARROW_LABEL = "{sym} ({pct}%)"  # the notebook's arrow label; the graph's page fills it in again for every frame it plays


def edge_label(token_symbol: str, p: float) -> str:
    """The notebook's arrow label: token, then the probability in whole percent, e.g. '1 (79%)'."""
    return ARROW_LABEL.format(sym=token_symbol, pct=f"{p * 100:.0f}")


def ring_order(focus: Focus, probs: np.ndarray, succ: np.ndarray) -> list[int]:
    """A drawing order for a focused view: follow each state's likeliest arrow to a drawn state not yet placed,
    so neighbours on the ring are joined by arrows; every end point right after the state that leads to it.

    E.g. the seen states of 'hello world' come out along the text: he, el, ll, lo, o␣, ␣w, wo, or, rl.
    """
    drawn, ends = set(focus.nodes) | set(focus.ends), set(focus.ends)
    leads_to = {a: set(succ[a].tolist()) for a in focus.nodes}
    order: list[int] = []
    todo = list(focus.nodes)
    while todo:
        # start a run at the first state no unplaced state leads to (else at the first one left)
        s = next((x for x in todo if not any(x in leads_to[a] for a in todo if a != x)), todo[0])
        while s is not None:
            todo.remove(s)
            order.append(s)
            ahead = [int(succ[s, t]) for t in np.argsort(-probs[s], kind="stable")]
            order += [e for e in ahead if e in ends and e not in order]
            s = next((x for x in ahead if x in drawn and x in todo), None)
    return order + [e for e in focus.ends if e not in order]


def transition_graph(
    probs: np.ndarray,
    vocab: int,
    context: int,
    itos: tuple[str, ...] | None = None,
    counts: np.ndarray | None = None,
    focus: Focus | None = None,
) -> nx.DiGraph:
    """The chain over full states as a graph: a node per state, an edge per (state, token).

    Node attributes: label, seen (visited by the data; True when counts is None), visits,
    deterministic (the data always continues the same way), end (drawn only as where an arrow
    leads). Edge attributes: token, symbol, p, label ('t (p%)'), data_p (the data's probability,
    None for never-seen states). With a `focus`, only its states and their arrows within the
    drawn set are in the graph. Graph attribute circle_order: the drawn states in de Bruijn
    order, for renderers that place them on a circle.
    """
    n = n_states(vocab, context)
    focus = focus or Focus("all", tuple(range(n)), (), n)
    drawn = set(focus.nodes) | set(focus.ends)
    states = all_states(vocab, context)
    succ = successors(vocab, context)
    visits = counts.sum(axis=1) if counts is not None else None
    data = empirical_table(counts) if counts is not None else None
    if focus.mode == "all":
        order = de_bruijn_order(vocab, context)  # each state slides into the next: one arrow per state on the rim
    else:
        order = ring_order(focus, probs, succ)
    g = nx.DiGraph(circle_order=order)
    for s in list(focus.nodes) + list(focus.ends):
        v = int(visits[s]) if visits is not None else None
        det = v is not None and v > 0 and int((counts[s] > 0).sum()) == 1
        g.add_node(s, label=label(states[s], itos), seen=v is None or v > 0, visits=v, deterministic=det, end=s in focus.ends)
    for s in focus.nodes:
        for t in range(vocab):
            if int(succ[s, t]) not in drawn:
                continue
            sym = visible(itos[t]) if itos else str(t)
            p = float(probs[s, t])
            data_p = float(data[s, t]) if data is not None and visits[s] > 0 else None
            g.add_edge(s, int(succ[s, t]), token=t, symbol=sym, p=p, label=edge_label(sym, p), data_p=data_p)
    return g


def seen_in(states: list[tuple[int, ...]], tokens: tuple[int, ...]) -> list[bool]:
    """Per state (of any length): whether the sequence holds it followed by a next token (as counts do for full states)."""
    lengths = {len(s) for s in states}
    seen = {tuple(tokens[i : i + n]) for n in lengths for i in range(len(tokens) - n)}
    return [s in seen for s in states]


def variable_length_graph(
    states: list[tuple[int, ...]],
    probs: np.ndarray,
    context: int,
    itos: tuple[str, ...] | None = None,
    seen: list[bool] | None = None,
) -> nx.DiGraph:
    """The chain over states of every length 1..k: shorter states grow, full ones slide; `seen` per state
    (`seen_in`), every state seen if None."""
    index = {s: i for i, s in enumerate(states)}
    g = nx.DiGraph()
    for i, s in enumerate(states):
        g.add_node(i, label=label(s, itos), seen=seen is None or seen[i], visits=None, length=len(s))
    vocab = probs.shape[1]
    for i, s in enumerate(states):
        for t in range(vocab):
            sym = visible(itos[t]) if itos else str(t)
            p = float(probs[i, t])
            g.add_edge(i, index[next_state(s, t, context)], token=t, symbol=sym, p=p, label=edge_label(sym, p))
    return g
