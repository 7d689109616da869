"""The never-seen states' arrows weighed against the simple rules, the count table's back-off among them: shared by
the overview, Train & explore's never-seen tab and Compare's seeds.

What it is: `weighed` (the GPT's arrows of one table beside every rule's, and their summary) and `seed_agreement`
(the same for each seed of a seed spread), the count table's rows coming from Kneser-Ney at the same k
(`core.text.ngram`, which `core.babygpt` may not import: this layer joins the two).

What it is not: the rules themselves (`core.babygpt.explain`) or any words.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from core.babygpt.explain import RULES, Explanation, agreement_over_seeds, explain, rule_states, rules, summarise
from core.babygpt.states import all_states
from core.text.ngram import kneser_ney_rows


def kneser_ney_for_rules(e: Explanation, tokens: tuple[int, ...]) -> np.ndarray:
    """The count table's rows (Kneser-Ney at e's k, trained on `tokens`) for the never-seen states the rules weigh."""
    states = all_states(e.vocab, e.context)
    return kneser_ney_rows(np.asarray(tokens), e.vocab, e.context, [states[int(s)] for s in rule_states(e)])


def weighed(probs: np.ndarray, tokens: tuple[int, ...], vocab: int, context: int):
    """(Rules, RulesSummary or None): the never-seen states' arrows of `probs` beside the simple rules'."""
    e = explain(tokens, vocab, context, probs)
    r = rules(e, tokens, kneser_ney_for_rules(e, tokens))
    return r, summarise(r, len(e.never_seen))


def seed_agreement(tables: np.ndarray, seeds: tuple[int, ...], tokens: tuple[int, ...], vocab: int, context: int):
    """Per seed of a seed spread (`tables`: (n_seeds, V^k, V)): the never-seen agreement and the rule each seed's arrows
    are nearest."""
    e = explain(tokens, vocab, context, tables[0])  # the data alone decides which states are never seen
    return agreement_over_seeds(tables, seeds, tokens, vocab, context, kneser_ney_for_rules(e, tokens))


class Nearest(NamedTuple):
    """The rule nearest the GPT's arrows for the most never-seen states: `n` of the `total` states it was weighed on."""

    rule: str
    n: int
    total: int


def nearest(closest: dict[str, int]) -> Nearest | None:
    """The rule with the most never-seen states nearest it (the first in RULES on a tie), None if none was weighed."""
    total = sum(closest.values())
    if not total:
        return None
    rule = max(RULES, key=lambda r: closest[r])
    return Nearest(rule, closest[rule], total)
