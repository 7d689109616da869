"""The language switch in a real browser: it reaches the address, a reload keeps it, every page reads in Chinese."""

from __future__ import annotations

import pytest

from tests.e2e.conftest import ARTIFACTS
from tests.e2e.test_browser import graph_frame, wait_ready

PAGES = ["", "state_space", "train_explore", "compare", "real_text", "text_models", "parallel"]


def switch_to(page, name: str) -> None:
    """Click a language in the sidebar's switch and wait for the rerun."""
    sidebar = page.locator('[data-testid="stSidebar"]')
    if not sidebar.is_visible():
        page.locator('[data-testid="stExpandSidebarButton"]').click()
    sidebar.get_by_text(name, exact=True).click()
    wait_ready(page)


@pytest.mark.parametrize("path,title", [("", "BabyGPT 探索器"), ("train_explore", "训练与探索")])
def test_switching_language_survives_a_reload_of_the_copied_address(page, server, path, title):
    page.goto(f"{server}/{path}?lang=en")
    wait_ready(page)
    switch_to(page, "简体中文")
    page.wait_for_function("() => new URLSearchParams(location.search).get('lang') === 'zh'")
    assert title in page.inner_text('[data-testid="stMain"]'), "the page reads in Chinese"
    copied = page.url
    fresh = page.context.new_page()
    fresh.goto(copied)
    wait_ready(fresh)
    assert title in fresh.inner_text('[data-testid="stMain"]'), "the copied address opens in Chinese"
    switch_to(fresh, "English")
    fresh.wait_for_function("() => new URLSearchParams(location.search).get('lang') === 'en'")
    assert title not in fresh.inner_text('[data-testid="stMain"]'), "and switches back"
    fresh.close()


@pytest.mark.parametrize("width,height,suffix", [(1440, 900, "zh"), (390, 844, "zh_phone")])
def test_every_page_in_chinese_screenshots(page, server, width, height, suffix):
    page.set_viewport_size({"width": width, "height": height})
    for path in PAGES:
        page.goto(f"{server}/{path}?lang=zh")
        wait_ready(page)
        assert page.locator('[data-testid="stException"]').count() == 0, path
        if path in ("", "train_explore"):
            graph_frame(page)
        page.wait_for_timeout(800)
        page.screenshot(path=str(ARTIFACTS / f"{path or 'overview'}_{suffix}.png"), full_page=True)


def test_a_tab_of_train_explore_opened_in_chinese_reads_in_chinese(page, server):
    """Train & explore's tabs rerun on their own (a fragment, without the router that sets the language): a tab
    opened by a click still reads in the page's language."""
    from ui.i18n import catalogue

    zh, en = catalogue("zh"), catalogue("en")
    page.goto(f"{server}/train_explore?lang=zh")
    wait_ready(page)
    tabs = page.get_by_role("tab")
    before = tabs.all_inner_texts()
    assert before[:2] == [zh["train.tab_graph"], zh["train.tab_table"]], before
    tabs.nth(1).click()
    page.wait_for_function("() => new URLSearchParams(location.search).get('tab') === 'table'")
    wait_ready(page)
    page.wait_for_selector('[data-testid="stDataFrame"]')
    assert tabs.all_inner_texts() == before, "the tabs' labels stay in Chinese"
    main = page.inner_text('[data-testid="stMain"]')
    assert zh["train.download_csv"] in main and en["train.download_csv"] not in main, "the Table tab reads in Chinese"
