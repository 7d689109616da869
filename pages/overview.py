"""Overview: the idea, and the article's BabyGPT as a live, interactive chain that plays its training."""

import streamlit as st

from core.arith.presets import preset
from core.babygpt.data import ARTICLE_SEQUENCE, parse_digits
from core.babygpt.mixing import tempered
from core.babygpt.train import TrainConfig
from core.model import GPTConfig
from ui import cache, i18n
from ui.explore import keep_step
from ui.i18n import t
from ui.inputs import LN2, bound, slider
from ui.path import answer_slot, next_step, question
from ui.router import through_router
from ui.views import Player, chain_graph, explain_link, legend

through_router()

GPT4_32K = preset("GPT-4 (32K)")
GPT4_ADDRESS = {"V": str(GPT4_32K.vocab), "k": str(GPT4_32K.context)}

st.title(t("app.name"))
question("overview")
answer = answer_slot()
st.markdown(t("overview.intro"))
st.markdown(t("play.overview_try"))

seq = parse_digits(ARTICLE_SEQUENCE, 2)
result = cache.trained(GPTConfig(), TrainConfig(), seq.tokens)
steps = sorted(result.snapshots)
c1, c2 = st.columns(2)
step = bound("select_slider", t("play.overview_step"), steps, "step", c1, value=steps[-1], help=t("play.overview_step_help"))
T = slider(t("train.temperature"), 0.1, 5.0, 1.0, 0.1, key="T", where=c2, help=t("train.temperature_help"))
probs = tempered(result.snapshots[step], T)
first, last = result.snapshots[steps[0]], result.snapshots[steps[-1]]
answer.markdown(
    t("overview.answer", states=seq.vocab**3, arrows=seq.vocab, first=first[0b101, 1], last=last[0b101, 1], steps=steps[-1])
)

c1, c2, c3 = st.columns(3)
c1.metric(t("overview.metric_101"), f"{probs[0b101, 1]:.0%}", help=t("overview.article_says", value="79%"))
c2.metric(
    t("overview.metric_111"),
    f"{probs[0b111, 1]:.0%} / {probs[0b111, 0]:.0%}",
    help=t("overview.article_says", value="45% / 55%"),
)
c3.metric(t("overview.metric_000"), f"{probs[0b000, 1]:.0%}", help=t("overview.article_says", value="73%"))
st.caption(t("play.metrics_at", step=step, last=steps[-1]) + (" " + t("train.temperature_note", T=T) if T != 1.0 else ""))

counts = cache.counts(seq.tokens, 2, 3)
player = Player("step", result, T, step, walk=(0, 60, seq.tokens[:3]), on_stop=keep_step(steps))
chain_graph(
    ("article", step, T), probs, 2, 3, seq.itos, counts, player=player, alt=t("overview.graph_alt"), caption=False,
    explain=explain_link(2, 3),
)  # fmt: skip
st.caption(
    t(
        "overview.caption",
        params=result.n_params,
        first_bits=result.losses[0] / LN2,
        final_bits=result.final_loss / LN2,
        legend=legend() + " " + t("play.legend"),
    )
)

# The argument in the article's order, each step with its numbers from the model above and a link that carries it on.
st.subheader(t("path.steps_head"))
lang = {"lang": i18n.lang()}
st.markdown(t("path.step_chain", states=seq.vocab**3, arrows=seq.vocab))
st.markdown(t("path.step_train", first=first[0b101, 1], last=last[0b101, 1], steps=steps[-1]))
_, why = cache.weighed_rules(("article", steps[-1], 1.0), last, seq.tokens, seq.vocab, 3)
st.markdown(t("path.step_unseen", p=last[0b000, 1], token=seq.itos[why.token], rate=why.rate))
st.page_link("pages/train_explore.py", label=t("path.step_unseen_link"), query_params={"tab": "unseen"} | lang)
st.markdown(t("path.step_context"))
st.page_link("pages/compare.py", label=t("path.step_context_link"), query_params={"c_tab": "side"} | lang)
st.markdown(t("path.step_space", exponent=cache.space(GPT4_32K.vocab, GPT4_32K.context).states.exponent))
st.page_link("pages/state_space.py", label=t("path.step_space_link"), query_params=GPT4_ADDRESS | lang)
st.markdown(t("path.step_real"))
st.page_link("pages/real_text.py", label=t("path.step_real_link"), query_params={"rt_K": "12"} | lang)
st.markdown(t("path.step_models"))
st.page_link("pages/text_models.py", label=t("path.step_models_link"), query_params=lang)
next_step("overview")
