"""The visitor's language: 简体中文 or English, one catalogue per language, looked up by key.

What it is: `t(key, **params)` returns the text of `key` in the current language, formatted
with `params` (str.format syntax). The catalogues are `ui/locales/en.toml` and `zh.toml`:
TOML tables of `key = "text"` a translator can edit, one file per language. A key missing from a catalogue raises KeyError:
tests check that both catalogues hold the same keys with the same parameters, so a page never
shows a silent English fallback.

The language is chosen once per script run by the router (`use(lang)`), from the `?lang=`
address parameter or, without one, the browser's locale (any zh* -> Chinese). It is kept per
thread: Streamlit runs each session's script in its own thread. Functions whose results are
cached across sessions must take the language as an argument (so it is part of the cache key).

`error(e)` renders a `core` error (a stable code and its parameters) in the current language.

Catalogue texts are trusted Markdown. Text that did not come from a catalogue (an address value,
typed text, a corpus's symbols, an upload's name) goes into Markdown only through `inert(text)`,
which shows it as it is: never a link, never formatting (the one escaping rule of the app; charts
and tables are not Markdown and take text as it is, see `ui.charts.plain`).
"""

from __future__ import annotations

import functools
import pathlib
import re
import string
import threading
import tomllib

from core.errors import CoreError

LANGS = ("en", "zh")
LANG_NAMES = {"en": "English", "zh": "简体中文"}
LANG_LABEL = "Language · 语言"  # the switch reads the same in both languages
FOLDER = pathlib.Path(__file__).resolve().parent / "locales"
_current = threading.local()
# Every ASCII punctuation character can be backslash-escaped in CommonMark: no link, emphasis, code,
# HTML, math ($) or directive (:red[...]) can start from an escaped one.
_PUNCTUATION = re.compile(r"([!-/:-@\[-`{-~])")
# GitHub-flavoured Markdown also links bare addresses after parsing, in the text itself: https://...,
# www.... and name@host. A word joiner (U+2060, invisible) between "http"/"www" and what follows, and
# after "@", breaks those patterns without changing what a reader sees.
_BARE_LINK = re.compile(r"(?i)(?<=http)(?=s?:)|(?<=www)(?=\.)|(?<=@)")
WORD_JOINER = "\u2060"


def inert(text: object) -> str:
    """`text` for a Markdown element, shown exactly as typed: no link, no formatting, no markup."""
    return _PUNCTUATION.sub(r"\\\1", _BARE_LINK.sub(WORD_JOINER, str(text)))


@functools.cache
def catalogue(lang: str) -> dict[str, str]:
    """Every key -> text of one language, flattened: {'nav.overview': 'Overview', ...}."""
    out: dict[str, str] = {}
    path = FOLDER / f"{lang}.toml"
    with path.open("rb") as f:
        _flatten(tomllib.load(f), "", out, path.name)
    return out


def _flatten(table: dict, prefix: str, out: dict[str, str], source: str) -> None:
    for key, value in table.items():
        full = f"{prefix}{key}"
        if isinstance(value, dict):
            _flatten(value, full + ".", out, source)
        else:
            if full in out:
                raise KeyError(f"{full} is defined twice ({source})")
            out[full] = value


def params(text: str) -> set[str]:
    """The parameter names a text uses: params('{n:,} states of {k}') == {'n', 'k'}."""
    return {name.split(".")[0].split("[")[0] for _, name, _, _ in string.Formatter().parse(text) if name}


def default_lang(locale: str | None) -> str:
    """zh for any zh* browser locale, else en."""
    return "zh" if (locale or "").lower().startswith("zh") else "en"


def use(lang: str) -> None:
    """Set the language of this script run."""
    _current.lang = lang if lang in LANGS else "en"


def lang() -> str:
    """The language of this script run."""
    return getattr(_current, "lang", "en")


def fragment(fn):
    """`st.fragment(fn)` whose reruns speak this run's language: a fragment's own rerun runs only `fn`, not the router
    that sets the language (app.py), so `fn` would otherwise be drawn in English. Decorate inside the page's script,
    so each full run hands its language on."""
    import streamlit as st

    language = lang()

    @functools.wraps(fn)
    def run(*args, **kwargs):
        use(language)
        return fn(*args, **kwargs)

    return st.fragment(run)


def t(key: str, **kw) -> str:
    """The text of `key` in the current language, formatted with the parameters.

    A key with a twin `<key>_one` takes the twin when its first parameter is 1 ("1 decimal digit").
    """
    texts = catalogue(lang())
    text = texts[key]
    if f"{key}_one" in texts and kw.get(_first_param(text)) == 1:
        text = texts[f"{key}_one"]
    return text.format(**kw)


@functools.cache
def _first_param(text: str) -> str | None:
    names = [name.split(".")[0].split("[")[0] for _, name, _, _ in string.Formatter().parse(text) if name]
    return names[0] if names else None


def error(e: CoreError) -> str:
    """A core error in the current language: the catalogue's `error.<code>` with the error's parameters.

    Text parameters that name a field ('vocabulary size', 'steps') are translated too (`field.<name>`);
    every other text parameter (a symbol, a name the user gave) is shown inert.
    """
    fields = catalogue(lang())
    kw = {k: (fields.get(f"field.{v}") or inert(v)) if isinstance(v, str) else v for k, v in e.params.items()}
    return t(f"error.{e.code}", **kw)
