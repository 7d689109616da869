"""A learner's place in the training queue, shown while the page waits for its turn (`core.turns`).

What it is: `place()` gives the page a placeholder and the `on_wait(ahead, waited)` callback that
`core.turns.Turns.turn` calls while waiting: the placeholder says how many trainings are ahead, and is
rewritten about once a second. Rewriting it is also how a learner leaves: when the session ends or
reruns (a changed setting), Streamlit raises its stop or rerun at that write, the wait ends there and
the ticket is given up. Outside a script run (a test, a background thread) there is nothing to show.
It also names the visitor's address (`client`), which the queue uses to take addresses in turn and to hold each
to $BABYGPT_TRAININGS_PER_ADDRESS trainings at once.
"""

from __future__ import annotations

import contextlib
import os
import time

import streamlit as st
from streamlit.runtime.scriptrunner_utils.script_run_context import get_script_run_ctx

from core.runtime.jobs import Waiting
from core.turns import client_of, private
from ui.i18n import t

REDRAW_SECONDS = 1.0  # the message is rewritten at least this often (so a session that left is noticed)


def trusted(address: str) -> bool:
    """A proxy whose X-Forwarded-For is believed: $BABYGPT_TRUSTED_PROXIES (comma-separated addresses), else any
    loopback or private-network address (where deploy/start.sh's nginx and a cluster's ingress run)."""
    listed = os.environ.get("BABYGPT_TRUSTED_PROXIES")
    if listed:
        return address in {a.strip() for a in listed.split(",")}
    return private(address)


def client() -> str:
    """The visitor's address as the queue counts it (`core.turns.client_of`); "" outside a session."""
    try:
        peer, forwarded = st.context.ip_address, st.context.headers.get("X-Forwarded-For")
    except Exception:  # noqa: BLE001  (no session, or a context without its request: no address to count)
        return ""
    text = lambda v: v if isinstance(v, str) else None  # noqa: E731  (a test's stand-in context has no strings)
    if peer is None:  # Streamlit hides a loopback peer: the proxy beside the app, or a visitor on this machine
        peer = "127.0.0.1"
    return client_of(text(peer), text(forwarded), trusted)


@contextlib.contextmanager
def place():
    """Yield a Waiting for core.turns (callbacks None outside a script run); the message is gone after."""
    if get_script_run_ctx(suppress_warning=True) is None:
        yield Waiting(None, None, "")
        return
    slot = []  # made on the first wait: a turn that comes at once leaves no element in the page
    last = [None, 0.0]

    def show(key: str, state, waited: float, **values) -> None:
        now = time.monotonic()
        if state != last[0] or now - last[1] >= REDRAW_SECONDS:
            if not slot:
                slot.append(st.empty())
            slot[0].info(t(key, seconds=waited, **values), icon=":material/hourglass_top:")
            last[0], last[1] = state, now

    def on_wait(ahead: int, waited: float) -> None:
        show("queue.ahead", ahead, waited, n=ahead)

    def on_held(most: int, waited: float) -> None:
        show("queue.held", ("held", most), waited, most=most)

    try:
        yield Waiting(on_wait, on_held, client())
    finally:
        if slot:
            slot[0].empty()
