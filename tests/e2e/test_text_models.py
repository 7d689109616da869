"""The Vocabulary & GPT page in a real browser: the vocabulary table and the seen / never-seen split render."""

from __future__ import annotations

from tests.e2e.test_browser import wait_ready


def test_vocabulary_and_gpt_split_render_on_the_builtin_corpus(page, server):
    page.goto(f"{server}/")
    wait_ready(page)  # the router has run once
    page.goto(f"{server}/text_models?lang=en")
    # the GPT trains on a first visit (tens of seconds on a busy machine): wait for its table, not just the run state
    page.get_by_text("never-seen contexts").first.wait_for(timeout=300_000)
    wait_ready(page)
    main = page.inner_text('[data-testid="stMain"]')
    assert page.locator('[data-testid="stException"]').count() == 0
    assert page.locator('[data-testid="stAlertContentError"]').count() == 0, "no refusal on defaults"
    assert "never-seen contexts" in main, "the GPT against the n-gram, split by seen and never-seen contexts"
    page.locator('[data-testid="stDataFrame"]').nth(2).wait_for(timeout=120_000)  # vocabulary, published figures, the split
