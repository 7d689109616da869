"""A learner's place in the training queue, shown while the page waits for its turn (`core.turns`).

What it is: `place()` gives the page a placeholder and the `on_wait(ahead, waited)` callback that
`core.turns.Turns.turn` calls while waiting: the placeholder says how many trainings are ahead, and is
rewritten about once a second. Rewriting it is also how a learner leaves: when the session ends or
reruns (a changed setting), Streamlit raises its stop or rerun at that write, the wait ends there and
the ticket is given up. Outside a script run (a test, a background thread) there is nothing to show.
"""

from __future__ import annotations

import contextlib
import time

import streamlit as st
from streamlit.runtime.scriptrunner_utils.script_run_context import get_script_run_ctx

from ui.i18n import t

REDRAW_SECONDS = 1.0  # the message is rewritten at least this often (so a session that left is noticed)


@contextlib.contextmanager
def place():
    """Yield an on_wait callback for core.turns (None outside a script run); the message is gone after."""
    if get_script_run_ctx(suppress_warning=True) is None:
        yield None
        return
    slot = []  # made on the first wait: a turn that comes at once leaves no element in the page
    last = [None, 0.0]

    def on_wait(ahead: int, waited: float) -> None:
        now = time.monotonic()
        if ahead != last[0] or now - last[1] >= REDRAW_SECONDS:
            if not slot:
                slot.append(st.empty())
            slot[0].info(t("queue.ahead", n=ahead, seconds=waited), icon=":material/hourglass_top:")
            last[0], last[1] = ahead, now

    try:
        yield on_wait
    finally:
        if slot:
            slot[0].empty()
