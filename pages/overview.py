"""Overview: the idea, and the article's BabyGPT as a live, interactive chain that plays its training."""

import streamlit as st

from core.babygpt.data import ARTICLE_SEQUENCE, parse_digits
from core.babygpt.train import TrainConfig
from core.model import GPTConfig
from core.pages.overview import GPT4, overview, snapshot_steps, source
from ui import cache, i18n
from ui.explore import keep_step
from ui.i18n import t
from ui.inputs import bound, slider
from ui.path import answer_slot, next_step, question
from ui.router import through_router
from ui.views import Player, chain_graph, explain_link, legend

through_router()

st.title(t("app.name"))
question("overview")
answer = answer_slot()
st.markdown(t("overview.intro"))
st.markdown(t("play.overview_try"))

seq, mc = parse_digits(ARTICLE_SEQUENCE, 2), GPTConfig()
result = cache.trained(mc, TrainConfig(), seq.tokens)
steps = snapshot_steps(result)
c1, c2 = st.columns(2)
step = bound("select_slider", t("play.overview_step"), steps, "step", c1, value=steps[-1], help=t("play.overview_step_help"))
T = slider(t("train.temperature"), 0.1, 5.0, 1.0, 0.1, key="T", where=c2, help=t("train.temperature_help"))
_, unseen = cache.weighed_rules(source(steps[-1]), result.snapshots[steps[-1]], seq.tokens, seq.vocab, mc.block_size)
m = overview(seq, mc, result, step, T, unseen)
first, last = m.trained
answer.markdown(t("overview.answer", states=m.states, arrows=m.vocab, first=first, last=last, steps=m.last))

pct = lambda ps: " / ".join(f"{p:.0%}" for p in ps)
for col, q in zip(st.columns(len(m.quotes)), m.quotes, strict=True):
    col.metric(t(f"overview.metric_{q.name}"), pct(q.model), help=t("overview.article_says", value=pct(q.article)))
st.caption(t("play.metrics_at", step=m.step, last=m.last) + (" " + t("train.temperature_note", T=T) if m.tempered else ""))

counts = cache.counts(seq.tokens, m.vocab, m.context)
player = Player("step", result, T, step, walk=m.walk, on_stop=keep_step(steps))
chain_graph(
    m.key, m.probs, m.vocab, m.context, seq.itos, counts, player=player, alt=t("overview.graph_alt"), caption=False,
    explain=explain_link(m.vocab, m.context),
)  # fmt: skip
legend_text = legend() + " " + t("play.legend")
st.caption(t("overview.caption", params=m.params, first_bits=m.first_bits, final_bits=m.final_bits, legend=legend_text))

# The argument in the article's order, each step with its numbers from the model above and a link that carries it on.
st.subheader(t("path.steps_head"))
lang = {"lang": i18n.lang()}
st.markdown(t("path.step_chain", states=m.states, arrows=m.vocab))
st.markdown(t("path.step_train", first=first, last=last, steps=m.last))
st.markdown(t("path.step_unseen", p=m.unseen, token=m.unseen_symbol, rate=m.data_rate))
st.page_link("pages/train_explore.py", label=t("path.step_unseen_link"), query_params={"tab": "unseen"} | lang)
st.markdown(t("path.step_context"))
st.page_link("pages/compare.py", label=t("path.step_context_link"), query_params={"c_tab": "side"} | lang)
st.markdown(t("path.step_space", exponent=m.gpt4_exponent))
gpt4_address = {"V": str(GPT4.vocab), "k": str(GPT4.context)}
st.page_link("pages/state_space.py", label=t("path.step_space_link"), query_params=gpt4_address | lang)
st.markdown(t("path.step_real"))
st.page_link("pages/real_text.py", label=t("path.step_real_link"), query_params={"rt_K": "12"} | lang)
st.markdown(t("path.step_models"))
st.page_link("pages/text_models.py", label=t("path.step_models_link"), query_params=lang)
next_step("overview")
