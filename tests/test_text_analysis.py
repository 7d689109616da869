"""core.text.analysis against plain reimplementations: the sweep of a text as Counter and set counts give it,
the 27-letter sweep of the same text folded by hand, the focused states by Counter, V^k from Python integers."""

import hashlib
import math
import re
from collections import Counter

import pytest

from core.text import analysis

TEXT = "the cat sat on the mat, and the rat sat on the hat. " * 12 + "a bat? no, a cat!"


def examples(s, k: int):
    """(context, next) of every position with k symbols before it in the same part."""
    return [(tuple(s[t - k : t]), s[t]) for t in range(k, len(s))]


def plug_in_bits(s, k: int) -> float:
    """H(next | k previous) over the examples of s, from Counter: sum of n(c, x)/N * log2(n(c)/n(c, x))."""
    pairs = Counter(examples(s, k))
    contexts = Counter(c for c, _ in examples(s, k))
    n = sum(pairs.values())
    return sum(m / n * math.log2(contexts[c] / m) for (c, _), m in pairs.items())


def unseen_share(train, held, k: int) -> float:
    """The share of held-out examples whose context no training example has."""
    seen = {c for c, _ in examples(train, k)}
    held_ex = examples(held, k)
    return sum(c not in seen for c, _ in held_ex) / len(held_ex)


def fold27(text: str) -> str:
    """Shannon's 27 letters of an ASCII text by hand: lower case, each run of non-letters one space."""
    return re.sub(r"[^a-z]+", " ", text.lower())


@pytest.fixture(scope="module")
def raw():
    return analysis.analyse(TEXT, "raw", 0.1, (0, 1, 2, 3))


def test_text_key_is_a_sha256_of_the_bytes():
    assert analysis.text_key("abc") == "sha256:" + hashlib.sha256(b"abc").hexdigest()
    assert analysis.text_key("中") == "sha256:" + hashlib.sha256("中".encode()).hexdigest(), "UTF-8 bytes, not code points"


@pytest.mark.parametrize("V, k", [(27, 0), (27, 1), (27, 2), (27, 8), (103, 6), (27, 16), (103, 12), (2, 40)])
def test_possible_states_read_as_python_integers_write_them(V, k):
    exact = str(V**k)
    got = analysis.possible_states(V, k)
    if len(exact) <= 12:
        assert got == f"{V**k:,}", f"every digit while at most 12 of them: {V}^{k}"
    else:
        assert got == f"{exact[0]}.{exact[1:3]} × 10^{len(exact) - 1}", f"three leading digits, truncated: {V}^{k} = {exact}"


def test_the_split_holds_out_the_last_tenth(raw):
    n = len(TEXT)
    assert (raw.train_symbols, raw.heldout_symbols) == (n - math.floor(n * 0.1), math.floor(n * 0.1)), "n - floor(n h)"
    assert raw.alphabet == tuple(sorted(set(TEXT))), "raw: every distinct character, in code-point order"


def test_the_sweep_matches_counter_counts_of_the_text(raw):
    train, held = TEXT[: raw.train_symbols], TEXT[raw.train_symbols :]
    for r in raw.rows:
        k = r.context
        assert r.observed_contexts == len({c for c, _ in examples(train, k)}), f"distinct training contexts at k = {k}"
        assert r.conditional_entropy_bits == pytest.approx(plug_in_bits(train, k), abs=1e-9), f"plug-in bits at k = {k}"
        assert r.heldout_unseen_fraction == pytest.approx(unseen_share(train, held, k), abs=1e-12), f"unseen at k = {k}"
        assert r.possible_states_log10 == pytest.approx(k * math.log10(len(raw.alphabet)), abs=1e-9), "log10(V^k)"
        assert (r.train_examples, r.heldout_examples) == (len(train) - k, len(held) - k)


def test_the_27_letter_sweep_is_the_hand_folded_text_swept_at_k_0_to_2(raw):
    folded = fold27(TEXT)
    cut = len(folded) - math.floor(len(folded) * 0.1)
    assert raw.shannon27 is not None and [r.context for r in raw.shannon27] == [0, 1, 2]
    for r in raw.shannon27:
        assert r.conditional_entropy_bits == pytest.approx(plug_in_bits(folded[:cut], r.context), abs=1e-9), r.context
        assert r.possible_states_log10 == pytest.approx(r.context * math.log10(27), abs=1e-9), "V = 27"
    same = analysis.analyse(TEXT, "shannon27", 0.1, (0, 1, 2, 3))
    assert same.shannon27 == same.rows[:3], "on the shannon27 alphabet the comparison reuses the sweep's own rows"


def test_a_chinese_text_has_no_27_letter_sweep_and_counts_its_cjk_characters():
    r = analysis.analyse("机器学习的状态空间。" * 30 + "abc", "raw", 0.1, (0, 1))
    assert r.shannon27 is None, "folding to 27 letters would erase the Chinese characters"
    assert r.cjk == 9 * 30, "the CJK characters, punctuation excluded"


def test_focused_states_are_the_most_visited_contexts_with_their_likeliest_next_symbols(raw):
    train = TEXT[: raw.train_symbols]
    index = {s: i for i, s in enumerate(raw.alphabet)}
    for k, f in zip(analysis.GRAPH_CONTEXTS, raw.focus, strict=True):
        visits = Counter(c for c, _ in examples(train, k))
        assert f is not None and f.context == k
        assert list(f.visits) == sorted(f.visits, reverse=True), "most visited first"
        assert [visits[tuple(raw.alphabet[i] for i in s)] for s in f.states] == list(f.visits), f"visits by Counter, k = {k}"
        assert f.visits[0] == max(visits.values()) and len(f.states) == min(analysis.TOP_STATES, len(visits))
        top = tuple(raw.alphabet[i] for i in f.states[0])
        nexts = Counter(x for c, x in examples(train, k) if c == top)
        best = [index[x] for x, _ in sorted(nexts.items(), key=lambda p: (-p[1], index[p[0]]))[: analysis.NEXT_ARROWS]]
        assert [int(i) for i in f.next_ids[0] if i >= 0] == best, f"likeliest next symbols of {top!r}"
        assert f.next_p[0][0] == pytest.approx(nexts[raw.alphabet[best[0]]] / f.visits[0]), "the data's P(next | state)"


def test_a_training_part_shorter_than_the_graphs_context_has_no_focus():
    r = analysis.analyse("abcabc", "raw", 0.5, (0, 1))
    assert r.train_symbols == 3 and r.focus == (r.focus[0], r.focus[1], None), "k = 3 needs a fourth training symbol"


@pytest.mark.parametrize(
    "early, late, verdict",
    [
        (1.0, 0.004, "flat"),  # rounds to 0.00 bits
        (1.0, -0.004, "flat"),
        (1.0, -0.2, "worse"),
        (1.0, 0.3, "barely"),  # less than half the earlier gain
        (1.0, 0.5, "better"),  # exactly half is no longer "barely"
        (0.2, 0.3, "better"),
    ],
)
def test_the_held_out_trend_by_hand(early, late, verdict):
    assert analysis.trend(early, late) == verdict, f"early gain {early}, late gain {late}"
