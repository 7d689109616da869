"""Slips a new learner found: each checked where the page computes it, each failing before its fix."""

from __future__ import annotations

import json

import pytest

from tests.test_pages import open_page


@pytest.mark.parametrize(
    "params,preset",
    [({"V": "100277", "k": "32768"}, "GPT-4 (32K)"), ({"V": "50257", "k": "1024"}, "GPT-2"), ({"V": "7", "k": "3"}, "custom")],
)
def test_a_link_to_a_models_figures_opens_on_its_preset(params, preset):
    at = open_page("pages/state_space.py", **params)
    assert at.selectbox(key="preset").value == preset
    at.number_input(key="k").set_value(8192).run()
    assert at.selectbox(key="preset").value == ("GPT-4 (8K)" if params["V"] == "100277" else "custom"), "follows the boxes"


def test_the_article_table_has_no_raw_none():
    at = open_page("pages/state_space.py")
    table = next(d.value for d in at.dataframe if "machine" in d.value.columns)
    cells = [str(v) for row in table.astype(str).values for v in row]
    assert "None" not in cells and "nan" not in cells, cells


def test_the_temperature_axis_is_labelled_and_marks_the_current_t():
    from ui import charts

    at = open_page("pages/train_explore.py", tab="long_run", T="2")
    chart = next(c for c in at.get("plotly_chart") if "tickvals" in c.proto.spec)
    spec = json.loads(chart.proto.spec)
    layout = spec["layout"]
    assert layout["xaxis"]["tickvals"] == [0.1, 0.2, 0.5, 1, 2, 5] and layout["xaxis"]["ticktext"][3] == "1"
    assert float(layout["yaxis2"]["dtick"]).is_integer(), "mixing-time ticks are whole steps"
    assert [s["x0"] for s in layout["shapes"]] == [2], "the current T is marked"
    assert charts.whole_step_ticks(11.7) == 3 and charts.whole_step_ticks(0.5) == 1
