"""BabyGPT Explorer: the entry point only routes to the pages."""

import streamlit as st

st.set_page_config(page_title="BabyGPT Explorer", page_icon=":material/cycle:", layout="wide")

PAGES = [
    st.Page("pages/overview.py", title="Overview", icon=":material/home:", default=True),
    st.Page("pages/state_space.py", title="State space", icon=":material/calculate:"),
    st.Page("pages/train_explore.py", title="Train & explore", icon=":material/science:"),
    st.Page("pages/compare.py", title="Compare", icon=":material/compare_arrows:"),
]

st.navigation(PAGES).run()
