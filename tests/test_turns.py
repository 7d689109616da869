"""The machine-wide queue (core.turns): first come first served across processes, dead and departed waiters
skipped, a bounded wait, and the page's message when the bound is reached.

The reference order is the order in which the test itself starts the waiting processes (each one is started
only once the one before it holds its ticket), never the queue's own numbering; overlaps are counted from
the start and end times each process writes down.
"""

import os
import pathlib
import signal
import subprocess
import sys
import threading
import time

import pytest

from core.turns import QueueError, Turns
from ui import i18n

ROOT = pathlib.Path(__file__).resolve().parents[1]
STALE = 1.5  # seconds: short, so a dead process's ticket is cleared quickly here

# One waiting process: takes a ticket, says so, waits for its turn, writes "name start end" while holding it.
WORKER = """
import pathlib, sys, time
from core.turns import Turns
path, capacity, stale, name, hold, log, taken = sys.argv[1:]
q = Turns(path, int(capacity), float(stale))
ticket = q.take()
pathlib.Path(taken).write_text(str(ticket))
try:
    while q.ahead(ticket) >= q.capacity:
        time.sleep(0.02)
    start = time.time()
    time.sleep(float(hold))
    end = time.time()
    with open(log, "a") as f:
        f.write(f"{name} {start} {end}\\n")
finally:
    q.leave(ticket)
"""


def start_worker(tmp_path, name, capacity=1, hold=0.05):
    """Start one waiting process and return once it holds its ticket."""
    taken = tmp_path / f"taken-{name}"
    args = [str(tmp_path / "q.sqlite"), str(capacity), str(STALE), name, str(hold), str(tmp_path / "log"), str(taken)]
    proc = subprocess.Popen([sys.executable, "-c", WORKER, *args], cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)})
    deadline = time.monotonic() + 60
    while not taken.exists() or not taken.read_text():
        assert proc.poll() is None, f"worker {name} exited early"
        assert time.monotonic() < deadline, f"worker {name} took no ticket"
        time.sleep(0.01)
    return proc


def read_log(tmp_path) -> list[tuple[str, float, float]]:
    rows = [line.split() for line in (tmp_path / "log").read_text().splitlines()]
    return [(name, float(a), float(b)) for name, a, b in rows]


def most_at_once(intervals: list[tuple[float, float]]) -> int:
    """The largest number of intervals that overlap at one moment (a sweep over their ends)."""
    events = sorted([(a, 1) for a, _ in intervals] + [(b, -1) for _, b in intervals], key=lambda e: (e[0], e[1]))
    now = peak = 0
    for _, step in events:
        now += step
        peak = max(peak, now)
    return peak


def held(q: Turns):
    """Hold one turn of q in this process until the returned event is set."""
    release, holding = threading.Event(), threading.Event()

    def run():
        with q.turn():
            holding.set()
            release.wait(60)

    threading.Thread(target=run, daemon=True).start()
    assert holding.wait(10)
    return release


def test_processes_take_turns_in_the_order_they_asked(tmp_path):
    q = Turns(tmp_path / "q.sqlite", 1, STALE)
    release = held(q)  # everyone queues behind this one
    names = [f"w{i}" for i in range(6)]
    procs = [start_worker(tmp_path, n) for n in names]
    release.set()
    for p in procs:
        assert p.wait(60) == 0
    log = read_log(tmp_path)
    assert [name for name, _, _ in sorted(log, key=lambda r: r[1])] == names, "first come, first served"
    assert most_at_once([(a, b) for _, a, b in log]) == 1, "one turn at a time"


def test_capacity_two_runs_two_at_once_and_never_three(tmp_path):
    names = [f"w{i}" for i in range(6)]
    procs = [start_worker(tmp_path, n, capacity=2, hold=0.4) for n in names]
    for p in procs:
        assert p.wait(60) == 0
    log = read_log(tmp_path)
    assert most_at_once([(a, b) for _, a, b in log]) == 2
    starts = [name for name, _, _ in sorted(log, key=lambda r: r[1])]
    assert starts[2:] == names[2:], "past the first two turns, in the order they asked"


def test_a_killed_process_does_not_block_the_queue(tmp_path):
    q = Turns(tmp_path / "q.sqlite", 1, STALE)
    dead = start_worker(tmp_path, "dead", hold=3600)  # first in the queue, then dies without giving its turn up
    dead.send_signal(signal.SIGKILL)
    dead.wait(10)
    t0 = time.monotonic()
    with q.turn(wait_seconds=30, poll=0.05):
        waited = time.monotonic() - t0
    assert waited < STALE + 2, f"waited {waited:.1f} s behind a dead process's ticket"


def test_a_waiter_who_leaves_gives_up_its_place(tmp_path):
    q = Turns(tmp_path / "q.sqlite", 1, STALE)
    release = held(q)

    def impatient(ahead, waited):
        raise KeyboardInterrupt  # as a page's rerun or session end interrupts its wait

    with pytest.raises(KeyboardInterrupt):
        with q.turn(on_wait=impatient):
            pass
    behind = q.take()
    assert q.ahead(behind) == 1, "only the holder is ahead: the one who left is gone"
    q.leave(behind)
    release.set()


def test_a_wait_has_a_bound_and_says_how_many_were_ahead(tmp_path):
    q = Turns(tmp_path / "q.sqlite", 1, STALE)
    release = held(q)
    places = []
    t0 = time.monotonic()
    with pytest.raises(QueueError) as e:
        with q.turn(wait_seconds=0.5, on_wait=lambda n, w: places.append(n), poll=0.05):
            pass
    assert 0.5 <= time.monotonic() - t0 < 5
    assert e.value.params["ahead"] == 1 and set(places) == {1}, "one training ahead, said while waiting"
    assert q.waiting() == 1, "the ticket that gave up is gone"
    release.set()
    for lang in i18n.LANGS:
        i18n.use(lang)
        text = i18n.error(e.value)
        assert "1" in text and ("busy" in text if lang == "en" else "服务器正忙" in text)
    i18n.use("en")


def test_the_page_says_the_server_is_busy_when_the_wait_runs_out(tmp_path, monkeypatch):
    from streamlit.testing.v1 import AppTest

    from core.runtime import settings

    monkeypatch.setenv("BABYGPT_STORE", str(tmp_path))
    monkeypatch.setenv("BABYGPT_QUEUE_WAIT", "0.5")
    settings.store.cache_clear()
    settings.turns.cache_clear()
    try:
        release = held(settings.turns())
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
        at.switch_page("pages/train_explore.py")
        at.query_params["seed"] = "424242"  # a configuration no one trained: it has to queue
        at.query_params["lang"] = "en"
        at.run()
        errors = [e.value for e in at.error]
        assert any("The server is busy: 1 training was still ahead" in e for e in errors), errors
        release.set()
    finally:
        settings.store.cache_clear()
        settings.turns.cache_clear()


def test_a_stored_training_never_waits_for_a_turn(tmp_path, monkeypatch):
    """The teacher's link (a stored model) is served while every turn is taken: the store is read before queueing."""
    from core.babygpt.data import ARTICLE_SEQUENCE, parse_digits
    from core.babygpt.train import TrainConfig
    from core.model import GPTConfig
    from core.runtime import settings
    from scripts.warm import main as warm
    from ui import cache

    assert warm(["--store", str(tmp_path)]) == 0
    monkeypatch.setenv("BABYGPT_STORE", str(tmp_path))
    monkeypatch.setenv("BABYGPT_QUEUE_WAIT", "0.5")
    settings.store.cache_clear()
    settings.turns.cache_clear()
    cache._train_job.clear()
    try:
        release = held(settings.turns())
        tokens = parse_digits(ARTICLE_SEQUENCE, 2).tokens
        r = cache.trained(GPTConfig(), TrainConfig(), tokens)  # would raise QueueError if it queued
        assert abs(r.snapshots[50][0b101, 1] - 0.79) < 0.005
        with pytest.raises(QueueError):  # while a configuration nobody stored does queue
            cache.trained(GPTConfig(), TrainConfig(seed=4242), tokens)
        release.set()
    finally:
        settings.store.cache_clear()
        settings.turns.cache_clear()
        cache._train_job.clear()


def round_robin(tickets: list[tuple[int, str]], running: dict[str, int]) -> list[int]:
    """Reference order of waiting tickets (id, client): round after round, each client's next ticket, in the order
    those tickets came; a client with r tickets running sits out its first r rounds."""
    queues: dict[str, list[int]] = {}
    for i, c in sorted(tickets):
        queues.setdefault(c, []).append(i)
    order, rnd = [], 0
    while any(queues.values()):
        order += sorted(q.pop(0) for c, q in queues.items() if q and running.get(c, 0) <= rnd)
        rnd += 1
    return order


def test_waiting_tickets_are_served_round_robin_across_clients(tmp_path):
    import random

    from core.turns import _ahead_of

    rng = random.Random(5)
    for _ in range(200):
        tickets = [(i, rng.choice("ABC")) for i in range(1, rng.randint(2, 12))]
        started = {i for i, _ in tickets[: rng.randint(0, 2)]}
        rows = [(i, c, int(i in started)) for i, c in tickets]
        running = {c: sum(1 for i, d in tickets if d == c and i in started) for c in "ABC"}
        order = round_robin([(i, c) for i, c in tickets if i not in started], running)
        for i, _ in tickets:
            expect = len(started - {i}) + (order.index(i) if i not in started else 0)
            assert _ahead_of(i, rows) == expect, (tickets, started, i)
    q = Turns(tmp_path / "q.sqlite", 1, STALE)
    noisy = [q.take("10.0.0.1") for _ in range(5)]
    learner = q.take("10.0.0.2")
    assert q.ahead(learner) == 1, "behind the noisy client's first ticket only, not all five"
    q.start(noisy[0])
    assert q.ahead(noisy[1]) == 2 and q.ahead(learner) == 1, "the learner's ticket is served before the noisy second"
    for t in noisy + [learner]:
        q.leave(t)


def test_a_client_holds_at_most_its_share_and_waits_outside_the_queue(tmp_path):
    q = Turns(tmp_path / "q.sqlite", 1, STALE)
    mine = [q.take("10.0.0.1", most=2), q.take("10.0.0.1", most=2)]
    assert None not in mine and q.take("10.0.0.1", most=2) is None, "a third is refused while two are live"
    assert q.take("10.0.0.2", most=2) is not None, "another address is not affected"
    held = []
    threading.Timer(0.5, q.leave, args=(mine[0],)).start()
    t0 = time.monotonic()
    with pytest.raises(QueueError) as e:  # the turn itself waits behind the others: bounded, here 0.2 s past the hold
        with q.turn(wait_seconds=1.0, client="10.0.0.1", most=2, on_held=lambda n, w: held.append(w), poll=0.05):
            pass
    assert held and max(held) < 0.6 and time.monotonic() - t0 >= 1.0, "held until one of its own left, then queued"
    assert e.value.code == "queue.timeout"
    with pytest.raises(QueueError) as e:
        with q.turn(wait_seconds=0.3, client="10.0.0.2", most=1, poll=0.05):
            pass
    assert e.value.code == "queue.held" and e.value.params["most"] == 1
    assert "Too many trainings from your address" in i18n.error(e.value), i18n.error(e.value)


def test_the_visitors_address_behind_a_trusted_proxy():
    from core.turns import client_of, private

    assert client_of("127.0.0.1", "203.0.113.7", private) == "203.0.113.7", "nginx on loopback: its entry"
    assert client_of("10.1.2.3", "198.51.100.1, 203.0.113.7", private) == "203.0.113.7", "the proxy's own entry, last"
    assert client_of("8.8.8.8", "1.2.3.4", private) == "8.8.8.8", "a direct visitor cannot pick its address"
    assert client_of("127.0.0.1", None, private) == "127.0.0.1" and client_of(None, None, private) == ""
