import itertools

import numpy as np
import pytest

from core.babygpt.limits import MAX_STATES, LimitError
from core.babygpt.states import (
    all_states,
    label,
    n_states,
    next_index,
    next_state,
    state_index,
    successors,
    variable_length_states,
)


def all_possible(n, k):
    """The notebook's enumeration, verbatim."""
    if k == 0:
        yield []
    else:
        for i in range(n):
            for c in all_possible(n, k - 1):
                yield [i] + c


@pytest.mark.parametrize("V,k", [(2, 3), (3, 2), (4, 3), (5, 1), (2, 8)])
def test_order_matches_notebook(V, k):
    assert all_states(V, k).tolist() == list(all_possible(V, k))


def test_worked_examples():
    assert state_index([1, 0, 1], 2) == 5
    assert all_states(2, 3)[5].tolist() == [1, 0, 1]
    assert state_index([2, 1], 3) == 7


@pytest.mark.parametrize("V,k", [(2, 3), (3, 3), (4, 2)])
def test_successor_slides(V, k):
    states = all_states(V, k)
    succ = successors(V, k)
    for s, t in itertools.product(range(V**k), range(V)):
        slid = list(states[s][1:]) + [t]
        assert states[succ[s, t]].tolist() == slid, f"state {states[s]} + token {t}"
    assert next_index(5, 1, 2, 3) == 3, "101 --1--> 011"


def test_variable_length_states_and_growth():
    states = variable_length_states(2, 3)
    assert len(states) == 14
    assert [label(s) for s in states[:6]] == ["0", "1", "00", "01", "10", "11"]
    assert next_state((1,), 0, 3) == (1, 0), "1 -> 10 grows"
    assert next_state((1, 0, 1), 1, 3) == (0, 1, 1), "101 -> 011 slides"


def test_labels_use_symbols():
    assert label(np.array([0, 2, 1]), ("a", "b", "c")) == "acb"


def test_cap():
    assert n_states(2, 16) == MAX_STATES
    with pytest.raises(LimitError, match="past the limit"):
        n_states(2, 17)


@pytest.mark.parametrize("V,k", [(2, 3), (2, 5), (3, 3), (4, 2), (5, 1), (1, 4)])
def test_de_bruijn_order_is_a_cycle_of_slides(V, k):
    from core.babygpt.states import de_bruijn_order

    order = de_bruijn_order(V, k)
    assert sorted(order) == list(range(V**k)), "every state exactly once"
    succ = successors(V, k)
    for a, b in zip(order, order[1:] + order[:1], strict=True):
        assert b in succ[a], f"{a} does not slide into {b}"
    if (V, k) == (2, 3):
        assert [label(all_states(2, 3)[i]) for i in order] == ["000", "001", "010", "101", "011", "111", "110", "100"]


def test_context_of_a_table_is_exact():
    from core.babygpt.states import context_of

    assert [context_of(n, 2) for n in (2, 8, 65_536)] == [1, 3, 16]
    assert context_of(3**10, 3) == 10 and context_of(5, 1) == 1
    assert context_of(10**15, 10) == 15, "no float rounding: log(10**15, 10) is 14.999999999999998"
    with pytest.raises(ValueError):
        context_of(12, 2)
