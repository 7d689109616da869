"""Shared controls: the training sequence and the model/training settings, bound to the URL.

Every widget has a stable key, which is also its query parameter, so a copied link reopens
exactly what the user sees. Validation errors are shown next to the controls as specific
messages; the user's input stays in its box.
"""

from __future__ import annotations

import contextlib
import math

import pandas as pd
import streamlit as st

from core.babygpt.data import ARTICLE_SEQUENCE, Sequence, cycle_chain, parse_digits, parse_text, random_walk, repeat_pattern
from core.babygpt.limits import MAX_BLOCK_SIZE, MAX_EMBD, MAX_HEADS, MAX_LAYERS, MAX_SEQUENCE_LEN, MAX_STEPS, check_model
from core.babygpt.train import TrainConfig
from core.errors import CoreError
from core.model import GPTConfig
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
    """A control's value that cannot be used; its message is already next to the control.

    Pages show it again where the results would be (`refusal`), so a refusal inside a
    collapsed expander is never a blank page.
    """

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def refusal(where, refused: Refused) -> None:
    """Say, where the results would be, why there are none (the control keeps its own message)."""
    where.error(refused.message)


def number(label: str, low, high, default, key: str, where=st, **kw):
    """A number bound to the URL, checked here (not by the box) so a refusal is a visible message, never a silent red box."""
    value = where.number_input(label, value=default, key=key, bind=BIND, **kw)
    if value is None or not low <= value <= high:
        message = t("inputs.out_of_range", label=label, value="—" if value is None else value, low=low, high=high)
        where.error(message)
        raise Refused(message)
    return value


def _keep(key: str, value: str | None) -> None:
    """Write one address parameter (None: remove it), only when it changes.

    Every write sends the server's whole copy of the address to the browser; a write on every run
    would put back values the visitor has changed since this run started (fast key presses).
    """
    if st.query_params.get(key) == value:
        return
    if value is None:
        st.query_params.pop(key, None)
    else:
        st.query_params[key] = value


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
    _keep(key, None if value == options[0] else value)
    return value


def tabs(labels: dict[str, str], key: str) -> tuple[str, dict]:
    """Tabs kept in the address by stable codes (?tab=code): (the open tab's code, code -> container).

    `labels` maps each code to its label (translated, and free to depend on the settings: "Lengths
    1..4"). Streamlit's tabs remember their label, so a new label (another k, the other language)
    would reset them to the first: here the code is remembered and the tabs reopen on it. Only the
    open tab's content needs computing: the others are empty until chosen.
    """
    codes, names = list(labels), list(labels.values())
    memory = f"{key}__code"
    if memory not in st.session_state:
        asked = st.query_params.get(key)
        st.session_state[memory] = asked if asked in codes else codes[0]
    if st.session_state[memory] not in codes:
        st.session_state[memory] = codes[0]

    def remember(names=names):
        st.session_state[memory] = codes[names.index(st.session_state[key])] if st.session_state[key] in names else codes[0]

    containers = st.tabs(names, default=labels[st.session_state[memory]], key=key, on_change=remember)
    code = st.session_state[memory]
    _keep(key, None if code == codes[0] else code)
    return code, dict(zip(codes, containers, strict=True))


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
            bias = c2.checkbox(t("inputs.bias"), MODEL.bias, key=f"{p}bias", bind=BIND)
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


def run(fn, *args, label: str | None = None):
    """Call a cached job with a progress bar; None after showing the refusal (a CoreError) as an error."""
    label = label or t("inputs.training_progress")
    counted = i18n.catalogue(i18n.lang())["inputs.progress"]  # this run's language, wherever the callback runs
    with progress_bar() as bar:
        try:
            return fn(*args, progress=lambda i, n, loss=None: bar(i / max(n, 1), counted.format(label=label, i=i, n=n)))
        except CoreError as e:
            st.error(i18n.error(e))
            return None


@contextlib.contextmanager
def progress_bar(where=st):
    """A progress bar drawn only once there is progress to show (a cached or refused job draws none), gone after."""
    slot = where.empty()
    try:
        yield lambda fraction, text: slot.progress(min(max(fraction, 0.0), 1.0), text=text)
    finally:
        slot.empty()


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


def note_ignored_params(where, raw: dict[str, list[str]], page: str) -> None:
    """Say which parameters of the opened address were not used: unknown names or values a control refused.

    Only on a page's first run in the session, when the address is the one the visitor opened:
    after that the controls write the address, and a rerun that started before the latest write
    would read an older one.
    """
    opened = st.session_state.setdefault("_pages_opened", set())
    if page in opened:
        return
    opened.add(page)
    ignored = [
        f"{key}={','.join(values)}"
        for key, values in raw.items()
        if key not in st.session_state or not _accepted(values, st.session_state[key])
    ]
    if ignored:
        where.warning(t("app.ignored", params=i18n.inert("; ".join(ignored))))
