"""The Vocabulary & GPT page in a real browser: the vocabulary table and the seen / never-seen split render."""

from __future__ import annotations

from tests.e2e.test_browser import wait_ready


def test_vocabulary_and_gpt_split_render_on_the_builtin_corpus(page, server):
    page.goto(f"{server}/")
    wait_ready(page)  # the router has run once
    page.goto(f"{server}/text_models?lang=en")
    wait_ready(page)
    main = page.inner_text('[data-testid="stMain"]')
    assert page.locator('[data-testid="stException"]').count() == 0
    assert page.locator('[data-testid="stAlertContentError"]').count() == 0, "no refusal on defaults"
    assert "never-seen contexts" in main, "the GPT against the n-gram, split by seen and never-seen contexts"
    assert page.locator('[data-testid="stDataFrame"]').count() >= 3, "vocabulary, published figures and the split"
