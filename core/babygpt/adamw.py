"""AdamW over one flat tensor: torch's AdamW, number for number, in a dozen operations per step instead of ten per parameter.

What it is: `FlatAdamW(model.parameters(), lr, weight_decay)` moves every parameter, and its gradient, into one
contiguous tensor (each parameter a view of its slice), then updates the whole tensor at once with the very
arithmetic of `torch.optim.AdamW` with its defaults on CPU (the single-tensor path: decoupled weight decay,
`lerp_`, `mul_().addcmul_()`, the bias corrections in Python floats, `addcdiv_`). Every operation is elementwise,
so each number gets the same operations in the same order and the result is bit for bit torch's
(`tests/test_train.py` checks it against `torch.optim.AdamW`). A tiny model's step is dominated by the per-operation
overhead, so a BabyGPT's training takes 12-34% less CPU (`benchmarks/bench_train.py --before`). `release()` gives
every parameter its own storage again once training is done, so the trained model is the same object a plain AdamW
leaves.

What it is not: a general optimizer (every parameter must get a gradient at every step, as a BabyGPT's do: torch
skips one without, this updates it; no parameter groups, amsgrad, maximize, sparse or complex parameters, no
state_dict) or faster for large models (their time is in the matrix products).
"""

from __future__ import annotations

from collections.abc import Iterable

import torch


class FlatAdamW:
    """torch.optim.AdamW(params, lr, betas, eps, weight_decay) with its CPU defaults, over one flat tensor."""

    def __init__(self, params: Iterable[torch.nn.Parameter], lr: float, weight_decay: float,
                 betas: tuple[float, float] = (0.9, 0.999), eps: float = 1e-8):  # fmt: skip
        self.params = list(params)
        if not all(p.requires_grad for p in self.params):
            raise ValueError("FlatAdamW updates every parameter at every step: each must require a gradient")
        n = sum(p.numel() for p in self.params)
        self.flat, self.grad = torch.empty(n), torch.zeros(n)
        offset = 0
        for p in self.params:
            size = p.numel()
            with torch.no_grad():
                self.flat[offset : offset + size].copy_(p.view(-1))
            p.data = self.flat[offset : offset + size].view_as(p)
            p.grad = self.grad[offset : offset + size].view_as(p)  # backward accumulates into it, in place
            offset += size
        self.exp_avg, self.exp_avg_sq = torch.zeros(n), torch.zeros(n)
        self.lr, self.weight_decay, self.eps = lr, weight_decay, eps
        self.beta1, self.beta2 = betas
        self.step_count = 0

    @torch.no_grad()
    def step(self) -> None:
        """One update, as torch's `_single_tensor_adam` with decoupled weight decay does it."""
        self.step_count += 1
        step, beta1, beta2 = float(self.step_count), self.beta1, self.beta2
        param, grad = self.flat, self.grad
        if self.weight_decay != 0:
            param.mul_(1 - self.lr * self.weight_decay)
        self.exp_avg.lerp_(grad, 1 - beta1)
        self.exp_avg_sq.mul_(beta2).addcmul_(grad, grad, value=1 - beta2)
        bias_correction1 = 1 - beta1**step
        bias_correction2 = 1 - beta2**step
        step_size = self.lr / bias_correction1
        bias_correction2_sqrt = bias_correction2**0.5
        denom = (self.exp_avg_sq.sqrt() / bias_correction2_sqrt).add_(self.eps)
        param.addcdiv_(self.exp_avg, denom, value=-step_size)

    def zero_grad(self) -> None:
        """Every gradient back to zero (they stay views of the flat gradient)."""
        self.grad.zero_()

    def release(self) -> None:
        """Training done: each parameter gets a storage of its own again and no gradient."""
        for p in self.params:
            p.data = p.data.clone()
            p.grad = None
