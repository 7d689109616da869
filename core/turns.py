"""Turns for heavy computations, fair across every process of one machine: a first-come queue of tickets.

What it is: `Turns(path, capacity)` keeps its tickets in one small sqlite file (the app puts it in the
machine's temporary folder), so every process that opens the same file shares one queue. `turn()` takes a
ticket (numbers only grow: first come, first served), waits until fewer than `capacity` live tickets are
ahead of it, yields, and gives its ticket up when the block ends, however it ends (done, an exception,
the caller leaving). Each process beats the tickets it holds every `BEAT_SECONDS` from one daemon
thread; a ticket whose beat is older than `stale_seconds` belongs to a process that died or hangs and
no longer counts, so nobody waits on it. A wait is bounded: past `wait_seconds` the ticket is given up
and `QueueError("queue.timeout")` says how many were still ahead.

`on_wait(ahead, waited)` is called while waiting (about every `poll` seconds): the caller shows the place
("2 trainings ahead of you"); an exception raised there (a page's session ending, its rerun) ends the
wait and gives the ticket up.

Fair across clients: a ticket may name its client (the visitor's address, `client_of`). Waiting tickets are
served in turn across clients, round robin (each client's first waiting ticket, in the order they came, then each
one's second, ...), so one client with many tickets cannot make another wait behind all of them. With `most`, a
client holds at most that many live tickets at once: another request from it waits outside the queue
(`on_held(most, waited)`, within the same bound) until one of its tickets is done. A ticket whose turn has come
is marked started and stays ahead of every waiting one.

What it is not: a scheduler (no priorities, no preemption: a turn runs to its end) or a lock on data (the
result store needs none). Plain Python, no torch, no streamlit.
"""

from __future__ import annotations

import contextlib
import os
import pathlib
import sqlite3
import threading
import time
from collections.abc import Callable, Iterator

from core.errors import CoreError

BEAT_SECONDS = 1.0  # how often a process refreshes the tickets it holds
STALE_SECONDS = 15.0  # a ticket not refreshed for this long is dead (its process died or hangs)
POLL_SECONDS = 0.2  # how often a waiter looks at its place
HELD_POLL_SECONDS = 2.0  # how often a client past its most looks again (dozens may wait so: each look writes)
WAIT_SECONDS = 180.0  # default bound on a wait (a turn's own work is bounded by the caps)

OnWait = Callable[[int, float], None]  # (tickets ahead, seconds waited so far)


class QueueError(CoreError):
    """A wait for a turn that ran past its bound."""

    messages = {
        "queue.timeout": (
            "The server is busy: {ahead} trainings were still ahead of yours after {seconds:.0f} s,"
            " so this one was not started. Try again in a minute."
        ),
        "queue.held": (
            "Too many trainings from your address: {most} were still queued or running after {seconds:.0f} s,"
            " so this one was not started. Try again when they are done."
        ),
    }


_SCHEMA = (
    "CREATE TABLE IF NOT EXISTS tickets"
    " (id INTEGER PRIMARY KEY AUTOINCREMENT, pid INTEGER, beat REAL, client TEXT DEFAULT '', started INTEGER DEFAULT 0)"
)
OnHeld = Callable[[int, float], None]  # (the client's most tickets, seconds waited so far)


def client_of(peer: str | None, forwarded: str | None, trusted: Callable[[str], bool]) -> str:
    """The visitor's address: the last X-Forwarded-For entry when the direct peer is a trusted proxy (nginx appends
    the address it saw), else the peer itself ("" when unknown)."""
    peer = (peer or "").strip()
    if forwarded and peer and trusted(peer):
        last = forwarded.split(",")[-1].strip()
        if last:
            return last
    return peer


def private(address: str) -> bool:
    """A loopback or private-network address (where this app's own proxies run)."""
    import ipaddress

    try:
        return ipaddress.ip_address(address).is_private
    except ValueError:
        return False


class Turns:
    """A machine-wide first-come queue with `capacity` turns at once (see the module docstring)."""

    def __init__(self, path: pathlib.Path | str, capacity: int, stale_seconds: float = STALE_SECONDS):
        if capacity < 1:
            raise ValueError(f"capacity must be at least 1, got {capacity}")
        self.path = pathlib.Path(path)
        self.capacity = capacity
        self.stale_seconds = stale_seconds
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._clients: dict[int, str] = {}  # this process's tickets -> their client (to put a missed one back)
        with self._db() as db:
            db.execute(_SCHEMA)
            columns = {row[1] for row in db.execute("PRAGMA table_info(tickets)")}
            for column, kind in (("client", "TEXT DEFAULT ''"), ("started", "INTEGER DEFAULT 0")):
                if column not in columns:  # a queue file an older version made
                    try:
                        db.execute(f"ALTER TABLE tickets ADD COLUMN {column} {kind}")
                    except sqlite3.OperationalError:  # another thread or process added it first
                        pass

    @contextlib.contextmanager
    def _db(self) -> Iterator[sqlite3.Connection]:
        db = sqlite3.connect(self.path, timeout=30, isolation_level=None)
        try:
            db.execute("PRAGMA synchronous=OFF")  # tickets are worth nothing after a crash: no fsync per change
            yield db
        finally:
            db.close()

    def take(self, client: str = "", most: int | None = None) -> int | None:
        """A new ticket (the dead ones cleared away first), or None when `client` already holds `most` live ones."""
        now = time.time()
        with self._db() as db:
            db.execute("BEGIN IMMEDIATE")
            db.execute("DELETE FROM tickets WHERE beat < ?", (now - self.stale_seconds,))
            if client and most is not None:
                (held,) = db.execute("SELECT COUNT(*) FROM tickets WHERE client = ?", (client,)).fetchone()
                if held >= most:
                    db.execute("COMMIT")
                    return None
            sql = "INSERT INTO tickets (pid, beat, client) VALUES (?, ?, ?)"
            ticket = db.execute(sql, (os.getpid(), now, client)).lastrowid
            db.execute("COMMIT")
        self._clients[ticket] = client
        _beater.hold(self, ticket)
        return ticket

    def ahead(self, ticket: int) -> int:
        """Live tickets served before this one: every started one, then the waiting ones before it in the round
        robin across clients. A ticket cleared as dead (its process stalled past its beats) comes back in its place."""
        now = time.time()
        with self._db() as db:
            rows = db.execute(
                "SELECT id, client, started FROM tickets WHERE beat >= ? OR id = ?", (now - self.stale_seconds, ticket)
            ).fetchall()
            if ticket not in {i for i, _, _ in rows}:
                client = self._clients.get(ticket, "")
                sql = "INSERT OR REPLACE INTO tickets (id, pid, beat, client) VALUES (?, ?, ?, ?)"
                db.execute(sql, (ticket, os.getpid(), now, client))
                rows.append((ticket, client, 0))
        return _ahead_of(ticket, rows)

    def start(self, ticket: int) -> None:
        """Its turn has come: from now on it is ahead of every waiting ticket."""
        with self._db() as db:
            db.execute("UPDATE tickets SET started = 1 WHERE id = ?", (ticket,))

    def leave(self, ticket: int) -> None:
        """Give a ticket up (done, or no longer wanted): the tickets behind it move up."""
        _beater.release(self, ticket)
        self._clients.pop(ticket, None)
        with self._db() as db:
            db.execute("DELETE FROM tickets WHERE id = ?", (ticket,))

    def beat(self, tickets: list[int]) -> None:
        """Mark these tickets alive now."""
        if tickets:
            with self._db() as db:
                marks = ",".join("?" * len(tickets))
                db.execute(f"UPDATE tickets SET beat = ? WHERE id IN ({marks})", (time.time(), *tickets))

    def waiting(self) -> int:
        """Live tickets in the queue (running and waiting)."""
        with self._db() as db:
            return db.execute("SELECT COUNT(*) FROM tickets WHERE beat >= ?", (time.time() - self.stale_seconds,)).fetchone()[0]

    @contextlib.contextmanager
    def turn(
        self,
        wait_seconds: float = WAIT_SECONDS,
        on_wait: OnWait | None = None,
        poll: float = POLL_SECONDS,
        client: str = "",
        most: int | None = None,
        on_held: OnHeld | None = None,
    ):
        """Wait for a turn (at most wait_seconds in all, else QueueError), run the block, give the ticket up."""
        t0 = time.monotonic()
        while (ticket := self.take(client, most)) is None:  # the client holds its most: wait outside the queue
            waited = time.monotonic() - t0
            if waited >= wait_seconds:
                raise QueueError("queue.held", most=most, seconds=waited)
            if on_held is not None:
                on_held(most, waited)
            time.sleep(max(poll, HELD_POLL_SECONDS))
        try:
            while (n := self.ahead(ticket)) >= self.capacity:
                waited = time.monotonic() - t0
                if waited >= wait_seconds:
                    raise QueueError("queue.timeout", ahead=n, seconds=waited)
                if on_wait is not None:
                    on_wait(n, waited)
                time.sleep(poll)
            self.start(ticket)
            yield ticket
        finally:
            self.leave(ticket)


def _ahead_of(ticket: int, rows: list[tuple[int, str, int]]) -> int:
    """How many of the live tickets (id, client, started) are served before `ticket`: the started ones, then the
    waiting ones in round robin across clients (a client's n-th ticket, its started ones counted, after every
    client's (n-1)-th)."""
    waiting = sorted((i, c) for i, c, started in rows if not started)
    rank, seen = {}, {}
    for _, c, started in rows:  # a client's running tickets count as its earlier rounds
        seen[c] = seen.get(c, 0) + bool(started)
    for i, c in waiting:
        rank[i] = seen.get(c, 0)
        seen[c] = rank[i] + 1
    started = sum(1 for i, _, s in rows if s and i != ticket)
    if ticket not in rank:  # itself started
        return started
    mine = (rank[ticket], ticket)
    return started + sum(1 for i, _ in waiting if (rank[i], i) < mine)


class _Beater:
    """One daemon thread per process refreshing every ticket the process holds, every BEAT_SECONDS."""

    def __init__(self):
        self._lock = threading.Lock()
        self._held: dict[int, tuple[Turns, set[int]]] = {}  # id(queue) -> (queue, its tickets)
        self._thread: threading.Thread | None = None
        self._pid = 0

    def hold(self, queue: Turns, ticket: int) -> None:
        with self._lock:
            self._held.setdefault(id(queue), (queue, set()))[1].add(ticket)
            if self._thread is None or self._pid != os.getpid():  # a forked child has no thread of its parent
                self._pid = os.getpid()
                self._thread = threading.Thread(target=self._run, name="turns-beat", daemon=True)
                self._thread.start()

    def release(self, queue: Turns, ticket: int) -> None:
        with self._lock:
            entry = self._held.get(id(queue))
            if entry is not None:
                entry[1].discard(ticket)
                if not entry[1]:
                    del self._held[id(queue)]

    def _run(self) -> None:
        while True:
            time.sleep(BEAT_SECONDS)
            with self._lock:
                held = [(q, sorted(tickets)) for q, tickets in self._held.values()]
            for queue, tickets in held:
                try:
                    queue.beat(tickets)
                except sqlite3.Error:
                    pass  # busy or gone for a moment: the next beat tries again (a ticket lives STALE_SECONDS)


_beater = _Beater()
