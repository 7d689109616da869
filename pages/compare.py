"""Compare: what a longer context buys, what a bigger vocabulary costs, what a seed changes."""

import streamlit as st

from core.compare import bit_widths, seed_summary, text_to_bits
from core.limits import MAX_SEEDS, MAX_STATES, MAX_SWEEP_CONTEXT
from core.model import GPTConfig
from core.train import TrainConfig
from ui import cache, charts, tables
from ui.graph import GRAPH_NODE_LIMIT
from ui.inputs import BIND, SEED_MAX, Refused, number, run, sequence_input
from ui.router import through_router

through_router()

st.title("Compare")
st.markdown(
    "Open **Side by side** with k = 3 and k = 4: the 111 row shows the longer context splitting an ambiguous state. "
    "Then **Seed spread**: the article's 79% is one draw among many."
)
st.caption(
    f"Limits: contexts 1..{MAX_SWEEP_CONTEXT}, at most {MAX_STATES:,} states per model, {MAX_SEEDS} seeds; "
    "every model uses the article's shape (4 layers, 4 heads, 16 wide). Results are cached per configuration."
)

with st.expander("Training sequence (shared by every comparison below)", expanded=True):
    seq = sequence_input("c_")
    c1, c2 = st.columns(2)
    try:
        steps = number("steps per model", 1, 500, 50, "c_steps", c1)
        seed = number("seed", 0, SEED_MAX, 1337, "c_seed", c2)
    except Refused:
        seq = None
if seq is None:
    st.stop()
tc = TrainConfig(steps=steps, seed=seed)
BUDGET = (
    f"Every model here trains for the same {steps} steps: a number that depends on that budget is marked, "
    "and the training curves show whether each model had finished learning."
)


def download(table, name: str, key: str):
    st.download_button(f"{name} (CSV)", tables.csv(table), f"{key}.csv", "text/csv", key=f"dl_{key}", on_click="ignore")


sweep_tab, bits_tab, side_tab, seeds_tab = st.tabs(
    ["Context sweep", "Equal bits", "Side by side", "Seed spread"], key="c_tab", bind=BIND
)

with sweep_tab:
    lo, hi = st.slider("Context lengths k", 1, MAX_SWEEP_CONTEXT, (1, 4), key="c_range", bind=BIND)
    if (rows := run(cache.sweep, seq, tuple(range(lo, hi + 1)), tc)) is not None:
        table = tables.sweep(rows)
        st.dataframe(tables.shown(table), hide_index=True, key="sweep_table")
        download(table, "Sweep", "context_sweep")
        st.markdown(
            "What is compared: the data's own uncertainty H(next | k tokens) against the model's loss after training, per k. "
            + BUDGET
        )
        a, b, c = st.columns(3)
        a.plotly_chart(charts.sweep_entropy(rows), key="sweep_entropy")
        b.plotly_chart(charts.sweep_losses(rows), key="sweep_losses")
        c.plotly_chart(charts.sweep_states(rows), key="sweep_states")
        st.caption(
            "A longer context removes ambiguity (entropy falls) while the states explode and the data visits only a few. "
            "A model whose curve is still falling was stopped by the step budget, not limited by its context. "
            "Never-seen states, mean top arrow: how sharp the model is where it has no data (0.5 = no opinion for V = 2)."
        )

with bits_tab:
    st.markdown("One bit stream read **b bits per token**: V = 2^b and k = B / b, so every row has the same 2^B states.")
    text = st.text_input("Text whose UTF-8 bits form the stream", "hello markov chain", key="c_bits_text", bind=BIND)
    B = st.radio("Context bits B", [4, 8], index=0, key="c_B", bind=BIND, horizontal=True)
    bits = text_to_bits(text)
    if (rows := run(cache.bits_compare, bits, B, bit_widths(B), tc)) is not None:
        st.dataframe(tables.equal_bits(rows), hide_index=True, key="bits_table")
        st.caption(
            f"{len(bits):,} bits. Fewer, bigger tokens: the same states, but fewer examples to learn each arrow from. " + BUDGET
        )
        b = st.radio("Learned chain for b =", [r.bits_per_token for r in rows], key="c_bits_show", bind=BIND, horizontal=True)
        r = next(r.chain for r in rows if r.bits_per_token == b)
        if r.states <= GRAPH_NODE_LIMIT:
            html = cache.chain_html(r.probs, r.vocab, r.context, r.itos, r.counts)
            st.iframe(html, height=520, alt=f"learned chain with {b} bits per token")

with side_tab:
    ca, cb = st.columns(2)
    try:
        kA = number("A: context k", 1, MAX_SWEEP_CONTEXT, 3, "c_kA", ca)
        sA = number("A: seed", 0, SEED_MAX, 1337, "c_sA", ca)
        kB = number("B: context k", 1, MAX_SWEEP_CONTEXT, 4, "c_kB", cb)
        sB = number("B: seed", 0, SEED_MAX, 1337, "c_sB", cb)
        cmp = run(cache.side, seq, (kA, sA), (kB, sB), steps)
    except Refused:
        cmp = None
    if cmp is not None:
        st.caption(BUDGET)
        for col, name, side in ((ca, "A", cmp.a), (cb, "B", cmp.b)):
            with col:
                st.markdown(f"**{name}: k = {side.context}, seed {side.seed}** · final loss {side.final_loss_bits:.4f} bits")
                if seq.vocab**side.context <= GRAPH_NODE_LIMIT:
                    html = cache.chain_html(side.probs, seq.vocab, side.context, seq.itos, side.counts)
                    st.iframe(html, height=460, alt=f"graph of configuration {name}")
                else:
                    st.info(f"{seq.vocab**side.context:,} states: too many to draw; see the table.")
        if cmp.diff is not None:
            diff, big = tables.side_diff(cmp, cache.state_labels(seq.vocab, kA, seq.itos), seq.itos), cmp.changed
            highlight = lambda row: ["background-color: #FFE9C2" if big[row.name] else "" for _ in row]
            st.dataframe(diff.style.apply(highlight, axis=1), hide_index=True, key="side_table")
            st.caption(f"Highlighted: {int(big.sum())} states whose arrows differ by more than 10 percentage points.")
        else:
            k_small, k_big = cmp.short.context, max(kA, kB)
            labels = cache.state_labels(seq.vocab, k_small, seq.itos)
            st.dataframe(tables.side_refinement(cmp, labels, seq.itos), hide_index=True, key="side_table")
            st.caption(
                f"Each k={k_small} state against the k={k_big} states that end with it: a wide min–max range means "
                "the extra history changes the prediction (on the article's sequence, 111 splits into 0111 and 1111)."
            )

with seeds_tab:
    c1, c2 = st.columns(2)
    n = c2.slider("number of seeds", 2, MAX_SEEDS, 8, key="c_nseeds", bind=BIND)
    seeds = tuple(range(seed, seed + n))
    try:
        k = number("context k", 1, MAX_SWEEP_CONTEXT, 3, "c_seed_k", c1)
        spread = run(cache.spread, seq, GPTConfig(vocab_size=seq.vocab, block_size=k), tc, seeds)
    except Refused:
        spread = None
    if spread is not None:
        labels, sym = cache.state_labels(seq.vocab, k, seq.itos), seq.itos[-1]
        summary = seed_summary(spread, seq.vocab - 1)
        if len(labels) <= 64:
            st.plotly_chart(charts.seed_spread(summary, labels, sym), key="seed_box")
        st.dataframe(tables.seed_summary(summary, labels, seed), hide_index=True, key="seed_table")
        st.caption(f"P(next = {sym}) per state over seeds {seeds[0]}..{seeds[-1]}: the article's 79 / 55 / 73 is one draw.")
