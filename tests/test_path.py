"""The article as a path: the menu follows it, every page asks its question and links to the next step, and the
overview's steps carry numbers from the model it draws."""

import re

import pytest

from core.arith.statespace import state_space
from tests.test_pages import ROOT, open_page
from ui.path import AFTER, PATH


def test_the_menu_follows_the_path():
    app = (ROOT / "app.py").read_text()
    order = re.findall(r"st\.Page\(\"(pages/\w+\.py)\"", app)
    assert order == [p for p, _ in PATH]


@pytest.mark.parametrize("page,name", PATH)
def test_every_page_asks_its_question_and_leads_on(page, name):
    from ui.i18n import catalogue

    en = catalogue("en")
    at = open_page(page)
    assert not at.exception, [e.value for e in at.exception]
    text = " ".join(m.value for m in at.markdown)
    assert en[f"path.q_{name}"] in text, "the question under the title"
    links = [el.proto.label for el in at.get("page_link")]
    names = [n for _, n in PATH]
    following = AFTER[name] if name in AFTER else names[names.index(name) + 1]
    if following is None:
        assert not any(label.startswith("Next:") for label in links)
    else:
        assert en["path.next"].format(question=en[f"path.q_{following}"]) in links, links


def test_the_overview_steps_carry_the_models_numbers(article_run):
    at = open_page("pages/overview.py")
    text = " ".join(m.value for m in at.markdown)
    first, last = article_run.snapshots[0][0b101, 1], article_run.snapshots[50][0b101, 1]
    assert f"from {first:.0%} at initialization to {last:.0%} after 50 steps" in text
    assert f"000 → 001 gets {article_run.snapshots[50][0b000, 1]:.0%}, not 50%" in text
    assert f"about 10^{state_space(100277, 32768).states.exponent:,} states" in text, "GPT-4 (32K), counted"
    assert "10^163,879" in text, "the article's figure, 163,880 digits"
