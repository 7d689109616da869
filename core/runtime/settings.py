"""The server's settings from its environment, and the two shared places they name: the result store and the queue.

What it is: each setting read once where it is used, with its default beside it; a value that is not a positive
number falls back to the default (a typo in a deployment never stops the server). `store()` and `turns()` are
opened on first use and shared by the whole process.

What it is not: the store or the queue themselves (`core.store`, `core.turns`).
"""

from __future__ import annotations

import functools
import os
import pathlib
import tempfile

from core.store import ResultStore, store_from_env
from core.turns import WAIT_SECONDS, Turns

# Trainings running at once on the whole machine (every process of the app takes turns in one queue, core.turns);
# more wait their turn, first come first served, and see their place. One core stays free for the servers
# themselves: on 2 cores, 1 job at a time kept the slowest health answer under load at 0.5 s (2 at a time:
# 1.3-2.7 s) for ~35% more wall time (benchmarks/load_test.py). $BABYGPT_TRAININGS overrides the count,
# $BABYGPT_QUEUE_WAIT the longest wait in seconds (then the page says the server is busy).
MAX_CONCURRENT_JOBS = max(1, (os.cpu_count() or 2) - 1)
PER_ADDRESS = 4  # trainings one address may have queued or running at once (a class behind one router shares it)
QUEUE_FILE = "turns.sqlite"  # in a folder of this machine's: its processes share the queue, other machines have theirs


def number(name: str, default: float, kind: type = float) -> float:
    """$name as a positive number of `kind`, else `default`."""
    try:
        value = kind(os.environ.get(name) or default)
    except ValueError:
        return default
    return value if value > 0 else default


def flag(name: str, default: str) -> str:
    """$name as written, else `default` (e.g. BABYGPT_PRETRAIN=off)."""
    return os.environ.get(name) or default


@functools.cache
def store() -> ResultStore | None:
    """Trained models on disk, shared by every process (None: no writable folder), opened on first use."""
    return store_from_env()


def queue_folder() -> pathlib.Path:
    """$BABYGPT_TURNS, else a folder of this user's in the machine's temporary folder (never the result store, which
    machines may share over a network volume, where sqlite's locks are not to be trusted)."""
    return pathlib.Path(os.environ.get("BABYGPT_TURNS") or pathlib.Path(tempfile.gettempdir()) / f"babygpt-{os.getuid()}")


@functools.cache
def turns() -> Turns:
    """The machine's queue of heavy computations ($BABYGPT_TRAININGS at once, else MAX_CONCURRENT_JOBS)."""
    return Turns(queue_folder() / QUEUE_FILE, int(number("BABYGPT_TRAININGS", MAX_CONCURRENT_JOBS, int)))


def per_address() -> int:
    """$BABYGPT_TRAININGS_PER_ADDRESS, else PER_ADDRESS."""
    return int(number("BABYGPT_TRAININGS_PER_ADDRESS", PER_ADDRESS, int))


def wait_bound() -> float:
    """The longest a computation waits for its turn, in seconds ($BABYGPT_QUEUE_WAIT)."""
    return number("BABYGPT_QUEUE_WAIT", WAIT_SECONDS)
