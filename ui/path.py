"""The article as a path: each page opens with the question it answers and ends with one link to the next step.

What it is: the order of the argument (`PATH`, which the menu follows; State space is the reference after the
story) and the two lines every page draws with it (`question`, `next_step`). The overview tells the path step by
step with its own numbers (pages/overview.py).
"""

from __future__ import annotations

import streamlit as st

from ui import i18n
from ui.i18n import t

PATH = (  # page file -> its catalogue name, in the argument's order
    ("pages/overview.py", "overview"),
    ("pages/train_explore.py", "train_explore"),
    ("pages/compare.py", "compare"),
    ("pages/real_text.py", "real_text"),
    ("pages/text_models.py", "text_models"),
    ("pages/parallel.py", "parallel"),
    ("pages/state_space.py", "state_space"),  # the reference: its next step is the one after the explosion
)
# Where the menu's order is not the argument's: after a longer context, the state space explodes (State space),
# then real text; the last step leads back to the start.
AFTER = {"compare": "state_space", "state_space": "real_text", "parallel": "overview"}
WALK = ("overview", "train_explore", "compare", "state_space", "real_text", "text_models", "parallel")


def question(name: str) -> None:
    """The question the page answers, under its title."""
    st.markdown(t(f"path.q_{name}"))


def answer_slot():
    """The place for the page's answer, right under its question: filled once the page has its numbers, so the
    answer stands in the first screen above the controls it depends on."""
    return st.container(key="answer")


def next_step(name: str) -> None:
    """One link to the following step of the argument (after the last, back to the start)."""
    names = [n for _, n in PATH]
    following = AFTER[name] if name in AFTER else names[names.index(name) + 1]
    page = dict((n, p) for p, n in PATH)[following]
    label = "path.again" if following == WALK[0] else "path.next"
    st.divider()
    st.page_link(page, label=t(label, question=t(f"path.q_{following}")), query_params={"lang": i18n.lang()})
