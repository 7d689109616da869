"""Every page in 简体中文 shows no English words, and in English no Chinese, beyond names, symbols and units."""

import json
import pathlib
import re

import pytest
from streamlit.testing.v1 import AppTest

ROOT = pathlib.Path(__file__).resolve().parents[1]
PAGES = sorted(str(p.relative_to(ROOT)) for p in (ROOT / "pages").glob("*.py"))

# Words that stay as they are in both languages: model and tokenizer names, people and works cited,
# formats, units, config field names, and the alphabets' names.
KEEP = """
GPT BabyGPT nanoGPT Llama Mistral Atari Commodore Karpathy Zekri Shannon Kneser Ney Pratt BPE PSF Python pydoc
UTF CSV JSON HTML KiB MiB kB MB GB bits bit nats FLOP FLOPs log log2 log10 max min exp
n_layer n_head n_embd shannon27 raw turbo cl100k_base o200k_base base Bell System Technical Journal
Prediction Entropy Printed English Brown Cover King AdamW LayerNorm Linear GELU Transformer softmax argmax
Radford Touvron Jiang Meta OpenAI tiktoken Language CPython License Software Foundation January bias Version
Tiny Shakespeare beta betas names
""".split()
ENGLISH_WORD = re.compile(r"[A-Za-z][A-Za-z_']{2,}")
CJK = re.compile(r"[\u4e00-\u9fff]")


TABS = {  # pages with tabs: only the open one is drawn, so each is read in turn
    "pages/train_explore.py": ("tab", ("graph", "table", "lengths", "sample", "long_run", "unseen")),
    "pages/compare.py": ("c_tab", ("sweep", "bits", "side", "seeds")),
}


def open_page(page: str, lang: str, **params) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=300)
    at.switch_page(page)
    at.query_params["lang"] = lang
    for key, value in params.items():
        at.query_params[key] = value
    return at.run()


def every_tab(page: str, lang: str) -> list[AppTest]:
    """The page once per tab (once if it has none)."""
    if page not in TABS:
        return [open_page(page, lang)]
    key, codes = TABS[page]
    return [open_page(page, lang, **{key: code}) for code in codes]


def visible_strings(at: AppTest) -> list[str]:
    """What a visitor reads in the main area: texts, labels, help, table headers, chart titles and legends."""
    out = []
    for kind in ("title", "header", "subheader", "markdown", "caption", "info", "warning", "error", "success"):
        out += [e.value for e in getattr(at, kind)]
    widgets = ("number_input", "text_input", "text_area", "radio", "selectbox", "slider", "select_slider", "multiselect")
    for kind in widgets + ("checkbox", "toggle", "button"):
        for w in getattr(at, kind):
            if w.key == "lang":
                continue
            out += [w.label] + ([w.help] if getattr(w, "help", None) else [])
    out += [m.label for m in at.metric] + [x.label for x in at.tabs] + [x.label for x in at.expander]
    for d in at.dataframe:
        out += [str(c) for c in d.value.columns]
    for chart in at.get("plotly_chart"):
        spec = json.loads(chart.proto.spec)
        layout = spec.get("layout", {})
        for axis in ("xaxis", "yaxis"):
            title = layout.get(axis, {}).get("title", {})
            out.append(title.get("text", "") if isinstance(title, dict) else str(title))
        out += [tr.get("name", "") for tr in spec.get("data", []) if tr.get("showlegend", True)]
    return [s for s in out if s]


def english_words(text: str) -> list[str]:
    # code, links, formulas, quoted titles of cited works, identifiers such as python-docs or pydoc_data.topics
    text = re.sub(r"`[^`]*`|https?://\S+|\$[^$]*\$|\"[^\"]*\"|“[^”]*”|\w+(?:[-_.]\w+)+", " ", text)
    return [w for w in ENGLISH_WORD.findall(text) if w not in KEEP and not w.isupper()]


@pytest.mark.slow
@pytest.mark.parametrize("page", PAGES)
def test_chinese_page_has_no_english_left(page):
    runs = every_tab(page, "zh")
    assert not any(at.exception for at in runs), [e.value for at in runs for e in at.exception]
    left = {s: english_words(s) for at in runs for s in visible_strings(at)}
    left = {s[:80]: w for s, w in left.items() if w}
    assert left == {}, left


@pytest.mark.slow
@pytest.mark.parametrize("page", PAGES)
def test_english_page_has_no_chinese(page):
    runs = every_tab(page, "en")
    assert not any(at.exception for at in runs), [e.value for at in runs for e in at.exception]
    left = [s[:80] for at in runs for s in visible_strings(at) if CJK.search(s)]
    assert left == [], left


def test_bad_input_message_is_in_chinese():
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=300)
    at.switch_page("pages/train_explore.py")
    at.query_params["lang"] = "zh"
    at.query_params["seq"] = "1121"
    at.run()
    errors = " ".join(e.value for e in at.error)
    assert "第 3 个位置的词元 “2” 不在词表中" in errors, errors
