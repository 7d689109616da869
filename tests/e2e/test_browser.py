"""The app in a real browser: pages load, graphs draw, controls and URLs work, downloads parse, no outside requests."""

from __future__ import annotations

import csv
import io
import json
import urllib.parse

import pytest
import torch

from tests.e2e.conftest import ARTIFACTS

PAGES = {"overview": "", "state_space": "state_space", "train_explore": "train_explore", "compare": "compare"}


def wait_ready(page):
    """Wait until the script run is over (Streamlit marks the app root with its script state)."""
    page.wait_for_selector('[data-testid="stApp"][data-test-script-state="notRunning"]', timeout=120_000)
    page.wait_for_timeout(300)


def graph_frame(page, index: int = 0):
    """The n-th pyvis iframe, once its vis-network has drawn."""
    page.wait_for_selector("iframe", state="attached")
    handle = page.locator("iframe").nth(index).element_handle()
    frame = handle.content_frame()
    frame.wait_for_function("() => typeof network !== 'undefined' && nodes.length > 0", timeout=60_000)
    return frame


def graph_counts(frame) -> tuple[int, int]:
    return tuple(frame.evaluate("() => [nodes.length, edges.length]"))


def painted_pixels(frame) -> int:
    """Non-white pixels on the vis-network canvas: 0 means a blank graph."""
    return frame.evaluate(
        """() => { const c = document.querySelector('#mynetwork canvas');
                   const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
                   let n = 0; for (let i = 0; i < d.length; i += 4) if (d[i] < 240 || d[i+1] < 240 || d[i+2] < 240) n++;
                   return n; }"""
    )


@pytest.mark.parametrize("name", PAGES)
def test_page_loads_without_exception(page, server, name):
    page.goto(f"{server}/{PAGES[name]}")
    wait_ready(page)
    assert page.locator('[data-testid="stException"]').count() == 0
    assert page.locator('[data-testid="stAlertContentError"]').count() == 0
    page.set_viewport_size({"width": 1400, "height": 2400})  # the app scrolls inside its own container
    page.wait_for_timeout(1500)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"))


def test_overview_graph_draws(page, server):
    page.goto(server)
    wait_ready(page)
    frame = graph_frame(page)
    assert graph_counts(frame) == (8, 16)
    assert painted_pixels(frame) > 2000, "the canvas is not blank"
    assert "79%" in page.inner_text('[data-testid="stMain"]')


def test_changing_a_control_changes_the_graph(page, server):
    page.goto(f"{server}/train_explore")
    wait_ready(page)
    assert graph_counts(graph_frame(page)) == (8, 16)
    box = page.get_by_label("Context length k")
    box.fill("4")
    box.press("Enter")
    page.wait_for_function("() => new URLSearchParams(location.search).get('k') === '4'")
    wait_ready(page)
    page.wait_for_function(
        "() => { const w = document.querySelector('iframe')?.contentWindow; return w && w.nodes && w.nodes.length === 16; }",
        timeout=60_000,
    )
    assert graph_counts(graph_frame(page)) == (16, 32)


def test_url_reopens_configuration(page, server):
    page.goto(f"{server}/train_explore?k=2&seed=7")
    wait_ready(page)
    assert page.get_by_label("Context length k").input_value() == "2"
    assert graph_counts(graph_frame(page)) == (4, 8)
    params = urllib.parse.parse_qs(urllib.parse.urlparse(page.url).query)
    assert params.get("k") == ["2"] and params.get("seed") == ["7"], "the URL keeps the configuration"


def download(page, label: str) -> bytes:
    """Click a download button and return the file's bytes (downloads do not rerun the app)."""
    wait_ready(page)
    with page.expect_download() as info:
        page.get_by_role("button", name=label).click()
    data = pathlib_read(info.value.path())
    assert page.locator('[data-testid="stApp"]').get_attribute("data-test-script-state") == "notRunning"
    return data


def pathlib_read(path) -> bytes:
    with open(path, "rb") as f:
        return f.read()


def test_downloads_parse(page, server):
    page.goto(f"{server}/train_explore")
    wait_ready(page)
    html = download(page, "Download graph (HTML)").decode()
    assert "new vis.DataSet" in html and "1 (79%)" in html
    page.get_by_role("tab", name="Table").click()
    rows = list(csv.DictReader(io.StringIO(download(page, "Table (CSV)").decode())))
    assert len(rows) == 8 and abs(float(rows[5]["model P(1)"]) - 0.7929) < 1e-3
    data = json.loads(download(page, "Table (JSON)"))
    assert data["states"][5] == "101" and abs(data["probs"][5][1] - 0.7929) < 1e-3
    weights = torch.load(io.BytesIO(download(page, "Trained weights (.pt)")), weights_only=True)
    assert sum(v.numel() for k, v in weights.items() if k != "lm_head.weight" and not k.endswith(".mask")) == 12656


def test_no_request_leaves_the_app_host(page, server):
    host = urllib.parse.urlparse(server).netloc
    outside = []

    def record(request):
        url = urllib.parse.urlparse(request.url)
        if url.scheme in ("http", "https", "ws", "wss") and url.netloc != host:
            outside.append(request.url)

    page.context.on("request", record)
    for path in PAGES.values():
        page.goto(f"{server}/{path}")
        wait_ready(page)
    page.goto(server)
    wait_ready(page)
    graph_frame(page)
    assert outside == [], f"requests to other hosts: {outside[:5]}"
