"""The Real text page, run headless with AppTest, and the pure pieces behind it checked against hand counts."""

import json
import math

import numpy as np

from core.pages import real_text as page_model
from core.symbols import visible
from core.text import analysis
from core.text.corpus import BUILTIN, builtin_text
from core.text.ngram import SweepRow
from core.text.shannon import ESTIMATES, side_by_side
from tests.test_pages import iframes, node_labels, open_page
from ui import text_views as views

PAGE = "pages/real_text.py"


def table(at, first_column: str):
    return next(d.value for d in at.dataframe if d.value.columns[0] == first_column)


def alphabet_size(at) -> int:
    text = next(e.label for e in at.expander if e.label.startswith("**Alphabet: "))
    return int(text.split()[1].replace(",", ""))


def errors(at) -> str:
    return " ".join(e.value for e in at.error)


def row(k: int, h: float, held: float | None) -> SweepRow:
    return SweepRow(k, 0.0, 1, 1.0, h, None if held is None else 0.0, held, 10, 0 if held is None else 5)


def test_defaults_show_sweep_shannon_charts_and_a_focused_graph():
    at = open_page(PAGE)
    assert not at.exception and not at.error, [e.value for e in at.exception] + [e.value for e in at.error]
    sweep = table(at, "context k")
    assert list(sweep["context k"]) == list(range(9)), "the default sweep is k = 0..8"
    assert list(sweep["possible states"][:3]) == ["1", "103", "10,609"], "V^0 = 1, then V^k with every digit"
    assert "None" not in sweep.to_string() and "nan" not in sweep.to_string()
    assert len(at.get("plotly_chart")) == 3, "bits, states and unseen-fraction charts"
    assert any(BUILTIN["python-docs"].license in c.value for c in at.caption), "the corpus license is stated"
    answer = next(m.value for m in at.markdown if m.value.startswith("At k = 8, **"))
    last = sweep.iloc[-1]
    assert f"**{last['held-out unseen fraction']}" in answer.replace(".0%", "%") or "%" in answer, answer
    at = open_page(PAGE, rt_tab="shannon")
    shannon = table(at, "Shannon's figure")
    assert list(shannon["Shannon's figure"]) == ["F_0", "F_1", "F_2", "F_3", "F_word"]
    assert list(shannon["Shannon 1951, 27 letters"]) == ["4.76", "4.03", "3.32", "3.1", "2.14"], "as printed in 1951"
    at = open_page(PAGE, rt_tab="chain")
    nodes = node_labels(iframes(at)[0])
    assert 10 <= len(nodes) <= analysis.NODE_BUDGET, f"a focused graph, not the whole chain: {len(nodes)} nodes"


def test_raw_alphabet_is_every_distinct_character_and_shannon27_is_27():
    raw = open_page(PAGE, rt_alphabet="raw")
    assert alphabet_size(raw) == len(set(builtin_text("python-docs")))
    folded = open_page(PAGE, rt_alphabet="shannon27")
    assert alphabet_size(folded) == 27
    assert "␣ a b c" in folded.code[0].value, "the space is drawn visibly"


def test_url_parameters_set_the_sweep_and_the_graph():
    assert list(table(open_page(PAGE, rt_K="3"), "context k")["context k"]) == [0, 1, 2, 3]
    at = open_page(PAGE, rt_K="3", rt_graph_k="1", rt_alphabet="shannon27", rt_tab="chain")
    assert at.radio(key="rt_graph_k").value == 1
    labels = [json.loads(f'"{lab}"') for lab in node_labels(iframes(at)[0])]
    assert "␣" in labels and all(len(lab) == 1 for lab in labels), f"states of one letter: {labels}"


def test_pasted_text_is_swept():
    at = open_page(PAGE, rt_source="paste", rt_K="3")
    assert any("Paste a text" in i.value for i in at.info), "an empty box asks for a text, it is not an error"
    at.text_area(key="rt_text").set_value("abracadabra " * 40).run()
    assert not at.exception and not at.error, errors(at)
    assert alphabet_size(at) == 6, "a b c d r and the space"
    assert list(table(at, "context k")["context k"]) == [0, 1, 2, 3]


def test_pasted_text_survives_a_switch_of_source():
    at = open_page(PAGE, rt_source="paste", rt_K="2")
    at.text_area(key="rt_text").set_value("to be or not to be").run()
    at.radio(key="rt_source").set_value("built-in").run()
    assert alphabet_size(at) == len(set(builtin_text("python-docs")))
    at.radio(key="rt_source").set_value("paste").run()
    assert at.text_area(key="rt_text").value == "to be or not to be", "nothing the user typed is lost"
    assert alphabet_size(at) == len(set("to be or not to be"))


def test_over_cap_paste_shows_a_specific_error_and_keeps_the_text():
    text = "a" * 5_000_001
    at = open_page(PAGE, rt_source="paste")
    at.text_area(key="rt_text").set_value(text).run()
    assert not at.exception
    assert "5,000,001 bytes; the limit is 5,000,000 bytes" in errors(at), errors(at)
    assert at.text_area(key="rt_text").value == text, "the pasted text stays in its box"


def test_too_short_text_says_what_is_needed():
    at = open_page(PAGE, rt_source="paste")
    at.text_area(key="rt_text").set_value("abc").run()
    assert not at.exception
    assert "needs at least 9 training symbols" in errors(at), errors(at)


def test_text_without_letters_has_no_shannon_comparison():
    at = open_page(PAGE, rt_source="paste", rt_K="1", rt_tab="shannon")
    at.text_area(key="rt_text").set_value("1234 5678 1234").run()
    assert not at.exception and not at.error, errors(at)
    assert any("too short for a 27-letter comparison" in i.value for i in at.info)


def test_no_heldout_part_shows_dashes_never_none():
    at = open_page(PAGE, rt_heldout="0.0", rt_K="4")
    assert not at.exception and not at.error, errors(at)
    sweep = table(at, "context k")
    assert (sweep["held-out bits (Kneser-Ney)"] == "—").all() and (sweep["held-out unseen fraction"] == "—").all()
    assert "None" not in sweep.to_string() and "nan" not in sweep.to_string()
    assert len(at.get("plotly_chart")) == 2 and any("No held-out part" in i.value for i in at.info)
    at = open_page(PAGE, rt_heldout="0.0", rt_K="4", rt_tab="shannon")
    assert (table(at, "Shannon's figure")["this text, 27 letters, held-out (Kneser-Ney)"] == "—").all()


def test_csv_has_human_headers_and_dashes():
    result = analysis.TextSweep(tuple("ab"), 9, 0, (row(0, 4.0, None), row(1, 3.0, None)), None, (None, None, None))
    out = views.csv(views.sweep_table(page_model.contexts(result, "t", "raw", 0.0, 1)))
    header, first = out.splitlines()[:2]
    assert header.startswith("context k,held-out unseen fraction,") and "_" not in header, "human headers in the CSV"
    assert first.startswith("0,—,—,4.0,"), "no held-out part: a dash for each held-out figure, then the plug-in 4.0 bits"
    assert "None" not in out and "nan" not in out.lower()


def test_shannon_f0_is_log2_of_the_alphabet():
    f0 = ESTIMATES[0]
    assert abs(math.log2(26) - f0.letters26) < 0.005 and abs(math.log2(27) - f0.letters27) < 0.01, "F_0 = log2(alphabet)"


def test_side_by_side_puts_f_n_at_context_n_minus_1():
    cmp = side_by_side([row(0, 4.0, 4.1), row(1, 3.0, 3.2), row(2, 2.0, 2.5)], 27)
    assert [(c.estimate.name, c.plug_in_bits, c.heldout_bits) for c in cmp] == [
        ("F_0", math.log2(27), math.log2(27)),
        ("F_1", 4.0, 4.1),
        ("F_2", 3.0, 3.2),
        ("F_3", 2.0, 2.5),
        ("F_word", None, None),
    ]
    assert side_by_side([row(0, 4.0, None)], 27)[0].heldout_bits is None, "no held-out part: no held-out F_0"


def test_focused_graph_on_a_hand_counted_text():
    # "abcabcabd", k = 1: a -> b 3 times; b -> c 2, b -> d 1; c -> a 2; d ends the text (never a context)
    alphabet = ("a", "b", "c", "d")
    ids = np.array([0, 1, 2, 0, 1, 2, 0, 1, 3])
    f = analysis.focus(ids, 4, 1)
    assert f.states == ((0,), (1,), (2,)) and f.visits == (3, 3, 2)
    g = analysis.focused_graph(f, alphabet)
    labels = {g.nodes[n]["label"]: n for n in g}
    assert {lab: bool(g.nodes[n].get("end")) for lab, n in labels.items()} == {"a": False, "b": False, "c": False, "d": True}
    edges = {(g.nodes[u]["label"], g.nodes[v]["label"]): d["label"] for u, v, d in g.edges(data=True)}
    assert edges == {("a", "b"): "b (100%)", ("b", "c"): "c (67%)", ("b", "d"): "d (33%)", ("c", "a"): "a (100%)"}
    small = analysis.focused_graph(f, alphabet, max_nodes=3)
    assert small.number_of_nodes() <= 3 and sorted(small.nodes[n]["label"] for n in small) == ["a", "b"]


def test_states_show_invisible_symbols():
    assert visible(" ") + visible("\n") + visible("\t") == "␣↵⇥"
    assert visible("\r") == "␍" and visible("\u00a0") == "U+00A0" and visible("é") == "é"
