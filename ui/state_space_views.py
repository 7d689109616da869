"""The State space page's pieces in words: the preset box's labels, the answer, a count's box, the size of one
state, the article's table and the growth chart, each drawn from the page model `core.pages.state_space`.

What it is not: arithmetic (`core.arith.statespace` counts, the page model decides how each count is
written) or the page's layout (`pages/state_space.py`).
"""

from __future__ import annotations

import plotly.graph_objects as go
import streamlit as st

from core.arith.limits import EXACT_MAX_DIGITS
from core.pages import state_space as model
from ui import tables
from ui.charts import TOP_LEGEND
from ui.i18n import t


def preset_label(code: str) -> str:
    """A preset's name as shown: model names as they are, the two others translated."""
    if code == "custom":
        return t("state_space.custom")
    if code == "article":
        return t("state_space.article_choice", model=model.ARTICLE.model, context=model.ARTICLE.context)
    return code


def in_words(c: model.CountView) -> str:
    """A count in a sentence: every digit where the model says so, else four significant digits and the power of ten."""
    return f"{int(c.count.exact):,}" if c.answer_whole else f"{c.count.mantissa(4)} × 10^{c.count.exponent:,}"


def answer(page: model.StateSpacePage) -> str:
    """The answer: how many states, with every length counted, and the bits that name one."""
    key = "state_space.answer_one" if page.one_state else "state_space.answer"
    states, every = in_words(page.states), in_words(page.all_lengths)
    return t(key, V=page.vocab, k=page.context, states=states, all=every, bits=page.bits)


def show_count(title: str, c: model.CountView, filename: str, key: str) -> None:
    """A count's box: the count, its size in digits, and its digits to read and download where they are known."""
    count = c.count
    st.markdown(f"**{title}**")
    st.markdown(f"### {int(count.exact):,}" if c.whole else f"### {count.mantissa(16)} × 10^{count.exponent:,}")
    st.caption(t("state_space.digits", digits=count.digits, log10=count.log10))
    if c.listed:
        with st.expander(t("state_space.all_digits", digits=count.digits)):
            st.code(count.exact[: model.LISTED_DIGITS] + ("…" if c.cut else ""), language=None, wrap_lines=True)
        st.download_button(
            t("state_space.download_digits", digits=count.digits), count.exact, filename, "text/plain", key=key, on_click="ignore"
        )
    elif c.too_many:
        st.caption(t("state_space.too_many_digits", limit=EXACT_MAX_DIGITS))


def sizes(page: model.StateSpacePage) -> tuple[tuple[str, str], ...]:
    """(label, value) of the bits, bytes and KiB of one state."""
    kib = f"{page.kib:.3g}" if page.kib_small else f"{page.kib:,.3f}"
    return (
        (t("state_space.bits"), f"{page.bits:,.1f}"),
        (t("state_space.bytes"), f"{page.bytes:,.1f}"),
        (t("state_space.kib"), kib),
    )


def article_table(view: model.Published, key: str) -> None:
    """The article's size comparison beside the arithmetic, its whole numbers as such."""
    st.dataframe(
        tables.article_claims(list(view.article)),
        hide_index=True,
        column_config={
            t("tables.claim_bytes"): st.column_config.NumberColumn(format="%d"),
            t("tables.computed_bytes"): st.column_config.NumberColumn(format="%.0f"),
            t("tables.published_context"): st.column_config.NumberColumn(format="%d"),
            t("tables.published_bytes"): st.column_config.NumberColumn(format="%.0f"),
        },
        key=key,
    )


def growth_chart(g: model.Growth) -> go.Figure:
    """log10(V^k) against k, one line per vocabulary."""
    fig = go.Figure()
    for v, ys in g.lines:
        fig.add_trace(go.Scatter(x=list(g.ks), y=list(ys), name=f"V = {v:,}", mode="lines"))
    fig.update_layout(
        xaxis_title=t("charts.context_length"),
        yaxis_title=t("charts.log_states"),
        height=400,
        margin={"t": 20},
        legend=TOP_LEGEND,
    )
    return fig
