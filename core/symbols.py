"""How a symbol of any vocabulary is shown: one rule for every page, table, graph and chart.

Whitespace is drawn as a mark (space ␣, newline ↵, tab ⇥, carriage return ␍) and any other invisible
character (Unicode categories C and Z: controls, no-break spaces, ...) by its code point, U+00A0.
A shared leaf: it imports nothing of the app.
"""

from __future__ import annotations

import unicodedata

VISIBLE = {" ": "␣", "\n": "↵", "\t": "⇥", "\r": "␍"}


def _one(c: str) -> str:
    if c in VISIBLE:
        return VISIBLE[c]
    return f"U+{ord(c):04X}" if unicodedata.category(c)[0] in "CZ" else c


def visible(text: str) -> str:
    """`text` with every invisible character drawn: visible('a b') == 'a␣b', visible('\\u00a0') == 'U+00A0'."""
    return "".join(_one(c) for c in text)
