"""The address always equals the screen, and a refusal is said where the results would be.

Fast key presses on a slider, a tab kept across a new k and a new language, refused values under a collapsed
expander, and a refused training that must leave no progress bar behind.
"""

from __future__ import annotations

import urllib.parse

from tests.e2e.test_browser import graph_frame, wait_ready

ERROR = '[data-testid="stAlertContentError"]'
WARNING = '[data-testid="stAlertContentWarning"]'


def address(page) -> dict[str, str]:
    return {k: v[-1] for k, v in urllib.parse.parse_qs(urllib.parse.urlparse(page.url).query).items()}


def selected_tab(page) -> str:
    return page.locator('[role="tab"][aria-selected="true"]').first.inner_text()


def results_column(page):
    """The page's right-hand column (Train & explore: controls left, results right)."""
    row = page.locator('[data-testid="stMainBlockContainer"] [data-testid="stHorizontalBlock"]').first
    return row.locator(':scope > [data-testid="stColumn"]').nth(1)


def settle(page, ms: int = 1500):
    """Wait for the last rerun to end and the address to catch up."""
    page.wait_for_timeout(ms)
    wait_ready(page)


def test_fast_arrow_keys_on_the_step_slider_leave_address_and_slider_equal(page, server):
    page.goto(f"{server}/train_explore")
    wait_ready(page)
    graph_frame(page)  # the page is drawn and its widgets live (a fresh server's first page takes a moment)
    thumb = page.locator('[data-testid="stSlider"] input[type="range"]').first
    thumb.focus()
    page.wait_for_function("() => document.activeElement && document.activeElement.type === 'range'")
    page.keyboard.press("ArrowLeft")  # the first press: wait until the slider shows it, then five more, fast
    page.wait_for_function("() => document.activeElement.value === '49'", timeout=10_000)
    for _ in range(5):
        page.keyboard.press("ArrowLeft")
        page.wait_for_timeout(150)
    settle(page, 2500)
    shown = thumb.input_value()
    assert shown == "44", f"six presses from 50: {shown}"
    assert address(page).get("step") == shown, f"the address says what the slider shows: {page.url}"
    assert page.locator(WARNING).filter(has_text="Ignored in the address").count() == 0, "no false 'ignored' notice"


def test_the_open_tab_survives_a_new_k_and_a_new_language(page, server):
    page.goto(f"{server}/train_explore?tab=table")
    wait_ready(page)
    assert selected_tab(page) == "Table", selected_tab(page)
    k = page.get_by_label("Context length k", exact=True)
    k.fill("4")
    k.press("Enter")
    settle(page)
    assert selected_tab(page) == "Table", f"k = 4 keeps the Table tab: {selected_tab(page)}"
    assert address(page).get("tab") == "table" and address(page).get("k") == "4", page.url
    page.locator('[data-testid="stSidebar"]').get_by_text("简体中文").click()
    settle(page)
    assert selected_tab(page) == "表", f"the language switch keeps the tab: {selected_tab(page)}"
    assert address(page).get("tab") == "table" and address(page).get("lang") == "zh", page.url
    page.get_by_role("tab", name="采样").click()
    settle(page)
    assert address(page).get("tab") == "sample", page.url

    again = page.context.new_page()
    again.goto(page.url)
    wait_ready(again)
    assert selected_tab(again) == "采样", "a copied link opens on the same tab"


def test_a_refusal_under_a_collapsed_expander_shows_where_the_results_would_be(page, server):
    page.goto(f"{server}/train_explore?n_embd=10")  # each value in range, together refused (the collapsed Model shape)
    wait_ready(page)
    results = results_column(page)
    error = results.locator(ERROR)
    assert error.count() == 1 and "divisible" in error.inner_text(), "said in the results column"
    assert page.locator("iframe").count() == 0, "no graph of another run"


def test_a_refused_training_leaves_no_progress_bar(page, server):
    text = urllib.parse.quote("the quick brown fox jumps over the lazy dog")
    page.goto(f"{server}/train_explore?source=text&text={text}&k=8")
    wait_ready(page)
    page.wait_for_timeout(1500)
    results = results_column(page)
    assert results.locator(ERROR).count() == 1, "the refusal is in the results column"
    assert page.locator('[data-testid="stProgress"]').count() == 0, "no bar left behind"
