"""BabyGPT Explorer: the entry point only routes to the pages."""

import streamlit as st

from ui.inputs import note_ignored_params

st.set_page_config(page_title="BabyGPT Explorer", layout="wide")  # default favicon: served by the app itself

PAGES = [
    st.Page("pages/overview.py", title="Overview", default=True),
    st.Page("pages/state_space.py", title="State space"),
    st.Page("pages/train_explore.py", title="Train & explore"),
    st.Page("pages/compare.py", title="Compare"),
    st.Page("pages/real_text.py", title="Real text"),
    st.Page("pages/text_models.py", title="Vocabulary & GPT"),
]

page = st.navigation(PAGES)
opened = {key: st.query_params.get_all(key) for key in st.query_params}  # the address as opened, before controls read it
notice = st.container()  # above the page: where ignored address parameters are named
try:
    page.run()
finally:  # also after a page stops early on bad input
    note_ignored_params(notice, opened)
