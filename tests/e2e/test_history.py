"""Browser Back returns to the page the learner opened before, with its settings, on the first press."""

from __future__ import annotations

import urllib.parse

from tests.e2e.test_browser import wait_ready


def _query(page) -> dict[str, str]:
    return {k: v[-1] for k, v in urllib.parse.parse_qs(urllib.parse.urlparse(page.url).query).items()}


def test_back_returns_to_the_previous_page_with_its_settings(page, server):
    page.goto(f"{server}/state_space?V=5&k=4")
    wait_ready(page)
    page.locator('[data-testid="stSidebar"]').get_by_role("link", name="Compare").click()
    page.wait_for_url("**/compare**")
    wait_ready(page)
    page.get_by_role("tab", name="Side by side").click()  # a tab of the page: no entry of its own
    wait_ready(page)
    page.go_back()
    page.wait_for_url("**/state_space**")
    wait_ready(page)
    assert _query(page).get("V") == "5" and _query(page).get("k") == "4", page.url
    assert page.get_by_label("Vocabulary V", exact=True).input_value() == "5"


def test_back_from_a_link_in_a_page(page, server):
    page.goto(f"{server}/?lang=zh")
    wait_ready(page)
    page.get_by_role("link", name="为什么不是 50%？").click()  # a step of the overview's path
    page.wait_for_url("**/train_explore**")
    wait_ready(page)
    assert _query(page).get("tab") == "unseen"
    page.go_back()
    page.wait_for_url(lambda url: "/train_explore" not in url)
    wait_ready(page)
    assert urllib.parse.urlparse(page.url).path in ("", "/"), page.url
    assert _query(page).get("lang") == "zh"
