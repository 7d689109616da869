"""Compare's page models: what each tab states about its trainings, as numbers and verdicts.

What it is: one pure function per tab, each returning one frozen dataclass with a `key` (the tab's inputs):
`sweep_tab` (the data's uncertainty and the GPT's loss at both ends of the context range), `bits_tab` (the reading
of one bit stream that costs least per bit), `side_tab` (two configurations, the states their arrows split or
differ on) and `seeds_tab` (the arrow the seeds disagree on most); `drawn` is a learned chain as a graph shows it.
The small requests the trainings need (`contexts`, `seed_range`, `seeds_model`) are here too.

What it is not: the trainings (`core.babygpt.compare`, run and cached by the app: their results come in as
arguments), words, tables, charts or caching.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from core.babygpt import focus
from core.babygpt.compare import (
    ChainRow,
    EqualBitsRow,
    SameContext,
    SeedSummary,
    SideBySide,
    Widest,
    cheapest_per_bit,
    seed_summary,
    widest,
)
from core.babygpt.data import Sequence
from core.babygpt.focus import Focus
from core.babygpt.limits import GRAPH_NODE_LIMIT
from core.babygpt.mixing import tempered
from core.babygpt.train import TrainConfig
from core.model import GPTConfig

BOX_STATES = 64  # up to this many states the seed spread is also drawn as one box per state


def contexts(lo: int, hi: int) -> tuple[int, ...]:
    """The context lengths a sweep trains: contexts(1, 4) == (1, 2, 3, 4)."""
    return tuple(range(lo, hi + 1))


def seed_range(first: int, n: int) -> tuple[int, ...]:
    """The n seeds from `first` on: seed_range(1337, 3) == (1337, 1338, 1339)."""
    return tuple(range(first, first + n))


def seeds_model(vocab: int, context: int) -> GPTConfig:
    """The model every seed trains: the article's shape with this vocabulary and context."""
    return GPTConfig(vocab_size=vocab, block_size=context)


@dataclass(frozen=True)
class Drawn:
    """A learned chain as its graph draws it: at the graph's temperature, or too big to draw."""

    key: tuple  # where `probs` came from: the drawing's cache key
    vocab: int
    context: int
    states: int  # V^k
    drawable: bool  # states <= GRAPH_NODE_LIMIT: past it no graph
    probs: np.ndarray | None  # (V^k, V) the arrows at T (None when not drawable)
    focus: Focus | None  # the states drawn: all while few, else the ones the data visits (None when not drawable)
    counts: np.ndarray  # (V^k, V) the data's counts
    itos: tuple[str, ...]  # the tokens' symbols
    temperature: float
    tempered: bool  # T != 1: said under the graph


def drawn(key: tuple, probs: np.ndarray, counts: np.ndarray, itos: tuple[str, ...], context: int, temperature: float) -> Drawn:
    """The chain `probs` (V^k, V) as a graph at `temperature`; `key` describes where it came from."""
    V = len(itos)
    ok = V**context <= GRAPH_NODE_LIMIT
    at_T = tempered(probs, temperature) if ok else None
    chosen = focus.default(at_T, counts, V, context) if ok else None
    return Drawn(key, V, context, V**context, ok, at_T, chosen, counts, itos, temperature, temperature != 1.0)


@dataclass(frozen=True)
class Sweep:
    """The context sweep's answer: from the shortest context to the longest, the data's uncertainty and the loss."""

    key: tuple  # (sequence, contexts, training)
    lo: int  # the shortest context k
    hi: int  # the longest
    entropy_lo: float  # H(next | k tokens) of the data at lo, bits per token
    entropy_hi: float  # and at hi
    loss_lo: float  # the trained GPT's final loss at lo, bits per token
    loss_hi: float  # and at hi
    seen: int  # states the data visits at hi
    states: int  # V^hi
    entropy_moves: str  # "falls", "rises" or "stays" from lo to hi, at the three decimals the page shows
    loss_moves: str  # the same for the loss: a budget-bound longer context can cost more


def moves(a: float, b: float, places: int = 3) -> str:
    """How a figure goes from a to b as shown with `places` decimals: "falls", "rises" or "stays"."""
    a, b = round(a, places), round(b, places)
    return "falls" if b < a else "rises" if b > a else "stays"


def sweep_tab(seq: Sequence, train_config: TrainConfig, rows: list[ChainRow]) -> Sweep:
    """The sweep's rows (one per context, in order) summed up by their two ends."""
    first, last = rows[0], rows[-1]
    return Sweep(
        key=(seq, tuple(r.context for r in rows), train_config),
        lo=first.context,
        hi=last.context,
        entropy_lo=first.conditional_entropy_bits,
        entropy_hi=last.conditional_entropy_bits,
        loss_lo=first.final_loss_bits,
        loss_hi=last.final_loss_bits,
        seen=last.observed_states,
        states=last.states,
        entropy_moves=moves(first.conditional_entropy_bits, last.conditional_entropy_bits),
        loss_moves=moves(first.final_loss_bits, last.final_loss_bits),
    )


@dataclass(frozen=True)
class Bits:
    """Equal bits: one bit stream read b bits per token, the same 2^B states each way, and the cheapest reading."""

    key: tuple  # (bits, B, training)
    n_bits: int  # bits in the stream
    states: int  # 2^B, every reading
    widths: tuple[int, ...]  # b of each reading, in the rows' order
    cheapest: int  # the b whose trained loss per bit is lowest
    cheapest_loss: float  # its loss, bits per bit


def bits_tab(bits: tuple[int, ...], context_bits: int, train_config: TrainConfig, rows: list[EqualBitsRow]) -> Bits:
    """The equal-bits rows of `bits` read with B = `context_bits` bits of context."""
    best = cheapest_per_bit(rows)
    return Bits(
        key=(bits, context_bits, train_config),
        n_bits=len(bits),
        states=2**context_bits,
        widths=tuple(r.bits_per_token for r in rows),
        cheapest=best.bits_per_token,
        cheapest_loss=best.loss_per_bit,
    )


def bits_chain(m: Bits, rows: list[EqualBitsRow], b: int, temperature: float) -> Drawn:
    """The chain learned reading b bits per token, as the graph draws it at `temperature`."""
    r = next(r.chain for r in rows if r.bits_per_token == b)
    bits, B, train_config = m.key
    return drawn(("bits", bits, B, b, train_config, temperature), r.probs, r.counts, r.itos, r.context, temperature)


@dataclass(frozen=True)
class Head:
    """One side's configuration and final loss, and its chain as drawn."""

    name: str  # "A" or "B"
    context: int
    seed: int
    loss: float  # final loss, bits per token
    chain: Drawn


@dataclass(frozen=True)
class Sides:
    """Side by side: two (context, seed) trainings on one sequence and where their arrows part."""

    key: tuple  # (sequence, (kA, seedA), (kB, seedB), steps)
    a: Head
    b: Head
    same_context: bool  # True: other seeds, arrows compared state by state; False: the longer context refines
    changed: np.ndarray | None  # same context: per state, arrows more than DIFF_HIGHLIGHT apart
    n_changed: int  # how many states that is (0 for two contexts)
    short: int  # the shorter context (the states the table lists)
    long: int  # the longer one


def side_tab(seq: Sequence, a: tuple[int, int], b: tuple[int, int], steps: int, cmp: SideBySide, temperature: float) -> Sides:
    """The comparison `cmp` of (k, seed) = a and b trained `steps` on `seq`, its graphs at `temperature`."""
    key = (seq, a, b, steps)

    def head(name: str, s) -> Head:
        chain = drawn(("side", *key, name, temperature), s.probs, s.counts, seq.itos, s.context, temperature)
        return Head(name, s.context, s.seed, s.final_loss_bits, chain)

    same = isinstance(cmp, SameContext)
    short, long_ = sorted((cmp.a.context, cmp.b.context))
    return Sides(
        key=key,
        a=head("A", cmp.a),
        b=head("B", cmp.b),
        same_context=same,
        changed=cmp.changed if same else None,
        n_changed=int(cmp.changed.sum()) if same else 0,
        short=short,
        long=long_,
    )


@dataclass(frozen=True)
class Seeds:
    """Seed spread: one training over several seeds, the arrow to the last token per state, and the widest spread."""

    key: tuple  # (sequence, model, training, seeds)
    context: int
    seeds: tuple[int, ...]
    token: int  # the next token whose arrows are summarised (the vocabulary's last)
    summary: SeedSummary
    widest: Widest  # the state whose arrow the seeds disagree on most
    boxes: bool  # few enough states to draw one box each


def seeds_tab(seq: Sequence, model_config: GPTConfig, train_config: TrainConfig, seeds, tables: np.ndarray) -> Seeds:
    """The final tables (n_seeds, V^k, V) of `seeds`, summarised for the vocabulary's last token."""
    token = seq.vocab - 1
    summary = seed_summary(tables, token)
    return Seeds(
        key=(seq, model_config, train_config, tuple(seeds)),
        context=model_config.block_size,
        seeds=tuple(seeds),
        token=token,
        summary=summary,
        widest=widest(summary),
        boxes=tables.shape[1] <= BOX_STATES,
    )
