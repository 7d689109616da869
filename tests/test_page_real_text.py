"""The Real text page model (core.pages.real_text), without Streamlit: its numbers against hand counts of the
text and closed forms, its verdicts on hand-built sweeps whose answers are worked out in each test."""

import math

import pytest

from core.pages import real_text as model
from core.text import analysis
from core.text.analysis import TextSweep
from core.text.ngram import SweepRow
from tests.test_text_analysis import examples, fold27, plug_in_bits, unseen_share

TEXT = "the cat sat on the mat, and the rat sat on the hat. " * 12 + "a bat? no, a cat!"


def row(k: int, held: float | None, unseen: float | None = 0.0, plug_in: float = 4.0) -> SweepRow:
    """A sweep row with the held-out bits `held` and unseen share `unseen` (both None: no held-out part)."""
    return SweepRow(
        k, k * math.log10(27), 10 + k, 1.0, plug_in, None if held is None else unseen, held, 100, 0 if held is None else 9
    )


def sweep(rows, alphabet=tuple(" abcdefghijklmnopqrstuvwxyz"), shannon27=None, cjk=0) -> TextSweep:
    return TextSweep(alphabet, 900, 100, tuple(rows), shannon27, (None, None, None), cjk)


def summary(held_bits, unseen=(0.0,) * 5):
    rows = [row(k, b, u, plug_in=5.0 - k) for k, (b, u) in enumerate(zip(held_bits, unseen, strict=False))]
    return model.contexts(sweep(rows), "t", "raw", 0.1, len(rows) - 1).summary


@pytest.fixture(scope="module")
def raw():
    return analysis.analyse(TEXT, "raw", 0.1, tuple(range(5)))


def test_the_answer_is_the_longest_contexts_row_counted_by_hand(raw):
    page = model.real_text(raw, "t", "raw", 0.1, 4)
    train, held = TEXT[: raw.train_symbols], TEXT[raw.train_symbols :]
    a, V = page.answer, len(set(TEXT))
    assert page.vocab == V, "the alphabet of a raw text: its distinct characters"
    assert (a.context, a.observed) == (4, len({c for c, _ in examples(train, 4)})), "distinct 4-contexts of training"
    assert a.possible_log10 == pytest.approx(4 * math.log10(V), abs=1e-9), "log10(V^4)"
    assert a.unseen == pytest.approx(unseen_share(train, held, 4), abs=1e-12), "held-out share with an unseen context"
    assert page.key == ("t", "raw", 0.1, 4) and hash(page.key) is not None


def test_no_held_out_part_gives_no_unseen_share():
    page = model.real_text(sweep([row(0, None), row(1, None)]), "t", "raw", 0.0, 1)
    assert page.answer.unseen is None, "without a held-out part the answer has no unseen share to give"


def test_the_alphabet_lists_400_symbols_drawn_visibly_and_counts_the_rest():
    alphabet = (" ", "\n") + tuple(chr(0x4E00 + i) for i in range(448))
    page = model.real_text(sweep([row(0, 1.0)], alphabet=alphabet), "t", "raw", 0.1, 0)
    assert page.symbols[:2] == ("␣", "↵") and len(page.symbols) == 400, "the space and newline drawn; 400 listed"
    assert page.more_symbols == 50, "450 symbols, 400 of them listed"
    small = model.real_text(sweep([row(0, 1.0)]), "t", "raw", 0.1, 0)
    assert small.more_symbols == 0 and len(small.symbols) == 27


def test_the_curves_are_the_rows_hand_counted(raw):
    c = model.contexts(raw, "t", "raw", 0.1, 4).curves
    train, held = TEXT[: raw.train_symbols], TEXT[raw.train_symbols :]
    assert c.ks == (0, 1, 2, 3, 4)
    for k in c.ks:
        assert c.in_sample[k] == pytest.approx(plug_in_bits(train, k), abs=1e-9), f"plug-in bits at k = {k}"
        assert c.observed_log10[k] == pytest.approx(math.log10(len({x for x, _ in examples(train, k)})), abs=1e-12)
        assert c.unseen_percent[k] == (k, pytest.approx(100 * unseen_share(train, held, k), abs=1e-9)), "as a percentage"
    assert [k for k, _ in c.heldout] == list(c.ks), "a held-out cost at every k"
    assert c.shannon == (), "Shannon's marks stand only on the 27-letter alphabet"
    folded = model.contexts(analysis.analyse(TEXT, "shannon27", 0.1, (0, 1, 2)), "t", "shannon27", 0.1, 2).curves
    assert folded.shannon == ((0, 4.03), (1, 3.32), (2, 3.1)), "F_1, F_2, F_3 for 27 letters as printed in 1951"


def test_no_held_out_part_leaves_only_in_sample_curves_and_no_unseen_chart():
    view = model.contexts(sweep([row(0, None), row(1, None), row(2, None)]), "t", "raw", 0.0, 2)
    assert not view.has_heldout and view.curves.heldout == () and view.curves.unseen_percent == ()
    assert not view.summary.has_heldout and view.summary.heldout is None


def test_possible_states_in_the_table_are_v_to_the_k_from_python_integers():
    view = model.contexts(sweep([row(k, 1.0) for k in range(17)]), "t", "shannon27", 0.1, 16)
    assert view.possible[:4] == ("1", "27", "729", "19,683"), "every digit of 27^k while short"
    exact = str(27**16)
    assert view.possible[16] == f"{exact[0]}.{exact[1:3]} × 10^{len(exact) - 1}" == "7.97 × 10^22", "27^16, truncated"


def test_the_in_sample_summary_runs_from_the_first_context_to_the_last():
    s = summary([3.0, 2.5, 2.4, 2.3])
    assert (s.k_first, s.first_bits, s.k_last, s.last_bits) == (0, 5.0, 3, 2.0), "plug-in 5 - k at k = 0 and k = 3"


@pytest.mark.parametrize(
    "bits, mid, early, late, verdict",
    [
        ([3.0, 2.0, 1.0], 1, 1.0, 1.0, "better"),  # the later half gains as much as the earlier
        ([3.0, 2.0, 1.8], 1, 1.0, 0.2, "barely"),  # less than half the earlier gain
        ([3.0, 2.0, 2.5], 1, 1.0, -0.5, "worse"),
        ([3.0, 2.0, 2.003], 1, 1.0, -0.003, "flat"),  # rounds to 0.00 bits
        ([3.0, 2.6, 2.0, 1.9], 2, 1.0, 0.1, "barely"),  # four contexts: the middle one is k = 2
        ([3.0, 2.5, 2.0, 1.5, 1.0], 2, 1.0, 1.0, "better"),
    ],
)
def test_the_held_out_trend_compares_the_later_half_with_the_earlier(bits, mid, early, late, verdict):
    h = summary(bits).heldout
    assert h is not None and h.mid == mid, f"the middle row of {len(bits)} is k = {mid}"
    assert (h.early, h.late) == (pytest.approx(early), pytest.approx(late)), "gains first -> middle, middle -> last"
    assert h.trend == verdict, f"{early} bits then {late}: {verdict}"
    assert h.late_size == pytest.approx(abs(late)) and h.last_bits == bits[-1]


def test_fewer_than_three_contexts_give_no_trend():
    s = summary([3.0, 2.0])
    assert s.has_heldout and s.heldout is None, "two contexts have no middle to compare against"


@pytest.mark.parametrize(
    "first, last, climbs, most",
    [
        (0.0, 0.0, False, False),  # "from 0% to 0%" is no climb
        (0.2, 0.2099, False, False),  # under one point
        (0.25, 0.26, True, False),  # one point
        (0.1, 0.49, True, False),
        (0.1, 0.5, True, True),  # half on is "most"
        (0.0, 0.93, True, True),
    ],
)
def test_the_unseen_share_climbs_by_a_point_and_is_most_from_a_half(first, last, climbs, most):
    h = summary([3.0, 2.0, 1.5], [first, (first + last) / 2, last]).heldout
    assert (h.unseen_first, h.unseen_last) == (first, last)
    assert h.unseen_climbs is climbs, f"{first:.2%} -> {last:.2%}: a climb of a point or more is {climbs}"
    assert h.unseen_most is most, f"{last:.2%} of the held-out examples is most: {most}"


def test_shannons_table_sets_the_folded_texts_plug_in_bits_beside_f_n():
    r = analysis.analyse(TEXT, "raw", 0.1, (0, 1))
    view = model.shannon(r, "t", "raw", 0.1, 1, "paste")
    folded = fold27(TEXT)
    train = folded[: len(folded) - math.floor(len(folded) * 0.1)]
    got = {x.estimate.name: (x.lines_up, x.plug_in_bits) for x in view.rows}
    assert got["F_0"] == ("no_counts", pytest.approx(math.log2(27))), "F_0: a uniform guess over 27 letters"
    for n in (1, 2, 3):
        assert got[f"F_{n}"] == ("context", pytest.approx(plug_in_bits(train, n - 1), abs=1e-9)), f"F_{n} at k = {n - 1}"
    assert got["F_word"] == ("whole_words", None), "no counterpart of whole words"
    assert view.missing is None and view.builtin_f3 is None, "a pasted text states no built-in F_3"
    builtin = model.shannon(r, "t", "raw", 0.1, 1, "built-in")
    assert builtin.builtin_f3 == pytest.approx(plug_in_bits(train, 2), abs=1e-9), "a built-in corpus's bits at k = 2"


def test_without_a_27_letter_sweep_shannons_table_stands_alone_and_says_why():
    cjk = model.shannon(sweep([row(0, 1.0)], cjk=12), "t", "raw", 0.1, 0, "built-in")
    assert cjk.missing == "cjk" and cjk.cjk == 12, "a text with Chinese characters is not folded"
    assert all(x.plug_in_bits is None and x.heldout_bits is None for x in cjk.rows), "no values of the text"
    assert [x.estimate.name for x in cjk.rows] == ["F_0", "F_1", "F_2", "F_3", "F_word"] and cjk.builtin_f3 is None
    short = model.shannon(sweep([row(0, 1.0)]), "t", "raw", 0.1, 0, "paste")
    assert short.missing == "too_short"


def test_the_chain_tab_counts_its_contexts_only_where_the_sweep_reached_them(raw):
    train = TEXT[: raw.train_symbols]
    two = model.chain(raw, "t", "raw", 0.1, 4, 2)
    assert two.observed == len({c for c, _ in examples(train, 2)}) and two.focus is raw.focus[1]
    assert model.chain(raw, "t", "raw", 0.1, 2, 2).observed == two.observed, "K = 2 reached k = 2"
    three = model.chain(raw, "t", "raw", 0.1, 2, 3)
    assert three.observed is None and three.focus is raw.focus[2], "K = 2: the sweep never counted k = 3"
    assert two.key == ("t", "raw", 0.1, 2) and three.key == ("t", "raw", 0.1, 3), "the graph's k in its key"
    with pytest.raises(AssertionError, match="draws contexts"):
        model.chain(raw, "t", "raw", 0.1, 4, 4)
