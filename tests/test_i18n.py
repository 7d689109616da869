"""The two catalogues: the same keys, the same parameters, every core error covered."""

import importlib
import pkgutil
import re

import pytest

import core
from core.babygpt.data import parse_digits
from core.babygpt.limits import LimitError, check_model
from core.errors import CoreError, all_messages
from core.model import GPTConfig
from ui import i18n


def core_messages() -> dict[str, str]:
    for mod in pkgutil.walk_packages(core.__path__, "core."):
        if mod.name != "core.__main__":
            importlib.import_module(mod.name)
    return all_messages()


def test_both_catalogues_have_the_same_keys():
    en, zh = i18n.catalogue("en"), i18n.catalogue("zh")
    assert set(en) - set(zh) == set(), "keys missing from zh.toml"
    assert set(zh) - set(en) == set(), "keys missing from en.toml"


def test_every_key_takes_the_same_parameters_in_both_languages():
    en, zh = i18n.catalogue("en"), i18n.catalogue("zh")
    differ = {k: (i18n.params(en[k]), i18n.params(zh[k])) for k in en if i18n.params(en[k]) != i18n.params(zh.get(k, ""))}
    assert differ == {}, differ


def test_every_core_error_code_has_a_text_with_its_parameters():
    messages = core_messages()
    for lang in i18n.LANGS:
        cat = i18n.catalogue(lang)
        missing = [code for code in messages if f"error.{code}" not in cat]
        assert missing == [], f"{lang}: {missing}"
        differ = [c for c, text in messages.items() if i18n.params(cat[f"error.{c}"]) != i18n.params(text)]
        assert differ == [], f"{lang}: parameters differ from core's for {differ}"


def test_english_errors_read_as_the_cli_prints_them():
    messages = core_messages()
    cat = i18n.catalogue("en")
    assert {c: cat[f"error.{c}"] for c in messages} == messages, "en.toml's errors are core's English texts"


def test_a_core_error_renders_in_chinese_with_its_field_translated():
    i18n.use("zh")
    try:
        with pytest.raises(LimitError) as e:
            check_model(GPTConfig(vocab_size=65))
        text = i18n.error(e.value)
        assert text == "词表大小须在 1..64 之间，当前为 65", text
    finally:
        i18n.use("en")


@pytest.mark.parametrize(
    "locale,lang", [("zh-CN", "zh"), ("zh-TW", "zh"), ("zh", "zh"), ("en-US", "en"), (None, "en"), ("fr", "en")]
)
def test_browser_locale_picks_the_language(locale, lang):
    assert i18n.default_lang(locale) == lang


HOSTILE = [
    "[Verify your account](https://evil.example)",
    "HTTPS://evil.example and http://evil.example",
    "www.evil.example, WWW.evil.example",
    "mail@evil.example",
    "<a href='https://evil.example'>x</a> <img src=x onerror=alert(1)>",
    ":red[**bold**] _it_ `code` $x^2$ ~~s~~ # h \\ | >",
    "中文 ␣ 1.5",
]


@pytest.mark.parametrize("text", HOSTILE)
def test_inert_text_reads_as_typed(text):
    out = i18n.inert(text)
    assert re.sub(r"\\(.)", r"\1", out).replace("\u2060", "") == text, "a reader sees exactly the characters typed"
    unescaped = re.sub(r"\\.", "", out)
    assert not re.search(r"[!-/:-@\[-`{-~]", unescaped), "every ASCII punctuation character is escaped"
    assert not re.search(r"(?i)https?:|www\.|@\w", out.replace("\\", "")), "no bare address left for GFM to link"


def test_plural_twin_is_taken_for_one():
    i18n.use("en")
    assert i18n.t("state_space.digits", digits=1, log10=0.0) == "1 decimal digit · log10 = 0.000000"
    assert i18n.t("state_space.digits", digits=2, log10=1.0) == "2 decimal digits · log10 = 1.000000"
    assert i18n.t("graph.visits", n=1) == "seen once in the data"
    assert i18n.t("graph.visits", n=1200) == "seen 1,200 times in the data"


def test_core_error_parameters_are_inert():
    i18n.use("en")
    with pytest.raises(CoreError) as e:
        parse_digits("1[x](https://evil.example)", 2)
    assert "](" not in i18n.error(e.value) and "\\[" in i18n.error(e.value)


def _visible(markdown: str) -> str:
    """What a reader sees of a catalogue text rendered as Markdown (CommonMark, as Streamlit's elements render it),
    code spans left out."""
    from markdown_it import MarkdownIt

    html = MarkdownIt("commonmark").enable(["strikethrough", "table"]).render(markdown)
    return re.sub(r"<[^>]+>", "", re.sub(r"<code>.*?</code>", "", html, flags=re.S))


LEFTOVER = re.compile(r"`|(?<!\s)\*|\*(?!\s)|(?<![A-Za-z0-9])_|_(?![A-Za-z0-9])")  # a * without spaces, a _ outside a name


@pytest.mark.parametrize("lang", i18n.LANGS)
def test_no_markdown_mark_is_left_visible(lang):
    """`**试一试：**按`: CommonMark does not close emphasis after a full-width colon, so the stars showed."""
    import string

    bad = {}
    for key, text in i18n.catalogue(lang).items():
        names = {f[1].split(".")[0].split("[")[0] for f in string.Formatter().parse(text) if f[1]}
        shown = _visible(text.format(**dict.fromkeys(names, 7)))
        if LEFTOVER.search(shown):
            bad[key] = shown.strip()[:120]
    assert not bad, bad


def test_the_markdown_check_sees_a_stray_star():
    assert LEFTOVER.search(_visible("**试一试：**按下")) and not LEFTOVER.search(_visible("**试一试**：按下"))
    assert not LEFTOVER.search(_visible("log2(50,257) * 2048, n_embd, `?lang=zh`"))
