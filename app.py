"""BabyGPT Explorer: the entry point only routes, to the pages, in the visitor's language.

What a server process does once (imports, first computations, the background training) is serve.py's lifespan.
"""

import streamlit as st

from core.address import read_choice
from ui import i18n
from ui.assets import page_html
from ui.i18n import t
from ui.inputs import from_address, note_ignored_params
from ui.reconnect import rerun_on_reconnect
from ui.router import through_router

through_router()  # a fresh server's first run: leave Streamlit's legacy pages-folder mode before any widget
opened = {key: st.query_params.get_all(key) for key in st.query_params}  # the address as opened, before controls read it

if "lang" not in st.session_state:  # a shared link's ?lang=, else the browser's locale
    from_address("lang", lambda v: read_choice(v, i18n.LANGS))
    asked = st.query_params.get("lang")
    st.session_state["lang"] = asked if asked in i18n.LANGS else i18n.default_lang(st.context.locale)
i18n.use(st.sidebar.radio(i18n.LANG_LABEL, i18n.LANGS, format_func=i18n.LANG_NAMES.get, key="lang", horizontal=True))
# The address says the language once it was chosen (a shared link's, or the switch): a copied link opens in it.
# A bare address opened in the browser's own language is left as it is: a write would add an entry to the
# browser's history before the page's own, and Back would seem to do nothing. The menu's links carry it on.
said = st.query_params.get("lang")
if said != i18n.lang() and (said is not None or i18n.lang() != i18n.default_lang(st.context.locale)):
    st.query_params["lang"] = i18n.lang()  # (written only when it changes: see ui.inputs._keep)
st.set_page_config(page_title=t("app.name"), layout="wide")  # default favicon: served by the app itself

PAGES = [  # in the argument's order (ui.path.PATH); State space is the reference after the story
    st.Page("pages/overview.py", title=t("nav.overview"), default=True),
    st.Page("pages/train_explore.py", title=t("nav.train_explore")),
    st.Page("pages/compare.py", title=t("nav.compare")),
    st.Page("pages/real_text.py", title=t("nav.real_text")),
    st.Page("pages/text_models.py", title=t("nav.text_models")),
    st.Page("pages/parallel.py", title=t("parallel.nav")),
    st.Page("pages/state_space.py", title=t("nav.state_space")),
]

# The menu is drawn by this script (links in the sidebar), never by Streamlit from the pages/ folder:
# a fresh server would show that folder's file names until the first run ends (client.showSidebarNavigation).
page = st.navigation(PAGES, position="hidden")
for p in PAGES:
    st.sidebar.page_link(p, query_params={"lang": i18n.lang()})
st.sidebar.html(page_html(), unsafe_allow_javascript=True)  # tabs that wrap (ui/page.css); Back that works (ui/history.js)
rerun_on_reconnect()  # a page whose connection comes back reruns from its address (ui/reconnect.py)
notice = st.container()  # above the page: where ignored address parameters are named
try:
    page.run()
finally:  # also after a page stops early on bad input
    note_ignored_params(notice, opened, page.url_path)
