"""The Real text page in a real browser: the sweep and the graph draw, an upload updates the sweep or names the bad byte."""

from __future__ import annotations

from tests.e2e.conftest import ARTIFACTS
from tests.e2e.test_browser import graph_counts, graph_frame, painted_pixels, wait_ready

MAIN = '[data-testid="stMain"]'
ERROR = '[data-testid="stAlertContentError"]'


def upload(page, name: str, data: bytes):
    """Hand a file to the page's uploader, then wait for the rerun it starts."""
    page.locator('input[type="file"]').set_input_files({"name": name, "mimeType": "text/plain", "buffer": data})
    page.wait_for_timeout(500)
    wait_ready(page)


def test_real_text_draws_sweep_charts_and_graph(page, server):
    # A fresh server answers its first deep link with Streamlit's pages/ folder fallback (no app navigation,
    # no wide layout); the entry page first, so the screenshots show the page as the app frames it.
    page.goto(server)
    wait_ready(page)
    page.goto(f"{server}/real_text")
    wait_ready(page)
    assert page.locator('[data-testid="stException"]').count() == 0 and page.locator(ERROR).count() == 0
    main = page.inner_text(MAIN)
    assert "Alphabet: 103 symbols" in main and "of the held-out symbols follow a context" in main, "the answer first"
    page.locator('[data-testid="stPlotlyChart"]').nth(2).wait_for()  # charts mount lazily
    assert page.locator('[data-testid="stPlotlyChart"]').count() == 3
    for name, width, height in (("real_text", 1440, 900), ("real_text_phone", 390, 844)):
        page.set_viewport_size({"width": width, "height": height})
        page.wait_for_timeout(1500)
        page.screenshot(path=str(ARTIFACTS / f"{name}.png"))
    page.set_viewport_size({"width": 1440, "height": 900})
    page.get_by_role("tab", name="Shannon 1951").click()
    page.locator('[data-testid="stDataFrame"]').first.wait_for()
    page.get_by_role("tab", name="The text's chain").click()
    frame = graph_frame(page)
    nodes, edges = graph_counts(frame)
    assert 10 <= nodes <= 32 and edges >= nodes - 5, (nodes, edges)
    assert painted_pixels(frame) > 2000, "the canvas is not blank"


def test_uploaded_text_replaces_the_corpus(page, server):
    text = "the cat sat on the mat; the dog sat on the log.\n" * 30
    page.goto(f"{server}/real_text?rt_source=upload&rt_K=4")
    wait_ready(page)
    assert "Choose a .txt file" in page.inner_text(MAIN)
    upload(page, "cats.txt", text.encode())
    page.get_by_text(f"Alphabet: {len(set(text))} symbols").wait_for()
    wait_ready(page)
    page.locator('[data-testid="stPlotlyChart"]').nth(2).wait_for()
    assert page.locator(ERROR).count() == 0
    page.get_by_role("tab", name="The text's chain").click()  # the uploaded text stays: a tab is not a new page
    assert graph_counts(graph_frame(page))[0] > 0


def test_non_utf8_upload_names_the_byte(page, server):
    page.goto(f"{server}/real_text?rt_source=upload")
    wait_ready(page)
    upload(page, "latin1.txt", "café au lait".encode("latin-1"))
    error = page.locator(ERROR)
    error.wait_for()
    assert "the uploaded file is not UTF-8 text: byte 3 (0xe9) cannot be decoded" in error.inner_text()
    assert "Alphabet:" not in page.inner_text(MAIN), "nothing is swept from a file that cannot be read"
