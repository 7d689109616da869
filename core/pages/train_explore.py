"""Train & explore's page model: what the page says about one trained BabyGPT at one step and temperature.

What it is: the head (`training`: the training's numbers and steps; `chain`: the table at the chosen step and
temperature with its `key`; `answer`: the chain's size, how much the data shows and why the rest still has arrows)
and one function per tab (`graph_tab`, `table_tab`, `lengths_tab`, `sample_tab`, `long_run`; the never-seen tab's
is `core.pages.unseen`). Every threshold, ordering and verdict the page shows is applied here.

What it is not: the training, the long-run figures, the rules or the attention weights themselves (they come in as
arguments, computed and cached by the app), nor words, charts or tables (`ui/`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace

import numpy as np

from core.babygpt import mixing
from core.babygpt.chain import ModelVsData, model_vs_data, most_visited
from core.babygpt.data import Sequence, random_walk
from core.babygpt.explain import RULES, RulesSummary
from core.babygpt.focus import Focus
from core.babygpt.limits import FULL_GRAPH_LIMIT, GRAPH_NODE_LIMIT, HEATMAP_ROW_LIMIT
from core.babygpt.mixing import AtTemperature
from core.babygpt.play import walk_focus, walk_path
from core.babygpt.train import TrainConfig, TrainResult
from core.model import GPTConfig

LN2 = math.log(2)  # losses are computed in nats and stated in bits per token
STATIONARY_SHOWN = 40  # the most visited states drawn in the long run's bars


@dataclass(frozen=True)
class ChainKey:
    """Where a table comes from: the training (configs and tokens), its step and its temperature. The cache key of
    every view of that table, so a view can never be cached under another table's key."""

    model: GPTConfig
    train: TrainConfig
    tokens: tuple[int, ...]
    step: int
    temperature: float = 1.0

    @property
    def as_trained(self) -> ChainKey:
        """The key of the same step's table at temperature 1 (the long run's figures take T on their own)."""
        return replace(self, temperature=1.0)


def progress(step: int, steps: int, loss: float) -> tuple[float, float]:
    """A training's progress as the bar shows it: the fraction done and the loss in bits."""
    return step / steps, loss / LN2


@dataclass(frozen=True)
class Training:
    """The training summary under the controls, and the steps the step slider offers."""

    params: int
    vocab: int  # V
    context: int  # k
    states: int  # V^k
    examples: int  # len(tokens) - k
    first_bits: float  # the loss before the first update (the final loss when nothing was trained)
    final_bits: float
    steps: tuple[int, ...]  # the snapshots, in order; the slider opens on the last

    @property
    def last(self) -> int:
        return self.steps[-1]


def training(mc: GPTConfig, seq: Sequence, result: TrainResult) -> Training:
    """The training's numbers, losses in bits."""
    k = mc.block_size
    first = result.losses[0] if result.losses else result.final_loss
    steps = tuple(sorted(result.snapshots))
    V = seq.vocab
    return Training(result.n_params, V, k, V**k, len(seq.tokens) - k, first / LN2, result.final_loss / LN2, steps)


@dataclass(frozen=True)
class Chain:
    """The learned table at the chosen step and temperature, and its key."""

    key: ChainKey
    probs: np.ndarray  # (V^k, V) the trained table at `key.step`, tempered by `key.temperature`
    vocab: int
    context: int

    @property
    def states(self) -> int:
        return self.vocab**self.context

    @property
    def tempered(self) -> bool:
        """The page says the table is tempered (T != 1)."""
        return self.key.temperature != 1.0


def chain(mc: GPTConfig, tc: TrainConfig, seq: Sequence, result: TrainResult, step: int, T: float) -> Chain:
    """The table at `step` with its logits divided by T (T = 1: the table as trained)."""
    key = ChainKey(mc, tc, seq.tokens, step, T)
    return Chain(key, mixing.tempered(result.snapshots[step], T), seq.vocab, mc.block_size)


@dataclass(frozen=True)
class Lead:
    """Why the never-seen states still have arrows, as numbers: the token the GPT favours there, its range, the data's
    rate of it, and the rules nearest the GPT's arrows."""

    token: int
    states: int  # never-seen states weighed
    never_seen: int  # all never-seen states
    partial: bool  # only the first `states` of them were weighed
    low: float
    high: float
    count: int  # training targets that are `token`
    examples: int  # training targets
    rate: float  # count / examples
    split: bool  # no one rule is nearest for every weighed state
    nearest: tuple[tuple[str, int], ...]  # (rule, states it is nearest for): the one rule, or each rule with states


def lead(r: RulesSummary) -> Lead:
    """The verdict of `core.babygpt.explain.summarise`: one rule nearest everywhere, or a split named rule by rule."""
    split = r.closest[r.nearest] < r.states
    nearest = (
        tuple((rule, r.closest[rule]) for rule in RULES if r.closest[rule]) if split else ((r.nearest, r.closest[r.nearest]),)
    )
    return Lead(
        r.token, r.states, r.never_seen, r.states < r.never_seen, r.low, r.high, r.count, r.examples, r.rate, split, nearest
    )


@dataclass(frozen=True)
class Answer:
    """The page's answer: the chain's size, the states the data shows, and why the others have arrows (None: no
    state is never seen)."""

    key: ChainKey
    states: int
    seen: int
    lead: Lead | None


def answer(c: Chain, counts: np.ndarray, rules: RulesSummary | None) -> Answer:
    """counts: the data's transition counts (V^k, V); rules: the never-seen states' summary for `c` (or None)."""
    seen = int((counts.sum(axis=1) > 0).sum())
    return Answer(c.key, len(counts), seen, lead(rules) if rules is not None else None)


@dataclass(frozen=True)
class GraphTab:
    """The graph tab: what is offered beside the graph, and the loss curve."""

    key: ChainKey
    states: int
    download: bool  # the whole graph as a file (up to GRAPH_NODE_LIMIT states)
    heatmap: bool  # a folded heatmap (past the drawn graph, up to HEATMAP_ROW_LIMIT states)
    too_big: bool  # no heatmap: only the table
    heatmap_limit: int
    losses_bits: tuple[float, ...]  # the loss at each step, in bits
    step: int


def graph_tab(c: Chain, result: TrainResult) -> GraphTab:
    n = c.states
    heatmap = FULL_GRAPH_LIMIT < n <= HEATMAP_ROW_LIMIT
    losses = tuple(x / LN2 for x in result.losses)
    return GraphTab(c.key, n, n <= GRAPH_NODE_LIMIT, heatmap, n > HEATMAP_ROW_LIMIT, HEATMAP_ROW_LIMIT, losses, c.key.step)


@dataclass(frozen=True)
class TableTab:
    """Model against data for every state (NaN where the data never goes: `core.babygpt.chain.model_vs_data`)."""

    key: ChainKey
    probs: np.ndarray
    vs_data: ModelVsData
    counts: np.ndarray


def table_tab(c: Chain, counts: np.ndarray) -> TableTab:
    return TableTab(c.key, c.probs, model_vs_data(c.probs, counts), counts)


@dataclass(frozen=True)
class LengthsTab:
    """The chain over states of every length 1..k at the page's step and temperature."""

    key: ChainKey
    context: int
    states: tuple[tuple[int, ...], ...]
    probs: np.ndarray  # (len(states), V)
    step: int
    last: int  # the training's steps
    tempered: bool


def lengths_tab(c: Chain, states, probs: np.ndarray) -> LengthsTab:
    """states, probs: `core.babygpt.chain.variable_length_table` of the model at `c.key.step`, tempered."""
    k = c.key
    return LengthsTab(k, c.context, tuple(tuple(s) for s in states), probs, k.step, k.train.steps, c.tempered)


@dataclass(frozen=True)
class SampleTab:
    """A seeded walk through the learned chain from the data's first state."""

    key: ChainKey
    start: tuple[int, ...]
    generated: tuple[int, ...]
    length: int
    seed: int
    focus: Focus | None  # past FULL_GRAPH_LIMIT states: the states the walk passes through (else the whole chain)
    states: int


def sample_tab(c: Chain, n: int, seed: int) -> SampleTab:
    start = tuple(c.key.tokens[: c.context])
    generated = random_walk(c.probs, n, seed, start)
    focus = walk_focus(walk_path(c.probs, n, seed, start), c.states) if c.states > FULL_GRAPH_LIMIT else None
    return SampleTab(c.key, start, tuple(generated), n, seed, focus, c.states)


@dataclass(frozen=True)
class LongRun:
    """The chain at its temperature in the long run, and the same figures against temperature (None: too many states)."""

    key: ChainKey
    entropy_rate_bits: float
    mixing_steps: int | None
    mixing_reason: str  # why there is no mixing time ("mixes" when there is)
    stationary: np.ndarray
    most_visited: np.ndarray  # the STATIONARY_SHOWN most visited states, most first
    by_temperature: list[AtTemperature] | None
    temperature: float
    step: int


def long_run(c: Chain, at: AtTemperature, points: list[AtTemperature] | None) -> LongRun:
    """at: `core.babygpt.mixing.at_temperature` of the trained table at c's temperature; points: `temperature_sweep`."""
    pi = at.stationary
    k = c.key
    top = most_visited(pi, STATIONARY_SHOWN)
    return LongRun(k, at.entropy_rate_bits, at.mixing.steps, at.mixing.reason, pi, top, points, k.temperature, k.step)
