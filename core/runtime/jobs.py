"""Jobs: a heavy computation run once on first request, in a turn of the machine's queue, its result shared.

What it is: `Job(fn, *args, stored=...)` runs `fn(*args, progress=...)` once; later requests wait for it and
share its result (read-only). `stored()` (optional) is a cheap look-up of a finished result (the result store),
tried before taking a turn and again once the turn comes (another process may have computed it meanwhile). The work
runs in a turn of `settings.turns()`; while it waits, the caller's `place` shows where it stands. `training(...)`
is the Job of one BabyGPT training, read from and written to the result store.

What it is not: a cache (the caller keeps Jobs, `ui.cache`), or the page that shows a place (`ui.waiting`).
"""

from __future__ import annotations

import contextlib
import functools
import threading
from collections.abc import Callable
from typing import NamedTuple

from core.babygpt.train import Progress, TrainResult, result_from_bytes, result_to_bytes, train
from core.runtime import settings
from core.store import train_key
from core.turns import OnHeld, OnWait


class Waiting(NamedTuple):
    """What a turn needs from whoever waits: the callbacks that show the place, and the visitor's address."""

    on_wait: OnWait | None
    on_held: OnHeld | None
    client: str


@contextlib.contextmanager
def nowhere():
    """A place that shows nothing (a test, a background thread, the command line)."""
    yield Waiting(None, None, "")


class Job:
    """One computation, run once on first request; later requests wait for it and share its result.

    The job (not its result) is what a cache holds, so the progress callback runs outside the cached function (a
    progress bar must not be replayed by a cache). `place` is a context manager that yields a `Waiting`.
    """

    def __init__(self, fn: Callable, *args, stored: Callable | None = None):
        self.fn, self.args, self.stored = fn, args, stored
        self._lock = threading.Lock()
        self._result = None
        self._done = False

    def result(self, progress: Progress | None = None, place: Callable = nowhere):
        with self._lock:
            if not self._done:
                value = self.stored() if self.stored is not None else None
                if value is None:
                    with (
                        place() as w,
                        settings.turns().turn(
                            settings.wait_bound(), w.on_wait, client=w.client, most=settings.per_address(), on_held=w.on_held
                        ),
                    ):
                        value = self.stored() if self.stored is not None else None
                        if value is None:
                            value = self.fn(*self.args, progress=progress)
                self._result, self._done = value, True
            return self._result


def read_only(r: TrainResult) -> TrainResult:
    """The result with every snapshot table frozen (shared by every session)."""
    for table in r.snapshots.values():
        table.flags.writeable = False
    return r


def stored_training(model_config, train_config, tokens) -> TrainResult | None:
    """A training some process stored before (read-only snapshots), or None."""
    results = settings.store()
    data = results.get(train_key(model_config, train_config, tokens)) if results is not None else None
    return read_only(result_from_bytes(data, model_config)) if data is not None else None


def train_and_store(model_config, train_config, tokens, progress=None) -> TrainResult:
    """Train and put the result into the store (`core.store`, on disk, shared by every process and kept across
    restarts), so a configuration is trained once per deployment, not once per process."""
    r = train(model_config, train_config, tokens, progress=progress)
    results = settings.store()
    if results is not None:
        results.put(train_key(model_config, train_config, tokens), result_to_bytes(r))
    return read_only(r)


def training(model_config, train_config, tokens: tuple[int, ...]) -> Job:
    """The Job of one training: from the store if stored, else trained in a turn and stored."""
    stored = functools.partial(stored_training, model_config, train_config, tokens)
    return Job(train_and_store, model_config, train_config, tokens, stored=stored)
