"""The "One text, two languages" page in a real browser: both halves, the charts, and Chinese tokens as labelled bytes."""

from __future__ import annotations

import pytest

from core.text.parallel import heldout_pair
from tests.e2e.conftest import ARTIFACTS
from tests.e2e.test_browser import wait_ready


@pytest.mark.parametrize("lang,title", [("en", "One text, two languages"), ("zh", "同一文本，两种语言")])
def test_parallel_page_renders_both_languages(page, server, lang, title):
    page.goto(f"{server}/")
    wait_ready(page)  # the router has run once
    page.goto(f"{server}/parallel?lang={lang}")
    wait_ready(page)
    answer = page.inner_text('[data-testid="stMain"]')
    assert ("costs fewer bits for the same meaning" in answer) or ("花的比特更少" in answer), "the answer first"
    page.screenshot(path=str(ARTIFACTS / f"parallel_{lang}.png"), full_page=True)
    page.goto(f"{server}/parallel?lang={lang}&pl_tab=bpe")
    page.get_by_text("<e4>").first.wait_for(timeout=300_000)  # the tokenizers are trained on a first visit
    wait_ready(page)
    main = page.inner_text('[data-testid="stMain"]')
    assert page.locator('[data-testid="stException"]').count() == 0
    assert page.locator('[data-testid="stAlertContentError"]').count() == 0, "no refusal on defaults"
    assert title in main and heldout_pair(1)[1] in main, "the title, and the held-out pair in Chinese"
    assert "\ufffd" not in main, "no byte piece drawn as U+FFFD"
    assert page.locator(".js-plotly-plot").count() == 1, "tokens per pair"
    page.screenshot(path=str(ARTIFACTS / f"parallel_{lang}_bpe.png"), full_page=True)
