"""Train & explore's never-seen tab, its page model: why a state the data never shows still gets its arrows.

What it is: `unseen` (every never-seen state beside the data's longest seen ending, the rules' table and the
agreement, the picker's order and whether it lists the states), `attention` (what each head reads for one state:
its share on the newest token and whether that reads as an even spread) and `state_of`. Every threshold, ordering
and verdict the tab shows is applied here.

What it is not: the explanation, the rules or the attention weights themselves (`core.babygpt.explain`,
`core.pages.rules`: they come in as arguments), nor words or charts (`ui.explain_views`).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from core.babygpt.explain import RULES, Explanation, Rules, RulesSummary, gap_from_even, newest_share
from core.babygpt.states import all_states
from core.pages.train_explore import Chain, ChainKey

TABLE_ROWS = 500  # never-seen states listed (the summary counts them all)
ARROWS_SHOWN = 3  # the GPT's likeliest arrows listed per never-seen state
COUNTS_SHOWN = 4  # the most frequent next tokens listed per suffix
PICKER_STATES = 256  # up to this many states the unseen tab's picker is a list, past it a text box


def picker_listed(V: int, k: int) -> bool:
    """Whether the never-seen tab's state picker lists the states (up to PICKER_STATES of them) or takes typed text."""
    return V**k <= PICKER_STATES


ALL_LAYERS_HEADS = 16  # up to this many heads in all every layer is drawn, past it one layer at a time
EVEN_READ = 0.05  # attention within this of an even spread everywhere reads as "almost even"


@dataclass(frozen=True)
class Suffix:
    """What the data shows after a state's last j tokens: its most frequent next tokens (none: never seen)."""

    j: int
    top: tuple[tuple[int, int], ...]  # (token, count), most frequent first, up to COUNTS_SHOWN
    more: bool  # more tokens follow it than listed


@dataclass(frozen=True)
class UnseenRow:
    """One never-seen state: the GPT's likeliest arrows, each shorter suffix's counts, the longest seen one, the verdict."""

    state: tuple[int, ...]
    arrows: tuple[tuple[int, float], ...]  # (token, probability), likeliest first, up to ARROWS_SHOWN
    more_arrows: bool
    suffixes: tuple[Suffix, ...]  # j = k - 1 down to 1
    longest: int  # the longest seen suffix's length (0: none)
    verdict: str  # "none" (no seen suffix), "tie" (its counts favour no token), "yes" / "no" (the GPT agrees with it)


@dataclass(frozen=True)
class Agreement:
    """How often the never-seen states' arrows follow their longest seen suffix (`core.babygpt.explain.Explanation`)."""

    states: int
    never_seen: int
    with_suffix: int
    agreeing: int
    fraction: float | None
    ties: int
    overall_choice: int  # the data's most frequent token; -1 on a tie (the rival rule is then not said)
    agree_overall: int
    without_suffix: int


@dataclass(frozen=True)
class RulesTable:
    """Per weighed never-seen state, each rule's probability of the lead's token and the rule nearest the GPT."""

    token: int
    states: tuple[tuple[int, ...], ...]
    gpt: np.ndarray  # (n,)
    said: dict  # rule -> (n,), NaN where the rule has nothing to say
    closest: tuple[str, ...]
    distance: np.ndarray  # (n,) the nearest rule's distance


@dataclass(frozen=True)
class Unseen:
    """The Never seen tab: the rules table, the agreement, one row per listed never-seen state, the state picker."""

    key: ChainKey
    rules: RulesTable | None
    agreement: Agreement
    rows: tuple[UnseenRow, ...]
    more_rows: bool  # more never-seen states than TABLE_ROWS
    uniform: float  # 1 / V
    order: tuple[int, ...]  # the picker's states: never-seen first, so the first of them is the default
    seen: np.ndarray  # (V^k,) the data shows the state
    listed: bool  # the picker lists the states (else a text box)
    steps: int  # the training's steps and seed, said under the table
    seed: int


def _top(values: np.ndarray, shown: int, positive: bool = False) -> tuple[list[int], bool]:
    """The indices of the largest values, largest first (ties: lower index), the first `shown`; whether more exist."""
    order = [int(i) for i in np.argsort(-values, kind="stable") if not positive or values[i] > 0]
    return order[:shown], len(order) > shown


def _row(e: Explanation, s: int, state: tuple[int, ...]) -> UnseenRow:
    k = e.context
    arrows, more = _top(e.probs[s], ARROWS_SHOWN)
    suffixes = []
    for j in range(k - 1, 0, -1):
        counts = e.counts(s, j)
        top, more_counts = _top(counts, COUNTS_SHOWN, positive=True)
        suffixes.append(Suffix(j, tuple((tok, int(counts[tok])) for tok in top), more_counts))
    j = int(e.longest[s])
    verdict = "none" if not j else "tie" if e.tie[s] else "yes" if e.agree[s] else "no"
    return UnseenRow(state, tuple((tok, float(e.probs[s][tok])) for tok in arrows), more, tuple(suffixes), j, verdict)


def unseen(c: Chain, e: Explanation, r: Rules, summary: RulesSummary | None) -> Unseen:
    """e: `core.babygpt.explain.explain` of c's table; r, summary: its rules and their summary."""
    V, k = c.vocab, c.context
    states = all_states(V, k)
    table = None
    if summary is not None:
        tok = summary.token
        distance = np.array([r.distance[rule][i] for i, rule in enumerate(r.closest)])
        table = RulesTable(
            tok, tuple(tuple(states[int(s)]) for s in r.states), r.gpt[:, tok], {rule: r.said[rule][:, tok] for rule in RULES},
            tuple(r.closest), distance,
        )  # fmt: skip
    never = len(e.never_seen)
    agreement = Agreement(
        V**k, never, e.with_suffix, e.agreeing, e.agree_fraction, e.ties, e.overall_choice, e.agree_overall, never - e.with_suffix
    )
    rows = tuple(_row(e, int(s), tuple(int(x) for x in states[int(s)])) for s in e.never_seen[:TABLE_ROWS])
    order = tuple(int(s) for s in (*e.never_seen, *np.flatnonzero(e.seen)))
    tc = c.key.train
    return Unseen(c.key, table, agreement, rows, never > TABLE_ROWS, 1 / V, order, e.seen, picker_listed(V, k), tc.steps, tc.seed)


def state_of(index: int, V: int, k: int) -> tuple[int, ...]:
    """A full state's tokens from its index in table order: state_of(1, 2, 3) == (0, 0, 1)."""
    return tuple(int(x) for x in all_states(V, k)[index])


@dataclass(frozen=True)
class Attention:
    """What the trained model's heads read for one state, and whether that reads as an even spread."""

    state: tuple[int, ...]
    weights: np.ndarray  # (n_layer, n_head, k, k)
    newest: float  # the heads' mean weight, at the last position, on the newest token
    even: float  # what an even spread would put there: 1 / k
    gap: float  # the largest distance of any weight from an even spread
    verdict: str  # "even" (gap below EVEN_READ) or "sharp"
    same_step: bool  # the page's step is the training's last (else the page says the heads are the trained model's)
    one_layer: bool  # too many heads: one layer at a time, picked


def attention(c: Chain, state: tuple[int, ...], weights: np.ndarray) -> Attention:
    """weights: `core.babygpt.explain.attention` of the fully trained model for `state`."""
    gap = gap_from_even(weights)
    mc, tc = c.key.model, c.key.train
    return Attention(
        state, weights, newest_share(weights), 1 / c.context, gap, "even" if gap < EVEN_READ else "sharp",
        c.key.step == tc.steps, mc.n_layer * mc.n_head > ALL_LAYERS_HEADS,
    )  # fmt: skip
