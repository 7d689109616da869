"""Both sides of the real-scale lesson: each text's GPT against its best count table, the lesson, the curves' crossing."""

import dataclasses

import pytest

from core.text.scoreboard import Board, Chain, Costs
from core.text.sides import NameSamples, crossing, side, sides, whole_names


def board(gpt: float, table: float, mix: float, seen: float = 0.1) -> Board:
    """A board whose GPT costs gpt and whose best table costs table everywhere (seen and never-seen alike)."""
    c = lambda x: Costs(x, x, x)  # noqa: E731
    chain = Chain(seen, 0.0, 1.0, 1.0, 4.75, 4.4)
    return Board(16, 27, 1000, seen, chain, c(table + 0.05), c(table + 0.1), 4, c(table), 0.5, c(gpt), c(mix), 0.4, 100)


def test_each_side_sets_the_gpt_against_the_best_order_not_the_same_k():
    s = side("names", board(gpt=2.80, table=2.94, mix=2.79))
    assert (s.overall.ahead, s.unseen.ahead) == ("gpt", "gpt")
    assert s.overall.bits == pytest.approx(0.14) and s.table.overall == 2.94, "Kneser-Ney at its best order (4), not at k"
    assert s.unseen_fraction == pytest.approx(0.9) and s.best_k == 4 and s.mix_better


def test_the_lesson_names_where_each_model_wins_and_whether_mixing_beats_both():
    x = sides({"python-docs": board(1.84, 1.61, 1.47), "names": board(2.80, 2.94, 2.81)})
    assert (x.gpt_ahead, x.table_ahead) == (("names",), ("python-docs",))
    assert x.mix_better == ("python-docs",), "2.81 is not below names' better model (2.80)"
    level = sides({"a": board(2.0, 2.0003, 1.9)})
    assert (level.gpt_ahead, level.table_ahead, level.mix_better) == ((), (), ("a",)), "within half a thousandth: level"


def test_crossing_is_the_first_checkpoint_below_the_table():
    @dataclasses.dataclass
    class P:
        step: int
        bits: float

    curve = [P(1000, 3.1), P(2000, 2.95), P(4000, 2.90), P(8000, 2.95)]
    assert crossing(curve, 2.93).step == 4000
    assert crossing(curve, 2.80) is None
    assert crossing([], 2.0) is None


def test_whole_names_keeps_complete_lines_and_marks_the_new_ones():
    assert whole_names("ann\nzed\nbo", frozenset({"ann"})) == (("ann", False), ("zed", True))
    assert whole_names("\n\nann\n", frozenset()) == (("ann", True),), "empty lines are no names"
    x = NameSamples((("a", True), ("b", False)), ())
    assert NameSamples.share(x.gpt) == 0.5 and NameSamples.share(x.table) is None
