"""One noisy visitor cannot take the page from the others (deploy/start.sh 2, loopback only, bounded).

One address (127.0.0.1) opens 50 sessions at once, each asking Train & explore for a training no run has
stored; meanwhile 5 learners, each from its own address (127.0.0.2 .. 127.0.0.6), ask for one new training
each. The reference is the same 5 learners beside the same address with 4 sessions, the most trainings the queue
lets one address hold ($BABYGPT_TRAININGS_PER_ADDRESS): the queue takes addresses in turn, so the 46 sessions past
that share may cost the learners little (their median within 2x of the reference's). Also shown: the learners
alone. The noisy sessions past the share are told so; no learner's run fails; the app processes' memory stays
bounded. The sessions speak the websocket protocol (benchmarks/ws_client.py), not a browser.
"""

from __future__ import annotations

import asyncio
import os
import random
import statistics
from pathlib import Path

from benchmarks.ws_client import Run, many, open_page, run
from tests.e2e.test_proxy import proxy  # noqa: F401  (the fixture: deploy/start.sh 2 on free ports)

NOISY = 50
SHARE = 4  # the trainings one address may hold in the queue (core.runtime.settings.PER_ADDRESS)
LEARNERS = 5
HELD = "Too many trainings from your address"
MAX_RSS_MB = 2_000  # per app process, after it all


def rss_mb(port: int) -> float:
    """Resident memory of the app process listening on `port` (found by its command line)."""
    for proc in Path("/proc").iterdir():
        try:
            if proc.name.isdigit() and f"--server.port={port}" in (proc / "cmdline").read_bytes().decode().replace("\0", " "):
                pages = int((proc / "statm").read_text().split()[1])
                return pages * os.sysconf("SC_PAGE_SIZE") / 2**20
        except OSError:
            continue
    raise AssertionError(f"no app process on port {port}")


def test_one_noisy_visitor_cannot_take_the_page(proxy):  # noqa: F811
    base, _, app_ports = proxy
    url = base.replace("http://", "ws://") + "/_stcore/stream"
    seeds = iter(random.Random().sample(range(10**6, 10**7), 2 * (SHARE + NOISY + 2 * LEARNERS) + LEARNERS))  # never stored
    learners = lambda: [("train_explore", f"k=4&seed={next(seeds)}", f"127.0.0.{2 + i}") for i in range(LEARNERS)]  # noqa: E731

    alone = run(many(url, learners()))

    async def with_noise(sessions: int):
        runs = [Run() for _ in range(sessions)]
        noisy = [asyncio.create_task(open_page(url, "train_explore", f"k=4&seed={next(seeds)}", "127.0.0.1", r)) for r in runs]
        await asyncio.sleep(3)  # the noisy sessions are in: four in the queue, the rest held outside it
        mine = await many(url, learners())
        for task in noisy:
            task.cancel()
        await asyncio.gather(*noisy, return_exceptions=True)
        return mine, runs

    # Five learners' medians on two shared cores move by half from one look to the next: a ratio past 2x is looked at
    # once more (both phases again) before it counts. A noisy visitor that takes the page fails both looks.
    for look in range(2):
        fair, _ = run(with_noise(SHARE))
        busy, noise = run(with_noise(NOISY))
        before = statistics.median(r.seconds for r in fair)
        after = statistics.median(r.seconds for r in busy)
        print(f"look {look + 1}: the learners' median {before:.2f} s beside the share, {after:.2f} s beside {NOISY}")
        if after <= 2 * before:
            break
    held = sum(1 for r in noise if any(HELD in t for t in r.texts))
    memory = {p: round(rss_mb(p)) for p in app_ports}
    print(f"\n| learners ({LEARNERS}) | median s | max s |\n|---|---|---|")
    print(f"| alone | {statistics.median(r.seconds for r in alone):.2f} | {max(r.seconds for r in alone):.2f} |")
    print(f"| beside {SHARE} sessions of one address (its share) | {before:.2f} | {max(r.seconds for r in fair):.2f} |")
    print(f"| beside {NOISY} noisy sessions | {after:.2f} | {max(r.seconds for r in busy):.2f} |")
    print(f"noisy sessions told the address's limit: {held} of {NOISY}; app memory MB: {memory}")
    assert all(r.status == "finished" for r in alone + fair + busy), [(r.status, r.texts[-3:]) for r in alone + busy]
    assert not any("Traceback" in t or "busy" in t for r in busy for t in r.texts), "no learner is refused"
    assert held >= NOISY - 10, f"the sessions past the address's share are told why they wait: {held}"
    assert after <= 2 * before, f"the learners' median went from {before:.2f} s beside the share to {after:.2f} s"
    assert all(mb < MAX_RSS_MB for mb in memory.values()), memory
