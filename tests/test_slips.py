"""Slips a new learner found: each checked where the page computes it, each failing before its fix."""

from __future__ import annotations

import json
import re

import pandas as pd
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


def test_lengths_follow_the_step_and_temperature_and_mark_never_seen(article_sequence, article_run):
    """The 1..k chain at step 10 and T = 2: its full states' rows are the snapshot of step 10 at T = 2."""
    import numpy as np

    from core.babygpt.chain import seen_in
    from core.babygpt.mixing import tempered
    from core.babygpt.train import TrainConfig
    from core.model import GPTConfig
    from ui import cache

    seq = article_sequence
    states, probs, html = cache.variable_length(GPTConfig(), TrainConfig(), seq.tokens, seq.itos, 10, 2.0)
    full = [i for i, s in enumerate(states) if len(s) == 3]
    order = [int("".join(map(str, states[i])), 2) for i in full]
    assert np.allclose(probs[full], tempered(article_run.snapshots[10], 2.0)[order], atol=1e-6)
    assert not np.allclose(probs[full], article_run.snapshots[50][order], atol=1e-3), "not the last step at T = 1"
    by_name = dict(zip(("".join(map(str, s)) for s in states), seen_in(states, seq.tokens), strict=True))
    assert by_name["0"] and by_name["01"] and not by_name["00"] and not by_name["000"] and by_name["111"]
    assert html is not None and html.count('"borderDashes": true') == 5, (
        "00, 000, 001, 010, 100 never seen: drawn dashed, as on every graph"
    )


def test_the_lengths_tab_names_its_step():
    at = open_page("pages/train_explore.py", tab="lengths", step="10", T="2")
    text = " ".join(m.value for m in at.markdown)
    assert "step 10 of 50" in text, text[:500]


def test_the_learning_curve_table_converts_to_arrow_without_a_fallback():
    """A '—' in a column of numbers made pyarrow fail (ArrowInvalid in the server log) before Streamlit fell back."""
    import pyarrow as pa

    from core.text.pretrained import CurvePoint
    from ui import model_views

    class KN:
        chars, best_k, bits = 1000, 4, 2.5

    table = model_views.curve_table([CurvePoint(10, 1000, 6e9, 3.0)], [KN()])
    converted = pa.Table.from_pandas(table)
    assert converted.column(3).to_pylist() == [10, None] and converted.column(4).to_pylist() == [None, 4]


@pytest.mark.parametrize(
    "early,late,expect",
    [(0.5, -0.002, "flat"), (0.5, 0.004, "flat"), (0.5, -0.3, "worse"), (0.5, 0.1, "barely"), (0.5, 0.4, "better")],
)
def test_a_change_below_the_shown_precision_reads_no_change(early, late, expect):
    """'gets worse by 0.00 bits' was a change that rounds to nothing at two decimals."""
    from core.text.analysis import trend

    assert trend(early, late) == expect
    if expect != "flat":
        assert f"{abs(late):.2f}" != "0.00", "every other verdict has a visible amount"


def test_the_share_of_never_seen_contexts_reads_as_a_percentage_on_every_page():
    """0.817 on Vocabulary & GPT beside 36.9% on Real text, for the same kind of share."""
    at = open_page("pages/text_models.py", tm_tab="vocab")
    table = next(d.value for d in at.dataframe if "held-out unseen fraction" in d.value.columns)
    shares = table["held-out unseen fraction"].dropna()
    assert len(shares) and (shares <= 100).all() and (shares > 1).any(), list(shares)


def test_numbers_keep_their_decimals_beside_each_other():
    """Side by side showed 0.171 beside 0.1746: st.dataframe drops trailing zeros unless the table fixes them."""
    at = open_page("pages/compare.py", c_tab="side")
    table = next(d for d in at.dataframe if "k=3 P(1)" in d.value.columns)
    styler = table.proto.arrow_data.styler
    assert styler.display_values, "the table carries its formatted values"
    import pyarrow as pa

    shown = pa.ipc.open_stream(styler.display_values).read_pandas()
    cells = [str(v) for v in shown.to_numpy().ravel()]
    decimals = {len(m) for c in cells for m in re.findall(r"^-?\d+\.(\d+)$", c)}
    assert decimals == {4}, decimals


def test_where_every_state_was_seen_the_sweep_says_none():
    """k = 1 on the article's sequence has no never-seen state: the cell said 'never seen' (and then 'None')."""
    import pyarrow as pa

    at = open_page("pages/compare.py")
    table = next(d for d in at.dataframe if "context k" in d.value.columns)
    column = list(table.value.columns).index("never-seen states: mean top arrow")
    assert pd.isna(table.value.iloc[0, column]), "missing, not the text None"
    assert table.proto.placeholder == "none (all seen)", "what the browser draws in a missing cell"
    shown = pa.ipc.open_stream(table.proto.arrow_data.styler.display_values).read_pandas()
    assert shown.iloc[2, column] == f"{table.value.iloc[2, column]:.4f}"


def test_a_tiny_state_is_not_zero_kib():
    """V = 2, k = 3: 3 bits = 0.375 bytes = 0.000366 KiB, which read 0.000."""
    at = open_page("pages/state_space.py")
    kib = at.metric[2].value
    assert kib == f"{3 / 8 / 1024:.3g}" == "0.000366", kib


def test_shares_that_span_many_orders_read_in_one_form():
    from ui.text_views import scientific

    assert [scientific(x) for x in (1.0, 0.252, 5.24e-06, 3.6e-20)] == [
        "1.00 × 10^0",
        "2.52 × 10^-1",
        "5.24 × 10^-6",
        "3.60 × 10^-20",
    ]
    at = open_page("pages/real_text.py")
    table = next(d.value for d in at.dataframe if "coverage" in " ".join(d.value.columns))
    column = next(c for c in table.columns if "coverage" in c)
    assert all(re.fullmatch(r"\d\.\d\d × 10\^-?\d+|—", v) for v in table[column]), list(table[column])


def test_the_published_models_sources_read_in_chinese():
    from streamlit.testing.v1 import AppTest

    from tests.test_pages import ROOT

    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=180)
    at.switch_page("pages/text_models.py")
    at.query_params["lang"] = "zh"
    at.query_params["tm_tab"] = "vocab"
    at.run()
    table = next(d.value for d in at.dataframe if "来源" in d.value.columns)
    assert "模型卡" in " ".join(table["来源"]), list(table["来源"])


def test_the_state_space_answer_counts_from_a_closed_form():
    """The answer under State space's question: V^k's power of ten and leading digits from logarithms, and one state
    (not "1 states") for a one-token vocabulary."""
    import math

    at = open_page("pages/state_space.py", V="100277", k="32768")
    answer = next(m.value for m in at.markdown if m.value.startswith("A GPT with V = 100,277"))
    log = 32768 * math.log10(100277)
    mantissa = 10 ** (log - math.floor(log))
    assert f"{math.floor(mantissa * 1000) / 1000:.3f} × 10^{math.floor(log):,} states" in answer, answer
    assert f"{32768 * math.log2(100277):,.1f} bits" in answer, answer
    one = open_page("pages/state_space.py", V="1", k="5")
    assert any("**one state**" in m.value and "5 with every shorter context" in m.value for m in one.markdown)
