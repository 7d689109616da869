"""A page whose connection comes back reruns from its address and its controls, as on its first open.

When a page loses its websocket, Streamlit's client reconnects and asks the server to resume the same session; it
reruns the script only if a run was under way, or if the page holds a fragment that reruns itself (`run_every`).
Behind nginx with several app processes, a process that dies takes its sessions with it: its pages reconnect to
another process, which knows nothing of them, and would show their old view, drawn by a session that no longer
exists (its downloads gone, its controls read by nobody), until the learner's next change.

`rerun_on_reconnect()` draws one such fragment, empty, rerunning once a day: its only effect is that every
reconnection reruns the page, with the address and the state of every control the browser holds. On the same
process (a network hiccup) that is one more run of what is cached; on another one it rebuilds the session.
tests/e2e/test_fault.py fails if Streamlit's client stops doing so.
"""

from __future__ import annotations

import datetime

import streamlit as st

EVERY = datetime.timedelta(days=1)  # the fragment's own rerun: rare, and harmless (it draws nothing)


@st.fragment(run_every=EVERY)
def _keep_alive() -> None:
    """Nothing to draw: the fragment exists so that the client reruns the page on reconnection."""


def rerun_on_reconnect(where=st.sidebar) -> None:
    """Register the self-rerunning fragment (call it once per run, from the router)."""
    with where:
        _keep_alive()
