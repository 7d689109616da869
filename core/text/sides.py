"""Both sides of the real-scale lesson: the GPTs trained beforehand on two texts, each against its best count table.

What it is: `sides` sets the shipped GPTs' scoreboards (`core.text.scoreboard.Board`) side by side: for each
text, the share of held-out characters after a never-seen context, modified Kneser-Ney at its best order (the
best count table), the GPT and the two mixed, and who is ahead (`core.text.scoreboard.lead`), overall and on the
never-seen contexts; `crossing`, the first checkpoint of a GPT's learning curve that costs less than a cost (the
table's), in training steps and FLOPs; `name_samples`, seeded names from the GPT and from the table, each marked
new or not (absent from the training part).

What it is not: a trainer or a scorer (`core.text.pretrained`, `core.text.scoreboard`). Plain data; the page words it.
"""

from __future__ import annotations

from dataclasses import dataclass

from core.text.scoreboard import Board, Costs, Lead, lead


@dataclass(frozen=True)
class Side:
    """One text: its GPT against its best count table on the same held-out examples."""

    corpus: str
    context: int  # the GPT's k (never-seen is counted at this k)
    examples: int
    unseen_fraction: float
    best_k: int  # the count table's best order
    table: Costs  # modified Kneser-Ney at best_k
    gpt: Costs
    mix: Costs
    overall: Lead  # GPT against the table, overall
    unseen: Lead | None  # and on never-seen contexts (None without any)
    mix_better: bool  # the mixture costs less than both, overall, by at least the level margin


@dataclass(frozen=True)
class Sides:
    """Every text's side, and the lesson as data: where the GPT wins, where the table wins, where mixing beats both."""

    sides: tuple[Side, ...]
    gpt_ahead: tuple[str, ...]  # corpora where the GPT costs less overall
    table_ahead: tuple[str, ...]
    mix_better: tuple[str, ...]


def side(corpus: str, b: Board) -> Side:
    has_unseen = b.gpt.unseen is not None and b.kn_best.unseen is not None
    from core.text.scoreboard import LEVEL_BITS

    return Side(
        corpus=corpus,
        context=b.context,
        examples=b.examples,
        unseen_fraction=1 - b.seen_fraction,
        best_k=b.best_k,
        table=b.kn_best,
        gpt=b.gpt,
        mix=b.mix,
        overall=lead(b.gpt.overall, b.kn_best.overall),
        unseen=lead(b.gpt.unseen, b.kn_best.unseen) if has_unseen else None,
        mix_better=b.mix.overall < min(b.gpt.overall, b.kn_best.overall) - LEVEL_BITS,
    )


def sides(boards: dict[str, Board]) -> Sides:
    """The boards of each corpus (in the order given), side by side."""
    s = tuple(side(corpus, b) for corpus, b in boards.items())
    return Sides(
        s,
        tuple(x.corpus for x in s if x.overall.ahead == "gpt"),
        tuple(x.corpus for x in s if x.overall.ahead == "table"),
        tuple(x.corpus for x in s if x.mix_better),
    )


def crossing(curve, cost: float):
    """The first point of a learning curve (points with .bits, in training order) below `cost`, or None."""
    return next((p for p in curve if p.bits < cost), None)


@dataclass(frozen=True)
class NameSamples:
    """Whole names drawn from each model after the same start, and which of them the training part does not hold."""

    gpt: tuple[tuple[str, bool], ...]  # (name, new)
    table: tuple[tuple[str, bool], ...]

    @staticmethod
    def share(names) -> float | None:
        return sum(new for _, new in names) / len(names) if names else None


def whole_names(text: str, known: frozenset[str]) -> tuple[tuple[str, bool], ...]:
    """The names of a sample that starts after a newline-ended start: every complete line, each marked new when
    `known` lacks it. whole_names("ann\\nzed\\nbo", {"ann"}) -> (("ann", False), ("zed", True)); "bo" is cut off."""
    lines = text.split("\n")[:-1]  # the last piece has no end yet
    return tuple((n, n not in known) for n in lines if n)
