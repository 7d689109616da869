"""Exact state-space arithmetic for a GPT with vocabulary V and context k.

What it is: the number of full states V^k, the number of states over all context
lengths 1..k, and how many bits a state holds, correct to the digit for any V, k up to
`MAX_ARITH` (10^12), in microseconds to milliseconds.

How: counts are computed in decimal arithmetic (libmpdec), which is exact when the
precision covers every digit, fast for huge powers, and prints huge integers without
Python's 4,300-digit `int -> str` limit (the process-wide limit is never touched).
Past `EXACT_MAX_DIGITS` digits only the digit count, log10 and leading digits are given,
from logarithms at 60 significant digits.

What it is not: a model of GPT memory use; a "state" is one possible context window.
"""

from __future__ import annotations

import decimal
import math
from dataclasses import dataclass
from decimal import Decimal

from core.arith.limits import EXACT_MAX_DIGITS, MAX_ARITH
from core.errors import ConfigError, check_range

LEADING_DIGITS = 17  # significant digits given for every count
_LOG_PREC = 60  # significant digits of the logarithms (k*log10(V) has at most 25 integer digits)


@dataclass(frozen=True)
class Count:
    """A positive integer described by its size; `exact` is None past EXACT_MAX_DIGITS."""

    digits: int  # number of decimal digits
    log10: float  # log10 of the count
    leading_digits: str  # the first LEADING_DIGITS digits (all of them if fewer)
    exact: str | None  # every digit, or None when the count has more than EXACT_MAX_DIGITS

    @property
    def exponent(self) -> int:
        """The power of ten of the leading digit: digits - 1."""
        return self.digits - 1

    def mantissa(self, sig: int = 6) -> str:
        """The leading digits as d.ddd, truncated to `sig` digits: count ~ mantissa * 10^exponent."""
        d = self.leading_digits[:sig]
        return f"{d[0]}.{d[1:]}" if len(d) > 1 else d

    def scientific(self, sig: int = 6) -> str:
        """The count in scientific form, e.g. '6.44018e154048', truncated to `sig` digits."""
        if self.digits <= sig:
            return self.leading_digits
        return f"{self.mantissa(sig)}e{self.exponent}"


@dataclass(frozen=True)
class StateSpace:
    vocab: int
    context: int
    states: Count  # V^k full states
    all_lengths: Count  # sum_{i=1..k} V^i states of every length 1..k
    bits_per_state: float  # k * log2(V)

    @property
    def bytes_per_state(self) -> float:
        return self.bits_per_state / 8

    @property
    def kib_per_state(self) -> float:
        return self.bits_per_state / 8 / 1024


def _context(prec: int) -> decimal.Context:
    return decimal.Context(prec=prec, Emax=decimal.MAX_EMAX, Emin=decimal.MIN_EMIN, traps=[decimal.InvalidOperation])


def _log10(x: int, times: int = 1) -> Decimal:
    """times * log10(x) at _LOG_PREC significant digits."""
    ctx = _context(_LOG_PREC)
    return ctx.multiply(ctx.log10(Decimal(x)), times)


def _count_from_exact(n: Decimal) -> Count:
    s = str(n)
    log10 = len(s) - 1 + math.log10(float(f"{s[0]}.{s[1:LEADING_DIGITS]}"))
    return Count(digits=len(s), log10=log10, leading_digits=s[:LEADING_DIGITS], exact=s)


def _count_from_log(log10: Decimal) -> Count:
    ctx = _context(_LOG_PREC)
    whole = int(log10.to_integral_value(rounding=decimal.ROUND_FLOOR))
    mantissa = ctx.power(Decimal(10), ctx.subtract(log10, whole))  # in [1, 10)
    lead = str(mantissa.quantize(Decimal(1).scaleb(-(LEADING_DIGITS + 5)), context=ctx)).replace(".", "")
    return Count(digits=whole + 1, log10=float(log10), leading_digits=lead[:LEADING_DIGITS], exact=None)


def _check(vocab: int, context: int) -> None:
    for name, value in (("vocabulary size V", vocab), ("context length k", context)):
        if isinstance(value, bool) or not isinstance(value, int):
            raise ConfigError("config.whole", name=name, value=value)
        check_range(name, value, 1, MAX_ARITH)


def count_states(vocab: int, context: int) -> Count:
    """V^k, the number of full context windows. count_states(2, 3).exact == '8'."""
    _check(vocab, context)
    log10 = _log10(vocab, context)
    if log10 < EXACT_MAX_DIGITS:
        ctx = _context(int(log10) + 10)
        ctx.traps[decimal.Inexact] = True
        return _count_from_exact(ctx.power(Decimal(vocab), context))
    return _count_from_log(log10)


def count_all_lengths(vocab: int, context: int) -> Count:
    """sum_{i=1..k} V^i = (V^(k+1) - V) / (V - 1), or k when V = 1. count_all_lengths(2, 3).exact == '14'."""
    _check(vocab, context)
    if vocab == 1:
        return _count_from_exact(Decimal(context))
    log10_vk = _log10(vocab, context)
    if log10_vk < EXACT_MAX_DIGITS - 1:
        ctx = _context(int(log10_vk) + 20)
        ctx.traps[decimal.Inexact] = True
        vk1 = ctx.power(Decimal(vocab), context + 1)
        return _count_from_exact(ctx.divide(ctx.subtract(vk1, vocab), vocab - 1))
    # V^k - 1 differs from V^k by a factor 1 - V^-k < 1e-(EXACT_MAX_DIGITS-1): far below _LOG_PREC.
    ctx = _context(_LOG_PREC)
    return _count_from_log(ctx.subtract(ctx.add(_log10(vocab), log10_vk), _log10(vocab - 1)))


def bits_per_state(vocab: int, context: int) -> float:
    """k * log2(V): the information in one full context window."""
    _check(vocab, context)
    return context * math.log2(vocab)


def state_space(vocab: int, context: int) -> StateSpace:
    """Every figure for one (V, k). state_space(50257, 2048).bits_per_state ~= 31,983.7."""
    return StateSpace(
        vocab=vocab,
        context=context,
        states=count_states(vocab, context),
        all_lengths=count_all_lengths(vocab, context),
        bits_per_state=bits_per_state(vocab, context),
    )


def states_log10(vocab: int, context: int) -> float:
    """k * log10(V): the number of full context windows, V^k, as a power of ten (bits_per_state in decimal digits)."""
    _check(vocab, context)
    return context * math.log10(vocab)
