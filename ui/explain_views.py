"""The never-seen states on a page: the GPT's arrows beside the data's suffixes, and what each attention head reads.

What it is: the Train & explore tab "Never seen" (`unseen_tab`: a worded summary, one row per never-seen
state, a state picker with one heatmap per head) and the Compare seeds' agreement table (`seed_agreement`).

What it is not: the counting or the agreement rule (`core.babygpt.explain`) or a cache (`ui.cache`).
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
from core.babygpt.explain import DISAGREEING, RULES, Explanation, Rules, RulesSummary, SeedAgreement, gap_from_even, newest_share
from core.babygpt.states import all_states, label
from core.errors import CoreError
from core.symbols import visible
from core.text.sides import side
from ui import cache, i18n, tables
from ui.charts import PLOTLY_CONFIG, plain
from ui.i18n import inert, t
from ui.inputs import choice, text_box
from ui.model_views import said

TABLE_ROWS = 500  # never-seen states listed (the summary counts them all)
ARROWS_SHOWN = 3  # the GPT's likeliest arrows listed per state
COUNTS_SHOWN = 4  # the most frequent next tokens listed per suffix
PICKER_STATES = 256  # up to this many states the picker is a list, past it a text box
HEADS_PER_ROW = 4
ALL_LAYERS_HEADS = 16  # up to this many heads in all every layer is drawn, past it one layer at a time
EVEN_READ = 0.05  # attention within this of an even spread everywhere reads as "almost even"


def _sym(itos: tuple[str, ...], token: int) -> str:
    return visible(itos[token])


def arrows(probs: np.ndarray, itos: tuple[str, ...]) -> str:
    """The GPT's likeliest arrows as the graph labels them: '1 (73%) · 0 (27%)'."""
    order = np.argsort(-probs, kind="stable")
    shown = [edge_label(_sym(itos, int(tok)), float(probs[tok])) for tok in order[:ARROWS_SHOWN]]
    return " · ".join(shown) + (" · …" if len(order) > ARROWS_SHOWN else "")


def counts_text(suffix: str, counts: np.ndarray, itos: tuple[str, ...]) -> str:
    """A suffix and what follows it in the data: '0: 1 ×2', or '00: never seen'."""
    if counts.sum() == 0:
        return t("explain.never", suffix=suffix)
    order = [int(tok) for tok in np.argsort(-counts, kind="stable") if counts[tok] > 0]
    shown = [t("explain.times", symbol=_sym(itos, tok), n=int(counts[tok])) for tok in order[:COUNTS_SHOWN]]
    return t("explain.counts", suffix=suffix, counts=" · ".join(shown) + (" · …" if len(order) > COUNTS_SHOWN else ""))


def unseen_table(e: Explanation, itos: tuple[str, ...]) -> pd.DataFrame:
    """One row per never-seen state (the first TABLE_ROWS): GPT arrows, each suffix's counts, the longest seen one, uniform."""
    V, k = e.vocab, e.context
    states = all_states(V, k)
    rows = []
    for s in e.never_seen[:TABLE_ROWS]:
        st_ = states[s]
        row = {t("explain.col_state"): label(st_, itos), t("explain.col_gpt"): arrows(e.probs[s], itos)}
        for j in range(k - 1, 0, -1):
            row[t("explain.col_suffix", j=j)] = counts_text(label(st_[k - j :], itos), e.counts(int(s), j), itos)
        j = int(e.longest[s])
        row[t("explain.col_longest")] = label(st_[k - j :], itos) if j else t("explain.none")
        if not j:
            verdict = t("explain.none")
        elif e.tie[s]:
            verdict = t("explain.tie")
        else:
            verdict = t("explain.yes") if e.agree[s] else t("explain.no")
        row[t("explain.col_agree")] = verdict
        row[t("explain.col_uniform")] = f"{1 / V:.0%}"
        rows.append(row)
    return pd.DataFrame(rows)


def chain_answer(source: tuple, probs: np.ndarray, seq, k: int, data: np.ndarray) -> str:
    """Train & explore's answer: the chain's size, how much of it the data shows, and why the rest still has arrows."""
    states, seen = len(data), int((data.sum(axis=1) > 0).sum())
    text = t("explain.answer_chain", states=states, seen=seen)
    _, summary = cache.weighed_rules(source, probs, seq.tokens, seq.vocab, k)
    return text + (" " + lead(summary, seq.itos) if summary is not None else "")


def lead(r: RulesSummary, itos: tuple[str, ...]) -> str:
    """The tab's first sentences: what the GPT gives where it has no data, the data's own rate, the nearest rule."""
    token = inert(_sym(itos, r.token))
    first = t("explain.lead_first", n=r.states, never=r.never_seen) if r.states < r.never_seen else ""
    data = t(
        "explain.lead_data", n=r.states, first=first, token=token, low=r.low, high=r.high, count=r.count,
        examples=r.examples, rate=r.rate,
    )  # fmt: skip
    if r.closest[r.nearest] < r.states:  # no one rule for every state: name each rule with its states
        rules = [t("explain.lead_rule", rule=t(f"explain.rule_{rule}"), n=r.closest[rule]) for rule in RULES if r.closest[rule]]
        verdict = t("explain.lead_split", rules=t("explain.list_sep").join(rules), n=r.states)
    else:
        verdict = t(f"explain.lead_{r.nearest}", closest=r.closest[r.nearest], n=r.states)
    return data + t("explain.sentence_gap") + verdict


def rules_table(r: Rules, token: int, itos: tuple[str, ...], vocab: int, context: int) -> pd.DataFrame:
    """One row per weighed never-seen state: the GPT's and each rule's probability of `token`, and the nearest rule."""
    states = all_states(vocab, context)
    sym = _sym(itos, token)
    table = pd.DataFrame(
        {
            t("explain.col_state"): [label(states[int(s)], itos) for s in r.states],
            t("explain.col_rule_gpt", token=sym): r.gpt[:, token],
            **{t(f"explain.rule_{rule}"): r.said[rule][:, token] for rule in RULES},
            t("explain.col_rule_closest"): [
                f"{t(f'explain.rule_{c}')} ({r.distance[c][i]:.3f})" for i, c in enumerate(r.closest)
            ],
        }
    )
    return table


def nearest(closest: dict) -> str:
    """'data's overall rate (4 of 4)': the rule nearest the GPT for the most never-seen states, '—' if none."""
    total = sum(closest.values())
    if not total:
        return "—"
    rule = max(RULES, key=lambda r: closest[r])
    return t("explain.nearest", rule=t(f"explain.rule_{rule}"), n=closest[rule], total=total)


def summary(e: Explanation, itos: tuple[str, ...]) -> str:
    """The agreement over the never-seen states, in words from the numbers."""
    n, never = e.vocab**e.context, len(e.never_seen)
    if never == 0:
        return t("explain.all_seen", states=n)
    parts = [t("explain.summary_never", never=never, states=n)]
    if e.with_suffix:
        parts.append(t("explain.summary_agree", with_suffix=e.with_suffix, agreeing=e.agreeing, fraction=e.agree_fraction))
        if e.ties:
            parts.append(t("explain.summary_ties", ties=e.ties))
        if e.overall_choice >= 0:
            symbol = inert(_sym(itos, e.overall_choice))
            parts.append(t("explain.summary_overall", symbol=symbol, overall=e.agree_overall, with_suffix=e.with_suffix))
    if never - e.with_suffix:
        parts.append(t("explain.summary_none", none=never - e.with_suffix))
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


def _pick_state(e: Explanation, labels: list[str]) -> int | None:
    """The state whose attention is drawn, kept in the address by its label (?unseen_state=000).

    Never-seen states are listed first, so the first one (000 for the article) is the default.
    """
    order = list(e.never_seen) + list(np.flatnonzero(e.seen))
    if len(labels) <= PICKER_STATES:
        marked = lambda name: t("explain.pick_unseen", state=name) if not e.seen[labels.index(name)] else name
        name = choice(t("explain.pick"), [labels[i] for i in order], "unseen_state", marked, widget="selectbox")
        return labels.index(name)
    default = labels[int(order[0])]
    text = text_box("text_input", t("explain.pick"), default, "unseen_state_text")
    if text in labels:
        return labels.index(text)
    st.error(t("views.not_a_state", text=inert(text), k=e.context, example=inert(default)))
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


def unseen_tab(mc, tc, seq: Sequence, step: int, source: tuple, probs: np.ndarray, labels: list[str]) -> None:
    """The Never seen tab for the table `probs` (described by `source`) at `step`; attention of the trained model."""
    e = cache.explained(source, probs, seq.tokens, seq.vocab, mc.block_size)
    rules, lead_numbers = cache.weighed_rules(source, probs, seq.tokens, seq.vocab, mc.block_size)
    if lead_numbers is not None:  # why not 50% is said in the page's answer, above; here the table it comes from
        table = rules_table(rules, lead_numbers.token, seq.itos, seq.vocab, mc.block_size)
        st.dataframe(tables.fixed(table), hide_index=True, key="rules_table", placeholder="—")
        st.caption(t("explain.rules_caption", token=inert(_sym(seq.itos, lead_numbers.token))))
    st.page_link(
        "pages/train_explore.py",
        label=t("explain.try_disagree", seq=DISAGREEING),
        query_params={"seq": DISAGREEING, "tab": "unseen", "lang": i18n.lang()},
    )
    names_bridge()
    st.markdown(t("explain.intro"))
    st.markdown(summary(e, seq.itos))
    if len(e.never_seen):
        st.dataframe(unseen_table(e, seq.itos), hide_index=True, key="unseen_table")
        if len(e.never_seen) > TABLE_ROWS:
            st.caption(t("explain.first_rows", shown=TABLE_ROWS, never=len(e.never_seen)))
    st.caption(t("explain.rule", step=step, steps=tc.steps, seed=tc.seed))
    with st.expander(t("explain.attention_head")):  # folded: the heads' even spread is not the answer
        _attention(mc, tc, seq, step, e, labels)


def _attention(mc, tc, seq: Sequence, step: int, e: Explanation, labels: list[str]) -> None:
    """A state picker and one heatmap per head of the trained model."""
    s = _pick_state(e, labels)
    if s is None:
        return
    state = tuple(int(x) for x in all_states(seq.vocab, mc.block_size)[s])
    try:
        w = cache.attention_weights(mc, tc, seq.tokens, state)  # (n_layer, n_head, k, k)
    except CoreError as err:
        st.error(i18n.error(err))
        return
    k = mc.block_size
    st.markdown(t("explain.attention_what", state=inert(labels[s]), share=newest_share(w), even=1 / k))
    gap = gap_from_even(w)
    st.markdown(t("explain.attention_even" if gap < EVEN_READ else "explain.attention_sharp", gap=gap))
    if step != tc.steps:
        st.caption(t("explain.attention_step", steps=tc.steps))
    layers = range(mc.n_layer)
    if mc.n_layer * mc.n_head > ALL_LAYERS_HEADS:
        layers = [st.select_slider(t("explain.layer_pick"), list(range(1, mc.n_layer + 1)), key="unseen_layer") - 1]
    symbols = [visible(seq.itos[x]) for x in state]
    for layer in layers:
        st.plotly_chart(attention_figure(w[layer], symbols, layer), key=f"attention_{layer}", config=PLOTLY_CONFIG)


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
