"""Training several seeds of one configuration at once, as one batched computation.

What it is: `train_seeds` builds one model per seed exactly as `core.babygpt.train` does, stacks their
parameters along a new leading dimension, and trains them together: one vmapped forward,
one backward of the summed losses (each model's gradient is its own, the models share
nothing), one AdamW over the stacked tensors (AdamW is elementwise, so it updates each model
as its own optimizer would). A tiny model's step is dominated by per-operation overhead, so
N models cost little more than one.

What it is not: bit-identical to training one at a time. Batched matrix products may sum in
another order, so tables agree to 1e-4 and losses to 1e-5 (`tests/test_compare.py` pins both),
not to the last bit.
"""

from __future__ import annotations

import numpy as np
import torch
from torch.func import functional_call, stack_module_state, vmap
from torch.nn import functional as F

from core.babygpt.chain import transition_table
from core.babygpt.data import make_examples
from core.babygpt.train import Progress, TrainConfig
from core.model import GPTConfig, build_model
from core.threads import TRAIN_THREADS, pin_threads


def train_seeds(
    model_config: GPTConfig,
    train_config: TrainConfig,
    tokens: tuple[int, ...],
    seeds: list[int],
    progress: Progress | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Final transition tables (N, V^k, V) and losses (N, steps) of one training per seed.

    The caller has checked the request (`core.babygpt.train.check_training` with n_seeds).
    """
    X, Y = make_examples(tokens, model_config.block_size)
    pin_threads(TRAIN_THREADS)
    models = [build_model(model_config, s) for s in seeds]
    params, buffers = stack_module_state(models)  # name -> (N, ...) leaf tensors
    base = models[0]

    def loss_of(p, b):
        logits = functional_call(base, (p, b), (X,))  # (B, V)
        return F.cross_entropy(logits, Y)

    batched_loss = vmap(loss_of)
    optimizer = torch.optim.AdamW(params.values(), lr=train_config.lr, weight_decay=train_config.weight_decay)
    losses = []
    for step in range(train_config.steps):
        loss = batched_loss(params, buffers)  # (N,)
        loss.sum().backward()
        optimizer.step()
        optimizer.zero_grad(set_to_none=True)
        losses.append(loss.detach().numpy().copy())
        if progress is not None:
            progress(step + 1, train_config.steps, float(loss.detach().mean()))
    tables = []
    for i in range(len(seeds)):
        m = models[i]
        with torch.no_grad():
            for name, p in m.named_parameters():
                p.copy_(params[name][i])
        tables.append(transition_table(m))
    return np.stack(tables), np.array(losses).T.reshape(len(seeds), -1)
