"""The process is stopping: long computations end at their next step, so a server exits cleanly and at once.

A shared leaf: it imports nothing of the app. The server calls `stop()` when it shuts down; every training
loop calls `check()` once a step, which raises `Stopping` from then on. A computation that stops this way
returns nothing and stores nothing (the store writes whole files only).
"""

from __future__ import annotations

import threading

_stopping = threading.Event()


class Stopping(Exception):
    """Raised inside a computation when the process is shutting down."""


def stop() -> None:
    """From now on every computation that checks ends at its next step."""
    _stopping.set()


def check() -> None:
    """Raise Stopping if the process is shutting down (called once per training step)."""
    if _stopping.is_set():
        raise Stopping("the process is stopping")
