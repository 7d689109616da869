"""The article as a path: the menu follows it, every page asks its question and links to the next step, and the
overview's steps carry numbers from the model it draws."""

import re

from core.arith.statespace import state_space
from tests.test_pages import ROOT, open_page
from ui.path import PATH


def test_the_menu_follows_the_path():
    app = (ROOT / "app.py").read_text()
    order = re.findall(r"st\.Page\(\"(pages/\w+\.py)\"", app)
    assert order == [p for p, _ in PATH]


def test_clicking_only_next_walks_the_whole_argument():
    """From the overview, each page's one "Next" link, in the issue's order of the argument: a chain, training, a
    never-seen state, a longer context (Compare), the explosion (State space), real text, who wins, two languages;
    every page asks its question on the way, and the last step leads back to the start."""
    from ui.i18n import catalogue

    en = catalogue("en")
    questions = {en[f"path.q_{name}"]: page for page, name in PATH}
    page, walked = "pages/overview.py", []
    for _ in range(len(PATH) + 1):
        at = open_page(page)
        assert not at.exception, [e.value for e in at.exception]
        walked.append(page)
        text = " ".join(m.value for m in at.markdown)
        assert en[f"path.q_{dict(PATH)[page]}"] in text, f"{page}: the question under the title"
        links = [el.proto.label for el in at.get("page_link")]
        onward = [label for label in links if label.startswith(("Next:", "Back to the start:"))]
        assert len(onward) == 1, (page, links)
        question = onward[0].split(": ", 1)[1].rsplit(" ", 1)[0]
        page = questions[question]
        if onward[0].startswith("Back to the start:"):
            break
    names = [dict(PATH)[p] for p in walked]
    assert names == ["overview", "train_explore", "compare", "state_space", "real_text", "text_models", "parallel"]
    assert page == "pages/overview.py" and set(walked) == {p for p, _ in PATH}, "every page, then back to the start"


def test_the_overview_steps_carry_the_models_numbers(article_run):
    at = open_page("pages/overview.py")
    text = " ".join(m.value for m in at.markdown)
    first, last = article_run.snapshots[0][0b101, 1], article_run.snapshots[50][0b101, 1]
    assert f"from {first:.0%} at initialization to {last:.0%} after 50 steps" in text
    assert f"000 → 001 gets {article_run.snapshots[50][0b000, 1]:.0%}, not 50%" in text
    assert f"about 10^{state_space(100277, 32768).states.exponent:,} states" in text, "GPT-4 (32K), counted"
    assert "10^163,879" in text, "the article's figure, 163,880 digits"
