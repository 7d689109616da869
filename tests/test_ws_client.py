"""The websocket load client's readings (benchmarks/ws_client.py), without a server: what it counts as numbers."""

from __future__ import annotations

import json

from benchmarks.ws_client import Run, arrows, numbers


def test_arrows_are_read_from_the_graph_frame_and_sorted():
    edges = [{"title": "01 -> 10: P(0) = 0.25000"}, {"title": "00 -> 01: P(1) = 0.75000"}, {"title": "state 00"}]
    frame = "edges = new vis.DataSet(" + json.dumps(edges) + ");"
    assert arrows(frame) == ["00 -> 01: P(1) = 0.75000", "01 -> 10: P(0) = 0.25000"]


def test_numbers_count_what_the_page_shows_at_its_end():
    run = Run()
    run.shown[(0, 1)] = "1 training ahead of you, 3 s"  # a queue notice, later replaced by the progress bar
    run.shown[(0, 1)] = None
    run.shown[(0, 2)] = "12,640 parameters · loss 1.0350 → 0.8545 bits"
    run.shown[(0, 3)] = "no digits here"
    assert numbers(run) == {"texts": [["12,640", "1.0350", "0.8545"]], "arrows": []}
