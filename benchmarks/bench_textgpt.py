"""Benchmark of the text GPT: training throughput against this machine's matmul rate, and the seen / unseen split.

Usage: python benchmarks/bench_textgpt.py [--steps 500]
Part 1, for 1 and 2 intra-op threads: the training's achieved FLOP/s (6 * params * symbols / s) next to
torch.matmul's FLOP/s on the model's own MLP shape, (B*T, C) x (C, 4C), at the same thread count.
Part 2: the default model (context 8, shannon27) trained on the built-in corpus and scored with the n-gram
on the held-out examples, split into contexts seen and never seen in training.
Part 3 (--recipe-steps N, default 40): N steps of nanoGPT's CPU recipe for Tiny Shakespeare (context 64, batch 12,
4 layers, 4 heads, width 128) on the built-in corpus's raw alphabet, time per step and FLOP/s against the matmul
rate on that model's MLP shape at the same thread count; and what the 2,000 steps of the recipe would take.
Ratios are measured side by side in this one run; absolute times drift on shared machines.
"""

from __future__ import annotations

import argparse
import math
import pathlib
import sys
import time

import numpy as np
import torch

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1]))

from core.text.corpus import builtin_text, split_point, symbolize
from core.text.textgpt import (
    EVAL_THREADS,
    TEXT_TRAIN_THREADS,
    TextGPTConfig,
    TextTrainConfig,
    compare_on_heldout,
    gpt_example_bits,
    train_text_model,
)
from core.threads import pin_threads

THROUGHPUT_STEPS = 150  # steps timed per thread count
SCORING_EXAMPLES = 16_384  # held-out examples scored per thread count


def best_of(fn, repeat: int) -> float:
    """The shortest of `repeat` timings of fn(), in seconds."""
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return min(times)


def matmul_flops(rows: int, C: int, threads: int, seconds: float = 1.0) -> float:
    """FLOP/s of torch.matmul (rows, C) x (C, 4C) in float32, best of repeated timings over about `seconds`."""
    pin_threads(threads)
    g = torch.Generator().manual_seed(0)
    a, b = torch.randn(rows, C, generator=g), torch.randn(C, 4 * C, generator=g)
    reps, best, t_end = 20, float("inf"), time.perf_counter() + seconds
    while time.perf_counter() < t_end:
        t = time.perf_counter()
        for _ in range(reps):
            torch.matmul(a, b)
        best = min(best, (time.perf_counter() - t) / reps)
    return 2.0 * rows * C * 4 * C / best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=TextTrainConfig().steps)
    parser.add_argument("--recipe-steps", type=int, default=40)
    args = parser.parse_args()
    recipe(args.recipe_steps)
    symbols = symbolize(builtin_text("python-docs"), "shannon27")
    cut = split_point(len(symbols.ids), 0.1)
    train, heldout = symbols.ids[:cut], symbols.ids[cut:]
    config = TextGPTConfig(vocab_size=symbols.vocab)
    tc = TextTrainConfig()
    rows = tc.batch_size * config.block_size
    print(f"torch {torch.__version__}; model: {config}; batch {tc.batch_size} x {config.block_size} symbols")
    print(f"matmul shape ({rows}, {config.n_embd}) x ({config.n_embd}, {4 * config.n_embd})")
    print(f"{'threads':>7}  {'train GFLOP/s':>13}  {'matmul GFLOP/s':>14}  {'ratio':>6}  {'symbols/s':>10}")
    scoring = {}
    for threads in (1, 2):
        r = train_text_model(train, config, TextTrainConfig(steps=THROUGHPUT_STEPS), threads=threads)
        peak = matmul_flops(rows, config.n_embd, threads)
        print(
            f"{threads:>7}  {r.flops_per_second / 1e9:>13.1f}  {peak / 1e9:>14.1f}  {r.flops_per_second / peak:>6.0%}"
            f"  {r.tokens_per_second:>10,.0f}"
        )
        fn = lambda m=r.model, t=threads: gpt_example_bits(m, heldout, np.arange(SCORING_EXAMPLES), t)  # noqa: E731
        scoring[threads] = SCORING_EXAMPLES / best_of(fn, 3)
    print("scoring held-out examples: " + ", ".join(f"{n} thread(s) {v:,.0f} examples/s" for n, v in scoring.items()))

    t0 = time.perf_counter()
    r = train_text_model(train, config, TextTrainConfig(steps=args.steps))
    t1 = time.perf_counter()
    c = compare_on_heldout(r.model, train, heldout)
    t2 = time.perf_counter()
    print(
        f"\npython-docs, shannon27, context {config.block_size}, {r.n_params:,} parameters, {args.steps} steps, "
        f"threads {TEXT_TRAIN_THREADS} / {EVAL_THREADS}: training {t1 - t0:.1f} s, scoring {t2 - t1:.1f} s; "
        f"last training loss {r.losses[-1] / math.log(2):.3f} bits"
    )
    print(f"held-out examples {c.heldout_examples:,} (scored {c.evaluated_examples:,})")
    print(f"{'':>8}  {'fraction':>8}  {'GPT bits':>8}  {'n-gram bits':>11}")
    for name, fraction, gpt, ngram in (
        ("all", 1.0, c.gpt_bits, c.ngram_bits),
        ("seen", c.seen.fraction, c.seen.gpt_bits, c.seen.ngram_bits),
        ("unseen", c.unseen.fraction, c.unseen.gpt_bits, c.unseen.ngram_bits),
    ):
        print(f"{name:>8}  {fraction:>8.3f}  {gpt:>8.3f}  {ngram:>11.3f}")


def recipe(steps: int) -> None:
    """Time per step of nanoGPT's CPU recipe here, against the matmul rate on its shape."""
    raw = symbolize(builtin_text("python-docs"), "raw")
    cut = split_point(len(raw.ids), 0.1)
    config = TextGPTConfig(block_size=64, vocab_size=raw.vocab, n_layer=4, n_head=4, n_embd=128, capped=False)
    tc = TextTrainConfig(
        steps=steps, batch_size=12, lr=1e-3, warmup_steps=min(100, steps), min_lr=1e-4, beta2=0.99, grad_clip=1.0, capped=False
    )
    print(f"nanoGPT's CPU recipe, {steps} steps: context 64, batch 12, 4 x 4 x 128, V = {raw.vocab}")
    print(f"{'threads':>7}  {'s/step':>7}  {'train GFLOP/s':>13}  {'matmul GFLOP/s':>14}  {'ratio':>6}  {'2,000 steps':>11}")
    for threads in (1, 2):
        r = train_text_model(raw.ids[:cut], config, tc, threads=threads)
        peak = matmul_flops(12 * 64, 128, threads)
        per_step = r.seconds / steps
        print(
            f"{threads:>7}  {per_step:>7.3f}  {r.flops_per_second / 1e9:>13.1f}  {peak / 1e9:>14.1f}  "
            f"{r.flops_per_second / peak:>6.0%}  {2000 * per_step:>10.0f}s"
        )


if __name__ == "__main__":
    main()
