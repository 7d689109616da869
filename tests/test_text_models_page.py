"""The "Vocabulary & GPT" page, run headless with Streamlit's AppTest: renders on defaults, refuses bad input visibly."""

import pathlib

import pytest
from streamlit.testing.v1 import AppTest

ROOT = pathlib.Path(__file__).resolve().parents[1]
PAGE = "pages/text_models.py"


def open_page(**params) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=300)
    at.switch_page(PAGE)
    for k, v in params.items():
        at.query_params[k] = v
    return at.run()


def table(at, column: str):
    """The rendered table that has this column."""
    return next(d.value for d in at.dataframe if column in d.value.columns)


def test_page_renders_on_defaults_with_every_table():
    at = open_page()
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]

    vocab = table(at, "vocabulary asked")
    assert list(vocab["vocabulary asked"]) == [256, 1024, 4096], "the default sizes, one row each"
    assert any("not measured here" in s.value for s in at.subheader), "published figures are titled as such"
    published = table(at, "source")
    assert "GPT-2" in list(published["model"]), "the published models are listed"

    split = table(at, "GPT bits per character")
    assert list(split["held-out examples"]) == ["overall", "seen contexts", "never-seen contexts"]
    seen, unseen = split["fraction"].iloc[1], split["fraction"].iloc[2]
    assert seen + unseen == pytest.approx(1, abs=1e-3), "seen and never-seen examples are all the held-out examples"
    assert len(at.code) >= 3 + 2, "a preview per size and a sample per model"


def test_bad_span_is_an_error_not_an_exception():
    at = open_page(tm_span="1000", tm_sizes="256", tm_steps="0")
    assert not at.exception, [e.value for e in at.exception]
    errors = [e.value for e in at.error]
    assert any("span must be" in e for e in errors), errors
    assert any("Steps" in e for e in errors), "an out-of-range number is named, and nothing trains"
