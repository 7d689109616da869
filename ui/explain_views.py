"""The never-seen states on a page: the GPT's arrows beside the data's suffixes, and what each attention head reads.

What it is: the Train & explore tab "Never seen" (`unseen_tab`: a worded summary, one row per never-seen
state, a state picker with one heatmap per head) and the Compare seeds' agreement table (`seed_agreement`).

What it is not: the counting or the agreement rule (`core.babygpt.explain`), the tab's numbers and verdicts (its page
model, `core.pages.train_explore.unseen` and `attention`) or a cache (`ui.cache`).
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import streamlit as st
from plotly.subplots import make_subplots

from core.babygpt.chain import edge_label
from core.babygpt.data import Sequence
from core.babygpt.explain import DISAGREEING, RULES, SeedAgreement
from core.babygpt.states import label
from core.errors import CoreError
from core.pages import train_explore as page
from core.pages import unseen as never
from core.pages.rules import nearest as nearest_rule
from core.symbols import visible
from core.text.sides import side
from ui import cache, i18n, tables
from ui.charts import PLOTLY_CONFIG, plain
from ui.i18n import inert, t
from ui.inputs import choice, text_box
from ui.model_views import said

HEADS_PER_ROW = 4


def _sym(itos: tuple[str, ...], token: int) -> str:
    return visible(itos[token])


def _more(shown: list[str], more: bool) -> str:
    return " · ".join(shown) + (" · …" if more else "")


def arrows(row: never.UnseenRow, itos: tuple[str, ...]) -> str:
    """The GPT's likeliest arrows as the graph labels them: '1 (73%) · 0 (27%)'."""
    return _more([edge_label(_sym(itos, tok), p) for tok, p in row.arrows], row.more_arrows)


def counts_text(suffix: str, s: never.Suffix, itos: tuple[str, ...]) -> str:
    """A suffix and what follows it in the data: '0: 1 ×2', or '00: never seen'."""
    if not s.top:
        return t("explain.never", suffix=suffix)
    shown = [t("explain.times", symbol=_sym(itos, tok), n=n) for tok, n in s.top]
    return t("explain.counts", suffix=suffix, counts=_more(shown, s.more))


def unseen_table(m: never.Unseen, itos: tuple[str, ...]) -> pd.DataFrame:
    """One row per listed never-seen state: GPT arrows, each suffix's counts, the longest seen one, uniform."""
    k = m.key.model.block_size
    rows = []
    for r in m.rows:
        row = {t("explain.col_state"): label(r.state, itos), t("explain.col_gpt"): arrows(r, itos)}
        for s in r.suffixes:
            row[t("explain.col_suffix", j=s.j)] = counts_text(label(r.state[k - s.j :], itos), s, itos)
        row[t("explain.col_longest")] = label(r.state[k - r.longest :], itos) if r.longest else t("explain.none")
        row[t("explain.col_agree")] = t(f"explain.{r.verdict}")
        row[t("explain.col_uniform")] = f"{m.uniform:.0%}"
        rows.append(row)
    return pd.DataFrame(rows)


def chain_answer(a: page.Answer, itos: tuple[str, ...]) -> str:
    """Train & explore's answer: the chain's size, how much of it the data shows, and why the rest still has arrows."""
    text = t("explain.answer_chain", states=a.states, seen=a.seen)
    return text + (" " + lead(a.lead, itos) if a.lead is not None else "")


def lead(r: page.Lead, itos: tuple[str, ...]) -> str:
    """The answer's next sentences: what the GPT gives where it has no data, the data's own rate, the nearest rule."""
    token = inert(_sym(itos, r.token))
    first = t("explain.lead_first", n=r.states, never=r.never_seen) if r.partial else ""
    data = t(
        "explain.lead_data", n=r.states, first=first, token=token, low=r.low, high=r.high, count=r.count,
        examples=r.examples, rate=r.rate,
    )  # fmt: skip
    if r.split:  # no one rule for every state: name each rule with its states
        rules = [t("explain.lead_rule", rule=t(f"explain.rule_{rule}"), n=n) for rule, n in r.nearest]
        verdict = t("explain.lead_split", rules=t("explain.list_sep").join(rules), n=r.states)
    else:
        rule, n = r.nearest[0]
        verdict = t(f"explain.lead_{rule}", closest=n, n=r.states)
    return data + t("explain.sentence_gap") + verdict


def rules_table(r: never.RulesTable, itos: tuple[str, ...]) -> pd.DataFrame:
    """One row per weighed never-seen state: the GPT's and each rule's probability of the token, and the nearest rule."""
    sym = _sym(itos, r.token)
    return pd.DataFrame(
        {
            t("explain.col_state"): [label(s, itos) for s in r.states],
            t("explain.col_rule_gpt", token=sym): r.gpt,
            **{t(f"explain.rule_{rule}"): r.said[rule] for rule in RULES},
            t("explain.col_rule_closest"): [
                f"{t(f'explain.rule_{c}')} ({d:.3f})" for c, d in zip(r.closest, r.distance, strict=True)
            ],
        }
    )


def nearest(closest: dict) -> str:
    """'data's overall rate (4 of 4)': the rule nearest the GPT for the most never-seen states, '—' if none."""
    if (near := nearest_rule(closest)) is None:
        return "—"
    return t("explain.nearest", rule=t(f"explain.rule_{near.rule}"), n=near.n, total=near.total)


def summary(a: never.Agreement, itos: tuple[str, ...]) -> str:
    """The agreement over the never-seen states, in words from the numbers."""
    if a.never_seen == 0:
        return t("explain.all_seen", states=a.states)
    parts = [t("explain.summary_never", never=a.never_seen, states=a.states)]
    if a.with_suffix:
        parts.append(t("explain.summary_agree", with_suffix=a.with_suffix, agreeing=a.agreeing, fraction=a.fraction))
        if a.ties:
            parts.append(t("explain.summary_ties", ties=a.ties))
        if a.overall_choice >= 0:
            symbol = inert(_sym(itos, a.overall_choice))
            parts.append(t("explain.summary_overall", symbol=symbol, overall=a.agree_overall, with_suffix=a.with_suffix))
    if a.without_suffix:
        parts.append(t("explain.summary_none", none=a.without_suffix))
    return t("explain.sentence_gap").join(parts)


def attention_figure(weights: np.ndarray, symbols: list[str], layer: int) -> go.Figure:
    """One layer's heads, one heatmap each: row i = position i reading, column j = position j read; (n_head, k, k).

    Up to 4 positions every cell carries its weight as text (no colour bar needed); past that a colour bar.
    Ticks are the state's tokens, position by position; only the first column labels its rows.
    """
    nh, k = weights.shape[0], weights.shape[-1]
    cols = min(HEADS_PER_ROW, nh)
    rows = math.ceil(nh / cols)
    titles = [t("explain.head", h=h + 1) for h in range(nh)]
    fig = make_subplots(rows=rows, cols=cols, subplot_titles=titles, horizontal_spacing=0.03, vertical_spacing=0.5 / rows)
    positions = list(range(1, k + 1))
    ticks = [plain(s) for s in symbols]
    causal = np.tril(np.ones((k, k), dtype=bool))
    written = k <= 4
    for h in range(nh):
        z = np.where(causal, weights[h], np.nan)  # a position cannot read ahead: those cells stay blank
        fig.add_trace(
            go.Heatmap(
                z=z,
                x=positions,
                y=positions,
                coloraxis="coloraxis",
                texttemplate="%{z:.2f}" if written else None,
                textfont={"size": 10},
                hovertemplate="%{y} → %{x}: %{z:.3f}<extra></extra>",
            ),
            row=h // cols + 1,
            col=h % cols + 1,
        )
    axis = {"tickvals": positions, "ticktext": ticks, "type": "linear", "showgrid": False, "zeroline": False}
    fig.update_xaxes(**axis)
    fig.update_yaxes(**axis, autorange="reversed")
    for c in range(2, cols + 1):
        fig.update_yaxes(showticklabels=False, col=c)
    fig.update_layout(
        title={"text": t("explain.layer", layer=layer + 1), "font": {"size": 14}},
        coloraxis={"colorscale": "Blues", "cmin": 0, "cmax": 1, "showscale": not written, "colorbar": {"thickness": 10}},
        height=90 + 150 * rows,
        margin={"t": 60, "b": 20, "l": 30, "r": 10},
    )
    return fig


def _pick_state(m: never.Unseen, labels: list[str]) -> int | None:
    """The state whose attention is drawn, kept in the address by its label (?unseen_state=000).

    Never-seen states are listed first, so the first one (000 for the article) is the default.
    """
    if m.listed:
        marked = lambda name: t("explain.pick_unseen", state=name) if not m.seen[labels.index(name)] else name
        name = choice(t("explain.pick"), [labels[i] for i in m.order], "unseen_state", marked, widget="selectbox")
        return labels.index(name)
    default = labels[m.order[0]]
    text = text_box("text_input", t("explain.pick"), default, "unseen_state_text")
    if text in labels:
        return labels.index(text)
    st.error(t("views.not_a_state", text=inert(text), k=m.key.model.block_size, example=inert(default)))
    return None


def names_bridge() -> None:
    """The same mechanism at real scale: the shipped names GPT against the best count table on never-seen contexts."""
    if (shipped := cache.shipped_model("names")) is None:
        return
    s = side("names", shipped[1])
    if s.unseen is None:
        return
    st.markdown(
        t("explain.names_bridge", fraction=s.unseen_fraction, gpt=s.gpt.unseen, table=s.table.unseen, best=s.best_k)
        + said(s.unseen)
    )
    st.page_link("pages/text_models.py", label=t("explain.names_link"), query_params={"tm_side": "names", "lang": i18n.lang()})


def unseen_tab(c: page.Chain, seq: Sequence, labels: list[str]) -> None:
    """The Never seen tab for the page's table `c`; attention of the trained model."""
    e = cache.explained(c.key, c.probs, seq.tokens, c.vocab, c.context)
    rules, lead_numbers = cache.weighed_rules(c.key, c.probs, seq.tokens, c.vocab, c.context)
    m = never.unseen(c, e, rules, lead_numbers)
    if m.rules is not None:  # why not 50% is said in the page's answer, above; here the table it comes from
        st.dataframe(tables.fixed(rules_table(m.rules, seq.itos)), hide_index=True, key="rules_table", placeholder="—")
        st.caption(t("explain.rules_caption", token=inert(_sym(seq.itos, m.rules.token))))
    st.page_link(
        "pages/train_explore.py",
        label=t("explain.try_disagree", seq=DISAGREEING),
        query_params={"seq": DISAGREEING, "tab": "unseen", "lang": i18n.lang()},
    )
    names_bridge()
    st.markdown(t("explain.intro"))
    st.markdown(summary(m.agreement, seq.itos))
    if m.rows:
        st.dataframe(unseen_table(m, seq.itos), hide_index=True, key="unseen_table")
        if m.more_rows:
            st.caption(t("explain.first_rows", shown=len(m.rows), never=m.agreement.never_seen))
    st.caption(t("explain.rule", step=m.key.step, steps=m.steps, seed=m.seed))
    with st.expander(t("explain.attention_head")):  # folded: the heads' even spread is not the answer
        _attention(c, seq, m, labels)


def _attention(c: page.Chain, seq: Sequence, m: never.Unseen, labels: list[str]) -> None:
    """A state picker and one heatmap per head of the trained model."""
    s = _pick_state(m, labels)
    if s is None:
        return
    key = c.key
    state = never.state_of(s, c.vocab, c.context)
    try:
        w = cache.attention_weights(key.model, key.train, key.tokens, state)  # (n_layer, n_head, k, k)
    except CoreError as err:
        st.error(i18n.error(err))
        return
    a = never.attention(c, state, w)
    st.markdown(t("explain.attention_what", state=inert(labels[s]), share=a.newest, even=a.even))
    st.markdown(t(f"explain.attention_{a.verdict}", gap=a.gap))
    if not a.same_step:
        st.caption(t("explain.attention_step", steps=key.train.steps))
    layers = range(key.model.n_layer)
    if a.one_layer:
        layers = [st.select_slider(t("explain.layer_pick"), list(range(1, key.model.n_layer + 1)), key="unseen_layer") - 1]
    symbols = [visible(seq.itos[x]) for x in state]
    for layer in layers:
        st.plotly_chart(attention_figure(a.weights[layer], symbols, layer), key=f"attention_{layer}", config=PLOTLY_CONFIG)


def seed_agreement(seq: Sequence, model_config, train_config, seeds: tuple[int, ...], tables: np.ndarray) -> None:
    """Compare's seeds: per seed, how often the never-seen arrows follow the longest seen suffix."""
    rows: list[SeedAgreement] = cache.seed_agreement(seq, model_config, train_config, seeds, tables)
    st.markdown(t("explain.seeds_head"))
    table = pd.DataFrame(
        {
            t("explain.col_seed"): [r.seed for r in rows],
            t("explain.col_agree_fraction"): [r.agree_fraction for r in rows],  # the answer first: it stays on a phone
            t("explain.col_never"): [r.never_seen for r in rows],
            t("explain.col_with_suffix"): [r.with_suffix for r in rows],
            t("explain.col_seed_closest"): [nearest(r.closest) for r in rows],
        }
    )
    shown = table.style.format({t("explain.col_agree_fraction"): "{:.0%}"}, na_rep="—")
    st.dataframe(shown, hide_index=True, key="seed_agree_table")
    st.caption(t("explain.seeds_caption", steps=train_config.steps))
