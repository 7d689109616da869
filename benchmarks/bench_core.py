"""Benchmark of the core: table extraction, training, arithmetic. Prints one table from one run.

Usage: python benchmarks/bench_core.py
Ratios are measured side by side in this one run; absolute times drift on shared machines.
"""

from __future__ import annotations

import pathlib
import sys
import time

import torch
from torch.nn import functional as F

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1]))

from core.arith.statespace import state_space
from core.babygpt.batched import train_seeds
from core.babygpt.chain import transition_table  # batched over the prefix tree
from core.babygpt.data import ARTICLE_SEQUENCE, parse_digits
from core.babygpt.states import all_states
from core.babygpt.train import TrainConfig, train
from core.model import GPTConfig, build_model
from core.threads import TABLE_THREADS, pin_threads

PER_STATE_SAMPLE = 2_048  # per-state forwards timed on at most this many states, then scaled


def best_of(fn, repeat: int = 5) -> float:
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return min(times)


@torch.no_grad()
def plain_batched(model, states) -> None:
    """One forward over all full states at once (no prefix sharing)."""
    pin_threads(TABLE_THREADS)
    F.softmax(model(torch.from_numpy(states)), dim=-1)


@torch.no_grad()
def per_state(model, states) -> None:
    for s in states:
        F.softmax(model(torch.from_numpy(s)[None]), dim=-1)


def main() -> None:
    rows = []
    for k in (3, 10, 16):
        model = build_model(GPTConfig(block_size=k), 1337)
        states = all_states(2, k)
        batched = best_of(lambda m=model: transition_table(m))
        sample = states[:PER_STATE_SAMPLE]
        one = best_of(lambda m=model, s=sample: per_state(m, s), repeat=1) * len(states) / len(sample)
        note = "" if len(sample) == len(states) else f" (scaled from {len(sample):,})"
        plain = best_of(lambda m=model, s=states: plain_batched(m, s))
        rows.append(
            (
                f"table V=2 k={k} ({len(states):,} states)",
                f"{batched * 1e3:.1f} ms prefix tree",
                f"{plain * 1e3:.1f} ms one plain batched forward",
                f"{plain / batched:.1f}x",
            )
        )
        rows.append(
            (
                f"table V=2 k={k} ({len(states):,} states)",
                f"{batched * 1e3:.1f} ms batched",
                f"{one * 1e3:.0f} ms per-state{note}",
                f"{one / batched:.0f}x",
            )
        )
    seq = parse_digits(ARTICLE_SEQUENCE, 2)
    t_train = best_of(lambda: train(GPTConfig(), TrainConfig(), seq.tokens))
    rows.append(("train defaults (50 steps, 51 snapshots)", f"{t_train * 1e3:.0f} ms", "", ""))
    t_train0 = best_of(lambda: train(GPTConfig(), TrainConfig(), seq.tokens, snapshots=[]))
    rows.append(("train defaults (50 steps, no snapshots)", f"{t_train0 * 1e3:.0f} ms", "", ""))
    seeds = list(range(1337, 1345))
    t_one = best_of(lambda: [train(GPTConfig(), TrainConfig(seed=s), seq.tokens, snapshots=[50]) for s in seeds], repeat=2)
    t_batch = best_of(lambda: train_seeds(GPTConfig(), TrainConfig(), seq.tokens, seeds), repeat=2)
    rows.append(
        (
            "8 seeds, 50 steps each",
            f"{t_batch * 1e3:.0f} ms batched",
            f"{t_one * 1e3:.0f} ms one after another",
            f"{t_one / t_batch:.1f}x",
        )
    )
    for V, k, name in (
        (50_257, 32_768, "GPT-4 32K, exact 154,049 digits"),
        (200_019, 128_000, "GPT-4o"),
        (128_256, 131_072, "Llama 3.1"),
        (10**9, 10**9, "V = k = 10^9"),
    ):
        t = best_of(lambda V=V, k=k: state_space(V, k), repeat=5)
        rows.append((f"arithmetic {name}", f"{t * 1e3:.2f} ms", "", ""))
    width = [max(len(r[i]) for r in rows) for i in range(4)]
    print(f"torch {torch.__version__}, threads {torch.get_num_threads()}")
    for r in rows:
        print("  ".join(c.ljust(w) for c, w in zip(r, width, strict=True)))


if __name__ == "__main__":
    main()
