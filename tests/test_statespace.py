import math
import sys

import mpmath
import pytest

from core.arith import statespace as ss
from core.arith.statespace import EXACT_MAX_DIGITS, count_all_lengths, count_states, state_space


def digits_mod(s: str, p: int) -> int:
    """A decimal string's value mod p, read chunk by chunk (no int(str) limit involved)."""
    r = 0
    for i in range(0, len(s), 1000):
        chunk = s[i : i + 1000]
        r = (r * pow(10, len(chunk), p) + int(chunk)) % p
    return r


@pytest.mark.parametrize("V", [1, 2, 3, 7, 10, 16, 256])
@pytest.mark.parametrize("k", [1, 2, 3, 5, 11])
def test_small_counts_match_python_integers(V, k):
    n = count_states(V, k)
    assert n.exact == str(V**k), f"V^k for V={V}, k={k}"
    assert n.digits == len(str(V**k))
    total = count_all_lengths(V, k)
    assert total.exact == str(sum(V**i for i in range(1, k + 1))), "sum over lengths 1..k by brute force"


def test_article_example_8_and_14():
    s = state_space(2, 3)
    assert (s.states.exact, s.all_lengths.exact) == ("8", "14"), "the article's 8 states and 14 actual states"


def test_vocab_one_has_k_states_over_all_lengths():
    assert count_all_lengths(1, 12345).exact == "12345"
    assert count_states(1, 10**9).exact == "1"


def test_gpt2_article_figures():
    s = state_space(50257, 2048)
    assert round(s.bits_per_state) == 31984, "log2(50,257) * 2048 = 31,984 bits"
    assert round(s.bits_per_state, 1) == 31983.7
    assert round(s.bytes_per_state) == 3998, "31,984 bits is 3,998 bytes"
    assert s.states.digits == 9629 and len(s.states.exact) == 9629
    assert s.states.digits > sys.get_int_max_str_digits(), "past Python's int -> str limit"


@pytest.mark.parametrize("V,k", [(50257, 2048), (50257, 32768), (100277, 8192), (3, 100_000)])
def test_exact_integers_match_modular_arithmetic(V, k):
    """The exact digits are checked against pow(V, k, p) for a few primes: an independent route."""
    s = count_states(V, k)
    assert s.exact is not None and len(s.exact) <= EXACT_MAX_DIGITS
    for p in (1_000_000_007, 998_244_353, 2**61 - 1):
        assert digits_mod(s.exact, p) == pow(V, k, p), f"V^k mod {p}"
        total = count_all_lengths(V, k)
        expected = (pow(V, k + 1, p * (V - 1)) - V) % (p * (V - 1)) // (V - 1) % p
        assert digits_mod(total.exact, p) == expected, f"sum of V^i mod {p}"


def test_exact_bound_holds_and_limit_is_not_lifted():
    before = sys.get_int_max_str_digits()
    assert count_states(50257, 32768).exact is not None, "50,257^32,768 (154,049 digits) must be exact"
    assert count_states(200019, 128000).exact is None, "about 680,000 digits is past the exact bound"
    assert sys.get_int_max_str_digits() == before, "the process-wide int -> str limit must not change"


@pytest.mark.parametrize(
    "V,k",
    [(200019, 128000), (128256, 131072), (10**9, 10**9), (3, 10**12), (999_999_937, 123_456_789), (2, 10**9 + 7)],
)
def test_huge_counts_match_mpmath(V, k):
    mpmath.mp.dps = 80
    for count, ref in (
        (count_states(V, k), k * mpmath.log10(V)),
        (count_all_lengths(V, k), mpmath.log10(V) + k * mpmath.log10(V) - mpmath.log10(V - 1)),
    ):
        whole = int(mpmath.floor(ref))
        lead = mpmath.nstr(mpmath.power(10, ref - whole), 30, strip_zeros=False).replace(".", "")
        assert count.digits == whole + 1, f"digits of V^k for V={V}, k={k}"
        assert count.leading_digits == lead[: ss.LEADING_DIGITS], "leading digits against mpmath at 80 digits"
        assert len(count.leading_digits) >= 15
        assert math.isclose(count.log10, float(ref), rel_tol=1e-15)


def test_log_route_agrees_with_exact_route():
    """The logarithm path, forced on counts small enough to be exact, gives the same digits."""
    for V, k in [(50257, 2048), (7, 9999), (100277, 4096), (12, 34567)]:
        exact = count_states(V, k)
        by_log = ss._count_from_log(ss._log10(V, k))
        assert (by_log.digits, by_log.leading_digits) == (exact.digits, exact.leading_digits), (V, k)


def test_scientific_form():
    assert count_states(50257, 2048).scientific(6) == "1.12345e9628"
    assert count_states(2, 3).scientific() == "8"


@pytest.mark.parametrize("V,k", [(0, 3), (2, 0), (-1, 5), (2, 10**13), (2.5, 3), (True, 3)])
def test_bad_arguments_raise_value_error(V, k):
    with pytest.raises(ValueError):
        state_space(V, k)


def test_gpt4_32k_count_is_exact():
    """The README's figure: 100,277^32,768 has 163,880 digits, all of them given."""
    s = count_states(100277, 32768)
    assert s.digits == 163_880 and s.exact is not None and len(s.exact) == 163_880
