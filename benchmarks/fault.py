"""A fault survived: ten sessions through nginx on different pages and settings, one app process killed (SIGKILL).

Usage: python benchmarks/fault.py [--rounds 1] [--timeout 600]

1. deploy/start.sh 2 on free loopback ports, with a result store of its own holding only the article's model
   (scripts/warm.py) and a training queue of its own ($BABYGPT_TURNS); each process then serves every page once at
   its default address, directly (a process that has served a while; the sessions' own settings are new to it).
2. Ten websocket sessions (benchmarks/ws_client.py) through nginx, each from a loopback address of its own and with
   its own route cookie, open `SESSIONS`: Train & explore at k=4, with a typed text, on another tab, in Chinese;
   Compare; State space with V and k typed; Real text; the overview at another step; Parallel; Vocabulary & GPT.
   Each records what its page shows (`figures`: every number of its texts and of its arrows' titles).
3. The app process that serves the most of them (nginx's access log: route -> upstream) is killed with SIGKILL.
   Each session whose websocket closes does what a browser does (ws_client.Session.reconnect: Streamlit's backoff,
   the health endpoint, a new websocket offering its old session's id; then, as the app's pages ask, a rerun with
   the page's address and its controls' states). The others keep their connection; each reruns 5 s after the kill
   (the killed side's time to come back), as a learner's next change would.
4. The table, per session: its page, killed side or not, seconds from the kill to its view back (the rerun's end),
   the reconnection attempts, and whether its numbers equal those before the kill; then how long deploy/start.sh
   took to have the killed process answer again. Goal (the issue "Instant"): all back within 5 s, numbers equal.

--rounds N repeats steps 2-3 N times on the same servers (each round kills the process that serves the most
sessions then, once the one killed before answers again and has served every page); every session of every round
counts. Talks only to 127.0.0.x and stops everything it started
within --timeout seconds.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import pathlib
import re
import shutil
import signal
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass, field

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1]))

from load_test_proxy import app_pids, read_access_log, start_proxy, stop_proxy  # noqa: E402
from load_ws import TEMPORARY, fresh_store, run_thread, watchdog  # noqa: E402
from ws_client import Run, Session, arrows, numbers, route  # noqa: E402

GOAL = 5.0  # seconds from the kill to every page's view back (the issue)
SESSIONS = [  # (what the learner looks at, page, the address it opened, what it then typed or changed)
    ("Train & explore, k=4", "train_explore", "k=4", {}),
    ("Train & explore, a typed text", "train_explore", "source=text", {"text": "the cat sat on the mat, the dog too"}),
    ("Train & explore, table tab, seed 7", "train_explore", "tab=table&seed=7", {}),
    ("Train & explore in Chinese, k=2", "train_explore", "lang=zh&k=2", {}),
    ("Compare, side by side", "compare", "c_tab=side", {}),
    ("State space, V and k typed", "state_space", "", {"V": 50, "k": 6}),
    ("Real text, longest context 3", "real_text", "", {"rt_K": 3}),
    ("Overview at step 20", "overview", "step=20", {}),
    ("Parallel, bits tab", "parallel", "pl_tab=bits", {}),
    ("Vocabulary & GPT", "text_models", "", {}),
]


@dataclass
class Seen:
    """One session's round: what it showed before the kill and after, and when."""

    name: str
    cookie: str | None = None
    upstream: str = "?"
    before: Run = field(default_factory=Run)
    after: Run = field(default_factory=Run)
    killed: bool = False  # its websocket closed: it was on the killed process
    back: float | None = None  # seconds from the kill to its view back (its rerun's end)
    attempts: int = 0
    error: str | None = None

    @property
    def equal(self) -> bool:
        ok = self.before.status == self.after.status == "finished"
        return ok and figures(self.before) == figures(self.after) and bool(figures(self.before)["texts"])

    def difference(self) -> str:
        """What differs between before and after, in one line (for a report)."""
        if self.before.status != self.after.status:
            return f"run {self.before.status} before, {self.after.status} after: {self.after.texts[-2:]}"
        a, b = figures(self.before), figures(self.after)
        if a["arrows"] != b["arrows"]:
            titles = numbers(self.before)["arrows"], numbers(self.after)["arrows"]
            i = next(i for i, (x, y) in enumerate(zip(a["arrows"] + [None], b["arrows"] + [None], strict=False)) if x != y)
            first = [t[i] if i < len(t) else None for t in titles]
            return f"{len(a['arrows'])} arrows before, {len(b['arrows'])} after; the first that differs: {first}"
        gone = [t for t in self.before.shown.values() if t and t not in self.after.shown.values()]
        new = [t for t in self.after.shown.values() if t and t not in self.before.shown.values()]
        return f"texts before only: {gone[:2]}; after only: {new[:2]}"[:400]


NUMBER = re.compile(r"\d+(?:[.,]\d+)*")  # 3,164 or 0.23172: a number, without the punctuation after it


def figures(run: Run) -> dict:
    """Every number of a page's texts and of its arrows' titles (as ws_client.numbers reads them): the same page
    before and after must show the same figures, whatever words surround them."""
    shown = [t for t in run.shown.values() if t and NUMBER.search(t)]
    return {
        "texts": [NUMBER.findall(t) for t in shown],
        "arrows": [NUMBER.findall(a) for f in run.frames for a in arrows(f)],
    }


async def open_all(ws: str, base: str, round_: int, sessions: list = SESSIONS) -> list[tuple[Seen, Session]]:
    """Every session of `sessions` opened through nginx, its change made, what it shows recorded."""

    async def one(i: int, name: str, page: str, query: str, change: dict) -> tuple[Seen, Session]:
        seen, local = Seen(name), f"127.0.3.{1 + i + 10 * round_}"
        seen.cookie = await route(base, f"/{page}" + (f"?{query}" if query else ""), local)
        session = Session(ws, local, seen.cookie)
        await session.__aenter__()
        await session.open(page, query, seen.before)
        if change:
            seen.before = await session.change(change)
        return seen, session

    return list(await asyncio.gather(*(one(i, *s) for i, s in enumerate(sessions))))


async def survive(seen: Seen, session: Session, base: str, killed_at: asyncio.Future, grace: float) -> None:
    """Wait for the kill; a closed websocket reconnects and reruns (a browser); one still open after `grace` seconds
    (the killed side's time to come back) reruns then, as a learner's next change would."""
    t_kill = await killed_at
    try:
        await asyncio.wait_for(session.closed(), grace)
        seen.killed = True
    except TimeoutError:
        seen.killed = False
    try:
        if seen.killed:
            seen.attempts = await session.reconnect(base)
        seen.after = await session.rerun()
        if seen.killed:
            seen.back = time.monotonic() - t_kill
    except Exception as e:  # a session that does not come back is a result to report
        seen.error = f"{type(e).__name__}: {e}".splitlines()[0]


async def one_round(ws: str, base: str, logs: pathlib.Path, app_ports: list[int], round_: int) -> tuple[list, dict]:
    opened = await open_all(ws, base, round_)
    await asyncio.sleep(0.5)  # nginx's access log written
    upstream = {r: up for _, _, r, up in read_access_log(logs) if up and up != "-"}
    for seen, _ in opened:
        seen.upstream = upstream.get((seen.cookie or "=").split("=", 1)[1], "?")
    # where each page was fetched (nginx logs a websocket only when it closes); right after a restart nginx may still
    # hold the restarted process as down and fetch a page elsewhere than its websocket goes: a session's side is
    # whether its websocket closes
    counts = {f"127.0.0.1:{p}": sum(s.upstream == f"127.0.0.1:{p}" for s, _ in opened) for p in app_ports}
    victim = max(counts, key=counts.get)
    port = int(victim.rsplit(":", 1)[1])
    (pid,) = app_pids([port])
    killed_at = asyncio.get_running_loop().create_future()
    grace = GOAL  # a killed process's websockets close within milliseconds; the others rerun after this long
    tasks = [asyncio.create_task(survive(s, session, base, killed_at, grace)) for s, session in opened]
    await asyncio.sleep(0.2)
    t_kill = time.monotonic()
    os.kill(pid, signal.SIGKILL)
    killed_at.set_result(t_kill)
    await asyncio.gather(*tasks)
    restarted = await asyncio.to_thread(wait_healthy, port, t_kill)
    for _, session in opened:
        await session.__aexit__(None, None, None)
    return [s for s, _ in opened], {"victim": victim, "pid": pid, "restarted": restarted}


def wait_healthy(port: int, since: float, timeout: float = 120) -> float | None:
    """Seconds from `since` until the app process on `port` answers its health check again (None: not in time)."""
    while time.monotonic() - since < timeout:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=2) as r:
                if r.status == 200:
                    return time.monotonic() - since
        except OSError:
            pass
        time.sleep(0.2)
    return None


def warm(app_ports: list[int]) -> None:
    """Each process's first run of every page at its default address, directly (a process that has served a while:
    its imports and first computations are not the fault's; the sessions' own settings are not computed there)."""

    async def pages(port: int):
        for page in dict.fromkeys(page for _, page, _, _ in SESSIONS):
            async with Session(f"ws://127.0.0.1:{port}/_stcore/stream") as s:
                await s.open(page, "")

    for port in app_ports:
        run_thread(pages(port))


def table(rounds: list[tuple[list[Seen], dict]]) -> int:
    rows, problems = [], 0
    for r, (seen, kill) in enumerate(rounds):
        print(
            f"round {r + 1}: killed {kill['victim']} (pid {kill['pid']}; {sum(s.killed for s in seen)} of {len(seen)} sessions"
            f" lost their websocket);"
            f" it answered again after {kill['restarted']:.1f} s"
            if kill["restarted"] is not None
            else f"round {r + 1}: killed {kill['victim']}: it did not answer again"
        )
        for s in seen:
            back = "-" if s.back is None else f"{s.back:.2f}"
            equal = "yes" if s.equal else "NO"
            side = "killed" if s.killed else "other"
            rows.append((s.name, side, back, str(s.attempts) if s.killed else "-", equal, s.error or ""))
            problems += bool(s.error) or not s.equal or (s.killed and (s.back is None or s.back > GOAL))
    head = ("session", "side", "back, s", "attempts", "numbers equal", "")
    widths = [max(len(str(x[i])) for x in [head, *rows]) for i in range(len(head))]
    for row in [head, *rows]:
        print("  ".join(str(v).ljust(w) for v, w in zip(row, widths, strict=True)).rstrip())
    backs = [s.back for seen, _ in rounds for s in seen if s.back is not None]
    killed = sum(s.killed for seen, _ in rounds for s in seen)
    total = sum(len(seen) for seen, _ in rounds)
    if backs:
        print(f"killed side: {killed} of {total} sessions, back after {min(backs):.2f}-{max(backs):.2f} s (goal {GOAL:.0f} s)")
    print(f"sessions with a problem (not back in {GOAL:.0f} s, an error, numbers unlike before): {problems}")
    return 1 if problems or not killed else 0


def main(args) -> int:
    load_before = os.getloadavg()[0]
    turns = tempfile.mkdtemp(prefix="babygpt-turns-fault-")
    TEMPORARY.append(turns)
    store = fresh_store()
    os.environ["BABYGPT_STORE"], os.environ["BABYGPT_TURNS"] = store, turns
    proxy = None
    try:
        proxy, base, logs, app_ports = start_proxy(2)
        ws = base.replace("http://", "ws://") + "/_stcore/stream"
        warm(app_ports)
        rounds = []
        for r in range(args.rounds):
            rounds.append(run_thread(one_round(ws, base, logs, app_ports, r))[0])
            if r + 1 < args.rounds:  # the killed process back and warm before the next round
                warm(app_ports)
    finally:
        stop_proxy(proxy)
        for d in (store, turns):
            shutil.rmtree(d, ignore_errors=True)
    print(f"machine: {os.cpu_count()} cores, load average {load_before:.1f} before the run, {os.getloadavg()[0]:.1f} after")
    return table(rounds)


if __name__ == "__main__":
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rounds", type=int, default=1, help="kills, one after another (the killed process restarted between)")
    ap.add_argument("--timeout", type=float, default=600, help="stop everything after this many seconds")
    args = ap.parse_args()
    watchdog(args.timeout)
    sys.exit(main(args))
