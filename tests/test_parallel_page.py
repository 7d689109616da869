"""The "One text, two languages" page in both languages, and the parallel corpora on the Real text and Vocabulary pages."""

import pathlib

import pytest
from streamlit.testing.v1 import AppTest

from core.text.corpus import CJK_RANGES
from core.text.parallel import compare, heldout_pair
from tests.test_pages import shown

ROOT = pathlib.Path(__file__).resolve().parents[1]
PAGE = "pages/parallel.py"


def open_page(page: str = PAGE, **params) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=300)
    at.switch_page(page)
    for k, v in params.items():
        at.query_params[k] = v
    return at.run()


def everything(at: AppTest) -> str:
    """Every text the page shows: Markdown, captions, messages, code blocks and every table cell and header."""
    parts = [
        e.value for kind in ("markdown", "caption", "info", "error", "code", "subheader", "header") for e in getattr(at, kind)
    ]
    parts += [d.value.to_string() for d in at.dataframe]
    return "\n".join(parts)


def has_cjk(text: str) -> bool:
    return any(lo <= ord(c) <= hi for c in text for lo, hi in CJK_RANGES)


@pytest.fixture(scope="module")
def measured():
    return compare(0.1, range(9))


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_page_shows_both_languages_side_by_side(lang, measured):
    word = {
        "en": {"en": "**English costs fewer", "zh": "**Chinese costs fewer"},
        "zh": {"en": "英文花的比特更少", "zh": "中文花的比特更少"},
    }
    best_en, best_zh = measured.en.best(), measured.zh.best()
    cheaper = "zh" if best_zh.heldout_bits_per_pair < best_en.heldout_bits_per_pair else "en"
    views = {tab: open_page(lang=lang, pl_tab=tab) for tab in ("sizes", "states", "bits", "bpe")}
    for tab, at in views.items():
        assert not at.exception and not at.error, (tab, [e.value for e in at.exception] + [e.value for e in at.error])
        assert "\ufffd" not in everything(at), "no byte piece is shown as U+FFFD"
        answer = [m.value for m in at.markdown if word[lang][cheaper] in m.value]
        assert answer, f"{tab}: the answer names the measured cheaper language"
    counts = {tab: (len(at.dataframe), len(at.get("plotly_chart"))) for tab, at in views.items()}
    assert counts == {"sizes": (1, 0), "states": (2, 1), "bits": (1, 2), "bpe": (1, 1)}, counts
    bpe = views["bpe"]
    assert len(bpe.code) == 2 + 2 * 4, "a held-out pair in each language and its tokens at each of the 4 sizes"
    en, zh = heldout_pair(1)
    assert bpe.code[0].value == en and bpe.code[5].value == zh, "the same held-out pair, in English then in Chinese"
    assert "<e" in bpe.code[6].value, "Chinese at 256 tokens: labelled bytes"
    sizes = views["sizes"].dataframe[0].value
    assert list(sizes.iloc[:, 1]) == ["3,515", "3,515"], "the same pairs in both languages"
    assert list(sizes.iloc[:, 4]) == [f"{measured.en.symbols:,}", f"{measured.zh.symbols:,}"]
    summary = next(m.value for m in views["bits"].markdown if f"{best_en.heldout_bits_per_pair:.1f}" in m.value)
    assert f"{best_zh.heldout_bits_per_pair:.1f}" in summary, summary
    assert word[lang][cheaper] in summary, f"the sentence names the measured cheaper language: {summary}"
    if lang == "en":
        headers = " ".join(str(c) for at in views.values() for d in at.dataframe for c in d.value.columns)
        assert "held-out bits/pair" in headers and "UTF-8 bytes" in headers and not has_cjk(headers)
    else:
        assert views["sizes"].title[0].value == "同一文本，两种语言"


def test_a_held_out_pair_past_the_last_is_a_message():
    at = open_page(pl_pair="999", pl_tab="bpe")
    assert not at.exception, [e.value for e in at.exception]
    assert any("pl_pair=999" in shown(w.value) for w in at.warning), "from the address: named, the default shown"
    at.number_input(key="pl_pair").set_value(999).run()
    assert any("1 to 351" in e.value or "1..351" in e.value for e in at.error), [e.value for e in at.error]


def test_real_text_takes_the_parallel_corpora_with_raw_only_for_chinese():
    at = open_page("pages/real_text.py", rt_corpus="python-docs-zh", rt_K="3", rt_tab="shannon")
    assert not at.exception and not at.error, [e.value for e in at.error]
    assert any("CJK characters" in i.value for i in at.info), "the Shannon section says why it has no numbers"
    assert any("CC0" in c.value for c in at.caption), "the license is stated"
    refused = open_page("pages/real_text.py", rt_corpus="python-docs-zh", rt_alphabet="shannon27", rt_K="2")
    assert not refused.exception
    assert any("CJK characters" in e.value and "raw" in e.value for e in refused.error), [e.value for e in refused.error]
    en = open_page("pages/real_text.py", rt_corpus="python-docs-en", rt_alphabet="shannon27", rt_K="2")
    assert not en.exception and not en.error, "English takes both alphabets"


@pytest.mark.slow
def test_vocabulary_page_takes_the_chinese_corpus():
    own = open_page("pages/text_models.py", tm_corpus="python-docs-zh", tm_steps="20", tm_k="4", tm_tab="own")
    assert not own.exception and not own.error, [e.value for e in own.error]
    assert own.radio(key="tm_alphabet_zh").value == "raw", "Chinese opens on the raw alphabet"
    at = open_page("pages/text_models.py", tm_corpus="python-docs-zh", tm_sizes="256", tm_tab="vocab")
    assert not at.exception and not at.error, [e.value for e in at.error]
    assert at.number_input(key="tm_span_zh").value == 12, "and on a span of 12 characters (about 32 English ones)"
    assert "\ufffd" not in everything(at) and any("<e" in c.value for c in at.code), "byte tokens labelled"
    refused = open_page(
        "pages/text_models.py", tm_corpus="python-docs-zh", tm_alphabet_zh="shannon27", tm_steps="20", tm_tab="own"
    )
    assert not refused.exception and any("CJK characters" in e.value for e in refused.error)
