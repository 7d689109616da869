"""Training a BabyGPT on one sequence, as the notebook does: full batch, AdamW, cross-entropy.

What it is: `train(model_config, train_config, tokens)` returning the trained model, the
loss at every step and snapshots of the transition table (step 0 = init), so a page can
scrub through training. Progress is reported through an optional callback.

Deterministic: building the model is the only use of a random generator, and it is done
atomically (`core.model.build_model`), so the same configs give the same numbers whether
one training runs or many run at once in threads of one process.

What it is not: a general trainer; no mini-batches, no dropout, no GPU.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import torch
from torch.nn import functional as F

from core.chain import transition_table
from core.data import check_long_enough, make_examples
from core.model import GPT, TRAIN_THREADS, GPTConfig, build_model, estimate_params, pin_threads
from core.states import n_states

MAX_STEPS = 2_000  # optimizer steps in one training
MAX_TRAIN_FLOPS = 3e11  # ~6 * params * tokens * steps: about 10 s of CPU at most
MAX_SNAPSHOT_VALUES = 2_000_000  # floats kept over all snapshots (states * V * snapshots)
MAX_SNAPSHOTS = 51  # default number of snapshots, step 0 and the last step included


@dataclass(frozen=True)
class TrainConfig:
    steps: int = 50  # full-batch AdamW steps
    lr: float = 1e-3  # learning rate
    weight_decay: float = 0.1  # AdamW weight decay
    seed: int = 1337  # torch.manual_seed right before building the model

    def __post_init__(self):
        if not 0 <= self.steps <= MAX_STEPS:
            raise ValueError(f"steps must be 0..{MAX_STEPS:,}, got {self.steps:,}")
        if not (0 < self.lr <= 1):
            raise ValueError(f"learning rate must be in (0, 1], got {self.lr}")
        if not (0 <= self.weight_decay <= 10):
            raise ValueError(f"weight decay must be in [0, 10], got {self.weight_decay}")
        if not (0 <= self.seed < 2**63):
            raise ValueError(f"seed must be a whole number from 0 to 2^63 - 1, got {self.seed}")


@dataclass(frozen=True)
class TrainResult:
    model: GPT  # the trained model, in eval mode
    n_params: int
    losses: tuple[float, ...]  # losses[i]: cross-entropy (nats) at step i, before its update
    final_loss: float  # cross-entropy after the last update
    snapshots: dict[int, np.ndarray]  # step -> transition table (V^k, V) after that many updates
    seconds: float  # wall time of the training loop


def training_cost(model_config: GPTConfig, n_examples: int, steps: int) -> float:
    """Approximate floating-point operations of a training: 6 * params * tokens * steps."""
    return 6.0 * estimate_params(model_config) * n_examples * model_config.block_size * max(steps, 1)


def check_budget(model_config: GPTConfig, train_config: TrainConfig, n_tokens: int) -> None:
    """Raise ValueError with a specific message if this training cannot run or is past the caps."""
    n_states(model_config.vocab_size, model_config.block_size)
    check_long_enough(n_tokens, model_config.block_size)
    cost = training_cost(model_config, max(n_tokens - model_config.block_size, 1), train_config.steps)
    if cost > MAX_TRAIN_FLOPS:
        raise ValueError(
            f"this training would take about {cost:.2g} operations, past the limit of {MAX_TRAIN_FLOPS:.0e}: "
            "use fewer steps, a shorter sequence or a smaller model"
        )


def snapshot_steps(steps: int, n_values_per_table: int, count: int = MAX_SNAPSHOTS) -> list[int]:
    """Evenly spaced steps 0..steps (both ends included), as many as the memory cap allows."""
    count = max(2, min(count, steps + 1, MAX_SNAPSHOT_VALUES // max(n_values_per_table, 1)))
    return sorted({round(i * steps / (count - 1)) for i in range(count)})


def train(
    model_config: GPTConfig,
    train_config: TrainConfig,
    tokens: tuple[int, ...],
    snapshots: list[int] | None = None,
    progress: Callable[[int, int, float], None] | None = None,
) -> TrainResult:
    """Train a fresh model on `tokens`; progress(step, steps, loss) is called after every step."""
    check_budget(model_config, train_config, len(tokens))
    if tokens and max(tokens) >= model_config.vocab_size:
        raise ValueError(f"token {max(tokens)} is outside the vocabulary of {model_config.vocab_size}")
    X, Y = make_examples(tokens, model_config.block_size)
    V, k, steps = model_config.vocab_size, model_config.block_size, train_config.steps
    if snapshots is None:
        snapshots = snapshot_steps(steps, V**k * V)
    wanted = set(s for s in snapshots if 0 <= s <= steps)

    model = build_model(model_config, train_config.seed)
    optimizer = torch.optim.AdamW(model.parameters(), lr=train_config.lr, weight_decay=train_config.weight_decay)
    tables: dict[int, np.ndarray] = {}
    losses: list[float] = []
    t0 = time.perf_counter()
    for step in range(steps + 1):
        if step in wanted:
            tables[step] = transition_table(model)
        if step == steps:
            break
        pin_threads(TRAIN_THREADS)  # a snapshot pins its own count; training always runs with this one
        loss = F.cross_entropy(model(X), Y)
        loss.backward()
        optimizer.step()
        optimizer.zero_grad(set_to_none=True)
        losses.append(loss.item())
        if progress is not None:
            progress(step + 1, steps, losses[-1])
    seconds = time.perf_counter() - t0
    model.eval()
    with torch.no_grad():
        final_loss = F.cross_entropy(model(X), Y).item()
    return TrainResult(model, model.n_params(), tuple(losses), final_loss, tables, seconds)
