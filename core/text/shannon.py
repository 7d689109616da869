"""Shannon's 1951 estimates for printed English, set next to a text's own n-gram values.

What it is: the F_N of C. E. Shannon's "Prediction and Entropy of Printed English" in bits per letter, for
26 letters and for 27 (the word space added), his per-letter word estimate F_word, and how F_N lines up with
a context length k. F_N is the entropy of a letter given the N - 1 letters before it, so F_N sits at k = N - 1:
F_1 (letter frequencies) at k = 0, F_2 at k = 1, F_3 at k = 2. F_0 = log2 of the alphabet size, the cost with
no knowledge of frequencies at all, so it lines up with no counts rather than with a context.

What it is not: an estimator. The text's values come from `core.text.ngram.context_sweep` on the shannon27 alphabet.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from core.text.ngram import SweepRow

CITATION = (
    'C. E. Shannon, "Prediction and Entropy of Printed English", Bell System Technical Journal 30(1), January 1951, pp. 50-64'
)


@dataclass(frozen=True)
class Estimate:
    """One of Shannon's figures in bits per letter, with the context length it lines up with."""

    name: str  # "F_0", "F_1", ..., "F_word"
    context: int | None  # k = N - 1 previous letters; None for F_0 (no counts) and F_word (whole words)
    letters26: float  # 26 letters, no space
    letters27: float  # 27 letters: the word space and a-z (our shannon27 alphabet)
    decimals: int = 2  # as printed in the paper: 3.3, not 3.30

    def printed(self, value: float) -> str:
        """A value of this row as the paper prints it, e.g. '3.3' for F_3."""
        return f"{value:.{self.decimals}f}"


ESTIMATES = (
    Estimate("F_0", None, 4.70, 4.76),
    Estimate("F_1", 0, 4.14, 4.03),
    Estimate("F_2", 1, 3.56, 3.32),
    Estimate("F_3", 2, 3.3, 3.1, decimals=1),
    Estimate("F_word", None, 2.62, 2.14),
)
CONTEXTS = tuple(e.context for e in ESTIMATES if e.context is not None)  # (0, 1, 2): the sweep a comparison needs


@dataclass(frozen=True)
class Comparison:
    """One of Shannon's estimates next to the text's values (None where the text has no counterpart)."""

    estimate: Estimate
    plug_in_bits: float | None  # in-sample H(next | k previous) on the text; F_0: log2 V
    heldout_bits: float | None  # the held-out Kneser-Ney cost; F_0: log2 V (the uniform guess); None without held-out


def side_by_side(rows: Sequence[SweepRow], vocab: int) -> list[Comparison]:
    """Each estimate next to the sweep row at its context (a shannon27 sweep over k = 0..2, V = 27).

    F_0 is matched with log2 V, the cost of a uniform guess; F_word and contexts missing from `rows` get None.
    """
    by_k = {r.context: r for r in rows}
    out = []
    for e in ESTIMATES:
        if e.name == "F_0":
            uniform = math.log2(vocab)  # the cost of a uniform guess, in-sample or held out
            out.append(Comparison(e, uniform, uniform if any(r.heldout_bits is not None for r in rows) else None))
        elif e.context in by_k:
            r = by_k[e.context]
            out.append(Comparison(e, r.conditional_entropy_bits, r.heldout_bits))
        else:
            out.append(Comparison(e, None, None))
    return out
