"""One server process's life: what it does before its first visitor and at exit.

What it is: `first_training()` pays a process's one-off cost of training (torch's AdamW, which the text GPTs and the
batched seeds use, imports its compiler stack on first use, about 1-2 s); `settle()` takes everything imported so
far out of the garbage collector's reach; `background()` starts a thread that is stopped and joined at exit
(`stop()`), as is every training.

What it is not: what the pages show first (serve.py's lifespan computes that), or the server itself
(serve.py).
"""

from __future__ import annotations

import atexit
import functools
import gc
import threading
from collections.abc import Callable

import torch

from core import stopping
from core.babygpt.train import TrainConfig, train
from core.model import GPTConfig

STOP_WAIT_SECONDS = 10  # at exit, how long a training may take to reach its next step (one step: well under 1 s)

_threads: list[threading.Thread] = []  # this process's own threads that compute: stopped and joined at exit


def first_training() -> None:
    """One training step of the article's model, and one step of torch's AdamW: what a process's first training of
    either kind costs beyond the training itself."""
    train(GPTConfig(), TrainConfig(steps=1), (0, 1) * 4)
    weight = torch.nn.Parameter(torch.zeros(1))
    weight.grad = torch.zeros(1)
    torch.optim.AdamW([weight]).step()


@functools.cache
def settle() -> None:
    """Once per server process: the objects of everything imported so far (torch, pandas, plotly, ...) leave the
    garbage collector's reach, so its full collections, which pause every session, only walk what was made since
    (measured with benchmarks/load_test.py). Never at import: a test or the CLI keeps its collector as it is."""
    gc.freeze()


def background(target: Callable, name: str, *args) -> threading.Thread:
    """Start a daemon thread that `stop()` joins at exit."""
    _stop_at_exit()
    thread = threading.Thread(target=target, args=args, name=name, daemon=True)
    _threads.append(thread)
    thread.start()
    return thread


@functools.cache
def _stop_at_exit() -> None:
    """Once per process: at exit, stop every computation at its next step and wait for it and the background threads.

    A thread still inside torch when the interpreter ends aborts the process ("terminate called without an active
    exception"); stopped first, it ends on its own, leaves its turn and stores nothing partial.
    """
    atexit.register(stop)


def stop() -> None:
    """Every training stops at its next step (a session's too: their threads are daemons); the background threads end."""
    stopping.stop_and_wait(STOP_WAIT_SECONDS)
    for thread in _threads:
        thread.join(STOP_WAIT_SECONDS)
