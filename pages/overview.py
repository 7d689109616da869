"""Overview: the idea, and the article's BabyGPT as a live, interactive chain."""

import streamlit as st

from core.babygpt.data import ARTICLE_SEQUENCE, parse_digits
from core.babygpt.train import TrainConfig
from core.model import GPTConfig
from ui import cache, i18n
from ui.i18n import t
from ui.inputs import LN2, final_loss_note
from ui.router import through_router
from ui.views import legend

through_router()

st.title(t("app.name"))
st.markdown(t("overview.intro"))
st.markdown(t("overview.try"))

seq = parse_digits(ARTICLE_SEQUENCE, 2)
result = cache.trained(GPTConfig(), TrainConfig(), seq.tokens)
after = st.toggle(t("overview.trained"), value=True, key="trained", bind="query-params")
probs = result.snapshots[50 if after else 0]

c1, c2, c3 = st.columns(3)
c1.metric(t("overview.metric_101"), f"{probs[0b101, 1]:.0%}", help=t("overview.article_says", value="79%"))
c2.metric(
    t("overview.metric_111"),
    f"{probs[0b111, 1]:.0%} / {probs[0b111, 0]:.0%}",
    help=t("overview.article_says", value="45% / 55%"),
)
c3.metric(t("overview.metric_000"), f"{probs[0b000, 1]:.0%}", help=t("overview.article_says", value="73%"))

counts = cache.counts(seq.tokens, 2, 3)
st.iframe(
    cache.chain_html(("article", after), probs, 2, 3, seq.itos, counts, lang=i18n.lang()), height=600, alt=t("overview.graph_alt")
)
st.caption(
    t(
        "overview.caption",
        params=result.n_params,
        first_bits=result.losses[0] / LN2,
        final_bits=result.final_loss / LN2,
        final_loss=final_loss_note(),
        legend=legend(),
    )
)

st.markdown(t("overview.findings"))

st.subheader(t("overview.further"))
c1, c2, c3 = st.columns(3)
c1.page_link("pages/train_explore.py", label=t("overview.link_k4"), query_params={"k": "4"})
c2.page_link("pages/state_space.py", label=t("overview.link_gpt4"), query_params={"V": "100277", "k": "32768"})
c3.page_link("pages/compare.py", label=t("overview.link_compare"))
