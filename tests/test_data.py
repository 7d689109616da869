import numpy as np
import pytest

from core.babygpt.data import (
    SequenceError,
    cycle_chain,
    make_examples,
    parse_digits,
    parse_text,
    random_walk,
    repeat_pattern,
)
from core.babygpt.limits import MAX_SEQUENCE_LEN, LimitError
from core.errors import CoreError


def test_article_examples(article_sequence):
    X, Y = make_examples(article_sequence.tokens, 3)
    assert X.shape == (12, 3) and Y.shape == (12,), "the notebook's 12 examples"
    seq = list(map(int, "111101111011110"))
    assert X.tolist() == [seq[i : i + 3] for i in range(12)]
    assert Y.tolist() == [seq[i + 3] for i in range(12)]


def test_digits_ignore_spaces_and_commas():
    assert parse_digits("1 1,0\n1", 2).tokens == (1, 1, 0, 1)


@pytest.mark.parametrize(
    "text,vocab,message",
    [
        ("", 2, "empty"),
        ("   ", 2, "empty"),
        ("1121", 2, "“2” at position 3"),
        ("10a", 3, "“a” at position 3"),
        ("1" * (MAX_SEQUENCE_LEN + 1), 2, "the limit is 5,000"),
        ("101", 11, "2 to 10"),
    ],
)
def test_digit_errors(text, vocab, message):
    with pytest.raises(CoreError, match=message):
        parse_digits(text, vocab)


def test_text_vocabulary_is_sorted_distinct_chars():
    s = parse_text("banana")
    assert s.itos == ("a", "b", "n") and s.tokens == (1, 0, 2, 0, 2, 0)
    with pytest.raises(LimitError, match="distinct"):
        parse_text("".join(chr(0x4E00 + i) for i in range(65)))


def test_too_short_for_context():
    with pytest.raises(SequenceError, match="at least 4 tokens"):
        make_examples((1, 0, 1), 3)


def test_repeat_pattern_gives_article_sequence():
    s = repeat_pattern("11110", 2, 15)
    assert "".join(s.itos[t] for t in s.tokens) == "111101111011110"


def test_random_walk_follows_chain():
    """A deterministic chain (k=1) is followed exactly; a biased one is sampled at its rate."""
    cyc = np.array([[0.0, 1.0, 0.0], [0.0, 0.0, 1.0], [1.0, 0.0, 0.0]])
    assert random_walk(cyc, 6, seed=0) == (1, 2, 0, 1, 2, 0)
    biased = np.array([[0.2, 0.8], [0.2, 0.8]])
    walk = random_walk(biased, 5000, seed=1)
    assert abs(np.mean(walk) - 0.8) < 0.02
    assert random_walk(biased, 50, seed=3) == random_walk(biased, 50, seed=3), "same seed, same walk"


def test_cycle_chain_rows_are_distributions():
    P = cycle_chain(4, 0.7)
    assert np.allclose(P.sum(axis=1), 1.0), "every row sums to 1"
    assert [P[a, (a + 1) % 4] for a in range(4)] == [0.7] * 4, "a -> a+1 (mod V) with p_step"
    assert np.isclose(P[0, 2], 0.1), "the rest is shared evenly: 0.3 / 3"
