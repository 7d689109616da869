"""Every page runs through the app's router (`app.py`), even when opened by a deep link first.

Streamlit keeps a legacy mode for apps with a `pages/` folder: until some script has called
`st.navigation`, a request runs the page file on its own (no page config, file names in the
sidebar). On a freshly started server the first visitor of a deep link such as `/compare`
would get that. A page that finds itself in that mode switches it off and reruns, so the
router runs and serves the same page. The router itself calls it first too: under the legacy
mode even `/` runs app.py as a page of a generated navigation, and its widgets would not
survive the first rerun.

Streamlit offers no public switch for that mode, so this sets its class attribute
`PagesManager.uses_pages_directory`; tests/test_router.py fails when Streamlit changes it.

The served entry (serve.py) switches the mode off before the server answers anyone (`no_pages_folder`): the
attribute is one per process, and when several first visitors of a fresh process ran at once, a run started under
the mode could lose its address (the page opened on its defaults, in English) after another run had switched it off.
`through_router` stays for `streamlit run app.py`.
"""

from __future__ import annotations

import streamlit as st
from streamlit.runtime.pages_manager import PagesManager


def through_router() -> None:
    """Rerun through app.py if this page was started without it."""
    if PagesManager.uses_pages_directory:
        PagesManager.uses_pages_directory = False
        st.rerun()


def no_pages_folder() -> None:
    """Leave the legacy pages-folder mode before any session exists (Streamlit decides it at the first one)."""
    PagesManager.uses_pages_directory = False
