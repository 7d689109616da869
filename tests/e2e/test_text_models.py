"""The Vocabulary & GPT page in a real browser: the vocabulary table and the seen / never-seen split render."""

from __future__ import annotations

from tests.e2e.test_browser import wait_ready


def test_vocabulary_and_gpt_split_render_on_the_builtin_corpus(page, server):
    page.goto(f"{server}/")
    wait_ready(page)  # the router has run once
    page.goto(f"{server}/text_models?lang=en")
    wait_ready(page)
    assert "Who does better on contexts never seen" in page.inner_text('[data-testid="stMain"]'), "the question first"
    page.get_by_role("tab", name="Train your own").click()
    # the GPT trains on a first visit (tens of seconds on a busy machine): wait for its table, not just the run state
    page.get_by_text("never-seen contexts").first.wait_for(timeout=300_000)
    wait_ready(page)
    main = page.inner_text('[data-testid="stMain"]')
    assert page.locator('[data-testid="stException"]').count() == 0
    assert page.locator('[data-testid="stAlertContentError"]').count() == 0, "no refusal on defaults"
    assert "never-seen contexts" in main, "the GPT against the n-gram, split by seen and never-seen contexts"
    assert "tm_tab=own" in page.url, "the open tab is in the address"
    page.locator('[data-testid="stDataFrame"]').nth(1).wait_for(timeout=120_000)  # the two pairings
    page.get_by_role("tab", name="Vocabulary size").click()
    page.locator('[data-testid="stPlotlyChart"]').first.wait_for(timeout=300_000)  # the tokenizers trained, charted
    assert "tm_tab=vocab" in page.url and page.locator('[data-testid="stException"]').count() == 0
