"""core.text.analysis: the real-text page's numbers as plain values, without streamlit."""

import hashlib

from core.text import analysis


def test_text_key_is_a_sha256_of_the_bytes():
    assert analysis.text_key("abc") == "sha256:" + hashlib.sha256(b"abc").hexdigest()


def test_possible_states_in_words():
    assert analysis.possible_states(27, 0) == "1"
    assert analysis.possible_states(27, 2) == "729"
    assert analysis.possible_states(27, 16).endswith("× 10^22")


def test_analyse_a_short_text():
    r = analysis.analyse("the cat sat on the mat " * 20, "shannon27", 0.1, (0, 1, 2, 3))
    assert [row.context for row in r.rows] == [0, 1, 2, 3]
    assert r.shannon27 is not None and [row.context for row in r.shannon27] == [0, 1, 2]
    assert r.train_symbols + r.heldout_symbols == 460
    assert len(r.focus) == len(analysis.GRAPH_CONTEXTS) and all(f is not None for f in r.focus)
