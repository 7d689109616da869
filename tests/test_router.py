"""The one private Streamlit attribute the app sets (ui.router): a canary that fails when Streamlit changes it.

Streamlit has no public switch for its legacy pages-folder mode (an app with a `pages/` folder runs a deep link's
page file without the router until some script has called `st.navigation`); `ui.router.through_router` sets
`PagesManager.uses_pages_directory` to leave it. If Streamlit renames the attribute or stops deciding the mode by
it, these tests fail, and the router must change with it.
"""

import pathlib

from streamlit.runtime.pages_manager import PagesManager

ROOT = pathlib.Path(__file__).resolve().parents[1]


def test_the_mode_is_decided_by_the_attribute_the_router_sets(monkeypatch):
    assert "uses_pages_directory" in vars(PagesManager), "the class attribute ui.router sets"
    monkeypatch.setattr(PagesManager, "uses_pages_directory", None)
    PagesManager(str(ROOT / "app.py"))
    assert PagesManager.uses_pages_directory is True, "a pages/ folder beside the main script turns the legacy mode on"
    monkeypatch.setattr(PagesManager, "uses_pages_directory", False)
    PagesManager(str(ROOT / "app.py"))
    assert PagesManager.uses_pages_directory is False, "once set, a new session's manager keeps it"


def test_the_router_leaves_the_legacy_mode_and_reruns(monkeypatch):
    import streamlit as st

    from ui import router

    monkeypatch.setattr(PagesManager, "uses_pages_directory", True)
    reruns = []
    monkeypatch.setattr(st, "rerun", lambda: reruns.append(True))
    router.through_router()
    assert PagesManager.uses_pages_directory is False and reruns == [True]
    router.through_router()
    assert reruns == [True], "out of the legacy mode: no second rerun"
