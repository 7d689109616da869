"""State space: how many states a GPT has, exactly, and how many bits one state holds."""

import streamlit as st

from core.address import read_number
from core.arith.limits import EXACT_MAX_DIGITS, MAX_ARITH
from core.arith.presets import ARTICLE_CLAIMS, MACHINES, PRESETS, article_rows, preset, preset_for, preset_rows
from ui import cache, charts, tables
from ui.charts import PLOTLY_CONFIG
from ui.i18n import t
from ui.inputs import Refused, choice, number, tabs
from ui.path import answer_slot, next_step, question
from ui.router import through_router

through_router()

ARTICLE = ARTICLE_CLAIMS[0]  # GPT-2 as the article states it (its context is GPT-3's)
CHOICES = ["custom", "article"] + [p.name for p in PRESETS]  # codes in the address (?preset=GPT-4o)


def preset_label(code: str) -> str:
    """A preset's name as shown: model names as they are, the two others translated."""
    if code == "custom":
        return t("state_space.custom")
    if code == "article":
        return t("state_space.article_choice", model=ARTICLE.model, context=ARTICLE.context)
    return code


def apply_preset():
    """Set V and k from the chosen preset."""
    name = st.session_state["preset"]
    if name == "article":
        st.session_state["V"], st.session_state["k"] = ARTICLE.vocab, ARTICLE.context
    elif name != "custom":
        p = preset(name)
        st.session_state["V"], st.session_state["k"] = p.vocab, p.context


def show_count(title: str, count, filename: str, key: str):
    st.markdown(f"**{title}**")
    if count.exact is not None and count.digits <= 30:
        st.markdown(f"### {int(count.exact):,}")
    else:
        st.markdown(f"### {count.mantissa(16)} × 10^{count.exponent:,}")
    st.caption(t("state_space.digits", digits=count.digits, log10=count.log10))
    if count.exact is not None and count.digits > 30:
        with st.expander(t("state_space.all_digits", digits=count.digits)):
            st.code(count.exact[:20_000] + ("…" if count.digits > 20_000 else ""), language=None, wrap_lines=True)
        st.download_button(
            t("state_space.download_digits", digits=count.digits), count.exact, filename, "text/plain", key=key, on_click="ignore"
        )
    elif count.exact is None:
        st.caption(t("state_space.too_many_digits", limit=EXACT_MAX_DIGITS))


st.title(t("state_space.title"))
question("state_space")
answer = answer_slot()
st.markdown(t("state_space.intro"))
st.markdown(t("state_space.try"))


def shown_preset() -> str:
    """The preset the numbers in the boxes are (a link's ?V=100277&k=32768 opens on GPT-4 (32K)), else custom.

    Read before the boxes: from their values once they have them, else from the address as it was checked.
    """
    if "V" in st.session_state and "k" in st.session_state:
        V, k = st.session_state["V"], st.session_state["k"]
    else:
        V, k = (read_number(st.query_params.get_all(key) or [str(d)], 1, MAX_ARITH, True) for key, d in (("V", 2), ("k", 3)))
    if not (isinstance(V, int) and isinstance(k, int)):
        return "custom"
    if st.session_state.get("preset") == "article" and (V, k) == (ARTICLE.vocab, ARTICLE.context):
        return "article"
    return preset_for(V, k) or "custom"


c1, c2, c3 = st.columns([2, 1, 1])
if "preset" in st.session_state or "preset" not in st.query_params:
    st.session_state["preset"] = shown_preset()
choice(t("state_space.preset"), CHOICES, "preset", preset_label, c1, "selectbox", on_change=apply_preset)
try:
    V = number(t("state_space.vocab"), 1, MAX_ARITH, 2, "V", c2)
    k = number(t("state_space.context"), 1, MAX_ARITH, 3, "k", c3)
except Refused:
    st.stop()

s = cache.space(V, k)
answer.markdown(tables.space_answer(V, k, s))
left, right = st.columns(2)
with left:
    show_count(t("state_space.full_states"), s.states, f"states_V{V}_k{k}.txt", "dl_states")
with right:
    show_count(t("state_space.all_lengths"), s.all_lengths, f"all_lengths_V{V}_k{k}.txt", "dl_all")

b1, b2, b3 = st.columns(3)
b1.metric(t("state_space.bits"), f"{s.bits_per_state:,.1f}")
b2.metric(t("state_space.bytes"), f"{s.bytes_per_state:,.1f}")
b3.metric(t("state_space.kib"), f"{s.kib_per_state:,.3f}" if s.kib_per_state >= 1 else f"{s.kib_per_state:.3g}")

NAMES = {"article": "article", "models": "real_models", "growth": "explodes", "machines": "machines"}
TABS = {code: t(f"state_space.{name}") for code, name in NAMES.items()}
open_tab, tab = tabs(TABS, "ss_tab")  # codes in the address (?ss_tab=machines); only the open tab is computed
with tab[open_tab]:
    if open_tab == "article":
        st.dataframe(
            tables.article_claims(article_rows()),
            hide_index=True,
            column_config={
                t("tables.claim_bytes"): st.column_config.NumberColumn(format="%d"),
                t("tables.computed_bytes"): st.column_config.NumberColumn(format="%.0f"),
                t("tables.published_context"): st.column_config.NumberColumn(format="%d"),
                t("tables.published_bytes"): st.column_config.NumberColumn(format="%.0f"),
            },
            key="article_table",
        )
        st.markdown(tables.article_notes(article_rows()))
        st.caption(t("state_space.tools"))
    elif open_tab == "models":
        rows = tables.presets(preset_rows())
        st.dataframe(rows, hide_index=True, key="preset_table")
        st.download_button(
            t("state_space.presets_csv"), rows.to_csv(index=False), "presets.csv", "text/csv", key="dl_presets", on_click="ignore"
        )
    elif open_tab == "growth":
        vocabs = sorted({2, 3, 10, 256, 50_257, int(V) if V > 1 else 2})
        st.plotly_chart(charts.state_growth(vocabs), key="explode", config=PLOTLY_CONFIG)
    else:
        st.plotly_chart(charts.home_computers(preset_rows(), article_rows(), MACHINES), key="machines", config=PLOTLY_CONFIG)

next_step("state_space")
