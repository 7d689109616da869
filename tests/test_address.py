"""Whatever the address says, no page breaks: each value is read strictly before its control, refused ones named.

The readers are checked against plain expectations; then every page is opened (on each of its tabs and
sources) with every parameter it reads set to each hostile value, and must draw without an exception,
without a traceback in the log, with a notice that stays short.
"""

from __future__ import annotations

import logging
import re

import pytest
from streamlit.testing.v1 import AppTest

from core import address
from core.address import Refusal
from tests.test_pages import ROOT, open_page, shown

NINES = "9" * 400
HOSTILE = {
    "inf": "inf",
    "-inf": "-inf",
    "nan": "nan",
    "1e400": "1e400",
    "-0": "-0",
    "400-digits": NINES,
    "hex": "0x10",
    "empty": "",
    "repeated": ["1", "2"],
    "5000-chars": "x" * 5000,
    "markdown-link": "[Verify](https://evil.example/a)",
    "tag": "<b>",
    "rtl-mark": "\u200f12",
}
# Where each page reads parameters: its default, and each tab or source that shows controls of its own.
REACH = {
    "pages/overview.py": [{}],
    "pages/state_space.py": [{}, {"ss_tab": "models"}, {"ss_tab": "growth"}, {"ss_tab": "machines"}],
    "pages/train_explore.py": [
        {},
        {"source": "text"},
        {"source": "pattern"},
        {"source": "walk"},
        {"tab": "table"},
        {"tab": "lengths"},
        {"tab": "sample"},
        {"tab": "long_run"},
        {"tab": "unseen"},
        {"k": "6", "view": "around"},  # 64 states: the focused view around a state, its own controls
    ],
    "pages/compare.py": [
        {},
        {"c_source": "text"},
        {"c_source": "pattern"},
        {"c_source": "walk"},
        {"c_tab": "bits"},
        {"c_tab": "side"},
        {"c_tab": "seeds"},
    ],
    "pages/real_text.py": [{}, {"rt_source": "paste"}, {"rt_tab": "shannon"}, {"rt_tab": "chain"}],
    "pages/text_models.py": [{}, {"tm_tab": "own"}, {"tm_tab": "vocab"}],
    "pages/parallel.py": [{}, {"pl_tab": "states"}, {"pl_tab": "bits"}, {"pl_tab": "bpe"}],
}
NOTICE_CHARS = 260  # two lines of the notice at 1440 px (a CJK character counted twice)


# --- the readers ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "raw,expect",
    [
        (["3"], 3),
        (["-0"], 0),
        (["1e1"], 10),
        ([" 4 "], 4),
        (["3.0"], 3),
        (["3.5"], Refusal("not_whole")),
        (["inf"], Refusal("not_a_number")),
        (["nan"], Refusal("not_a_number")),
        (["1e400"], Refusal("out_of_range")),
        ([NINES], Refusal("too_long")),
        (["0x10"], Refusal("not_a_number")),
        (["1_0"], Refusal("not_a_number")),
        ([""], Refusal("empty")),
        (["1", "2"], Refusal("repeated")),
        (["11"], Refusal("out_of_range")),
        (["-1"], Refusal("out_of_range")),
        (["\u200f3"], Refusal("not_a_number")),
    ],
)
def test_read_whole_number(raw, expect):
    assert address.read_number(raw, 0, 10, whole=True) == expect


def test_read_fractional_number():
    assert address.read_number(["0.25"], 0.0, 1.0, whole=False) == 0.25
    assert address.read_number(["1e-5"], 1e-5, 1.0, whole=False) == 1e-5
    assert address.read_number(["1.0001"], 0.0, 1.0, whole=False) == Refusal("out_of_range")
    assert str(address.read_number(["-0"], -1.0, 1.0, whole=False)) == "0.0", "no negative zero reaches a control"


def test_read_range_choice_flag_text_many():
    assert address.read_numbers(["2", "5"], 1, 8, True, 2) == (2, 5)
    assert address.read_numbers(["5", "2"], 1, 8, True, 2) == Refusal("out_of_range")
    assert address.read_numbers(["2"], 1, 8, True, 2) == Refusal("empty")
    assert address.read_choice(["sample"], ["graph", "sample"]) == "sample"
    assert address.read_choice(["<script>"], ["graph", "sample"]) == Refusal("not_an_option")
    assert address.read_flag(["TRUE"]) is True and address.read_flag(["no"]) == Refusal("not_an_option")
    assert address.read_text(["x" * 5000]) == "x" * 5000
    assert address.read_text(["x" * (address.MAX_TEXT_CHARS + 1)]) == Refusal("too_long")
    assert address.read_many(["256", "1024"], ["256", "1024", "4096"], 3) == ("256", "1024")
    assert address.read_many(["256", "256"], ["256", "1024"], 3) == Refusal("repeated")


def test_quote_shortens_with_the_length():
    assert address.quote("short") == ("short", None)
    cut, n = address.quote("9" * 5000)
    assert n == 5000 and len(cut) == address.QUOTE_CHARS and cut.endswith("…")


# --- the pages ------------------------------------------------------------------------------------------------


def _reads(page: str, reach: dict) -> list[str]:
    """The address parameters a page's view reads: its controls' keys (Streamlit's and the app's own state left out)."""
    at = open_page(page, **reach)
    assert not at.exception, [e.value for e in at.exception]
    return sorted(k for k in at.session_state.keys() if not k.startswith("_") and "__" not in k and k not in reach)


def _width(text: str) -> int:
    return sum(2 if re.match(r"[\u2e80-\u9fff\uff00-\uffef]", c) else 1 for c in text)


CASES = [(page, i) for page, reaches in REACH.items() for i in range(len(reaches))]


@pytest.mark.slow
@pytest.mark.parametrize("page,i", CASES, ids=[f"{p[6:-3]}-{REACH[p][i] or 'default'}" for p, i in CASES])
def test_hostile_address_values_never_break_a_page(page, i, caplog):
    reach = REACH[page][i]
    keys = _reads(page, reach)  # (a tab's or source's own parameter is hostile on the page's default run)
    assert keys, "the page reads some parameters"
    for name, value in HOSTILE.items():
        for params in [{k: value for k in keys} | reach]:
            caplog.clear()
            with caplog.at_level(logging.WARNING):
                at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=180)
                at.switch_page(page)
                for k, v in params.items():
                    at.query_params[k] = v
                at.run()
            assert not at.exception, (name, params.keys(), [e.value[:300] for e in at.exception])
            assert "Traceback" not in caplog.text and "Error" not in caplog.text, (name, caplog.text[-2000:])
            notices = [shown(w.value) for w in at.warning if "address" in w.value]
            assert all(_width(n) <= NOTICE_CHARS for n in notices), (name, notices)


def test_a_refused_value_is_named_short_and_the_default_drawn():
    at = open_page("pages/state_space.py", V="inf", k=NINES)
    assert not at.exception, [e.value for e in at.exception]
    assert at.number_input(key="V").value == 2 and at.number_input(key="k").value == 3, "the defaults"
    notice = shown(at.warning[0].value)
    assert "V=inf" in notice and "k=" + "9" * 39 + "… (400 characters)" in notice, notice
    assert NINES not in notice


@pytest.mark.parametrize(
    "params,named",
    [
        ({"c_tab": "zzz"}, "c_tab=zzz"),
        ({"c_range": ["1", "2", "3"]}, "c_range=1&2&3"),
        ({"c_steps": ["1", "2"]}, "c_steps=1&2"),
    ],
)
def test_bad_choices_and_repeats_are_named(params, named):
    at = open_page("pages/compare.py", **params)
    assert not at.exception
    assert any(named in shown(w.value) for w in at.warning), [w.value for w in at.warning]


def test_bad_language_and_tab_are_named():
    at = open_page("pages/train_explore.py", lang="fr", tab="<script>")
    notice = " ".join(shown(w.value) for w in at.warning)
    assert "lang=fr" in notice and "tab=<script>" in notice, notice
    assert at.session_state["lang"] in ("en", "zh")


def test_many_refusals_name_three_and_count_the_rest():
    at = open_page("pages/train_explore.py", k="inf", seed="inf", steps="inf", n_layer="inf", n_head="inf")
    notice = shown(at.warning[0].value)
    assert notice.count("=inf") == 2 and "and 3 more" in notice, notice


def test_a_typed_value_out_of_range_is_still_said_next_to_its_box():
    at = open_page("pages/train_explore.py")
    at.number_input(key="V").set_value(0).run()
    assert any("= 0 is outside 2..10" in e.value for e in at.error), [e.value for e in at.error]
