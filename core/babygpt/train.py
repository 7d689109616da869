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

import io
import time
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import torch
from torch.nn import functional as F

from core import stopping
from core.babygpt.adamw import FlatAdamW
from core.babygpt.chain import transition_table
from core.babygpt.data import check_long_enough, make_examples
from core.babygpt.limits import (
    MAX_SEEDS,
    MAX_SNAPSHOT_VALUES,
    MAX_STEPS,
    MAX_TRAIN_FLOPS,
    LimitError,
    check_model,
    check_range,
    check_states,
)
from core.errors import ConfigError
from core.model import GPT, GPTConfig, build_model, estimate_params
from core.threads import TRAIN_THREADS, pin_threads

MAX_SNAPSHOTS = 51  # default number of snapshots, step 0 and the last step included
Progress = Callable[[int, int, "float | None"], None]  # (done, total, latest loss or None): every long job reports so


@dataclass(frozen=True)
class TrainConfig:
    steps: int = 50  # full-batch AdamW steps
    lr: float = 1e-3  # learning rate
    weight_decay: float = 0.1  # AdamW weight decay
    seed: int = 1337  # torch.manual_seed right before building the model

    def __post_init__(self):
        check_range("steps", self.steps, 0, MAX_STEPS)
        if not (0 < self.lr <= 1):
            raise ConfigError("config.lr", value=self.lr)
        if not (0 <= self.weight_decay <= 10):
            raise ConfigError("config.weight_decay", value=self.weight_decay)
        if not (0 <= self.seed < 2**63):
            raise ConfigError("config.seed", value=self.seed)


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


def check_training(model_config: GPTConfig, train_config: TrainConfig, n_tokens: int, n_seeds: int = 1) -> None:
    """The check for one training (or n_seeds of the same one): model size, states, data length, operations.

    Raises LimitError past a cap, SequenceError if the sequence cannot make one example.
    """
    check_model(model_config)
    check_states(model_config.vocab_size, model_config.block_size)
    check_long_enough(n_tokens, model_config.block_size)
    if not 1 <= n_seeds <= MAX_SEEDS:
        raise LimitError("limit.seeds", seeds=n_seeds, limit=MAX_SEEDS)
    cost = training_cost(model_config, max(n_tokens - model_config.block_size, 1), train_config.steps) * n_seeds
    if cost > MAX_TRAIN_FLOPS:
        code = "limit.flops" if n_seeds == 1 else "limit.seeds_flops"
        raise LimitError(code, flops=cost, limit=MAX_TRAIN_FLOPS, seeds=n_seeds)


def snapshot_steps(steps: int, n_values_per_table: int, count: int = MAX_SNAPSHOTS) -> list[int]:
    """Evenly spaced steps 0..steps (both ends included), as many as the memory cap allows."""
    count = max(2, min(count, steps + 1, MAX_SNAPSHOT_VALUES // max(n_values_per_table, 1)))
    return sorted({round(i * steps / (count - 1)) for i in range(count)})


@stopping.running()  # stopped at exit at its next step, and waited for (core.stopping)
def train(
    model_config: GPTConfig,
    train_config: TrainConfig,
    tokens: tuple[int, ...],
    snapshots: list[int] | None = None,
    progress: Progress | None = None,
) -> TrainResult:
    """Train a fresh model on `tokens`; progress(step, steps, loss) is called after every step.

    The caller has checked the request against the caps (`check_training`).
    """
    if tokens and max(tokens) >= model_config.vocab_size:
        raise ConfigError("config.token_range", token=max(tokens), vocab=model_config.vocab_size)
    X, Y = make_examples(tokens, model_config.block_size)
    V, k, steps = model_config.vocab_size, model_config.block_size, train_config.steps
    if snapshots is None:
        snapshots = snapshot_steps(steps, V**k * V)
    wanted = set(s for s in snapshots if 0 <= s <= steps)

    pin_threads(TRAIN_THREADS)
    model = build_model(model_config, train_config.seed)
    optimizer = FlatAdamW(model.parameters(), lr=train_config.lr, weight_decay=train_config.weight_decay)  # torch's AdamW
    tables: dict[int, np.ndarray] = {}
    losses: list[float] = []
    t0 = time.perf_counter()
    for step in range(steps + 1):
        if step in wanted:
            tables[step] = transition_table(model)
        if step == steps:
            break
        stopping.check()
        pin_threads(TRAIN_THREADS)  # a snapshot pins its own count; training always runs with this one
        loss = F.cross_entropy(model(X), Y)
        loss.backward()
        optimizer.step()
        optimizer.zero_grad()
        losses.append(loss.item())
        if progress is not None:
            progress(step + 1, steps, losses[-1])
    seconds = time.perf_counter() - t0
    optimizer.release()
    model.eval()
    with torch.no_grad():
        final_loss = F.cross_entropy(model(X), Y).item()
    return TrainResult(model, model.n_params(), tuple(losses), final_loss, tables, seconds)


def result_to_bytes(result: TrainResult) -> bytes:
    """A training's result as a torch.save file of plain values (weights, losses, snapshots), for a result store."""
    buf = io.BytesIO()
    torch.save(
        {
            "state_dict": result.model.state_dict(),
            "n_params": result.n_params,
            "losses": list(result.losses),
            "final_loss": result.final_loss,
            "snapshots": {int(s): torch.from_numpy(np.ascontiguousarray(t)) for s, t in result.snapshots.items()},
            "seconds": result.seconds,
        },
        buf,
    )
    return buf.getvalue()


def result_from_bytes(data: bytes, model_config: GPTConfig) -> TrainResult:
    """The inverse of result_to_bytes: the same numbers, the model rebuilt from its weights."""
    d = torch.load(io.BytesIO(data), weights_only=True)
    model = build_model(model_config, 0)
    model.load_state_dict(d["state_dict"])
    model.eval()
    snapshots = {int(s): t.numpy() for s, t in d["snapshots"].items()}
    return TrainResult(model, int(d["n_params"]), tuple(d["losses"]), float(d["final_loss"]), snapshots, float(d["seconds"]))
