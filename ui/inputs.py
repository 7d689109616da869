"""Shared controls: the training sequence and the model/training settings, bound to the URL.

Every widget has a stable key, which is also its query parameter, so a copied link reopens
exactly what the user sees. Validation errors are shown next to the controls as specific
messages; the user's input stays in its box.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from core.data import ARTICLE_SEQUENCE, Sequence, cycle_chain, parse_digits, parse_text, random_walk, repeat_pattern
from core.errors import CoreError
from core.limits import MAX_BLOCK_SIZE, MAX_EMBD, MAX_HEADS, MAX_LAYERS, MAX_SEQUENCE_LEN, MAX_STEPS
from core.model import GPTConfig
from core.train import TrainConfig

MODEL, TRAINING = GPTConfig(), TrainConfig()  # the article's settings: every control's default

SOURCES = ["digits", "text", "pattern", "random walk"]
BIND = "query-params"


def sequence_input(p: str = "") -> Sequence | None:
    """Controls for the training sequence; returns it, or None after showing why it can't be used."""
    source = st.radio("Training sequence", SOURCES, key=f"{p}source", bind=BIND, horizontal=True)
    try:
        if source == "digits":
            V = st.number_input("Vocabulary size V (tokens 0..V-1)", 2, 10, 2, key=f"{p}V", bind=BIND)
            text = st.text_area("Digits", ARTICLE_SEQUENCE, key=f"{p}seq", bind=BIND, max_chars=MAX_SEQUENCE_LEN, height=80)
            return parse_digits(text, V)
        if source == "text":
            text = st.text_area(
                "Text (each distinct character is a token)",
                "abracadabra abracadabra",
                key=f"{p}text",
                bind=BIND,
                max_chars=MAX_SEQUENCE_LEN,
                height=80,
            )
            return parse_text(text)
        if source == "pattern":
            V = st.number_input("Vocabulary size V", 2, 10, 2, key=f"{p}pV", bind=BIND)
            pattern = st.text_input("Pattern to repeat", "11110", key=f"{p}pattern", bind=BIND, max_chars=200)
            n = st.number_input("Length", 2, MAX_SEQUENCE_LEN, 15, key=f"{p}plen", bind=BIND)
            return repeat_pattern(pattern, V, n)
        V = st.number_input("Vocabulary size V", 2, 10, 3, key=f"{p}wV", bind=BIND)
        p_step = st.slider("P(next = previous + 1 mod V)", 0.0, 1.0, 0.8, 0.05, key=f"{p}wp", bind=BIND)
        n = st.number_input("Length", 2, MAX_SEQUENCE_LEN, 200, key=f"{p}wlen", bind=BIND)
        seed = st.number_input("Walk seed", 0, 2**31 - 1, 0, key=f"{p}wseed", bind=BIND)
        chain = cycle_chain(V, p_step)
        with st.expander("The chain that generates the walk"):
            st.dataframe(pd.DataFrame(chain, index=[f"after {a}" for a in range(V)], columns=[f"P({b})" for b in range(V)]))
        return Sequence(random_walk(chain, n, seed=seed), tuple(str(d) for d in range(V)))
    except CoreError as e:
        st.error(f"Training sequence: {e}")
        return None


def model_input(p: str = "") -> tuple[int, dict]:
    """Context length and model shape; returns (k, GPTConfig kwargs without vocab)."""
    k = st.number_input("Context length k", 1, MAX_BLOCK_SIZE, MODEL.block_size, key=f"{p}k", bind=BIND)
    with st.expander("Model shape"):
        c1, c2 = st.columns(2)
        n_layer = c1.number_input("n_layer", 1, MAX_LAYERS, MODEL.n_layer, key=f"{p}n_layer", bind=BIND)
        n_head = c2.number_input("n_head", 1, MAX_HEADS, MODEL.n_head, key=f"{p}n_head", bind=BIND)
        n_embd = c1.number_input("n_embd", 1, MAX_EMBD, MODEL.n_embd, key=f"{p}n_embd", bind=BIND)
        bias = c2.checkbox("bias in Linear layers", MODEL.bias, key=f"{p}bias", bind=BIND)
    return k, dict(n_layer=n_layer, n_head=n_head, n_embd=n_embd, bias=bias)


def training_input(p: str = "") -> dict:
    """Steps, learning rate, weight decay, seed: the article's values by default."""
    with st.expander("Training", expanded=False):
        c1, c2 = st.columns(2)
        steps = c1.number_input("steps", 0, MAX_STEPS, TRAINING.steps, key=f"{p}steps", bind=BIND)
        seed = c2.number_input("seed", 0, 2**31 - 1, TRAINING.seed, key=f"{p}seed", bind=BIND)
        lr = c1.number_input("learning rate", 1e-5, 1.0, TRAINING.lr, format="%.5f", key=f"{p}lr", bind=BIND)
        wd = c2.number_input("weight decay", 0.0, 10.0, TRAINING.weight_decay, format="%.3f", key=f"{p}wd", bind=BIND)
    return dict(steps=steps, seed=seed, lr=lr, weight_decay=wd)


def configs(seq: Sequence, k: int, shape: dict, training: dict) -> tuple[GPTConfig, TrainConfig] | None:
    """Validated configs, or None after an st.error that says what to change."""
    try:
        return GPTConfig(block_size=k, vocab_size=seq.vocab, **shape), TrainConfig(**training)
    except CoreError as e:
        st.error(f"Model settings: {e}")
        return None


def run(fn, *args, label: str = "training…"):
    """Call a cached job with a progress bar; None after showing the refusal (a CoreError) as an error."""
    bar = st.progress(0.0, text=label)
    try:
        return fn(*args, progress=lambda i, n, loss=None: bar.progress(i / max(n, 1), text=f"{label} {i} of {n}"))
    except CoreError as e:
        st.error(str(e))
        return None
    finally:
        bar.empty()
