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
"""

from __future__ import annotations

import streamlit as st
from streamlit.runtime.pages_manager import PagesManager


def through_router() -> None:
    """Rerun through app.py if this page was started without it."""
    if PagesManager.uses_pages_directory:
        PagesManager.uses_pages_directory = False
        st.rerun()
