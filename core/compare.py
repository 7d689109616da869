"""Comparisons: what a longer context buys, what a bigger vocabulary costs, what a seed changes.

What it is: the context sweep (k = 1..K on one sequence), the vocabulary comparison at equal
information (one bit stream read b bits per token), the seed spread, and the diff of two
transition tables. Each returns plain rows or arrays; pages and the CLI format them.

What it is not: a trainer (it calls `core.train`) or a renderer.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable

import numpy as np

from core.batched import train_seeds
from core.chain import compare as compare_chains
from core.chain import conditional_entropy_bits, empirical_counts
from core.data import Sequence, SequenceError, check_long_enough
from core.model import GPTConfig
from core.states import MAX_STATES
from core.train import TrainConfig, train

MAX_SWEEP_CONTEXT = 8  # largest k in a context sweep
MAX_SEEDS = 16  # models in one seed spread
MAX_BITS = 4_000  # bits in the equal-information comparison
DEFAULT_TRAIN = TrainConfig()  # the article's training (frozen, safe as a default)
DEFAULT_MODEL = GPTConfig()  # the article's model shape; vocab and context are set per row


def parse_range(text: str) -> tuple[int, int]:
    """'1-4' -> (1, 4); '3' -> (3, 3). Raises ValueError with the accepted form."""
    m = re.fullmatch(r"\s*(\d+)\s*(?:-\s*(\d+))?\s*", text)
    if not m:
        raise ValueError(f"context range must look like 1-4, got {text!r}")
    lo, hi = int(m.group(1)), int(m.group(2) or m.group(1))
    if not 1 <= lo <= hi <= MAX_SWEEP_CONTEXT:
        raise ValueError(f"context range must be within 1-{MAX_SWEEP_CONTEXT} and ascending, got {text!r}")
    return lo, hi


def _model_config(template: GPTConfig, vocab: int, context: int) -> GPTConfig:
    return GPTConfig(
        block_size=context,
        vocab_size=vocab,
        n_layer=template.n_layer,
        n_head=template.n_head,
        n_embd=template.n_embd,
        bias=template.bias,
    )


def chain_row(seq: Sequence, context: int, train_config: TrainConfig, template: GPTConfig = DEFAULT_MODEL) -> dict:
    """Train one model with context k on `seq` and measure it against the data's own chain."""
    V = seq.vocab
    if V**context > MAX_STATES:
        raise ValueError(f"V^k = {V}^{context} is past the limit of {MAX_STATES:,} states")
    result = train(_model_config(template, V, context), train_config, seq.tokens, snapshots=[train_config.steps])
    probs = result.snapshots[train_config.steps]
    counts = empirical_counts(seq.tokens, V, context)
    cmp = compare_chains(probs, counts)
    seen = cmp["seen"]
    visits = counts.sum(axis=1)
    unseen_sharpness = float(probs[~seen].max(axis=1).mean()) if (~seen).any() else float("nan")
    return {
        "context": context,
        "states": V**context,
        "observed_states": int(seen.sum()),
        "conditional_entropy_bits": conditional_entropy_bits(counts),
        "final_loss_bits": result.final_loss / math.log(2),
        "mean_tv_seen": float(np.average(cmp["total_variation"][seen], weights=visits[seen])),
        "unseen_max_prob": unseen_sharpness,
        "train_seconds": result.seconds,
        "probs": probs,
        "counts": counts,
    }


def context_sweep(
    seq: Sequence,
    contexts,
    train_config: TrainConfig = DEFAULT_TRAIN,
    template: GPTConfig = DEFAULT_MODEL,
    progress: Callable[[int, int], None] | None = None,
) -> list[dict]:
    """One row per context length k: states, observed states, H(next | k tokens), the model's loss."""
    contexts = list(contexts)
    if not contexts or max(contexts) > MAX_SWEEP_CONTEXT or min(contexts) < 1:
        raise ValueError(f"context lengths must be within 1..{MAX_SWEEP_CONTEXT}")
    check_long_enough(len(seq.tokens), max(contexts))
    rows = []
    for i, k in enumerate(contexts):
        rows.append(chain_row(seq, k, train_config, template))
        if progress:
            progress(i + 1, len(contexts))
    return rows


def bits_to_tokens(bits: tuple[int, ...], b: int) -> tuple[int, ...]:
    """Read a bit stream b bits per token, most significant bit first; a ragged tail is dropped.

    bits_to_tokens((1, 0, 1, 1), 2) == (2, 3)
    """
    n = len(bits) // b
    return tuple(int("".join(map(str, bits[i * b : (i + 1) * b])), 2) for i in range(n))


def tokens_to_bits(tokens: tuple[int, ...], b: int) -> tuple[int, ...]:
    """The inverse of bits_to_tokens. tokens_to_bits((2, 3), 2) == (1, 0, 1, 1)."""
    return tuple(int(c) for t in tokens for c in format(t, f"0{b}b"))


def equal_bits(
    bits: tuple[int, ...],
    context_bits: int,
    bits_per_token: list[int],
    train_config: TrainConfig = DEFAULT_TRAIN,
    template: GPTConfig = DEFAULT_MODEL,
    progress: Callable[[int, int], None] | None = None,
) -> list[dict]:
    """One bit stream seen with V = 2^b and k = B / b: the same 2^B states, different chains."""
    if any(c not in (0, 1) for c in bits):
        raise SequenceError("the bit stream may hold only 0s and 1s")
    if not 0 < len(bits) <= MAX_BITS:
        raise SequenceError(f"the bit stream must have 1 to {MAX_BITS:,} bits, got {len(bits):,}")
    rows = []
    for i, b in enumerate(bits_per_token):
        if context_bits % b:
            raise ValueError(f"{context_bits} context bits cannot be split into tokens of {b} bits")
        V, k = 2**b, context_bits // b
        tokens = bits_to_tokens(bits, b)
        seq = Sequence(tokens, tuple(format(t, f"0{b}b") if b > 1 else str(t) for t in range(V)))
        row = chain_row(seq, k, train_config, template)
        row.update(
            bits_per_token=b,
            vocab=V,
            tokens=len(tokens),
            entropy_per_bit=row["conditional_entropy_bits"] / b,
            loss_per_bit=row["final_loss_bits"] / b,
            itos=seq.itos,
        )
        rows.append(row)
        if progress:
            progress(i + 1, len(bits_per_token))
    return rows


def seed_spread(
    seq: Sequence,
    model_config: GPTConfig,
    train_config: TrainConfig,
    seeds: list[int],
    progress: Callable[[int, int], None] | None = None,
) -> np.ndarray:
    """Final transition tables of the same training over several seeds: shape (n_seeds, V^k, V).

    The seeds train together as one batched computation (`core.batched`), several times faster
    than one after another; each table agrees with a lone training to about 1e-5.
    """
    if not 1 <= len(seeds) <= MAX_SEEDS:
        raise ValueError(f"choose 1 to {MAX_SEEDS} seeds, got {len(seeds)}")
    return train_seeds(model_config, train_config, seq.tokens, seeds, progress)[0]


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
