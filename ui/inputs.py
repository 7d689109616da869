"""Shared controls bound to the URL: numbers, sliders, choices, text, tabs, and the notes on what the address asked.

Every widget has a stable key, which is also its query parameter, so a copied link reopens
exactly what the user sees. Validation errors are shown next to the controls as specific
messages; the user's input stays in its box.
"""

from __future__ import annotations

import contextlib

import streamlit as st
from streamlit.runtime.scriptrunner import get_script_run_ctx

from core import address
from core.errors import CoreError
from ui import i18n
from ui.i18n import t

BIND = "query-params"
SEED_MAX = 2**31 - 1


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


REFUSED = "_address_refused"  # this run's address values that no control was allowed to read: key -> (values, reason)


def from_address(key: str, reader) -> None:
    """Check `key`'s value in the address before its control reads it (call it just before the control).

    `reader` is one of core.address's readers with its range bound. A value it refuses is taken out
    of the address, so the control opens on its default, and is named in the page's notice. Once the
    control holds a value (after its first run) the address follows the control and is not read.
    """
    if key in st.session_state:
        return
    values = st.query_params.get_all(key)
    if not values:
        return
    got = reader(values)
    if isinstance(got, address.Refusal):
        st.session_state.setdefault(REFUSED, {})[key] = (values, got.reason)
        _forget(key)


def _forget(key: str) -> None:
    """Take `key` out of the address and out of this run's copy that bound controls are seeded from."""
    st.query_params.pop(key, None)
    # Streamlit seeds a bound control from a copy of the address taken when the run started; a refused
    # value must leave that copy too, or the control would still read it (an int box and "inf": a crash).
    ctx = get_script_run_ctx()
    if ctx is not None:
        with ctx.session_state.query_params() as qp:
            qp.set_initial_query_params_from_current()


def _whole(*values) -> bool:
    return all(isinstance(v, int) and not isinstance(v, bool) for v in values)


def number(label: str, low, high, default, key: str, where=st, **kw):
    """A number bound to the URL, checked here (not by the box) so a refusal is a visible message, never a silent red box."""
    from_address(key, lambda v: address.read_number(v, low, high, _whole(low, high, default)))
    value = where.number_input(label, value=default, key=key, bind=BIND, **kw)
    if value is None or not low <= value <= high:
        message = t("inputs.out_of_range", label=label, value="—" if value is None else value, low=low, high=high)
        where.error(message)
        raise Refused(message)
    return value


def slider(label: str, low, high, default, step=None, key: str = "", where=st, **kw):
    """A slider bound to the URL (a tuple default: a range of two ends), its address value checked first."""
    whole = _whole(low, high, *(default if isinstance(default, tuple) else (default,)))
    if isinstance(default, tuple):
        from_address(key, lambda v: address.read_numbers(v, low, high, whole, len(default)))
    else:
        from_address(key, lambda v: address.read_number(v, low, high, whole))
    return where.slider(label, low, high, default, step, key=key, bind=BIND, **kw)


def bound(widget, label: str, options: list, key: str, where=st, format_func=str, **kw):
    """A radio, select slider or selectbox bound to the URL by its shown option; an unknown one is named, not used."""
    names = [str(format_func(o)) for o in options]
    from_address(key, lambda v: address.read_choice(v, names))
    if key in st.session_state:  # set by the page (a player that stopped): a default beside it draws a warning
        kw.pop("value", None)
        kw.pop("index", None)
    return getattr(where, widget)(label, options, key=key, bind=BIND, format_func=format_func, **kw)


def bound_many(label: str, options: list, key: str, where=st, max_selections: int | None = None, **kw):
    """A multiselect bound to the URL: each value one of the options, none twice, at most max_selections."""
    names = [str(o) for o in options]
    from_address(key, lambda v: address.read_many(v, names, max_selections or len(names)))
    return where.multiselect(label, options, key=key, bind=BIND, max_selections=max_selections, **kw)


def text_box(widget: str, label: str, default: str, key: str, where=st, **kw) -> str:
    """A text box or area bound to the URL; an address value past core.address.MAX_TEXT_CHARS is named, not used."""
    from_address(key, address.read_text)
    return getattr(where, widget)(label, default, key=key, bind=BIND, **kw)


def flag(label: str, default: bool, key: str, where=st, **kw) -> bool:
    """A checkbox bound to the URL (?key=true / false)."""
    from_address(key, address.read_flag)
    return where.checkbox(label, default, key=key, bind=BIND, **kw)


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
    from_address(key, lambda v: address.read_choice(v, options))
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
        from_address(key, lambda v: address.read_choice(v, codes))
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
    refused = st.session_state.pop(REFUSED, {})
    if page in opened:
        return
    opened.add(page)
    ignored = [
        (key, values)
        for key, values in raw.items()
        if key in refused or key not in st.session_state or not _accepted(values, st.session_state[key])
    ]
    if ignored:
        where.warning(t("app.ignored", params=ignored_list(ignored)))


NOTICE_ITEMS = 2  # a notice names at most this many parameters (then "and N more"): it stays within two lines at 1440 px


def ignored_list(ignored: list[tuple[str, list[str]]]) -> str:
    """`key=value; ...` for a notice, inert: each name and value cut to core.address.QUOTE_CHARS, at most NOTICE_ITEMS."""
    parts = []
    for key, values in ignored[:NOTICE_ITEMS]:
        name, _ = address.quote(key, address.QUOTE_CHARS // 2)
        value, length = address.quote("&".join(values))
        quoted = i18n.inert(f"{name}={value}")
        parts.append(quoted if length is None else t("app.ignored_long", value=quoted, n=length))
    more = len(ignored) - NOTICE_ITEMS
    return "; ".join(parts) + (t("app.ignored_more", n=more) if more > 0 else "")
