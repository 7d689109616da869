"""The states of a GPT seen as a Markov chain: what fits in its context window.

What it is: the V^k full states in a fixed order (state <-> index), the variable-length
states (every length 1..k), and the successor rule. Pure numpy, no model.

Order: full states are listed like the notebook's `all_possible(V, k)`, i.e. as base-V
numbers with the OLDEST token as the most significant digit:

    index(state) = sum_i state[i] * V ** (k - 1 - i)

Worked example, V = 2, k = 3: index 0 is 000, index 5 is 101 (1*4 + 0*2 + 1*1), index 7 is 111.
With V = 3, k = 2: the state (2, 1) has index 2*3 + 1 = 7.

Successor: a full state slides (drop the oldest token, append t): index -> (index * V) % V^k + t,
so 101 --1--> 011. A shorter state grows: 1 --0--> 10.

Variable-length states are listed by length, then by index within that length:
V = 2, k = 3 gives 0, 1, 00, 01, 10, 11, 000, ..., 111 (14 states).
"""

from __future__ import annotations

import numpy as np

from core.babygpt.limits import check_all_lengths, check_states
from core.symbols import visible


def n_states(vocab: int, context: int) -> int:
    """V^k, checked against the cap on states (`core.babygpt.limits.check_states`)."""
    return check_states(vocab, context)


def context_of(n: int, vocab: int) -> int:
    """The k with vocab**k == n (a table's rows give its context), exactly, in whole numbers; ValueError if none."""
    if vocab == 1:
        return 1
    k, size = 0, 1
    while size < n:
        k, size = k + 1, size * vocab
    if size != n or k == 0:
        raise ValueError(f"{n} states is not a power of the vocabulary {vocab}")
    return k


def all_states(vocab: int, context: int) -> np.ndarray:
    """Every full state in index order, shape (V^k, k). all_states(2, 3)[5] == [1, 0, 1]."""
    n = n_states(vocab, context)
    idx = np.arange(n, dtype=np.int64)
    powers = vocab ** np.arange(context - 1, -1, -1, dtype=np.int64)  # (k,) most significant first
    return (idx[:, None] // powers[None, :]) % vocab


def state_index(state, vocab: int) -> int:
    """The index of a full state. state_index([1, 0, 1], 2) == 5."""
    index = 0
    for t in state:
        index = index * vocab + int(t)
    return index


def next_index(index: int | np.ndarray, token: int | np.ndarray, vocab: int, context: int):
    """Index of the full state after appending `token` and dropping the oldest: slide."""
    return (index * vocab) % (vocab**context) + token


def successors(vocab: int, context: int) -> np.ndarray:
    """succ[s, t] = index of the state reached from full state s by token t; shape (V^k, V)."""
    n = n_states(vocab, context)
    return next_index(np.arange(n)[:, None], np.arange(vocab)[None, :], vocab, context)


def label(state, itos: tuple[str, ...] | None = None) -> str:
    """The state as shown: tokens' symbols concatenated, whitespace visible, e.g. '101' or 'o␣w'."""
    return "".join(visible(itos[int(t)]) if itos else str(int(t)) for t in state)


def variable_length_states(vocab: int, context: int) -> list[tuple[int, ...]]:
    """Every state of length 1..k, by length then index: 14 for V = 2, k = 3."""
    check_all_lengths(vocab, context)
    return [tuple(int(t) for t in s) for L in range(1, context + 1) for s in all_states(vocab, L)]


def next_state(state: tuple[int, ...], token: int, context: int) -> tuple[int, ...]:
    """The successor of a state of any length: a shorter state grows, a full one slides."""
    grown = tuple(state) + (int(token),)
    return grown if len(grown) <= context else grown[1:]


def de_bruijn_order(vocab: int, context: int) -> list[int]:
    """The full states in the order of a de Bruijn sequence: each one slides into the next.

    The cyclic sequence holds every state exactly once as a window, so walking its windows
    visits all V^k states along arrows of the chain (a Hamiltonian cycle). Drawing states on
    a circle in this order puts one arrow of every state on the rim. For V = 2, k = 3 the
    sequence is 00010111: 000, 001, 010, 101, 011, 111, 110, 100.
    Generated with the standard Lyndon-word (FKM) construction.
    """
    n = n_states(vocab, context)
    if vocab == 1:
        return [0]
    a = [0] * (vocab * context + 1)
    seq: list[int] = []

    def db(t: int, p: int) -> None:
        if t > context:
            if context % p == 0:
                seq.extend(a[1 : p + 1])
        else:
            a[t] = a[t - p]
            db(t + 1, p)
            for j in range(a[t - p] + 1, vocab):
                a[t] = j
                db(t + 1, t)

    db(1, 1)
    cyc = seq + seq[: context - 1]
    return [state_index(cyc[i : i + context], vocab) for i in range(n)]
