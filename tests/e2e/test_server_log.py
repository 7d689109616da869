"""The server's log stays free of tracebacks and warnings on ordinary use (a learner's few minutes, in a browser)."""

from __future__ import annotations

import os

from tests.e2e.harness import free_port, start_server
from tests.e2e.test_browser import wait_ready
from tests.e2e.test_play import player_frame


def test_ordinary_use_logs_no_warning(browser, tmp_path):
    port = free_port()
    log = tmp_path / "server.log"
    env = os.environ | {"BABYGPT_STORE": str(tmp_path / "store")}
    with log.open("wb") as err:
        proc = start_server(port, env=env, stderr=err)
        try:
            context = browser.new_context(viewport={"width": 1440, "height": 900})
            page = context.new_page()
            page.set_default_timeout(60_000)
            server = f"http://127.0.0.1:{port}"
            page.goto(f"{server}/?step=20")
            wait_ready(page)
            frame = player_frame(page)
            frame.locator(".play-fwd").click()  # the player stops on step 21 and hands it to the page's slider
            page.wait_for_function("() => new URLSearchParams(location.search).get('step') === '21'", timeout=30_000)
            wait_ready(page)
            frame = player_frame(page)
            frame.locator(".play-fwd").click()  # a second time: the slider now holds a value the page set
            page.wait_for_function("() => new URLSearchParams(location.search).get('step') === '22'", timeout=30_000)
            wait_ready(page)
            page.goto(f"{server}/train_explore?tab=long_run")
            wait_ready(page)
            context.close()
        finally:
            proc.terminate()
            proc.wait(timeout=30)
    text = log.read_text(errors="replace")
    for bad in ("Traceback", "WARNING", "ArrowInvalid", "default value"):
        assert bad not in text, text[-3000:]
