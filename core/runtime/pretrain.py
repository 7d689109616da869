"""The long text GPT, trained in the background when it did not ship with the app (`core.text.pretrained`).

What it is: `start(spec)` (from the server's lifespan and from the page that shows the model: cheap when there is
nothing to do, once per process) starts one background thread
that takes a turn in a queue of its own, capacity one, beside the trainings' queue (`core.turns`, the same
mechanism: tickets kept alive by a beat, a dead process's ticket cleared): the first process of the machine
trains the model and stores it, the others wait and then find it stored. `status(spec)` says where it stands.
BABYGPT_PRETRAIN=off turns the background training off; $BABYGPT_SHIPPED names another folder of shipped models
(an empty one makes the server train it).

What it is not: the recipe or the scoring (`core.text.pretrained`), the page that shows the status.
"""

from __future__ import annotations

import functools
import os
import pathlib
import threading
import time

from core import stopping
from core.runtime import process, settings
from core.text import pretrained as pre
from core.text.scoreboard import Board, scoreboard
from core.turns import Turns

PRETRAIN_QUEUE = "pretrain.sqlite"  # beside the trainings' queue: one pretraining at a time on the machine
PRETRAIN_WAIT = 6 * 3600.0  # a process waits this long for another's pretraining to end (it takes minutes)
PRETRAIN_POLL = 2.0
_claim = threading.Lock()  # one thread per process claims the training
_state = {"step": 0, "steps": 0, "started": None, "error": None, "waiting": False}  # this process's thread


def _folder() -> pathlib.Path | None:
    folder = os.environ.get("BABYGPT_SHIPPED")
    return pathlib.Path(folder) if folder else None


@functools.cache
def _shipped(spec: pre.Spec, folder: pathlib.Path | None) -> pre.Pretrained | None:
    return pre.shipped(spec, folder) if folder else pre.shipped(spec)


def shipped(spec: pre.Spec) -> pre.Pretrained | None:
    """The model shipped with the app (read once per process and folder), or None."""
    return _shipped(spec, _folder())


def shipped_board(spec: pre.Spec):
    """The board recorded beside the shipped model, or None."""
    folder = _folder()
    return pre.shipped_board(spec, folder) if folder else pre.shipped_board(spec)


def stored(spec: pre.Spec) -> bool:
    """Whether some process stored the model in the result store."""
    results = settings.store()
    return results is not None and results.path(pre.pretrained_key(spec)).exists()


def start(spec: pre.Spec) -> None:
    """Train the spec's model in the background if it did not ship, is not stored and this process has not begun."""
    if settings.flag("BABYGPT_PRETRAIN", "background") == "off" or _state["started"] is not None:
        return
    if shipped(spec) is not None or settings.store() is None or stored(spec):
        return
    with _claim:
        if _state["started"] is not None:
            return
        _state["started"], _state["waiting"] = 0.0, True  # claimed: the thread sets the time once its turn comes
    process.background(_train_in_turn, "pretrain", spec)


def _train_in_turn(spec: pre.Spec) -> None:
    def waiting(_ahead: int, _waited: float) -> None:
        stopping.check()  # a process that exits leaves the queue at once

    def progress(i, n, loss=None):
        _state["step"], _state["steps"] = i, n

    queue = Turns(settings.queue_folder() / PRETRAIN_QUEUE, 1)
    try:
        with queue.turn(PRETRAIN_WAIT, waiting, poll=PRETRAIN_POLL):
            _state["waiting"] = False
            if stored(spec):  # the process ahead trained it
                return
            _state["started"] = time.time()
            p = pre.train_pretrained(spec, progress=progress)
            settings.store().put(pre.pretrained_key(spec), pre.to_bytes(p))
    except stopping.Stopping:
        pass
    except Exception as e:  # noqa: BLE001  (a background thread has no page to show it on: the page says it failed)
        _state["error"] = repr(e)
    finally:
        _state["waiting"] = False


@functools.lru_cache(maxsize=2)
def _from_store(key: str, spec: pre.Spec) -> pre.Pretrained | None:
    results = settings.store()
    data = results.get(key) if results is not None else None
    try:
        return pre.from_bytes(data, spec) if data is not None else None
    except Exception:  # noqa: BLE001  (a file another version wrote, or damaged: as if absent)
        return None


def ready(spec: pre.Spec) -> pre.Pretrained | None:
    """The model, shipped with the app or stored by some process (read once per process), or None."""
    if (p := shipped(spec)) is not None:
        return p
    if stored(spec):
        if (p := _from_store(pre.pretrained_key(spec), spec)) is not None:
            return p
        _from_store.cache_clear()  # a partial or corrupt file: read again next time
    return None


def status(spec: pre.Spec) -> tuple[str, dict]:
    """("ready", {"model"}) shipped or stored; ("training", {"step", "steps", "started"}) in this process;
    ("elsewhere", {}) another process of the machine trains it; ("failed", {"error"}); ("off", {})."""
    if (p := ready(spec)) is not None:
        return "ready", {"model": p}
    if _state["error"] is not None:
        return "failed", {"error": _state["error"]}
    if _state["waiting"]:
        return "elsewhere", {}
    if _state["started"] is not None:
        return "training", {k: _state[k] for k in ("step", "steps", "started")}
    return "off", {}


@functools.cache
def shipped_model(corpus: str) -> tuple[pre.Pretrained, Board] | None:
    """A GPT that ships with the app and its recorded board (`core.text.pretrained.SPECS`), or None if not shipped."""
    spec = pre.SPECS[corpus]
    p = shipped(spec)
    recorded = shipped_board(spec) if p is not None else None
    return None if recorded is None else (p, recorded)


def board(p: pre.Pretrained) -> Board:
    """The model's scoreboard: the one recorded beside it if it shipped, else scored from its costs (scored when it was
    trained) on its corpus."""
    if shipped(p.spec) is not None and (recorded := shipped_board(p.spec)) is not None:
        return recorded
    s, train_ids, heldout_ids = pre.symbols_of(p.spec)
    return scoreboard(train_ids, heldout_ids, s.vocab, p.spec.model.block_size, p.costs)
