"""Compare: what a longer context buys, what a bigger vocabulary costs, what a seed changes."""

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from core.compare import MAX_SEEDS, MAX_SWEEP_CONTEXT, refinement_range
from core.data import SequenceError
from core.model import MAX_VOCAB, GPTConfig
from core.states import MAX_STATES
from core.train import TrainConfig, check_budget
from ui import cache
from ui.graph import GRAPH_NODE_LIMIT
from ui.inputs import BIND, sequence_input

st.title("Compare")
st.caption(
    f"Limits: contexts 1..{MAX_SWEEP_CONTEXT}, at most {MAX_STATES:,} states per model, {MAX_SEEDS} seeds; "
    "every model uses the article's shape (4 layers, 4 heads, 16 wide). Results are cached per configuration."
)

with st.expander("Training sequence (shared by every comparison below)", expanded=True):
    seq = sequence_input("c_")
    c1, c2 = st.columns(2)
    steps = c1.number_input("steps per model", 1, 500, 50, key="c_steps", bind=BIND)
    seed = c2.number_input("seed", 0, 2**31 - 1, 1337, key="c_seed", bind=BIND)
if seq is None:
    st.stop()
tc = TrainConfig(steps=steps, seed=seed)


def run(fn, *args):
    """Call a cached comparison with a progress bar; None after a specific error message."""
    bar = st.progress(0.0, text="training…")
    try:
        return fn(*args, progress=lambda i, n: bar.progress(i / n, text=f"training: {i} of {n}"))
    except (ValueError, SequenceError) as e:
        st.error(str(e))
        return None
    finally:
        bar.empty()


def fits(k: int) -> str | None:
    """Why a model with context k cannot be trained on this sequence, or None."""
    try:
        check_budget(GPTConfig(vocab_size=seq.vocab, block_size=k), tc, len(seq.tokens))
    except ValueError as e:
        return str(e)
    return None


sweep_tab, bits_tab, side_tab, seeds_tab = st.tabs(["Context sweep", "Vocabulary at equal bits", "Side by side", "Seed spread"])

with sweep_tab:
    lo, hi = st.slider("Context lengths k", 1, MAX_SWEEP_CONTEXT, (1, 4), key="c_range", bind=BIND)
    problem = next((p for p in (fits(k) for k in range(lo, hi + 1)) if p), None)
    if problem:
        st.error(f"Context sweep: {problem}")
    elif (rows := run(cache.sweep, seq, tuple(range(lo, hi + 1)), tc)) is not None:
        table = pd.DataFrame([{k: v for k, v in r.items() if k not in ("probs", "counts")} for r in rows])
        st.dataframe(table, hide_index=True, key="sweep_table")
        st.download_button(
            "Sweep (CSV)", table.to_csv(index=False), "context_sweep.csv", "text/csv", key="dl_sweep", on_click="ignore"
        )
        f1 = go.Figure()
        f1.add_trace(
            go.Scatter(x=table.context, y=table.conditional_entropy_bits, name="data: H(next | k tokens)", mode="lines+markers")
        )
        f1.add_trace(go.Scatter(x=table.context, y=table.final_loss_bits, name="model: final loss", mode="lines+markers"))
        f1.update_layout(xaxis_title="context k", yaxis_title="bits per token", height=340, margin={"t": 20})
        f2 = go.Figure()
        f2.add_trace(go.Scatter(x=table.context, y=table.states, name="states V^k", mode="lines+markers"))
        f2.add_trace(go.Scatter(x=table.context, y=table.observed_states, name="states in the data", mode="lines+markers"))
        f2.update_layout(
            xaxis_title="context k", yaxis_type="log", yaxis_title="states (log scale)", height=340, margin={"t": 20}
        )
        a, b = st.columns(2)
        a.plotly_chart(f1, key="sweep_entropy")
        b.plotly_chart(f2, key="sweep_states")
        st.caption(
            "A longer context removes ambiguity (entropy falls) while the states explode and the data visits only a few. "
            "unseen_max_prob: how sharp the model is on states it never saw (0.5 would be no opinion for V = 2)."
        )

with bits_tab:
    st.markdown("One bit stream read **b bits per token**: V = 2^b and k = B / b, so every row has the same 2^B states.")
    text = st.text_input(
        "Text whose UTF-8 bits form the stream", "hello markov chain", key="c_bits_text", bind=BIND, max_chars=400
    )
    B = st.radio("Context bits B", [4, 8], index=0, key="c_B", bind=BIND, horizontal=True)
    bits = tuple(int(c) for byte in text.encode("utf-8") for c in format(byte, "08b"))
    widths = tuple(b for b in (1, 2, 4, 8) if B % b == 0 and 2**b <= MAX_VOCAB)  # 8 bits: V = 256 > the cap
    if not bits:
        st.error("Type some text: its bits are the stream to compare on.")
    elif (rows := run(cache.bits_compare, bits, B, widths, tc)) is not None:
        keys = ["bits_per_token", "vocab", "context", "states", "tokens", "observed_states", "entropy_per_bit", "loss_per_bit"]
        table = pd.DataFrame([{k: r[k] for k in keys} for r in rows])
        st.dataframe(table, hide_index=True, key="bits_table")
        st.caption(f"{len(bits):,} bits. Fewer, bigger tokens: the same states, but fewer examples to learn each arrow from.")
        b = st.radio("Learned chain for b =", [r["bits_per_token"] for r in rows], key="c_bits_show", bind=BIND, horizontal=True)
        r = next(r for r in rows if r["bits_per_token"] == b)
        if r["states"] <= GRAPH_NODE_LIMIT:
            html = cache.chain_html(r["probs"], r["vocab"], r["context"], r["itos"], r["counts"])
            st.iframe(html, height=520, alt=f"learned chain with {b} bits per token")

with side_tab:
    ca, cb = st.columns(2)
    kA = ca.number_input("A: context k", 1, MAX_SWEEP_CONTEXT, 3, key="c_kA", bind=BIND)
    sA = ca.number_input("A: seed", 0, 2**31 - 1, 1337, key="c_sA", bind=BIND)
    kB = cb.number_input("B: context k", 1, MAX_SWEEP_CONTEXT, 4, key="c_kB", bind=BIND)
    sB = cb.number_input("B: seed", 0, 2**31 - 1, 1337, key="c_sB", bind=BIND)
    problems = [p for p in (fits(kA), fits(kB)) if p]
    if problems:
        st.error(f"Side by side: {problems[0]}")
    else:
        V = seq.vocab
        tables = {}
        for col, name, k, s in ((ca, "A", kA, sA), (cb, "B", kB, sB)):
            mc, tcs = GPTConfig(vocab_size=V, block_size=k), TrainConfig(steps=steps, seed=s)
            r = cache.trained(mc, tcs, seq.tokens)
            probs = r.snapshots[steps]
            tables[name] = (k, probs)
            with col:
                st.markdown(f"**{name}: k = {k}, seed {s}** · final loss {r.final_loss:.4f} nats")
                if V**k <= GRAPH_NODE_LIMIT:
                    html = cache.chain_html(probs, V, k, seq.itos, cache.counts(seq.tokens, V, k))
                    st.iframe(html, height=460, alt=f"graph of configuration {name}")
                else:
                    st.info(f"{V**k:,} states: too many to draw; see the table.")
        (kA_, pA), (kB_, pB) = tables["A"], tables["B"]
        if kA_ == kB_:
            diff = pd.DataFrame({"state": cache.state_labels(V, kA_, seq.itos)})
            for t, sym in enumerate(seq.itos):
                diff[f"A P({sym})"], diff[f"B P({sym})"], diff[f"Δ P({sym})"] = pA[:, t], pB[:, t], pB[:, t] - pA[:, t]
            big = np.abs(pB - pA).max(axis=1) > 0.1
            st.dataframe(
                diff.style.apply(lambda row: ["background-color: #FFE9C2" if big[row.name] else "" for _ in row], axis=1),
                hide_index=True,
                key="side_table",
            )
            st.caption(f"Highlighted: {int(big.sum())} states whose arrows differ by more than 10 percentage points.")
        else:
            # different contexts: compare each A state with the B states that extend it (B sees more history)
            k_small, p_small, p_big = (kA_, pA, pB) if kA_ < kB_ else (kB_, pB, pA)
            k_big = max(kA_, kB_)
            lo_, hi_ = refinement_range(p_big, V, k_small)
            spread_ = pd.DataFrame({"state": cache.state_labels(V, k_small, seq.itos)})
            for t, sym in enumerate(seq.itos):
                spread_[f"k={k_small} P({sym})"] = p_small[:, t]
                spread_[f"k={k_big} min P({sym})"] = lo_[:, t]
                spread_[f"k={k_big} max P({sym})"] = hi_[:, t]
            st.dataframe(spread_, hide_index=True, key="side_table")
            st.caption(
                f"Each k={k_small} state against the k={k_big} states that end with it: a wide min–max range means "
                "the extra history changes the prediction (on the article's sequence, 111 splits into 0111 and 1111)."
            )

with seeds_tab:
    c1, c2 = st.columns(2)
    k = c1.number_input("context k", 1, MAX_SWEEP_CONTEXT, 3, key="c_seed_k", bind=BIND)
    n = c2.slider("number of seeds", 2, MAX_SEEDS, 8, key="c_nseeds", bind=BIND)
    seeds = tuple(range(seed, seed + n))
    if p := fits(k):
        st.error(f"Seed spread: {p}")
    elif (tables := run(cache.spread, seq, GPTConfig(vocab_size=seq.vocab, block_size=k), tc, seeds)) is not None:
        V = seq.vocab
        labels = cache.state_labels(V, k, seq.itos)
        sym = seq.itos[-1]
        if V**k <= 64:
            fig = go.Figure()
            for s_idx, lab in enumerate(labels):
                fig.add_trace(go.Box(y=tables[:, s_idx, -1], name=lab, boxpoints="all", jitter=0.3, showlegend=False))
            fig.update_layout(yaxis_title=f"P(next = {sym})", yaxis_range=[0, 1], height=380, margin={"t": 20})
            st.plotly_chart(fig, key="seed_box")
        summary = pd.DataFrame(
            {
                "state": labels,
                f"seed {seed}": tables[0, :, -1],
                "mean": tables[:, :, -1].mean(0),
                "std": tables[:, :, -1].std(0),
                "min": tables[:, :, -1].min(0),
                "max": tables[:, :, -1].max(0),
            }
        )
        st.dataframe(summary, hide_index=True, key="seed_table")
        st.caption(f"P(next = {sym}) per state over seeds {seeds[0]}..{seeds[-1]}: the article's 79 / 55 / 73 is one draw.")
