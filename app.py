"""BabyGPT Explorer: the entry point only routes to the pages."""

import streamlit as st

st.set_page_config(page_title="BabyGPT Explorer", layout="wide")  # default favicon: served by the app itself

PAGES = [
    st.Page("pages/overview.py", title="Overview", default=True),
    st.Page("pages/state_space.py", title="State space"),
    st.Page("pages/train_explore.py", title="Train & explore"),
    st.Page("pages/compare.py", title="Compare"),
]

st.navigation(PAGES).run()
