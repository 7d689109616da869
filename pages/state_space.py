"""State space: how many states a GPT has, exactly, and how many bits one state holds."""

import streamlit as st

from core.address import read_number
from core.arith.limits import MAX_ARITH
from core.pages import state_space as model
from ui import cache, charts, tables
from ui import state_space_views as views
from ui.charts import PLOTLY_CONFIG
from ui.i18n import t
from ui.inputs import Refused, choice, number, tabs
from ui.path import answer_slot, next_step, question
from ui.router import through_router

through_router()


def apply_preset():
    """Set V and k from the chosen preset."""
    if (inputs := model.preset_inputs(st.session_state["preset"])) is not None:
        st.session_state["V"], st.session_state["k"] = inputs


def shown_preset() -> str:
    """The preset the numbers in the boxes are (a link's ?V=100277&k=32768 opens on GPT-4 (32K)), else custom.

    Read before the boxes: from their values once they have them, else from the address as it was checked.
    """
    if "V" in st.session_state and "k" in st.session_state:
        V, k = st.session_state["V"], st.session_state["k"]
    else:
        defaults = (("V", model.DEFAULT_V), ("k", model.DEFAULT_K))
        V, k = (read_number(st.query_params.get_all(key) or [str(d)], 1, MAX_ARITH, True) for key, d in defaults)
    return model.shown_preset(V, k, st.session_state.get("preset"))


st.title(t("state_space.title"))
question("state_space")
answer = answer_slot()
st.markdown(t("state_space.intro"))
st.markdown(t("state_space.try"))

c1, c2, c3 = st.columns([2, 1, 1])
if "preset" in st.session_state or "preset" not in st.query_params:
    st.session_state["preset"] = shown_preset()
choice(t("state_space.preset"), list(model.CHOICES), "preset", views.preset_label, c1, "selectbox", on_change=apply_preset)
try:
    V = number(t("state_space.vocab"), 1, MAX_ARITH, model.DEFAULT_V, "V", c2)
    k = number(t("state_space.context"), 1, MAX_ARITH, model.DEFAULT_K, "k", c3)
except Refused:
    st.stop()

page = model.state_space(cache.space(V, k))
answer.markdown(views.answer(page))
left, right = st.columns(2)
with left:
    views.show_count(t("state_space.full_states"), page.states, f"states_V{V}_k{k}.txt", "dl_states")
with right:
    views.show_count(t("state_space.all_lengths"), page.all_lengths, f"all_lengths_V{V}_k{k}.txt", "dl_all")
for where, (label, value) in zip(st.columns(3), views.sizes(page), strict=True):
    where.metric(label, value)

NAMES = {"article": "article", "models": "real_models", "growth": "explodes", "machines": "machines"}
TABS = {code: t(f"state_space.{name}") for code, name in NAMES.items()}
open_tab, tab = tabs(TABS, "ss_tab")  # codes in the address (?ss_tab=machines); only the open tab is computed
with tab[open_tab]:
    pub = model.published()  # a dozen rows of arithmetic: no cache needed
    if open_tab == "article":
        views.article_table(pub, "article_table")
        st.markdown(tables.article_notes(list(pub.article)))
        st.caption(t("state_space.tools"))
    elif open_tab == "models":
        rows = tables.presets(list(pub.models))
        st.dataframe(rows, hide_index=True, key="preset_table")
        st.download_button(
            t("state_space.presets_csv"), rows.to_csv(index=False), "presets.csv", "text/csv", key="dl_presets", on_click="ignore"
        )
    elif open_tab == "growth":
        st.plotly_chart(views.growth_chart(model.growth(V)), key="explode", config=PLOTLY_CONFIG)
    else:
        chart = charts.home_computers(list(pub.models), list(pub.article), pub.machines)
        st.plotly_chart(chart, key="machines", config=PLOTLY_CONFIG)

next_step("state_space")
