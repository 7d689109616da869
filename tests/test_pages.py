"""Every page, run headless with Streamlit's AppTest: renders, reacts to controls, validates input."""

import json
import pathlib
import re

import pytest
from streamlit.testing.v1 import AppTest

ROOT = pathlib.Path(__file__).resolve().parents[1]
PAGES = sorted(str(p.relative_to(ROOT)) for p in (ROOT / "pages").glob("*.py"))


def open_page(page: str, **params) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=180)
    at.switch_page(page)
    for k, v in params.items():
        at.query_params[k] = v
    return at.run()


def shown(markdown: str) -> str:
    """What a reader sees of inert text in Markdown: the escapes and invisible word joiners gone."""
    return re.sub(r"\\(.)", r"\1", markdown).replace("\u2060", "")


def iframes(at):
    return [el.proto.srcdoc for el in at.get("iframe")]


def show_tab(at, key: str, code: str) -> AppTest:
    """Open one tab of a page (only the open tab is drawn), as a click on it would."""
    at.session_state[f"{key}__code"] = code
    return at.run()


def state_table(at):
    """The Train page's transition table (the one with a visits column), from its Table tab."""
    show_tab(at, "tab", "table")
    table = next(d.value for d in at.dataframe if "visits" in d.value.columns)
    show_tab(at, "tab", "graph")
    return table


def node_labels(html: str) -> list[str]:
    """The drawn states' labels, read from the graph page's vis DataSet."""
    m = re.search(r"nodes = new vis\.DataSet\((\[.*?\])\);", html, re.S)
    return [n["label"] for n in json.loads(m.group(1))] if m else []


def test_every_page_is_registered():
    app = (ROOT / "app.py").read_text()
    assert PAGES and all(p in app for p in PAGES), "every file in pages/ is a page of the app"


@pytest.mark.parametrize("page", PAGES)
def test_page_renders_on_defaults(page):
    at = open_page(page)
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]


def test_overview_shows_article_numbers():
    at = open_page("pages/overview.py")
    assert [m.value for m in at.metric] == ["79%", "45% / 55%", "73%"]
    assert len(iframes(at)) == 1
    at.select_slider(key="step").set_value(0).run()
    assert [m.value for m in at.metric] == ["55%", "55% / 45%", "50%"], "at init the arrows are near 50% (0.548, 0.548, 0.504)"


def test_train_defaults_are_the_article():
    at = open_page("pages/train_explore.py")
    assert at.caption[0].value.startswith("12,656 parameters · V = 2 · k = 3 · 8 states · 12 examples · loss 0.9573"), (
        "0.6635 nats"
    )
    html = iframes(at)[0]
    assert sorted(node_labels(html)) == ["000", "001", "010", "011", "100", "101", "110", "111"]
    assert "1 (79%)" in html


@pytest.mark.parametrize(
    "change,expect_states",
    [({"k": 4}, 16), ({"V": 3, "seq": "0120120112"}, 27), ({"seq": "0110100110010110"}, 8)],
)
def test_changing_controls_changes_graph_and_table(change, expect_states):
    at = open_page("pages/train_explore.py")
    before_html, before_table = iframes(at)[0], state_table(at)
    for key, value in change.items():
        widget = at.text_area(key=key) if key == "seq" else at.number_input(key=key)
        widget.set_value(value)
    at.run()
    assert not at.error, [e.value for e in at.error]
    after_html, after_table = iframes(at)[0], state_table(at)
    assert len(node_labels(after_html)) == expect_states and len(after_table) == expect_states
    assert after_html != before_html and not after_table.equals(before_table)


def test_text_sequence_and_escaping():
    at = open_page("pages/train_explore.py", source="text", text="<img src=x onerror=alert(1)>", k="1")
    assert not at.error and not at.exception
    html = iframes(at)[0]
    assert "<img src=x" not in html, "user text never reaches the page as markup"
    assert at.text_area(key="text").value == "<img src=x onerror=alert(1)>"


@pytest.mark.parametrize(
    "params,message",
    [
        ({"seq": "1121"}, "“2” at position 3"),
        ({"seq": ""}, "empty"),
        ({"seq": "101"}, "needs at least 4"),
        ({"n_embd": "10"}, "divisible by n_head"),
        ({"V": "10", "k": "8", "seq": "0123456789" * 3}, "past the limit"),
        ({"k": "16", "n_layer": "8", "n_embd": "128", "steps": "2000", "seq": "10" * 2000}, "operations"),
    ],
)
def test_bad_inputs_show_specific_errors(params, message):
    at = open_page("pages/train_explore.py", **params)
    assert not at.exception
    errors = " ".join(e.value for e in at.error)
    assert message in errors, errors
    if "seq" in params:
        assert at.text_area(key="seq").value == params["seq"], "the user's input stays in its box"


def test_url_parameters_set_controls():
    at = open_page("pages/train_explore.py", k="2", seed="7", steps="20")
    assert at.number_input(key="k").value == 2 and at.number_input(key="seed").value == 7
    assert "k = 2 · 4 states" in at.caption[0].value


def test_large_state_space_draws_a_focused_graph_and_a_heatmap():
    at = open_page("pages/train_explore.py", k="9", seq="1101001110" * 5)
    assert not at.error, [e.value for e in at.error]
    labels = node_labels(iframes(at)[0])
    assert 0 < len(labels) <= 40, "a focused view, not 512 nodes"
    seen = {("1101001110" * 5)[i : i + 9] for i in range(50 - 9)}
    assert seen <= set(labels), "every state the data visits is drawn"
    assert any("heatmap" in e.label for e in at.expander), "the whole chain stays available as a heatmap"


def test_state_space_exact_and_huge():
    at = open_page("pages/state_space.py", V="50257", k="2048")
    captions = " ".join(c.value for c in at.caption)
    assert "9,629 decimal digits" in captions
    assert [m.value for m in at.metric][:2] == ["31,983.7", "3,998.0"], "31,984 bits = 3,998 bytes"
    at = open_page("pages/state_space.py", V="200019", k="128000")
    assert "678,538 decimal digits" in " ".join(c.value for c in at.caption)
    assert "× 10^678,537" in " ".join(m.value for m in at.markdown)


def test_state_space_preset_sets_inputs():
    at = open_page("pages/state_space.py")
    at.selectbox(key="preset").set_value("GPT-4o").run()
    assert (at.number_input(key="V").value, at.number_input(key="k").value) == (200019, 128000)


@pytest.mark.slow
def test_compare_sweep_on_article():
    at = open_page("pages/compare.py")
    sweep = at.dataframe[0].value
    assert list(sweep["context k"]) == [1, 2, 3, 4]
    assert list(sweep["states in the data"]) == [2, 3, 4, 5]
    assert sweep["data: H(next | k tokens), bits"].iloc[3] == 0.0


def test_compare_sweep_follows_the_range():
    at = open_page("pages/compare.py", c_range=["2", "3"], c_steps="2")
    sweep = at.dataframe[0].value
    assert list(sweep["context k"]) == [2, 3], "the table holds exactly the chosen contexts"


def test_compare_bad_input():
    at = open_page("pages/compare.py", c_seq="1101", c_range=["1", "6"])
    assert not at.exception
    assert any("needs at least" in e.value or "longer than" in e.value for e in at.error), [e.value for e in at.error]


VARIED = [
    {"V": "2", "k": "1", "seq": "0110"},
    {"V": "2", "k": "8", "seq": "1101001110010111" * 4},
    {"V": "3", "k": "2", "seq": "012201120210"},
    {"V": "3", "k": "6", "seq": "0120210112" * 5},
    {"V": "4", "k": "5", "seq": "0123012301320" * 4},
    {"V": "5", "k": "4", "seq": "01234432100123" * 3},
    {"V": "6", "k": "3", "seq": "012345543210" * 3},
    {"V": "6", "k": "6", "seq": "012345543210" * 5},
    {"source": "text", "text": "hello world", "k": "2"},
    {"source": "text", "text": "abcabcabd", "k": "5"},
    {"source": "pattern", "pattern": "0110", "plen": "40", "k": "4"},
    {"source": "walk", "wV": "4", "k": "3", "wlen": "300"},
]


@pytest.mark.slow
@pytest.mark.parametrize("params", VARIED, ids=lambda p: "-".join(f"{k}{v[:6]}" for k, v in p.items()))
def test_train_page_on_varied_configurations(params):
    at = open_page("pages/train_explore.py", **params)
    assert not at.exception and not at.error, [e.value for e in at.error]
    caption = at.caption[0].value
    n = int(re.search(r"· ([\d,]+) states", caption).group(1).replace(",", ""))
    assert len(state_table(at)) == n, "the table has one row per state"
    drawn = node_labels(iframes(at)[0])
    if n <= 32:
        assert len(drawn) == n, "a small chain is drawn whole"
    else:
        assert len(drawn) <= 40, "a big chain is drawn as a focused view"


@pytest.mark.slow
def test_compare_side_by_side_and_seed_spread():
    at = open_page("pages/compare.py", c_tab="side")
    tables = {tuple(d.value.columns)[:2]: d.value for d in at.dataframe}
    side = next(v for cols, v in tables.items() if cols[1] == "k=3 P(0)")
    show_tab(at, "c_tab", "seeds")
    tables = {tuple(d.value.columns)[:2]: d.value for d in at.dataframe}
    row = side[side.state == "111"].iloc[0]
    assert row["k=4 max P(1)"] - row["k=4 min P(1)"] > 0.3, "k = 4 splits 111 into 0111 (-> 1) and 1111 (-> 0)"
    seeds = next(v for cols, v in tables.items() if cols[1] == "seed 1337")
    assert abs(seeds[seeds.state == "101"]["seed 1337"].iloc[0] - 0.79) < 0.005, "the article's draw is one of the seeds"
    assert seeds["std"].max() > 0.01, "other seeds give visibly different arrows"


@pytest.mark.slow
def test_compare_equal_bits_with_eight_context_bits():
    at = open_page("pages/compare.py", c_B="8", c_tab="bits")
    assert not at.error, [e.value for e in at.error]
    bits = next(d.value for d in at.dataframe if "bits per token b" in d.value.columns)
    assert list(bits["states V^k"]) == [256, 256, 256] and list(bits["vocabulary V = 2^b"]) == [2, 4, 16]


def test_out_of_range_number_is_a_visible_message_and_no_stale_result():
    at = open_page("pages/train_explore.py")
    at.number_input(key="V").set_value(0).run()
    errors = " ".join(e.value for e in at.error)
    assert "= 0 is outside 2..10" in errors, errors
    assert not iframes(at) and not [d for d in at.dataframe if "visits" in d.value.columns], "no result beside a refused value"


def test_text_past_the_cap_is_refused_visibly_and_kept():
    long = "ab" * 10_000
    at = open_page("pages/train_explore.py", source="text", text=long)
    assert any("the limit is 5,000" in e.value for e in at.error), [e.value for e in at.error]
    assert at.text_area(key="text").value == long, "the pasted text stays for editing"


def test_unknown_address_parameter_is_named():
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=180)
    at.query_params["colour"] = "blue"
    at.run()
    assert any("colour=blue" in shown(w.value) for w in at.warning), [w.value for w in at.warning]


def test_hello_world_default_view_draws_the_seen_states():
    at = open_page("pages/train_explore.py", source="text", text="hello world", k="2")
    labels = node_labels(iframes(at)[0])
    seen = {"he", "el", "ll", "lo", "o\u2423", "\u2423w", "wo", "or", "rl"}  # space drawn as U+2423
    assert seen <= set(labels) and len(labels) <= 40, labels


@pytest.mark.parametrize("page", PAGES)
def test_a_page_opened_first_runs_through_the_router(page):
    """A deep link served before app.py ever ran still gets the router: its notice of ignored parameters shows."""
    at = open_page(page, colour="blue")
    assert any("colour=blue" in shown(w.value) for w in at.warning), [w.value for w in at.warning]


def test_temperature_reshapes_the_drawn_chain_and_reaches_the_long_run():
    at = open_page("pages/train_explore.py", T="0.5")
    assert not at.exception and not at.error, [e.value for e in at.error]
    html = iframes(at)[0]
    # the article's 101 -> 011 at T = 0.5: 0.7929^2 / (0.7929^2 + 0.2071^2) = 0.936
    assert "1 (94%)" in html and "1 (79%)" not in html, "the graph is drawn at T = 0.5"
    show_tab(at, "tab", "long_run")
    labels = [m.label for m in at.metric]
    assert "Mixing time (steps)" in labels and at.metric[labels.index("Mixing time (steps)")].value.isdigit()
    assert len(at.get("plotly_chart")) == 2, "the stationary bars and the curve against T"


@pytest.mark.slow
def test_compare_draws_its_chains_at_the_chosen_temperature():
    at = open_page("pages/compare.py", c_tab="side", c_T="0.5")
    assert not at.exception and not at.error, [e.value for e in at.error]
    html = iframes(at)[0]  # side A: the article's configuration
    # 101 -> 011 at T = 0.5: 0.7929^2 / (0.7929^2 + 0.2071^2) = 0.936, as on Train & explore
    assert "1 (94%)" in html and "1 (79%)" not in html, "side A is drawn at T = 0.5"
    assert any("T = 0.5" in c.value for c in at.caption), "the page says the graphs are tempered"
