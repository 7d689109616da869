"""A server stopped mid-training exits cleanly: status 0, the training's lock released at once, nothing partial stored.

A real `streamlit run`, a fresh store, one visit that starts a training, then SIGTERM (what a pod gets). Before the
fix the process aborted ("terminate called without an active exception").
"""

from __future__ import annotations

import contextlib
import os
import signal
import time

from core.runtime.pretrain import PRETRAIN_QUEUE
from core.store import TMP_PREFIX
from core.turns import Turns
from tests.e2e.harness import free_port, start_server
from tests.e2e.test_browser import wait_ready


@contextlib.contextmanager
def serving(tmp_path, **env):
    """A server on its own store and queue, its stderr in tmp_path/server.log: yields (address, process, log)."""
    env = os.environ | {"BABYGPT_STORE": str(tmp_path / "store"), "BABYGPT_TURNS": str(tmp_path)} | env
    port, log = free_port(), tmp_path / "server.log"
    with log.open("wb") as err:
        proc = start_server(port, env=env, stderr=err)
        try:
            yield f"http://127.0.0.1:{port}", proc, log
        finally:
            if proc.poll() is None:
                proc.kill()


def stop(proc) -> tuple[int, float]:
    """SIGTERM: (exit status, seconds until the process ended)."""
    started = time.time()
    proc.send_signal(signal.SIGTERM)
    return proc.wait(timeout=60), time.time() - started


def assert_clean(rc: int, log) -> None:
    text = log.read_text(errors="replace")
    assert rc == 0, (rc, text[-3000:])
    assert "terminate called" not in text and "Traceback" not in text, text[-3000:]


def test_sigterm_mid_training_exits_cleanly(browser, tmp_path):
    store = tmp_path / "store"
    store.mkdir()
    shipped_none = tmp_path / "shipped"  # no model shipped: the server trains it in the background
    with serving(tmp_path, BABYGPT_PRETRAIN="background", BABYGPT_SHIPPED=str(shipped_none)) as (server, proc, log):
        context = browser.new_context()
        page = context.new_page()
        page.goto(f"{server}/")
        wait_ready(page)
        queue = Turns(tmp_path / PRETRAIN_QUEUE, 1)  # the pretraining's turn (core.runtime.pretrain)
        deadline = time.time() + 60
        while queue.waiting() == 0 and time.time() < deadline:
            time.sleep(0.2)
        assert queue.waiting() == 1, "the visit started the background training, in its turn"
        time.sleep(2)  # inside the training's steps
        context.close()
        rc, took = stop(proc)
    assert_clean(rc, log)
    assert took < 20, f"stopped at its next step, not at the end of the training ({took:.1f} s)"
    assert queue.waiting() == 0, "the turn is given up at once: no other process waits out its staleness"
    leftovers = [p.name for p in store.iterdir() if p.name.startswith(TMP_PREFIX)]
    assert not leftovers, leftovers


def test_sigterm_during_a_learners_training_exits_cleanly(browser, tmp_path):
    """A session's training runs in Streamlit's script thread, a daemon: at exit it must be stopped and waited for."""
    with serving(tmp_path, BABYGPT_PRETRAIN="off") as (server, proc, log):
        context = browser.new_context()
        page = context.new_page()
        page.goto(f"{server}/train_explore?k=8&steps=2000&seq=" + "1101001110" * 20)
        page.locator('[data-testid="stProgress"]').first.wait_for(timeout=60_000)  # the training is under way
        page.wait_for_timeout(1000)
        rc, _ = stop(proc)
        context.close()
    assert_clean(rc, log)
