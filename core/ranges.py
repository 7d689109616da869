"""One parser for a range of whole numbers typed as '1-4' or '5', shared by both domains' command lines and pages.

A shared leaf: it imports nothing of the app. Each domain turns a None into its own coded error.
"""

from __future__ import annotations

import re

RANGE_FORM = re.compile(r"\s*(\d+)\s*(?:-\s*(\d+))?\s*")  # the accepted form, for a "must look like" message


def parse_range(text: str) -> tuple[int, int] | None:
    """'1-4' -> (1, 4); '5' -> (5, 5); anything else (or a descending range) -> None."""
    m = RANGE_FORM.fullmatch(text)
    if not m:
        return None
    lo, hi = int(m.group(1)), int(m.group(2) or m.group(1))
    return (lo, hi) if lo <= hi else None
