"""A scoreboard on real text: every model on the same held-out examples, split seen / never-seen, in bits per character.

What it is: `scoreboard` sets, on the same held-out examples, the data's own chain of order k (counts, no
backoff), interpolated modified Kneser-Ney at the GPT's k (and the one-discount version beside it), modified
Kneser-Ney at its best order, the GPT, and the GPT mixed with Kneser-Ney by one weight fitted on a slice of the
training part. `gpt_costs` scores a GPT for it; `kn_curve` is Kneser-Ney's learning curve on growing prefixes of
the training part.

The examples: held-out positions i >= `reach` (the longest order computed, so every model has its full context),
among those the GPT was scored on. An example is *seen* when its k-context (k = the GPT's context) occurs in
the training part. Symbols are characters (the raw or shannon27 alphabet), so bits per symbol are bits per
character.

The data's own chain predicts a(c w) / a(c .) where the k-context c was seen and has no prediction where it
was not. On a seen context it can still give 0 to a symbol never seen after it (an infinite cost): the board
gives the share of such examples and the chain's cost on the rest, each labelled. "With a uniform guess" it
costs log2 V bits on every never-seen context: the article's 50% point for V = 2.

The mixture: p = w p_GPT + (1 - w) p_KN. The weight w is fitted (EM on the mean log-likelihood, which is
concave in w) on the last FIT_FRACTION of the training part, where Kneser-Ney is counted on the training part
before that slice; the held-out part is never used to fit it. A GPT on the board is trained on the training part
before that slice too (`fit_cut`), so neither model has seen the examples the weight is fitted on.

What it is not: a trainer (`core.text.textgpt`) or a counter (`core.text.ngram`); it takes their per-example
costs. Plain numpy.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from core.errors import CoreError
from core.text.corpus import split_point, symbolize, training_length
from core.text.limits import MAX_KN_K
from core.text.ngram import example_bits, sweep_costs
from core.text.textgpt import eval_positions, gpt_example_bits

FIT_FRACTION = 0.1  # the training part's last tenth fits the mixture's weight
BEST_K_MAX = 16  # Kneser-Ney's best order is looked for within 0..max(k, BEST_K_MAX)
FIT_EXAMPLES = 8_000  # examples of the slice the weight is fitted on, at most (evenly spaced)
EM_STEPS = 200  # iterations of the weight's EM (it moves by less than 1e-9 long before)
CURVE_SIZES = (1_000, 3_000, 10_000, 30_000, 100_000, 300_000, 1_000_000, 3_000_000)  # training prefixes of the KN curve


class ScoreError(CoreError):
    """A scoreboard that cannot be set: costs of the wrong length, or a text too short."""

    messages = {
        "score.lengths": "the GPT's costs must give one value per held-out symbol ({n:,}), got {got:,}",
        "score.too_short": "the held-out part has {n:,} symbols; a context of {k} needs at least {need:,}",
    }


@dataclass(frozen=True)
class Costs:
    """One model on the board's examples: bits per character overall and on seen / never-seen contexts."""

    overall: float | None
    seen: float | None
    unseen: float | None


@dataclass(frozen=True)
class Chain:
    """The data's own chain of order k (counts, no backoff) on the board's examples."""

    coverage: float  # share of the examples whose k-context was seen: where it has a prediction at all
    zero_fraction: float  # share of the examples with a seen context but a next symbol never seen after it
    seen_bits: float | None  # mean cost on the seen examples: inf when zero_fraction > 0
    positive_bits: float | None  # mean cost on the seen examples it gives a positive probability
    uniform_bits: float  # log2 V: its cost on a never-seen context with a uniform guess
    overall_bits: float  # with the uniform guess on never-seen contexts (inf when zero_fraction > 0)


@dataclass(frozen=True)
class Board:
    """Every model on the same held-out examples (see the module docstring)."""

    context: int  # k of the GPT, of the chain and of the same-k Kneser-Ney
    vocab: int
    examples: int  # held-out examples on the board
    seen_fraction: float  # of those, seen at context k
    chain: Chain
    kn: Costs  # modified Kneser-Ney at k
    kn_one: Costs  # one-discount Kneser-Ney at k
    best_k: int  # the order within 0..max(k, BEST_K_MAX) whose modified KN costs least on these examples
    kn_best: Costs  # modified Kneser-Ney at best_k (split by the k-context, like every row)
    best_unseen_fraction: float  # share of the examples whose best_k-context was never seen
    gpt: Costs
    mix: Costs
    mix_weight: float  # w, the GPT's weight
    fit_examples: int  # examples of the training slice the weight was fitted on


def _costs(bits: np.ndarray, seen: np.ndarray) -> Costs:
    mean = lambda mask: float(bits[mask].mean()) if mask.any() else None  # noqa: E731
    return Costs(mean(np.ones(len(bits), bool)), mean(seen), mean(~seen))


def fit_cut(n: int) -> int:
    """Symbols of a training part of n before its fit slice: what a GPT on the board trains on."""
    return split_point(n, FIT_FRACTION)


def fit_weight(p_gpt: np.ndarray, p_kn: np.ndarray, steps: int = EM_STEPS) -> float:
    """The w in [0, 1] that maximises mean log(w p_gpt + (1 - w) p_kn), by EM from w = 1/2."""
    a, b = np.asarray(p_gpt, np.float64), np.asarray(p_kn, np.float64)
    w = 0.5
    for _ in range(steps):
        mix = w * a + (1 - w) * b
        w_next = float(np.mean(w * a / mix)) if len(a) else 0.5
        if abs(w_next - w) < 1e-12:
            return w_next
        w = w_next
    return w


def mix_bits(w: float, gpt_bits: np.ndarray, kn_bits: np.ndarray) -> np.ndarray:
    """-log2(w 2^-gpt + (1 - w) 2^-kn), elementwise."""
    return -np.log2(w * np.exp2(-gpt_bits) + (1 - w) * np.exp2(-kn_bits))


@dataclass(frozen=True)
class GptCosts:
    """A GPT's bits per held-out position i (NaN where not scored, i < k) and per position of the fit slice."""

    heldout: np.ndarray  # (len(heldout_ids),)
    fit: np.ndarray  # (len(train_ids) - split_point(len(train_ids), FIT_FRACTION),)


def _per_position(model, ids: np.ndarray, threads: int, most: int | None = None) -> np.ndarray:
    k = model.config.block_size
    out = np.full(len(ids), np.nan)
    if len(ids) <= k:
        return out
    at = eval_positions(len(ids) - k, model.config)
    if most is not None and len(at) > most:
        at = at[np.unique(np.linspace(0, len(at) - 1, most).round().astype(np.int64))]
    out[at + k] = gpt_example_bits(model, ids, at, threads)
    return out


def gpt_costs(model, train_ids, heldout_ids, threads: int = 1, heldout_most: int | None = None) -> GptCosts:
    """Score a GPT for the board: its held-out positions within the scoring cap (`eval_positions`; at most
    heldout_most of them, evenly spaced, if given), and at most FIT_EXAMPLES evenly spaced positions of the fit slice."""
    x, h = np.asarray(train_ids, np.int64), np.asarray(heldout_ids, np.int64)
    fit = _per_position(model, x[split_point(len(x), FIT_FRACTION) :], threads, FIT_EXAMPLES)
    return GptCosts(_per_position(model, h, threads, heldout_most), fit)


def scoreboard(train_ids, heldout_ids, vocab: int, k: int, gpt: GptCosts) -> Board:
    """Every model of the board on the same held-out examples; gpt: the GPT of context k's costs (`gpt_costs`)."""
    x, h = np.asarray(train_ids, np.int64), np.asarray(heldout_ids, np.int64)
    if len(gpt.heldout) != len(h):
        raise ScoreError("score.lengths", n=len(h), got=len(gpt.heldout))
    reach = min(max(k, BEST_K_MAX), MAX_KN_K)
    if len(h) <= reach:
        raise ScoreError("score.too_short", n=len(h), k=reach, need=reach + 1)
    orders = sweep_costs(x, h, vocab, reach)  # modified KN and the chain, every order 0..reach, one pass
    positions = np.arange(reach, len(h))
    positions = positions[~np.isnan(gpt.heldout[positions])]
    at = lambda j: positions - j  # noqa: E731  (example index of position i at order j)
    _, kn_bits, seen_all, chain_p = orders[k]
    seen, kn, chain = seen_all[at(k)], kn_bits[at(k)], chain_p[at(k)]
    g = gpt.heldout[positions]

    per_order = [float(bits[at(j)].mean()) for j, (_, bits, _, _) in enumerate(orders)]
    best = int(np.argmin(per_order))
    one = example_bits(x, h, vocab, k, method="one")[0][at(k)]

    zero = seen & (chain == 0)
    positive = seen & (chain > 0)
    uniform = math.log2(vocab)
    chain_bits = np.where(seen, -np.log2(np.where(chain > 0, chain, 1.0)), uniform)
    chain_bits = np.where(zero, np.inf, chain_bits)
    has_zero = bool(zero.any())
    board_chain = Chain(
        coverage=float(seen.mean()),
        zero_fraction=float(zero.mean()),
        seen_bits=(math.inf if has_zero else float(chain_bits[seen].mean())) if seen.any() else None,
        positive_bits=float(chain_bits[positive].mean()) if positive.any() else None,
        uniform_bits=uniform,
        overall_bits=math.inf if has_zero else float(chain_bits.mean()),
    )

    cut = split_point(len(x), FIT_FRACTION)
    fit_kn = example_bits(x[:cut], x[cut:], vocab, k)[0] if cut > k else np.zeros(0)
    fit_at = np.flatnonzero(~np.isnan(gpt.fit))
    fit_at = fit_at[fit_at >= k] if len(fit_kn) else fit_at[:0]
    w = fit_weight(np.exp2(-gpt.fit[fit_at]), np.exp2(-fit_kn[fit_at - k])) if len(fit_at) else 0.5

    return Board(
        context=k,
        vocab=vocab,
        examples=len(positions),
        seen_fraction=float(seen.mean()),
        chain=board_chain,
        kn=_costs(kn, seen),
        kn_one=_costs(one, seen),
        best_k=best,
        kn_best=_costs(orders[best][1][at(best)], seen),
        best_unseen_fraction=float(1 - orders[best][2][at(best)].mean()),
        gpt=_costs(g, seen),
        mix=_costs(mix_bits(w, g, kn), seen),
        mix_weight=w,
        fit_examples=len(fit_at),
    )


@dataclass(frozen=True)
class CurvePoint:
    """Kneser-Ney trained on the first `chars` symbols of the training part, at its best order, on the held-out part."""

    chars: int
    best_k: int
    bits: float


def kn_curve(train_ids, heldout_ids, vocab: int, sizes=CURVE_SIZES, k_max: int = BEST_K_MAX) -> tuple[CurvePoint, ...]:
    """One point per prefix size below the training part's length, and the whole training part; held-out
    examples are the positions i >= k_max, the same for every point."""
    x, h = np.asarray(train_ids, np.int64), np.asarray(heldout_ids, np.int64)
    if len(h) <= k_max:
        raise ScoreError("score.too_short", n=len(h), k=k_max, need=k_max + 1)
    points = []
    for n in [s for s in sizes if s < len(x)] + [len(x)]:
        top = min(k_max, n - 1)
        costs = [float(bits[k_max - j :].mean()) for j, (_, bits, _, _) in enumerate(sweep_costs(x[:n], h, vocab, top))]
        best = int(np.argmin(costs))
        points.append(CurvePoint(n, best, costs[best]))
    return tuple(points)


def kn_curve_of(text: str, alphabet: str, heldout: float) -> tuple[CurvePoint, ...]:
    """`kn_curve` on a text's training and held-out parts (a parallel corpus cut between sentence pairs)."""
    s = symbolize(text, alphabet)
    cut = training_length(text, alphabet, len(s.ids), heldout)
    return kn_curve(s.ids[:cut], s.ids[cut:], s.vocab)


LEVEL_BITS = 0.0005  # two costs closer than half a thousandth of a bit are level (the tables show three decimals)


@dataclass(frozen=True)
class Lead:
    """Who is ahead between two costs, and by how much: "gpt", "table" or "level"."""

    ahead: str
    bits: float  # the margin, >= 0


def lead(gpt: float, table: float) -> Lead:
    d = table - gpt
    return Lead("level" if abs(d) < LEVEL_BITS else "gpt" if d > 0 else "table", abs(d))


@dataclass(frozen=True)
class Verdict:
    """The board's conclusion as data: the share of never-seen contexts at k, who wins on them and by how much, and
    whether the mixture beats both models overall (the real-scale step of the argument)."""

    context: int
    unseen_fraction: float
    gpt_unseen: float | None
    kn_unseen: float | None
    unseen_lead: Lead | None  # None when no held-out example has a never-seen context
    gpt_overall: float
    kn_overall: float
    overall_lead: Lead
    mix_overall: float
    mix_better: bool  # the mixture costs less than the better of the two by at least LEVEL_BITS


def verdict(b: Board) -> Verdict:
    has_unseen = b.gpt.unseen is not None and b.kn.unseen is not None
    best = min(b.gpt.overall, b.kn.overall)
    return Verdict(
        context=b.context,
        unseen_fraction=1 - b.seen_fraction,
        gpt_unseen=b.gpt.unseen,
        kn_unseen=b.kn.unseen,
        unseen_lead=lead(b.gpt.unseen, b.kn.unseen) if has_unseen else None,
        gpt_overall=b.gpt.overall,
        kn_overall=b.kn.overall,
        overall_lead=lead(b.gpt.overall, b.kn.overall),
        mix_overall=b.mix.overall,
        mix_better=b.mix.overall < best - LEVEL_BITS,
    )
