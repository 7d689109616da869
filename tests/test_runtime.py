"""The runtime (core.runtime): settings from the environment, a job's place while it waits, and the long text GPT
trained once on a machine however many processes start it, in a turn of its own queue."""

import contextlib
import threading
import time

import pytest

from core.runtime import jobs, pretrain, settings
from core.store import ResultStore
from core.text import pretrained as pre


@pytest.mark.parametrize("value, expected", [("3", 3), ("", 7), ("0", 7), ("-2", 7), ("two", 7), (None, 7)])
def test_a_setting_that_is_not_a_positive_number_falls_back_to_its_default(monkeypatch, value, expected):
    if value is None:
        monkeypatch.delenv("BABYGPT_X", raising=False)
    else:
        monkeypatch.setenv("BABYGPT_X", value)
    assert settings.number("BABYGPT_X", 7, int) == expected


def test_a_job_that_waits_shows_its_place_and_one_that_does_not_shows_nothing(tmp_path, monkeypatch):
    monkeypatch.setenv("BABYGPT_TURNS", str(tmp_path))
    monkeypatch.setenv("BABYGPT_TRAININGS", "1")
    settings.turns.cache_clear()
    shown = []

    @contextlib.contextmanager
    def place():
        yield jobs.Waiting(lambda ahead, waited: shown.append(ahead), None, "learner")

    try:
        release = threading.Event()
        holder = threading.Thread(target=jobs.Job(lambda progress=None: release.wait(5)).result)
        holder.start()
        time.sleep(0.5)  # the holder has the one turn
        waiter = jobs.Job(lambda progress=None: 42)
        t = threading.Thread(target=lambda: shown.append(("result", waiter.result(place=place))))
        t.start()
        time.sleep(0.6)
        release.set()
        t.join(10)
        holder.join(10)
    finally:
        settings.turns.cache_clear()
    assert shown[0] == 1, f"one training ahead of it while it waited: {shown}"
    assert shown[-1] == ("result", 42)
    assert jobs.Job(lambda progress=None: 7).result() == 7, "no place given: nothing shown, the result all the same"


def test_two_processes_train_the_long_gpt_once(tmp_path, monkeypatch):
    """Two threads standing for two processes: the first to take the pretraining's turn trains and stores, the other
    waits, then finds it stored (one lock mechanism: the queue's tickets)."""
    monkeypatch.setenv("BABYGPT_TURNS", str(tmp_path / "turns"))
    monkeypatch.setattr(settings, "store", lambda: ResultStore(tmp_path / "store"))
    trainings = []

    def fake_train(spec, progress=None):
        trainings.append(threading.current_thread().name)
        time.sleep(1.0)
        return "model"

    monkeypatch.setattr(pre, "train_pretrained", fake_train)
    monkeypatch.setattr(pre, "to_bytes", lambda p: b"weights")
    monkeypatch.setattr(pretrain, "PRETRAIN_POLL", 0.1)
    monkeypatch.setattr(pretrain, "_state", dict(pretrain._state))  # this process's status, as it was, after the test
    spec = pre.NAMES
    threads = [threading.Thread(target=pretrain._train_in_turn, args=(spec,), name=f"p{i}") for i in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert len(trainings) == 1, f"trained once, not by each process: {trainings}"
    assert (tmp_path / "store").exists() and pretrain.stored(spec), "stored for every process"
