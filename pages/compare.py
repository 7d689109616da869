"""Compare: what a longer context buys, what a bigger vocabulary costs, what a seed changes."""

import streamlit as st

from core.babygpt.compare import SameContext, bit_widths, cheapest_per_bit, seed_summary, text_to_bits, widest
from core.babygpt.limits import GRAPH_NODE_LIMIT, MAX_SEEDS, MAX_STATES, MAX_SWEEP_CONTEXT
from core.babygpt.mixing import tempered
from core.babygpt.train import TrainConfig
from core.model import GPTConfig
from ui import cache, charts, explain_views, i18n, tables
from ui.charts import PLOTLY_CONFIG
from ui.graph import frame_of
from ui.i18n import inert, t
from ui.inputs import SEED_MAX, Refused, bound, number, refusal, run, sequence_input, slider, tabs, text_box
from ui.path import answer_slot, next_step, question
from ui.router import through_router
from ui.views import drawn_states

through_router()

st.title(t("compare.title"))
question("compare")
answer = answer_slot()  # each tab's conclusion, from its numbers
st.markdown(t("compare.intro"))
st.caption(t("compare.limits", contexts=MAX_SWEEP_CONTEXT, states=MAX_STATES, seeds=MAX_SEEDS))

with st.expander(t("compare.sequence"), expanded=True):
    seq = sequence_input("c_")
    c1, c2 = st.columns(2)
    try:
        steps = number(t("compare.steps"), 1, 500, 50, "c_steps", c1)
        seed = number(t("compare.seed"), 0, SEED_MAX, 1337, "c_seed", c2)
    except Refused as r:
        seq = r
if isinstance(seq, Refused):  # said next to the control, and here where the comparisons would be
    refusal(st, seq)
    st.stop()
tc = TrainConfig(steps=steps, seed=seed)
# The graphs' temperature (the tables and curves stay the model's own, T = 1).
T = slider(t("train.temperature"), 0.1, 5.0, 1.0, 0.1, key="c_T", help=t("train.temperature_help"))
BUDGET = t("compare.budget", steps=steps)
BUDGET_SHORT = t("compare.budget_short", steps=steps)


def download(table, name: str, key: str, missing: str | None = None):
    st.download_button(
        t("compare.csv", name=name), tables.csv(table, missing), f"{key}.csv", "text/csv", key=f"dl_{key}", on_click="ignore"
    )


TABS = {code: t(f"compare.tab_{code}") for code in ("sweep", "bits", "side", "seeds")}  # codes in the address (?c_tab=side)
open_tab, tab = tabs(TABS, "c_tab")  # only the open tab is computed

if open_tab == "sweep":
    with tab["sweep"]:
        lo, hi = slider(t("compare.contexts"), 1, MAX_SWEEP_CONTEXT, (1, 4), key="c_range")
        if (rows := run(cache.sweep, seq, tuple(range(lo, hi + 1)), tc)) is not None:
            first, last = rows[0], rows[-1]
            answer.markdown(
                t(
                    "compare.answer_sweep", lo=first.context, hi=last.context, h0=first.conditional_entropy_bits,
                    h1=last.conditional_entropy_bits, l0=first.final_loss_bits, l1=last.final_loss_bits,
                    seen=last.observed_states, states=last.states, budget=BUDGET_SHORT,
                )
            )  # fmt: skip
            table = tables.sweep(rows)
            st.dataframe(  # (a missing cell shows the placeholder: the browser ignores the styler's na_rep)
                table.style.format(precision=tables.DECIMALS),
                hide_index=True,
                key="sweep_table",
                placeholder=tables.none_unseen(),
            )
            download(table, t("compare.sweep_csv"), "context_sweep", tables.none_unseen())
            st.markdown(t("compare.sweep_what", budget=BUDGET))
            a, b, c = st.columns(3)
            a.plotly_chart(charts.sweep_entropy(rows), key="sweep_entropy", config=PLOTLY_CONFIG)
            b.plotly_chart(charts.sweep_losses(rows), key="sweep_losses", config=PLOTLY_CONFIG)
            c.plotly_chart(charts.sweep_states(rows), key="sweep_states", config=PLOTLY_CONFIG)
            st.caption(t("compare.sweep_caption"))

if open_tab == "bits":
    with tab["bits"]:
        st.markdown(t("compare.bits_what"))
        text = text_box("text_input", t("compare.bits_text"), "hello markov chain", "c_bits_text")
        B = bound("radio", t("compare.bits_B"), [4, 8], "c_B", index=0, horizontal=True)
        bits = text_to_bits(text)
        if (rows := run(cache.bits_compare, bits, B, bit_widths(B), tc)) is not None:
            best = cheapest_per_bit(rows)
            answer.markdown(
                t("compare.answer_bits", states=2**B, b=best.bits_per_token, bits=best.loss_per_bit, budget=BUDGET_SHORT)
            )
            tables.show_fixed(tables.equal_bits(rows), "bits_table")
            st.caption(t("compare.bits_caption", bits=len(bits), budget=BUDGET))
            b = bound("radio", t("compare.bits_show"), [r.bits_per_token for r in rows], "c_bits_show", horizontal=True)
            r = next(r.chain for r in rows if r.bits_per_token == b)
            if r.states <= GRAPH_NODE_LIMIT:
                q = tempered(r.probs, T)
                chosen = drawn_states(q, r.counts, r.vocab, r.context)
                key = ("bits", bits, B, b, tc, T)
                html = cache.chain_html(key, q, r.vocab, r.context, r.itos, r.counts, focus=chosen, lang=i18n.lang())
                st.iframe(html, height=frame_of(html), alt=t("compare.bits_alt", b=b))
                if T != 1.0:
                    st.caption(t("train.temperature_note", T=T))

if open_tab == "side":
    with tab["side"]:
        ca, cb = st.columns(2)
        try:
            kA = number(t("compare.side_context", side="A"), 1, MAX_SWEEP_CONTEXT, 3, "c_kA", ca)
            sA = number(t("compare.side_seed", side="A"), 0, SEED_MAX, 1337, "c_sA", ca)
            kB = number(t("compare.side_context", side="B"), 1, MAX_SWEEP_CONTEXT, 4, "c_kB", cb)
            sB = number(t("compare.side_seed", side="B"), 0, SEED_MAX, 1337, "c_sB", cb)
            cmp = run(cache.side, seq, (kA, sA), (kB, sB), steps)
        except Refused:
            cmp = None
        if cmp is not None:
            st.caption(BUDGET)
            losses = dict(ka=cmp.a.context, kb=cmp.b.context, la=cmp.a.final_loss_bits, lb=cmp.b.final_loss_bits)
            if isinstance(cmp, SameContext):
                n_states = len(cmp.changed)
                answer.markdown(t("compare.answer_seeds_side", n=int(cmp.changed.sum()), states=n_states, **losses))
            else:
                answer.markdown(t("compare.answer_contexts_side", budget=BUDGET_SHORT, **losses))
            for col, name, side in ((ca, "A", cmp.a), (cb, "B", cmp.b)):
                with col:
                    st.markdown(t("compare.side_head", side=name, k=side.context, seed=side.seed, loss=side.final_loss_bits))
                    if seq.vocab**side.context <= GRAPH_NODE_LIMIT:
                        q = tempered(side.probs, T)
                        html = cache.chain_html(
                            ("side", seq, (kA, sA), (kB, sB), steps, name, T),
                            q,
                            seq.vocab,
                            side.context,
                            seq.itos,
                            side.counts,
                            focus=drawn_states(q, side.counts, seq.vocab, side.context),
                            lang=i18n.lang(),
                        )
                        st.iframe(html, height=frame_of(html), alt=t("compare.side_alt", side=name))
                        if T != 1.0:
                            st.caption(t("train.temperature_note", T=T))
                    else:
                        st.info(t("compare.side_too_many", states=seq.vocab**side.context))
            if isinstance(cmp, SameContext):
                diff, big = tables.side_diff(cmp, cache.state_labels(seq.vocab, kA, seq.itos), seq.itos), cmp.changed
                highlight = lambda row: ["background-color: #FFE9C2" if big[row.name] else "" for _ in row]
                tables.show_fixed(diff.style.apply(highlight, axis=1), "side_table")
                st.caption(t("compare.side_highlighted", n=int(big.sum())))
            else:
                k_small, k_big = cmp.short.context, max(kA, kB)
                labels = cache.state_labels(seq.vocab, k_small, seq.itos)
                tables.show_fixed(tables.side_refinement(cmp, labels, seq.itos), "side_table")
                st.caption(t("compare.side_refined", short=k_small, long=k_big))

if open_tab == "seeds":
    with tab["seeds"]:
        c1, c2 = st.columns(2)
        n = slider(t("compare.seeds_n"), 2, MAX_SEEDS, 8, key="c_nseeds", where=c2)
        seeds = tuple(range(seed, seed + n))
        try:
            k = number(t("compare.seeds_context"), 1, MAX_SWEEP_CONTEXT, 3, "c_seed_k", c1)
            spread = run(cache.spread, seq, GPTConfig(vocab_size=seq.vocab, block_size=k), tc, seeds)
        except Refused:
            spread = None
        if spread is not None:
            labels, sym = cache.state_labels(seq.vocab, k, seq.itos), seq.itos[-1]
            summary = seed_summary(spread, seq.vocab - 1)
            w = widest(summary)
            answer.markdown(
                t("compare.answer_spread", n=n, k=k, state=inert(labels[w.state]), symbol=inert(sym), low=w.low, high=w.high)
            )
            if len(labels) <= 64:
                st.plotly_chart(charts.seed_spread(summary, labels, sym), key="seed_box", config=PLOTLY_CONFIG)
            tables.show_fixed(tables.seed_summary(summary, labels, seed), "seed_table")
            st.caption(t("compare.seeds_caption", symbol=inert(sym), first=seeds[0], last=seeds[-1]))
            explain_views.seed_agreement(seq, GPTConfig(vocab_size=seq.vocab, block_size=k), tc, seeds, spread)

next_step("compare")
