"""A BabyGPT trained on real text, and set against the n-gram on the contexts the training text never showed it.

What it is: the BabyGPT architecture (`core.model.GPT`) at a larger, capped size, trained with mini-batch
AdamW on random windows of a text's training part (every position of a window predicts its next symbol);
`compare_on_heldout`, which scores it and the training text's interpolated Kneser-Ney n-gram
(`core.text.ngram`) on the same held-out examples, split into those whose k-context occurs in the training
text (seen) and those whose context does not (unseen). Seeded samples from both models are in
`core.text.sampling`; one text's whole run (train, score, sample) in `core.text.versus`.

The held-out examples are those of `core.text.ngram.example_bits`: every held-out position i >= k, predicted
from exactly its k previous held-out symbols (the GPT sees the window as positions 0..k-1 and predicts
from the last one). Costs are in bits per character: for character symbols that is bits per symbol; for
BPE ids pass `chars` (characters per token id, `core.text.vocab.chars_per_id`) and the totals are divided by
the characters of the predicted tokens.

Caps: every config is checked against `core.text.limits` unless built with capped=False (the command line's
--no-limits, for local use: then only the shape is checked and every held-out example is scored). Training
follows nanoGPT's train.py: AdamW with weight decay on the 2-D weights only (matmuls and embeddings, not the
LayerNorms), betas, linear warm-up then cosine decay to a floor, optional gradient clipping by global norm.

What it is not: the article's BabyGPT training (`core.babygpt.train`: one short sequence, full batch) or a
text reader (`core.text.corpus`). Symbols are ids 0..V-1; their meaning is the caller's.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
import torch
from torch.nn import functional as F

from core import stopping
from core.errors import CoreError
from core.model import GPT, GPTConfig, build_model, estimate_params
from core.text.limits import (
    MAX_EVAL_FLOPS,
    MAX_KN_K,
    MAX_TEXT_BATCH,
    MAX_TEXT_CONTEXT,
    MAX_TEXT_EMBD,
    MAX_TEXT_FLOPS,
    MAX_TEXT_HEADS,
    MAX_TEXT_LAYERS,
    MAX_TEXT_PARAMS,
    MAX_TEXT_STEPS,
    MAX_TEXT_SYMBOLS,
    MAX_TEXT_VOCAB,
)
from core.text.ngram import example_bits
from core.threads import pin_threads

# Intra-op threads. On an idle 2-core machine 2 threads train the default model 1.7x faster than 1, but when
# another process holds the second core they run 10-30x slower (threads wait on each other), so a shared
# server uses 1. `benchmarks/bench_textgpt.py` measures both.
TEXT_TRAIN_THREADS = 1  # training and sampling
EVAL_THREADS = 1  # scoring the held-out examples
EVAL_BATCH = 4_096  # held-out windows per forward
WARMUP = 0.05  # fraction of the steps over which the learning rate rises linearly


class TextModelError(CoreError):
    """A text model that cannot be built, trained or scored as asked (a cap, or too little text)."""

    messages = {
        "textgpt.range": "{name} must be {low:,}..{high:,}, got {value:,}",
        "textgpt.lr": "learning rate must be in (0, 1], got {value}",
        "textgpt.dropout": "dropout must be within [0, 1), got {value}",
        "textgpt.divisible": "n_embd ({n_embd}) must be divisible by n_head ({n_head})",
        "textgpt.params": "this model has {n:,} parameters; the limit is {limit:,}: use a smaller n_embd, n_layer or vocabulary",
        "textgpt.flops": "this training would take about {flops:.2g} operations, past the limit of {limit:.0e}: "
        "use fewer steps (at most about {steps:,}), a smaller batch or a smaller model",
        "textgpt.too_short": "the training part has {n:,} symbols; a context of {context} needs at least {need:,}",
        "textgpt.symbols": "the training part has {n:,} symbols; the limit is {limit:,}",
        "textgpt.vocab": "symbol ids must lie within 0..{last} for a vocabulary of {vocab}",
        "textgpt.start": "the start needs at least {need} symbols, got {n}",
        "textgpt.chars": "chars must give one count per symbol id ({vocab}), got {n}",
        "score.min_lr": "the minimum learning rate must be within 0..{lr} (the learning rate), got {value}",
        "score.beta": "{name} must be within [0, 1), got {value}",
        "score.grad_clip": "gradient clipping must be 0 (none) or a positive norm, got {value}",
    }


def _check_range(name: str, value, low, high) -> None:
    if not low <= value <= high:
        raise TextModelError("textgpt.range", name=name, value=value, low=low, high=high)


UNCAPPED = 10**9  # the upper bound of a range when the caps are lifted (capped=False)


@dataclass(frozen=True)
class TextGPTConfig(GPTConfig):
    """GPTConfig with the real-text caps: a longer context, a larger vocabulary and width, at most ~1M parameters."""

    block_size: int = 8  # context length k in symbols
    vocab_size: int = 27  # V: Shannon's 27 letters by default
    n_layer: int = 2  # two wide blocks learn faster per second than four narrow ones at this budget
    n_head: int = 4
    n_embd: int = 128
    bias: bool = False
    dropout: float = 0.0  # nanoGPT's dropout while training (0: none, the model of every request)
    capped: bool = True  # False: only the shape is checked, not the caps (the CLI's --no-limits)

    def __post_init__(self):
        cap = (lambda limit: limit) if self.capped else (lambda limit: UNCAPPED)
        _check_range("context length", self.block_size, 1, MAX_TEXT_CONTEXT if self.capped else MAX_KN_K)  # KN's too
        _check_range("vocabulary size", self.vocab_size, 1, cap(MAX_TEXT_VOCAB))
        _check_range("n_layer", self.n_layer, 1, cap(MAX_TEXT_LAYERS))
        _check_range("n_head", self.n_head, 1, cap(MAX_TEXT_HEADS))
        _check_range("n_embd", self.n_embd, 1, cap(MAX_TEXT_EMBD))
        if self.n_embd % self.n_head:
            raise TextModelError("textgpt.divisible", n_embd=self.n_embd, n_head=self.n_head)
        if not 0 <= self.dropout < 1:  # also refuses NaN
            raise TextModelError("textgpt.dropout", value=self.dropout)
        if self.capped and (n := estimate_params(self)) > MAX_TEXT_PARAMS:
            raise TextModelError("textgpt.params", n=n, limit=MAX_TEXT_PARAMS)


@dataclass(frozen=True)
class TextTrainConfig:
    """One training's budget and optimizer, in nanoGPT's terms (its names in the comments)."""

    steps: int = 500  # AdamW steps (max_iters = lr_decay_iters)
    batch_size: int = 64  # random windows per step, each of block_size + 1 symbols (batch_size)
    lr: float = 3e-3  # peak learning rate, see `learning_rate` (learning_rate)
    weight_decay: float = 0.1  # AdamW weight decay of the 2-D weights (weight_decay)
    seed: int = 0  # builds the model and draws the windows
    warmup_steps: int | None = None  # linear warm-up steps; None: WARMUP of the steps (warmup_iters)
    min_lr: float | None = None  # the cosine's floor; None: a tenth of lr (min_lr)
    beta1: float = 0.9  # (beta1)
    beta2: float = 0.999  # nanoGPT's Shakespeare recipes use 0.99 (beta2)
    grad_clip: float = 0.0  # clip the gradients' global norm to this; 0: no clipping (grad_clip)
    capped: bool = True  # False: steps and batch past the caps (the CLI's --no-limits)

    def __post_init__(self):
        cap = (lambda limit: limit) if self.capped else (lambda limit: UNCAPPED)
        _check_range("steps", self.steps, 1, cap(MAX_TEXT_STEPS))
        _check_range("batch size", self.batch_size, 1, cap(MAX_TEXT_BATCH))
        if not 0 < self.lr <= 1:
            raise TextModelError("textgpt.lr", value=self.lr)
        _check_range("weight decay", self.weight_decay, 0, 10)
        _check_range("seed", self.seed, 0, 2**63 - 1)
        if self.warmup_steps is not None:
            _check_range("warm-up steps", self.warmup_steps, 0, self.steps)
        if self.min_lr is not None and not 0 <= self.min_lr <= self.lr:
            raise TextModelError("score.min_lr", value=self.min_lr, lr=self.lr)
        for name, beta in (("beta1", self.beta1), ("beta2", self.beta2)):
            if not 0 <= beta < 1:
                raise TextModelError("score.beta", name=name, value=beta)
        if not 0 <= self.grad_clip <= 1e6:
            raise TextModelError("score.grad_clip", value=self.grad_clip)


@dataclass(frozen=True)
class TextModelResult:
    model: GPT  # trained, in eval mode
    n_params: int
    losses: tuple[float, ...]  # each step's batch cross-entropy (nats per symbol, every position: 1..k symbols seen)
    seconds: float  # wall time of the training loop
    tokens_per_second: float  # predicted symbols per second (steps * batch * k / seconds)
    flops_per_second: float  # estimate: 6 * params * symbols / seconds
    threads: int  # intra-op threads used for training


def training_flops(config: GPTConfig, train: TextTrainConfig) -> float:
    """Approximate floating-point operations of a training: 6 * params * (steps * batch * k) symbols."""
    return 6.0 * estimate_params(config) * train.steps * train.batch_size * config.block_size


def learning_rate(train: TextTrainConfig, step: int) -> float:
    """The learning rate at a step: linear warm-up (train.warmup_steps, default WARMUP of the steps), then cosine
    decay from lr to min_lr (default a tenth of lr) over the remaining steps."""
    warmup = max(1, round(WARMUP * train.steps)) if train.warmup_steps is None else train.warmup_steps
    if step < warmup:
        return train.lr * (step + 1) / warmup
    floor = 0.1 * train.lr if train.min_lr is None else train.min_lr
    progress = (step - warmup) / max(1, train.steps - warmup)
    return train.lr - 0.5 * (1 - math.cos(math.pi * progress)) * (train.lr - floor)  # exactly lr at the peak


def param_groups(model: GPT, weight_decay: float) -> list[dict]:
    """nanoGPT's two AdamW groups: the 2-D weights (matmuls, embeddings) decay, the 1-D ones (LayerNorms, biases) do not."""
    params = [p for p in model.parameters() if p.requires_grad]  # the tied head weight is listed once
    return [
        {"params": [p for p in params if p.dim() >= 2], "weight_decay": weight_decay},
        {"params": [p for p in params if p.dim() < 2], "weight_decay": 0.0},
    ]


def check_text_training(config: GPTConfig, train: TextTrainConfig, n_train: int) -> None:
    """TextModelError if the training part is too short or too long, or the training past the operations cap."""
    if n_train < config.block_size + 1:
        raise TextModelError("textgpt.too_short", n=n_train, context=config.block_size, need=config.block_size + 1)
    if not (train.capped and getattr(config, "capped", True)):
        return
    if n_train > MAX_TEXT_SYMBOLS:
        raise TextModelError("textgpt.symbols", n=n_train, limit=MAX_TEXT_SYMBOLS)
    if (flops := training_flops(config, train)) > MAX_TEXT_FLOPS:
        steps = int(train.steps * MAX_TEXT_FLOPS / flops)
        raise TextModelError("textgpt.flops", flops=flops, limit=MAX_TEXT_FLOPS, steps=steps)


def _ids(ids, vocab: int) -> torch.Tensor:
    x = torch.from_numpy(np.array(ids, dtype=np.int64).reshape(-1))  # a copy: the caller's array may be read-only
    if len(x) and (int(x.min()) < 0 or int(x.max()) >= vocab):
        raise TextModelError("textgpt.vocab", last=vocab - 1, vocab=vocab)
    return x


@stopping.running()  # stopped at exit at its next step, and waited for (core.stopping)
def train_text_model(
    train_ids,
    config: TextGPTConfig,
    train: TextTrainConfig,
    progress: Callable[[int, int, float], None] | None = None,
    threads: int = TEXT_TRAIN_THREADS,
    checkpoints: Sequence[int] = (),
    on_checkpoint: Callable[[int, GPT], None] | None = None,
) -> TextModelResult:
    """Train a fresh model on random windows of train_ids; progress(step, steps, loss) after every step and
    on_checkpoint(step, model) after each step listed in checkpoints (the model then back in training mode)."""
    x = _ids(train_ids, config.vocab_size)
    check_text_training(config, train, len(x))
    k, B, V = config.block_size, train.batch_size, config.vocab_size
    model = build_model(config, train.seed)
    model.seed_dropout(train.seed)
    optimizer = torch.optim.AdamW(param_groups(model, train.weight_decay), lr=train.lr, betas=(train.beta1, train.beta2))
    windows = torch.Generator().manual_seed(train.seed)
    offsets = torch.arange(k + 1)
    losses = []
    paused = 0.0
    t0 = time.perf_counter()
    for step in range(train.steps):
        stopping.check()
        pin_threads(threads)
        for group in optimizer.param_groups:
            group["lr"] = learning_rate(train, step)
        starts = torch.randint(0, len(x) - k, (B,), generator=windows)
        w = x[starts[:, None] + offsets]  # (B, k + 1)
        loss = F.cross_entropy(model.forward_all(w[:, :-1]).reshape(B * k, V), w[:, 1:].reshape(B * k))
        optimizer.zero_grad(set_to_none=True)
        loss.backward()
        if train.grad_clip > 0:
            torch.nn.utils.clip_grad_norm_(model.parameters(), train.grad_clip)
        optimizer.step()
        losses.append(loss.item())
        if on_checkpoint is not None and step + 1 in checkpoints:
            t_pause = time.perf_counter()
            model.eval()
            on_checkpoint(step + 1, model)
            model.train()
            pin_threads(threads)
            paused += time.perf_counter() - t_pause  # the training's time leaves the checkpoints out
        if progress is not None:
            progress(step + 1, train.steps, losses[-1])
    seconds = time.perf_counter() - t0 - paused
    model.eval()
    symbols = train.steps * B * k
    return TextModelResult(
        model, model.n_params(), tuple(losses), seconds, symbols / seconds, training_flops(config, train) / seconds, threads
    )


def eval_positions(n_examples: int, model_config: GPTConfig) -> np.ndarray:
    """Indices of the held-out examples to score: all of them, or an evenly spaced subset within MAX_EVAL_FLOPS."""
    per_example = 2.0 * estimate_params(model_config) * model_config.block_size
    budget = MAX_EVAL_FLOPS if getattr(model_config, "capped", True) else math.inf
    m = min(n_examples, max(1, int(min(budget / per_example, n_examples))))
    return np.arange(n_examples) if m == n_examples else np.unique(np.linspace(0, n_examples - 1, m).round().astype(np.int64))


@torch.no_grad()
@stopping.running()  # stopped at exit at its next step, and waited for (core.stopping)
def gpt_example_bits(model: GPT, heldout_ids, positions: np.ndarray | None = None, threads: int = EVAL_THREADS) -> np.ndarray:
    """Bits of each held-out example i >= k (or of those at `positions` among them), from its k previous symbols."""
    pin_threads(threads)
    k = model.config.block_size
    h = _ids(heldout_ids, model.config.vocab_size)
    n = max(len(h) - k, 0)
    at = torch.as_tensor(np.arange(n) if positions is None else positions, dtype=torch.long)
    out = []
    for lo in range(0, len(at), EVAL_BATCH):
        stopping.check()
        w = h[at[lo : lo + EVAL_BATCH, None] + torch.arange(k + 1)]  # (b, k + 1): example j is h[j + k]
        logp = F.log_softmax(model(w[:, :-1]), dim=-1)  # (b, V), from the last position
        out.append(-logp.gather(1, w[:, -1:])[:, 0].double() / math.log(2))
    return torch.cat(out).numpy() if out else np.zeros(0)


@dataclass(frozen=True)
class Split:
    """One part of the held-out examples: its share of them and each model's cost on it (None if empty)."""

    fraction: float
    gpt_bits: float | None
    ngram_bits: float | None


@dataclass(frozen=True)
class Comparison:
    """The GPT and the n-gram on the same held-out examples, in bits per character, overall and seen / unseen."""

    context: int  # k of both models
    heldout_examples: int  # held-out positions i >= k
    evaluated_examples: int  # those scored (all, or an evenly spaced subset within MAX_EVAL_FLOPS)
    gpt_bits: float
    ngram_bits: float
    seen: Split  # examples whose k-context occurs in the training part
    unseen: Split  # examples whose k-context never occurs there


def _per_char(bits: np.ndarray, chars: np.ndarray, mask: np.ndarray) -> float | None:
    total = chars[mask].sum()
    return float(bits[mask].sum() / total) if mask.any() and total > 0 else None


def compare_on_heldout(
    model: GPT,
    train_ids,
    heldout_ids,
    chars: Sequence[int] | None = None,
    threads: int = EVAL_THREADS,
    gpt_bits: np.ndarray | None = None,
) -> Comparison:
    """Score the GPT and the n-gram of the same context on the held-out examples; chars: characters per id.

    gpt_bits: the GPT's bits per held-out position, already scored on the same examples (`core.text.scoreboard.
    gpt_costs` scores exactly these: `eval_positions`), so they are not scored twice."""
    V, k = model.config.vocab_size, model.config.block_size
    h = np.asarray(heldout_ids, dtype=np.int64).reshape(-1)
    if k > MAX_KN_K:
        raise TextModelError("textgpt.range", name="context length for the n-gram", value=k, low=1, high=MAX_KN_K)
    ngram, seen = example_bits(train_ids, h, V, k)
    if len(ngram) == 0:
        raise TextModelError("textgpt.too_short", n=len(h), context=k, need=k + 1)
    at = eval_positions(len(ngram), model.config)
    gpt = gpt_example_bits(model, h, at, threads) if gpt_bits is None else np.asarray(gpt_bits)[at + k]
    if np.isnan(gpt).any():
        raise ValueError("gpt_bits lacks a score for an example this comparison uses")
    ngram, seen = ngram[at], seen[at]
    if chars is None:
        weight = np.ones(len(at))
    else:
        per_id = np.asarray(chars, dtype=np.float64)
        if len(per_id) != V:
            raise TextModelError("textgpt.chars", vocab=V, n=len(per_id))
        weight = per_id[h[k:][at]]
    every = np.ones(len(at), dtype=bool)

    def split(mask: np.ndarray) -> Split:
        return Split(float(mask.mean()), _per_char(gpt, weight, mask), _per_char(ngram, weight, mask))

    return Comparison(
        context=k,
        heldout_examples=len(h) - k,
        evaluated_examples=len(at),
        gpt_bits=_per_char(gpt, weight, every),
        ngram_bits=_per_char(ngram, weight, every),
        seen=split(seen),
        unseen=split(~seen),
    )
