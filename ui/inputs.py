"""Shared controls: the training sequence and the model/training settings, bound to the URL.

Every widget has a stable key, which is also its query parameter, so a copied link reopens
exactly what the user sees. Validation errors are shown next to the controls as specific
messages; the user's input stays in its box.
"""

from __future__ import annotations

import math

import pandas as pd
import streamlit as st

from core.data import ARTICLE_SEQUENCE, Sequence, cycle_chain, parse_digits, parse_text, random_walk, repeat_pattern
from core.errors import CoreError
from core.limits import MAX_BLOCK_SIZE, MAX_EMBD, MAX_HEADS, MAX_LAYERS, MAX_SEQUENCE_LEN, MAX_STEPS
from core.model import GPTConfig
from core.train import TrainConfig
from ui import i18n
from ui.i18n import t

MODEL, TRAINING = GPTConfig(), TrainConfig()  # the article's settings: every control's default

SOURCES = ["digits", "text", "pattern", "walk"]  # codes in the address; labels are translated
BIND = "query-params"
SEED_MAX = 2**31 - 1
LN2 = math.log(2)  # losses are computed in nats and shown in bits per token, everywhere


def final_loss_note() -> str:
    """What 'loss' and 'final loss' mean, in the current language."""
    return t("inputs.final_loss")


class Refused(Exception):
    """A control's value outside its range; the message is already on the page."""


def number(label: str, low, high, default, key: str, where=st, **kw):
    """A number bound to the URL, checked here (not by the box) so a refusal is a visible message, never a silent red box."""
    value = where.number_input(label, value=default, key=key, bind=BIND, **kw)
    if value is None or not low <= value <= high:
        where.error(t("inputs.out_of_range", label=label, value=value, low=low, high=high))
        raise Refused(key)
    return value


def choice(label: str, options: list[str], key: str, format_func, where=st, widget: str = "radio", **kw) -> str:
    """A choice kept in the address by its stable code (?key=code) and shown by its translated label.

    Streamlit's own binding would put the displayed label in the address, which differs by
    language; here the code is read once when the page opens and written back on every run.
    The first option is the default and keeps the address clean.
    """
    asked = st.query_params.get(key)
    if key not in st.session_state and asked in options:
        st.session_state[key] = asked
    value = getattr(where, widget)(label, options, key=key, format_func=format_func, **kw)
    if value == options[0]:
        st.query_params.pop(key, None)
    else:
        st.query_params[key] = value
    return value


def sequence_input(p: str = "") -> Sequence | None:
    """Controls for the training sequence; returns it, or None after showing why it can't be used.

    Text is never cut: past the length cap it stays in its box with a message saying how long it is.
    Each source's controls live in one container, so the controls after it keep their place (and
    their address binding) whichever source is chosen.
    """
    source = choice(t("inputs.source"), SOURCES, f"{p}source", lambda c: t(f"inputs.source_{c}"), horizontal=True)
    with st.container():
        return _sequence(source, p)


def _sequence(source: str, p: str) -> Sequence | None:
    try:
        if source == "digits":
            V = number(t("inputs.digits_vocab"), 2, 10, 2, f"{p}V")
            text = st.text_area(t("inputs.digits"), ARTICLE_SEQUENCE, key=f"{p}seq", bind=BIND, height=80)
            return parse_digits(text, V)
        if source == "text":
            label = t("inputs.text")
            text = st.text_area(label, "abracadabra abracadabra", key=f"{p}text", bind=BIND, height=80)
            return parse_text(text)
        if source == "pattern":
            V = number(t("inputs.vocab"), 2, 10, 2, f"{p}pV")
            pattern = st.text_input(t("inputs.pattern"), "11110", key=f"{p}pattern", bind=BIND)
            n = number(t("inputs.length"), 2, MAX_SEQUENCE_LEN, 15, f"{p}plen")
            return repeat_pattern(pattern, V, n)
        V = number(t("inputs.vocab"), 2, 10, 3, f"{p}wV")
        p_step = st.slider(t("inputs.walk_p"), 0.0, 1.0, 0.8, 0.05, key=f"{p}wp", bind=BIND)
        n = number(t("inputs.length"), 2, MAX_SEQUENCE_LEN, 200, f"{p}wlen")
        seed = number(t("inputs.walk_seed"), 0, SEED_MAX, 0, f"{p}wseed")
        chain = cycle_chain(V, p_step)
        with st.expander(t("inputs.walk_chain")):
            st.dataframe(
                pd.DataFrame(chain, index=[t("inputs.after", token=a) for a in range(V)], columns=[f"P({b})" for b in range(V)])
            )
        return Sequence(random_walk(chain, n, seed=seed), tuple(str(d) for d in range(V)))
    except Refused:
        return None
    except CoreError as e:
        st.error(t("inputs.sequence_error", error=i18n.error(e)))
        return None


def model_input(p: str = "") -> tuple[int, dict] | None:
    """Context length and model shape; returns (k, GPTConfig kwargs without vocab), or None after a refusal."""
    try:
        k = number(t("inputs.context"), 1, MAX_BLOCK_SIZE, MODEL.block_size, f"{p}k")
        with st.expander(t("inputs.shape")):
            c1, c2 = st.columns(2)
            n_layer = number(t("inputs.n_layer"), 1, MAX_LAYERS, MODEL.n_layer, f"{p}n_layer", c1)
            n_head = number(t("inputs.n_head"), 1, MAX_HEADS, MODEL.n_head, f"{p}n_head", c2)
            n_embd = number(t("inputs.n_embd"), 1, MAX_EMBD, MODEL.n_embd, f"{p}n_embd", c1)
            bias = c2.checkbox(t("inputs.bias"), MODEL.bias, key=f"{p}bias", bind=BIND)
    except Refused:
        return None
    return k, dict(n_layer=n_layer, n_head=n_head, n_embd=n_embd, bias=bias)


def training_input(p: str = "") -> dict | None:
    """Steps, learning rate, weight decay, seed: the article's values by default; None after a refusal."""
    with st.expander(t("inputs.training"), expanded=False):
        c1, c2 = st.columns(2)
        try:
            steps = number(t("inputs.steps"), 0, MAX_STEPS, TRAINING.steps, f"{p}steps", c1)
            seed = number(t("inputs.seed"), 0, SEED_MAX, TRAINING.seed, f"{p}seed", c2)
            lr = number(t("inputs.lr"), 1e-5, 1.0, TRAINING.lr, f"{p}lr", c1, format="%.5f")
            wd = number(t("inputs.weight_decay"), 0.0, 10.0, TRAINING.weight_decay, f"{p}wd", c2, format="%.3f")
        except Refused:
            return None
    return dict(steps=steps, seed=seed, lr=lr, weight_decay=wd)


def configs(seq: Sequence | None, model: tuple | None, training: dict | None) -> tuple[GPTConfig, TrainConfig] | None:
    """Validated configs, or None after an st.error that says what to change (or after a refused control)."""
    if seq is None or model is None or training is None:
        return None
    k, shape = model
    try:
        return GPTConfig(block_size=k, vocab_size=seq.vocab, **shape), TrainConfig(**training)
    except CoreError as e:
        st.error(t("inputs.model_error", error=i18n.error(e)))
        return None


def run(fn, *args, label: str | None = None):
    """Call a cached job with a progress bar; None after showing the refusal (a CoreError) as an error."""
    label = label or t("inputs.training_progress")
    counted = i18n.catalogue(i18n.lang())["inputs.progress"]  # this run's language, wherever the callback runs
    bar = st.progress(0.0, text=label)
    try:
        return fn(*args, progress=lambda i, n, loss=None: bar.progress(i / max(n, 1), text=counted.format(label=label, i=i, n=n)))
    except CoreError as e:
        st.error(i18n.error(e))
        return None
    finally:
        bar.empty()


def _accepted(raw: list[str], value) -> bool:
    """Whether a URL parameter's text is what the control ended up holding (numbers compared as numbers)."""
    try:
        if isinstance(value, bool):
            return raw[-1].lower() == str(value).lower()
        if isinstance(value, int | float):
            return float(raw[-1]) == float(value)
        if isinstance(value, list | tuple) and all(isinstance(v, int | float) for v in value):
            return [float(r) for r in raw] == [float(v) for v in value]
    except ValueError:
        return False
    return True  # text and choices: the control shows what it took


def note_ignored_params(where, raw: dict[str, list[str]]) -> None:
    """Say which parameters of the opened address were not used: unknown names or values a control refused."""
    ignored = [
        f"{key}={','.join(values)}"
        for key, values in raw.items()
        if key not in st.session_state or not _accepted(values, st.session_state[key])
    ]
    if ignored:
        where.warning(t("app.ignored", params="; ".join(ignored)))
