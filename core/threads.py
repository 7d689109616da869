"""Intra-op thread counts, pinned per computation so numbers never depend on the thread that runs it.

Some kernels sum in an order that depends on the thread count, and torch keeps that count
per thread (a new thread takes the process-wide value when it first computes), so two
threads of one process could give different last digits for the same computation. The code
that trains or extracts tables pins its count first; the model itself never does.
"""

from __future__ import annotations

import torch

TRAIN_THREADS = 1  # building and training: a tiny model gains nothing from more
TABLE_THREADS = 1  # table extraction: 2 threads cut its wall time little and doubled its CPU (benchmarks/bench_serve.py)


def pin_threads(n: int) -> None:
    """Use exactly n intra-op threads in the calling thread."""
    if torch.get_num_threads() != n:
        torch.set_num_threads(n)
