"""Compare's tabs on a page: each tab's answer, tables, charts and graphs, from its page model.

What it is: one function per tab that says what `core.pages.compare` found (`sweep`, `bits`, `side`, `seeds`),
a drawn chain (`graph`), the budget sentences and a table's download button.

What it is not: the comparisons, their thresholds or verdicts (`core.pages.compare`), the trainings
(`core.babygpt.compare`, cached by `ui.cache`) or the page's controls (`pages/compare.py`).
"""

from __future__ import annotations

import streamlit as st

from core.babygpt.compare import ChainRow, EqualBitsRow, SideBySide
from core.babygpt.data import Sequence
from core.pages.compare import Bits, Drawn, Seeds, Sides, Sweep
from ui import cache, charts, i18n, tables
from ui.charts import PLOTLY_CONFIG
from ui.graph import frame_of
from ui.i18n import inert, t
from ui.views import seen_note

CHANGED = "background-color: #FFE9C2"  # a state whose two seeds' arrows part, in the side-by-side table


def budget(steps: int, short: bool = False) -> str:
    """The training budget every model shares: a sentence, or its short form inside an answer."""
    return t("compare.budget_short" if short else "compare.budget", steps=steps)


def download(table, name: str, key: str, missing: str | None = None) -> None:
    """A table as a CSV download, headed as on the page."""
    st.download_button(
        t("compare.csv", name=name), tables.csv(table, missing), f"{key}.csv", "text/csv", key=f"dl_{key}", on_click="ignore"
    )


def graph(d: Drawn, alt: str) -> None:
    """A learned chain drawn at its temperature, said under it when tempered."""
    seen_note(d.focus)
    html = cache.chain_html(d.key, d.probs, d.vocab, d.context, d.itos, d.counts, focus=d.focus, lang=i18n.lang())
    st.iframe(html, height=frame_of(html), alt=alt)
    if d.tempered:
        st.caption(t("train.temperature_note", T=d.temperature))


def sweep(answer, m: Sweep, rows: list[ChainRow], steps: int) -> None:
    """The context sweep: its answer, its table (and download), its three curves."""
    answer.markdown(
        t(
            "compare.answer_sweep", lo=m.lo, hi=m.hi, seen=m.seen, states=m.states, budget=budget(steps, short=True),
            entropy=t(f"compare.moves_{m.entropy_moves}", a=m.entropy_lo, b=m.entropy_hi),
            loss=t(f"compare.moves_{m.loss_moves}", a=m.loss_lo, b=m.loss_hi),
        )
    )  # fmt: skip
    table = tables.sweep(rows)
    st.dataframe(  # (a missing cell shows the placeholder: the browser ignores the styler's na_rep)
        table.style.format(precision=tables.DECIMALS), hide_index=True, key="sweep_table", placeholder=tables.none_unseen()
    )
    download(table, t("compare.sweep_csv"), "context_sweep", tables.none_unseen())
    st.markdown(t("compare.sweep_what", budget=budget(steps)))
    a, b, c = st.columns(3)
    a.plotly_chart(charts.sweep_entropy(rows), key="sweep_entropy", config=PLOTLY_CONFIG)
    b.plotly_chart(charts.sweep_losses(rows), key="sweep_losses", config=PLOTLY_CONFIG)
    c.plotly_chart(charts.sweep_states(rows), key="sweep_states", config=PLOTLY_CONFIG)
    st.caption(t("compare.sweep_caption"))


def bits(answer, m: Bits, rows: list[EqualBitsRow], steps: int) -> None:
    """Equal bits: the cheapest reading as the answer, every reading in a table."""
    short = budget(steps, short=True)
    answer.markdown(t("compare.answer_bits", states=m.states, b=m.cheapest, bits=m.cheapest_loss, budget=short))
    tables.show_fixed(tables.equal_bits(rows), "bits_table")
    st.caption(t("compare.bits_caption", bits=m.n_bits, budget=budget(steps)))


def side(answer, m: Sides, cmp: SideBySide, columns, seq: Sequence, steps: int) -> None:
    """Side by side: the answer, each side's head and graph in its column, the table of where their arrows part."""
    losses = dict(ka=m.a.context, kb=m.b.context, la=m.a.loss, lb=m.b.loss)
    if m.same_context:
        answer.markdown(t("compare.answer_seeds_side", n=m.n_changed, states=m.a.chain.states, **losses))
    else:
        answer.markdown(t("compare.answer_contexts_side", budget=budget(steps, short=True), **losses))
    for col, head in zip(columns, (m.a, m.b), strict=True):
        with col:
            st.markdown(t("compare.side_head", side=head.name, k=head.context, seed=head.seed, loss=head.loss))
            if head.chain.drawable:
                graph(head.chain, t("compare.side_alt", side=head.name))
            else:
                st.info(t("compare.side_too_many", states=head.chain.states))
    labels = cache.state_labels(seq.vocab, m.short, seq.itos)
    if m.same_context:
        highlight = lambda row: [CHANGED if m.changed[row.name] else "" for _ in row]
        tables.show_fixed(tables.side_diff(cmp, labels, seq.itos).style.apply(highlight, axis=1), "side_table")
        st.caption(t("compare.side_highlighted", n=m.n_changed))
    else:
        tables.show_fixed(tables.side_refinement(cmp, labels, seq.itos), "side_table")
        st.caption(t("compare.side_refined", short=m.short, long=m.long))


def seeds(answer, m: Seeds, seq: Sequence) -> None:
    """Seed spread: the widest arrow as the answer, one box per state while few, the spread per state in a table."""
    labels, sym = cache.state_labels(seq.vocab, m.context, seq.itos), seq.itos[m.token]
    w = m.widest
    state, symbol = inert(labels[w.state]), inert(sym)
    answer.markdown(t("compare.answer_spread", n=len(m.seeds), k=m.context, state=state, symbol=symbol, low=w.low, high=w.high))
    if m.boxes:
        st.plotly_chart(charts.seed_spread(m.summary, labels, sym), key="seed_box", config=PLOTLY_CONFIG)
    tables.show_fixed(tables.seed_summary(m.summary, labels, m.seeds[0]), "seed_table")
    st.caption(t("compare.seeds_caption", symbol=inert(sym), first=m.seeds[0], last=m.seeds[-1]))
