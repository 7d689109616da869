"""The process is stopping: long computations end at their next step, so a server exits cleanly and at once.

A shared leaf: it imports nothing of the app. Every training loop runs inside `running()` and calls `check()`
once a step, which raises `Stopping` once `stop()` was called. At exit the server calls `stop_and_wait()`: no
thread is then left inside torch when the interpreter ends (that aborts the process: "terminate called without
an active exception"). A computation that stops this way returns nothing and stores nothing (the store writes
whole files only).
"""

from __future__ import annotations

import contextlib
import threading

_stopping = threading.Event()
_changed = threading.Condition()
_running = 0  # computations inside running(), in every thread


class Stopping(Exception):
    """Raised inside a computation when the process is shutting down."""


def stop() -> None:
    """From now on every computation that checks ends at its next step."""
    _stopping.set()


def check() -> None:
    """Raise Stopping if the process is shutting down (called once per training step)."""
    if _stopping.is_set():
        raise Stopping("the process is stopping")


@contextlib.contextmanager
def running():
    """Around a computation that checks: `stop_and_wait` waits for it to leave."""
    global _running
    with _changed:
        _running += 1
    try:
        yield
    finally:
        with _changed:
            _running -= 1
            _changed.notify_all()


def stop_and_wait(timeout: float) -> bool:
    """stop(), then wait up to `timeout` seconds for every running computation to end; whether they all did."""
    stop()
    with _changed:
        return _changed.wait_for(lambda: _running == 0, timeout)
