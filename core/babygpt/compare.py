"""Comparisons: what a longer context buys, what a bigger vocabulary costs, what a seed changes.

What it is: the context sweep (k = 1..K on one sequence), the vocabulary comparison at equal
information (one bit stream read b bits per token), two configurations side by side, and the
seed spread. Each entry point checks its whole request against the caps once
(`core.babygpt.limits`), then returns frozen values; pages and the CLI format them.

What it is not: a trainer (it calls `core.babygpt.train`) or a renderer (`ui/`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from core import ranges
from core.babygpt.batched import train_seeds
from core.babygpt.chain import conditional_entropy_bits, empirical_counts, model_vs_data
from core.babygpt.data import Sequence, SequenceError, check_long_enough
from core.babygpt.limits import MAX_BITS, MAX_SWEEP_CONTEXT, MAX_VOCAB, LimitError
from core.babygpt.train import Progress, TrainConfig, check_training, train
from core.errors import ConfigError
from core.model import GPTConfig

DEFAULT_TRAIN = TrainConfig()  # the article's training (frozen, safe as a default)
DEFAULT_MODEL = GPTConfig()  # the article's model shape; vocab and context are set per row
DIFF_HIGHLIGHT = 0.1  # side by side: arrows that differ by more than this are highlighted


def parse_range(text: str) -> tuple[int, int]:
    """'1-4' -> (1, 4); '3' -> (3, 3). Raises ConfigError with the accepted form."""
    if not ranges.RANGE_FORM.fullmatch(text):
        raise ConfigError("config.range_format", text=text)
    lo, hi = ranges.parse_range(text) or (0, 0)
    if not 1 <= lo <= hi <= MAX_SWEEP_CONTEXT:
        raise ConfigError("config.range_order", limit=MAX_SWEEP_CONTEXT, text=text)
    return lo, hi


def model_config(template: GPTConfig, vocab: int, context: int) -> GPTConfig:
    """The template's shape with this vocabulary and context."""
    return GPTConfig(
        block_size=context,
        vocab_size=vocab,
        n_layer=template.n_layer,
        n_head=template.n_head,
        n_embd=template.n_embd,
        bias=template.bias,
    )


@dataclass(frozen=True)
class ChainRow:
    """One trained model with context k, measured against the data's own chain."""

    context: int
    vocab: int
    states: int  # V^k
    observed_states: int  # states the data visits
    conditional_entropy_bits: float  # H(next | k previous tokens) of the data
    final_loss_bits: float  # the model's cross-entropy on the data after training, bits per token
    mean_tv_seen: float  # total variation model vs data, averaged over visits
    unseen_max_prob: float  # mean over never-seen states of the largest arrow (NaN if none)
    train_seconds: float
    steps: int
    losses_bits: tuple[float, ...]  # the training's loss at every step, bits per token
    probs: np.ndarray  # (V^k, V) the learned chain
    counts: np.ndarray  # (V^k, V) the data's counts
    itos: tuple[str, ...]

    def numbers(self) -> dict:
        """The row's scalars under stable keys (the CLI's JSON)."""
        return {
            "context": self.context,
            "states": self.states,
            "observed_states": self.observed_states,
            "conditional_entropy_bits": self.conditional_entropy_bits,
            "final_loss_bits": self.final_loss_bits,
        }


def chain_row(seq: Sequence, context: int, train_config: TrainConfig, template: GPTConfig = DEFAULT_MODEL) -> ChainRow:
    """Train one model with context k on `seq` (already checked) and measure it against the data."""
    V = seq.vocab
    result = train(model_config(template, V, context), train_config, seq.tokens, snapshots=[train_config.steps])
    probs = result.snapshots[train_config.steps]
    counts = empirical_counts(seq.tokens, V, context)
    cmp = model_vs_data(probs, counts)
    unseen = ~cmp.seen
    return ChainRow(
        context=context,
        vocab=V,
        states=V**context,
        observed_states=int(cmp.seen.sum()),
        conditional_entropy_bits=conditional_entropy_bits(counts),
        final_loss_bits=result.final_loss / math.log(2),
        mean_tv_seen=float(np.average(cmp.total_variation[cmp.seen], weights=cmp.visits[cmp.seen])),
        unseen_max_prob=float(probs[unseen].max(axis=1).mean()) if unseen.any() else float("nan"),
        train_seconds=result.seconds,
        steps=train_config.steps,
        losses_bits=tuple(x / math.log(2) for x in result.losses),
        probs=probs,
        counts=counts,
        itos=seq.itos,
    )


def check_sweep(seq: Sequence, contexts, train_config: TrainConfig, template: GPTConfig = DEFAULT_MODEL) -> list[int]:
    """The request check of a context sweep: the range, then every training in it."""
    contexts = list(contexts)
    if not contexts or max(contexts) > MAX_SWEEP_CONTEXT or min(contexts) < 1:
        raise LimitError("limit.sweep", limit=MAX_SWEEP_CONTEXT)
    check_long_enough(len(seq.tokens), max(contexts))
    for k in contexts:
        check_training(model_config(template, seq.vocab, k), train_config, len(seq.tokens))
    return contexts


def context_sweep(
    seq: Sequence,
    contexts,
    train_config: TrainConfig = DEFAULT_TRAIN,
    template: GPTConfig = DEFAULT_MODEL,
    progress: Progress | None = None,
) -> list[ChainRow]:
    """One row per context length k: states, observed states, H(next | k tokens), the model's loss."""
    contexts = check_sweep(seq, contexts, train_config, template)
    rows = []
    for i, k in enumerate(contexts):
        rows.append(chain_row(seq, k, train_config, template))
        if progress:
            progress(i + 1, len(contexts), rows[-1].final_loss_bits)
    return rows


def text_to_bits(text: str) -> tuple[int, ...]:
    """The UTF-8 bytes of a text as bits, most significant first. text_to_bits('A') == (0, 1, 0, 0, 0, 0, 0, 1)."""
    return tuple(int(c) for byte in text.encode("utf-8") for c in format(byte, "08b"))


def bit_widths(context_bits: int) -> tuple[int, ...]:
    """Token widths b that split B context bits evenly and keep V = 2^b within the vocabulary cap."""
    return tuple(b for b in (1, 2, 4, 8) if context_bits % b == 0 and 2**b <= MAX_VOCAB)


def bits_to_tokens(bits: tuple[int, ...], b: int) -> tuple[int, ...]:
    """Read a bit stream b bits per token, most significant bit first; a ragged tail is dropped.

    bits_to_tokens((1, 0, 1, 1), 2) == (2, 3)
    """
    n = len(bits) // b
    return tuple(int("".join(map(str, bits[i * b : (i + 1) * b])), 2) for i in range(n))


@dataclass(frozen=True)
class EqualBitsRow:
    """The bit stream read b bits per token: V = 2^b, k = B / b, the same 2^B states for every b."""

    bits_per_token: int
    tokens: int
    chain: ChainRow

    @property
    def entropy_per_bit(self) -> float:
        return self.chain.conditional_entropy_bits / self.bits_per_token

    @property
    def loss_per_bit(self) -> float:
        return self.chain.final_loss_bits / self.bits_per_token


def equal_bits(
    bits: tuple[int, ...],
    context_bits: int,
    bits_per_token: list[int],
    train_config: TrainConfig = DEFAULT_TRAIN,
    template: GPTConfig = DEFAULT_MODEL,
    progress: Progress | None = None,
) -> list[EqualBitsRow]:
    """One bit stream seen with V = 2^b and k = B / b: the same 2^B states, different chains."""
    if any(c not in (0, 1) for c in bits):
        raise SequenceError("seq.bits")
    if not bits:
        raise SequenceError("seq.no_text")
    if len(bits) > MAX_BITS:
        raise LimitError("limit.bits", n=len(bits), limit=MAX_BITS)
    seqs = []
    for b in bits_per_token:
        if context_bits % b:
            raise ConfigError("config.bits_split", bits=context_bits, width=b)
        tokens = bits_to_tokens(bits, b)
        seq = Sequence(tokens, tuple(format(t, f"0{b}b") if b > 1 else str(t) for t in range(2**b)))
        check_training(model_config(template, 2**b, context_bits // b), train_config, len(tokens))
        seqs.append(seq)
    rows = []
    for i, (b, seq) in enumerate(zip(bits_per_token, seqs, strict=True)):
        rows.append(EqualBitsRow(b, len(seq.tokens), chain_row(seq, context_bits // b, train_config, template)))
        if progress:
            progress(i + 1, len(bits_per_token), rows[-1].chain.final_loss_bits)
    return rows


@dataclass(frozen=True)
class Side:
    """One side of a side-by-side comparison: a trained chain and its configuration."""

    context: int
    seed: int
    final_loss_bits: float
    probs: np.ndarray  # (V^k, V)
    counts: np.ndarray  # (V^k, V) the data's counts at this context


@dataclass(frozen=True)
class SameContext:
    """Two trainings of the same k on one sequence (other seeds): how their arrows differ."""

    a: Side
    b: Side
    diff: np.ndarray  # b.probs - a.probs, (V^k, V)
    changed: np.ndarray  # states whose arrows differ by more than DIFF_HIGHLIGHT


@dataclass(frozen=True)
class Refinement:
    """Two trainings of different k on one sequence: how the longer context refines the shorter one's states."""

    a: Side
    b: Side
    short: Side  # the shorter context
    refined_min: np.ndarray  # per shorter state, the min and max of the longer model's arrows
    refined_max: np.ndarray  # over the longer states that end with it, (V^k_short, V)

    @property
    def long(self) -> Side:
        """The longer context's side."""
        return self.b if self.short is self.a else self.a


SideBySide = SameContext | Refinement


def side_by_side(
    seq: Sequence, a: tuple[int, int], b: tuple[int, int], steps: int, template: GPTConfig = DEFAULT_MODEL, progress=None
) -> SideBySide:
    """Train (k, seed) = a and b on `seq` for `steps` and compare their chains."""
    configs = [(model_config(template, seq.vocab, k), TrainConfig(steps=steps, seed=s)) for k, s in (a, b)]
    for mc, tc in configs:
        check_training(mc, tc, len(seq.tokens))
    sides = []
    for i, (mc, tc) in enumerate(configs):
        r = train(mc, tc, seq.tokens, snapshots=[steps])
        k = mc.block_size
        sides.append(Side(k, tc.seed, r.final_loss / math.log(2), r.snapshots[steps], empirical_counts(seq.tokens, seq.vocab, k)))
        if progress:
            progress(i + 1, 2, sides[-1].final_loss_bits)
    sa, sb = sides
    if sa.context == sb.context:
        diff = sb.probs - sa.probs
        return SameContext(sa, sb, diff, np.abs(diff).max(axis=1) > DIFF_HIGHLIGHT)
    short, long_ = (sa, sb) if sa.context < sb.context else (sb, sa)
    lo, hi = refinement_range(long_.probs, seq.vocab, short.context)
    return Refinement(sa, sb, short, lo, hi)


def check_spread(seq: Sequence, model_cfg: GPTConfig, train_config: TrainConfig, seeds) -> None:
    """The request check of a seed spread: the seeds, and all their trainings together."""
    check_training(model_cfg, train_config, len(seq.tokens), n_seeds=len(seeds))


def seed_spread(
    seq: Sequence,
    model_cfg: GPTConfig,
    train_config: TrainConfig,
    seeds: list[int],
    progress: Progress | None = None,
) -> np.ndarray:
    """Final transition tables of the same training over several seeds: shape (n_seeds, V^k, V).

    The seeds train together as one batched computation (`core.babygpt.batched`), several times faster
    than one after another; each table agrees with a lone training to 1e-4.
    """
    check_spread(seq, model_cfg, train_config, seeds)
    return train_seeds(model_cfg, train_config, seq.tokens, list(seeds), progress)[0]


@dataclass(frozen=True)
class SeedSummary:
    """P(next = token) per state over seeds: the first seed's value and the spread of all."""

    token: int
    first: np.ndarray
    mean: np.ndarray
    std: np.ndarray
    low: np.ndarray
    high: np.ndarray
    values: np.ndarray  # (n_seeds, V^k)


def seed_summary(tables: np.ndarray, token: int) -> SeedSummary:
    """Summarise tables (n_seeds, V^k, V) for one next token."""
    p = tables[:, :, token]
    return SeedSummary(token, p[0], p.mean(0), p.std(0), p.min(0), p.max(0), p)


def refinement_range(p_long: np.ndarray, vocab: int, k_short: int) -> tuple[np.ndarray, np.ndarray]:
    """For each state of the shorter context, the min and max of the longer model's arrows over
    the longer states that end with it: shape (V^k_short, V) each.

    A longer state ends with a shorter one when index_long % V^k_short == index_short, e.g.
    0111 and 1111 both end with 111. A wide range means the extra history changes the prediction.
    """
    groups = np.arange(len(p_long)) % vocab**k_short
    lo = np.full((vocab**k_short, vocab), np.inf)
    hi = np.full((vocab**k_short, vocab), -np.inf)
    np.minimum.at(lo, groups, p_long)
    np.maximum.at(hi, groups, p_long)
    return lo, hi


@dataclass(frozen=True)
class Widest:
    """The arrow the seeds disagree on most: its state, its lowest and highest probability over the seeds."""

    state: int
    low: float
    high: float


def widest(s: SeedSummary) -> Widest:
    """The state whose arrow to s.token spreads most over the seeds (the first on a tie)."""
    i = int(np.argmax(s.high - s.low))
    return Widest(i, float(s.low[i]), float(s.high[i]))


def cheapest_per_bit(rows: list[EqualBitsRow] | tuple[EqualBitsRow, ...]) -> EqualBitsRow:
    """Of one bit stream read b bits per token, the reading whose trained loss per bit is lowest (the first on a tie)."""
    return min(rows, key=lambda r: r.loss_per_bit)
