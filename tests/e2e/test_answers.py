"""Every page answers its question in its first screen, and no default view runs on for pages of detail.

For each page, in both languages, at 1440x900 and on a 390x844 phone: the answer (the container under the
question, filled from the page's numbers) has text and ends within the first screen; at 1440x900 the page's default
view is at most 2.5 screens tall (tables and detail are folded or on their own tab).
"""

from __future__ import annotations

import pytest

from tests.e2e.test_browser import wait_ready

PAGES = ["", "train_explore", "compare", "real_text", "text_models", "parallel", "state_space"]
SIZES = {"desktop": (1440, 900), "phone": (390, 844)}
MOST_SCREENS = 2.5
HEIGHT = """() => document.querySelector('[data-testid="stMain"]').scrollHeight"""


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("size", list(SIZES))
def test_every_page_answers_in_its_first_screen(browser, server, lang, size):
    width, height = SIZES[size]
    context = browser.new_context(viewport={"width": width, "height": height})
    page = context.new_page()
    page.set_default_timeout(300_000)
    try:
        page.goto(f"{server}/")
        wait_ready(page)
        report = {}
        for path in PAGES:
            page.goto(f"{server}/{path}?lang={lang}")
            wait_ready(page)
            answer = page.locator(".st-key-answer")
            answer.wait_for()
            box, text = answer.bounding_box(), answer.inner_text().strip()
            tall = page.evaluate(HEIGHT)
            report[path or "overview"] = (round(box["y"] + box["height"]), tall)
            assert len(text) > 40 and any(c.isdigit() for c in text), f"{path}: an answer with its numbers: {text!r}"
            assert box["y"] + box["height"] <= height, f"{path}: the answer ends below the first screen: {report}"
            if size == "desktop":
                assert tall <= MOST_SCREENS * height, f"{path}: {tall} px tall by default: {report}"
        print(lang, size, report)
    finally:
        context.close()
