"""BabyGPT Explorer: the entry point only routes to the pages."""

import streamlit as st

st.set_page_config(page_title="BabyGPT Explorer", page_icon="🔁", layout="wide")

PAGES = [
    st.Page("pages/overview.py", title="Overview", icon="🏠", default=True),
    st.Page("pages/state_space.py", title="State space", icon="🧮"),
    st.Page("pages/train_explore.py", title="Train & explore", icon="🧪"),
    st.Page("pages/compare.py", title="Compare", icon="⚖️"),
]

st.navigation(PAGES).run()
