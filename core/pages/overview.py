"""The overview's page model: the article's BabyGPT at the slider's step and temperature, as numbers.

What it is: `overview(...)` -> `Overview`, everything the overview states: the chain's size, the three arrows the
article quotes (at the page's step and T) beside the article's published values, what training does to 101 -> 011,
the never-seen state's arrow beside the data's own rate, the loss in bits, the walk the graph plays, GPT-4's state
count, and the table the graph draws. `source` is the cache key of a table of this training.

What it is not: the training (a `TrainResult` comes in, trained and cached by the app), the weighing of the rules on
never-seen states (`core.babygpt.explain`, its summary comes in), words, charts or caching.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from core.arith.presets import preset
from core.arith.statespace import count_states
from core.babygpt.data import Sequence
from core.babygpt.explain import RulesSummary
from core.babygpt.mixing import tempered
from core.babygpt.states import label, state_index
from core.babygpt.train import TrainResult
from core.model import GPTConfig

NAME = "article"  # the training every table on the page comes from
GPT4 = preset("GPT-4 (32K)")  # the real model whose state count the argument quotes
ALWAYS, UNSEEN = (1, 0, 1), (0, 0, 0)  # the data always continues 101 with 1; 000 never occurs
QUOTED = (  # (state, next tokens, the article's published probabilities of them)
    (ALWAYS, (1,), (0.79,)),
    ((1, 1, 1), (1, 0), (0.45, 0.55)),  # ambiguous: the data continues it with 1 and with 0 equally often
    (UNSEEN, (1,), (0.73,)),
)
WALK_SEED, WALK_LENGTH = 0, 60  # the walk the graph plays, from the sequence's first state


@dataclass(frozen=True)
class Quote:
    """An arrow the article quotes: from state `name` by its next tokens, the model's probabilities and the article's."""

    name: str  # the state as shown, '101'
    model: tuple[float, ...]  # at the page's step and temperature
    article: tuple[float, ...]  # the article's published values


@dataclass(frozen=True)
class Overview:
    """What the overview states, at one step and temperature of the article's training."""

    key: tuple  # source(step, T): where `probs` came from (the graph's cache key)
    vocab: int  # V: arrows from each state
    context: int  # k
    states: int  # V^k
    step: int  # the slider's step
    last: int  # the training's last step
    temperature: float
    tempered: bool  # T != 1: the numbers and the graph are the tempered arrows (said under them)
    probs: np.ndarray  # (V^k, V) the table at `step` and T, as drawn
    quotes: tuple[Quote, ...]  # the article's three arrows, at `step` and T
    trained: tuple[float, float]  # 101 -> 011 at initialization and after the last step (T = 1)
    unseen: float  # 000 -> 001 after the last step (T = 1)
    unseen_symbol: str  # the token the GPT favours on never-seen states
    data_rate: float  # the share of the data's examples that continue with it
    params: int
    first_bits: float  # the loss before the first update, bits per token
    final_bits: float  # the loss after the last update, bits per token
    walk: tuple[int, int, tuple[int, ...]]  # (seed, length, start state's tokens) of the walk the graph plays
    gpt4_exponent: int  # GPT-4 (32K) has about 10^this states


def snapshot_steps(result: TrainResult) -> tuple[int, ...]:
    """The steps the training kept a table at, in order: the slider's choices (the last is its default)."""
    return tuple(sorted(result.snapshots))


def source(step: int, temperature: float = 1.0) -> tuple:
    """Where a table of the article's training came from: its cache key."""
    return (NAME, step, temperature)


def overview(
    seq: Sequence,
    model_config: GPTConfig,
    result: TrainResult,
    step: int,
    temperature: float,
    unseen: RulesSummary,
) -> Overview:
    """The overview at `step` and `temperature`; `unseen` summarises the never-seen states of the last step's table."""
    V, k = seq.vocab, model_config.block_size
    assert (V, k) == (2, 3), f"the overview quotes the article's states: V = 2, k = 3, not V = {V}, k = {k}"
    steps = snapshot_steps(result)
    first, last = result.snapshots[steps[0]], result.snapshots[steps[-1]]
    probs = tempered(result.snapshots[step], temperature)
    at = lambda table, state, token: float(table[state_index(state, V), token])
    quotes = tuple(
        Quote(label(state, seq.itos), tuple(at(probs, state, t) for t in tokens), article) for state, tokens, article in QUOTED
    )
    return Overview(
        key=source(step, temperature),
        vocab=V,
        context=k,
        states=V**k,
        step=step,
        last=steps[-1],
        temperature=temperature,
        tempered=temperature != 1.0,
        probs=probs,
        quotes=quotes,
        trained=(at(first, ALWAYS, 1), at(last, ALWAYS, 1)),
        unseen=at(last, UNSEEN, 1),
        unseen_symbol=seq.itos[unseen.token],
        data_rate=unseen.rate,
        params=result.n_params,
        first_bits=result.losses[0] / math.log(2),
        final_bits=result.final_loss / math.log(2),
        walk=(WALK_SEED, WALK_LENGTH, seq.tokens[:k]),
        gpt4_exponent=count_states(GPT4.vocab, GPT4.context).exponent,
    )
