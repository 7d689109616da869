"""Reading a page's settings from the address: one value per parameter, parsed strictly and range-checked.

A shared leaf: it imports nothing of the app. The page calls one reader per parameter before the
control that shows it; a value the reader refuses never reaches the control, and the page names it
(quoted by `quote`, short and inert) and shows its default instead.

Every reader takes the parameter's values as the address holds them (a list: `?k=1&k=2` is two)
and returns the value, or a Refusal whose `reason` is a stable code the page translates.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

NUMBER = re.compile(r"[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?")  # plain decimal: no inf, nan, 0x10, 1_000
MAX_NUMBER_CHARS = 40  # longer than any value a control can hold; a 400-digit number is refused unparsed
MAX_TEXT_CHARS = 20_000  # a text control's own checks say more past its cap; past this the address is refused
QUOTE_CHARS = 40  # what a notice quotes of a refused value
REASONS = ("repeated", "empty", "not_a_number", "not_whole", "out_of_range", "not_an_option", "too_long")


@dataclass(frozen=True)
class Refusal:
    reason: str  # one of REASONS


def _one(values: list[str]) -> str | Refusal:
    if len(values) != 1:
        return Refusal("repeated")
    return values[0]


def read_number(values: list[str], low: float, high: float, whole: bool) -> int | float | Refusal:
    """A decimal number in [low, high] (a whole one if `whole`): '-0' is 0, '1e3' is 1000; inf, nan, hex refused."""
    text = _one(values)
    if isinstance(text, Refusal):
        return text
    text = text.strip()
    if not text:
        return Refusal("empty")
    if len(text) > MAX_NUMBER_CHARS:
        return Refusal("too_long")
    if not NUMBER.fullmatch(text):
        return Refusal("not_a_number")
    value = float(text)
    if not math.isfinite(value):  # 1e400
        return Refusal("out_of_range")
    if whole:
        if value != math.floor(value):
            return Refusal("not_whole")
        value = int(value)
    if not low <= value <= high:
        return Refusal("out_of_range")
    return value + 0  # -0.0 -> 0.0


def read_numbers(values: list[str], low: float, high: float, whole: bool, count: int) -> tuple | Refusal:
    """`count` numbers in [low, high], ascending (a range slider's two ends)."""
    if len(values) != count:
        return Refusal("repeated" if len(values) > count else "empty")
    read = [read_number([v], low, high, whole) for v in values]
    for r in read:
        if isinstance(r, Refusal):
            return r
    if read != sorted(read):
        return Refusal("out_of_range")
    return tuple(read)


def read_choice(values: list[str], options: list[str]) -> str | Refusal:
    """One of `options`, exactly as written."""
    text = _one(values)
    if isinstance(text, Refusal):
        return text
    return text if text in options else Refusal("not_an_option")


def read_many(values: list[str], options: list[str], most: int) -> tuple[str, ...] | Refusal:
    """Up to `most` different options (a multiselect: `?sizes=256&sizes=1024`)."""
    if len(values) > most or len(set(values)) != len(values):
        return Refusal("repeated")
    if not all(v in options for v in values):
        return Refusal("not_an_option")
    return tuple(values)


def read_flag(values: list[str]) -> bool | Refusal:
    """'true' or 'false', in any case (a checkbox)."""
    text = _one(values)
    if isinstance(text, Refusal):
        return text
    lowered = text.strip().lower()
    return lowered == "true" if lowered in ("true", "false") else Refusal("not_an_option")


def read_text(values: list[str], max_chars: int = MAX_TEXT_CHARS) -> str | Refusal:
    """Any one text up to max_chars characters (its control says whether it can be used)."""
    text = _one(values)
    if isinstance(text, Refusal):
        return text
    return text if len(text) <= max_chars else Refusal("too_long")


def quote(value: str, limit: int = QUOTE_CHARS) -> tuple[str, int | None]:
    """(what to quote, the full length when shortened): a value longer than `limit` is cut, with an ellipsis."""
    if len(value) <= limit:
        return value, None
    return value[: limit - 1] + "…", len(value)
