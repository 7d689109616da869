"""The BabyGPT's controls: the training sequence, the model's shape and the training's settings, bound to the URL.

Every widget has a stable key, which is also its query parameter (a prefix `p` keeps two sets apart on one page), so
a copied link reopens exactly what the user sees. The article's settings are every control's default. A value that
cannot be used is said next to its control and comes back as `Refused`; the user's input stays in its box.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from core.babygpt.data import ARTICLE_SEQUENCE, Sequence, cycle_chain, parse_digits, parse_text, random_walk, repeat_pattern
from core.babygpt.limits import MAX_BLOCK_SIZE, MAX_EMBD, MAX_HEADS, MAX_LAYERS, MAX_SEQUENCE_LEN, MAX_STEPS, check_model
from core.babygpt.train import TrainConfig
from core.errors import CoreError
from core.model import GPTConfig
from ui import i18n
from ui.i18n import t
from ui.inputs import SEED_MAX, Refused, choice, flag, number, slider, text_box

MODEL, TRAINING = GPTConfig(), TrainConfig()  # the article's settings: every control's default
SOURCES = ["digits", "text", "pattern", "walk"]  # codes in the address; labels are translated


def sequence_input(p: str = "") -> Sequence | Refused:
    """Controls for the training sequence; returns it, or a Refused after showing why it can't be used.

    Text is never cut: past the length cap it stays in its box with a message saying how long it is.
    Each source's controls live in one container, so the controls after it keep their place (and
    their address binding) whichever source is chosen.
    """
    source = choice(t("inputs.source"), SOURCES, f"{p}source", lambda c: t(f"inputs.source_{c}"), horizontal=True)
    with st.container():
        return _sequence(source, p)


def _sequence(source: str, p: str) -> Sequence | Refused:
    try:
        if source == "digits":
            V = number(t("inputs.digits_vocab"), 2, 10, 2, f"{p}V")
            text = text_box("text_area", t("inputs.digits"), ARTICLE_SEQUENCE, f"{p}seq", height=80)
            return parse_digits(text, V)
        if source == "text":
            label = t("inputs.text")
            text = text_box("text_area", label, "abracadabra abracadabra", f"{p}text", height=80)
            return parse_text(text)
        if source == "pattern":
            V = number(t("inputs.vocab"), 2, 10, 2, f"{p}pV")
            pattern = text_box("text_input", t("inputs.pattern"), "11110", f"{p}pattern")
            n = number(t("inputs.length"), 2, MAX_SEQUENCE_LEN, 15, f"{p}plen")
            return repeat_pattern(pattern, V, n)
        V = number(t("inputs.vocab"), 2, 10, 3, f"{p}wV")
        p_step = slider(t("inputs.walk_p"), 0.0, 1.0, 0.8, 0.05, key=f"{p}wp")
        n = number(t("inputs.length"), 2, MAX_SEQUENCE_LEN, 200, f"{p}wlen")
        seed = number(t("inputs.walk_seed"), 0, SEED_MAX, 0, f"{p}wseed")
        chain = cycle_chain(V, p_step)
        with st.expander(t("inputs.walk_chain")):
            st.dataframe(
                pd.DataFrame(chain, index=[t("inputs.after", token=a) for a in range(V)], columns=[f"P({b})" for b in range(V)])
            )
        return Sequence(random_walk(chain, n, seed=seed), tuple(str(d) for d in range(V)))
    except Refused as r:
        return r
    except CoreError as e:
        message = t("inputs.sequence_error", error=i18n.error(e))
        st.error(message)
        return Refused(message)


def model_input(p: str = "") -> tuple[int, dict] | Refused:
    """Context length and model shape; returns (k, GPTConfig kwargs without vocab), or a Refused."""
    try:
        k = number(t("inputs.context"), 1, MAX_BLOCK_SIZE, MODEL.block_size, f"{p}k")
        with st.expander(t("inputs.shape")):
            c1, c2 = st.columns(2)
            n_layer = number(t("inputs.n_layer"), 1, MAX_LAYERS, MODEL.n_layer, f"{p}n_layer", c1)
            n_head = number(t("inputs.n_head"), 1, MAX_HEADS, MODEL.n_head, f"{p}n_head", c2)
            n_embd = number(t("inputs.n_embd"), 1, MAX_EMBD, MODEL.n_embd, f"{p}n_embd", c1)
            bias = flag(t("inputs.bias"), MODEL.bias, f"{p}bias")  # its own row: a half column cut its label
    except Refused as r:
        return r
    return k, dict(n_layer=n_layer, n_head=n_head, n_embd=n_embd, bias=bias)


def training_input(p: str = "") -> dict | Refused:
    """Steps, learning rate, weight decay, seed: the article's values by default; a Refused after a refusal."""
    with st.expander(t("inputs.training"), expanded=False):
        c1, c2 = st.columns(2)
        try:
            steps = number(t("inputs.steps"), 0, MAX_STEPS, TRAINING.steps, f"{p}steps", c1)
            seed = number(t("inputs.seed"), 0, SEED_MAX, TRAINING.seed, f"{p}seed", c2)
            lr = number(t("inputs.lr"), 1e-5, 1.0, TRAINING.lr, f"{p}lr", c1, format="%.5f")
            wd = number(t("inputs.weight_decay"), 0.0, 10.0, TRAINING.weight_decay, f"{p}wd", c2, format="%.3f")
        except Refused as r:
            return r
    return dict(steps=steps, seed=seed, lr=lr, weight_decay=wd)


def configs(seq: Sequence | Refused, model: tuple | Refused, training: dict | Refused) -> tuple[GPTConfig, TrainConfig] | Refused:
    """Validated configs, or the first refusal (a control's, or the configs' own after an st.error that says what to change)."""
    for part in (seq, model, training):
        if isinstance(part, Refused):
            return part
    k, shape = model
    try:
        mc = GPTConfig(block_size=k, vocab_size=seq.vocab, **shape)
        check_model(mc)  # the caps, said here next to the controls (the training checks them again)
        return mc, TrainConfig(**training)
    except CoreError as e:
        message = t("inputs.model_error", error=i18n.error(e))
        st.error(message)
        return Refused(message)
