"""Why the GPT has an answer where the data has none: never-seen states beside what the data says about their endings.

What it is: for every full state, whether the data ever shows it (followed by a token), and for each
of its suffixes (its last j tokens, j = 1..k) what the data's own chain of order j says: how often that
suffix is followed by each token. The longest suffix the data shows is where a count table backs off
to; the article's 000 has never been seen, nor has 00, but 0 was seen twice and both times followed by 1,
and the GPT sends 000 to 001 at 73%. `explain` sets the GPT's likeliest arrow beside that suffix's,
state by state, and counts how often they agree; `attention` shows what each head reads for one state.

Counts: a suffix of length j is counted wherever it occurs in the sequence followed by a token, as the
data's chain of order j counts it (`core.babygpt.chain.empirical_counts` with context j, the context
sweep's row for k = j): an occurrence inside the first k - 1 tokens counts too. For j = k it is the
data's chain itself, so a state is seen exactly when `model_vs_data` calls it seen.

Agreement: the GPT's likeliest token (the lowest token on an exact tie of probabilities) against the
longest seen suffix's most frequent next token. When that suffix's top counts tie, the data favours no
arrow: the state counts as not agreeing, and `ties` says how many such states there are. The summary is
over the never-seen states that have a seen suffix; a never-seen state with none has nothing to agree with.
Beside it, `agree_overall`: how often the GPT's arrow is simply the data's most frequent token (every token
of the sequence counted), the rival rule a short sequence may not tell apart from the suffix's.

What it is not: a smoothed n-gram (see `core.text.ngram` for Kneser-Ney) or a trainer.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import torch

from core.babygpt.chain import empirical_counts
from core.babygpt.states import all_states, label, n_states


@dataclass(frozen=True)
class Explanation:
    """Per full state (arrays of length V^k): the GPT's arrows beside the data's counts after each suffix."""

    vocab: int
    context: int
    probs: np.ndarray  # (V^k, V) the GPT's next-token probabilities
    suffix_counts: tuple[np.ndarray, ...]  # [j - 1]: (V^j, V) the data's counts after each context of j tokens, j = 1..k
    seen: np.ndarray  # (V^k,) the data shows the state followed by a token
    longest: np.ndarray  # (V^k,) length of the longest seen suffix: k when seen, 0 when none
    gpt_choice: np.ndarray  # (V^k,) the GPT's likeliest token
    data_choice: np.ndarray  # (V^k,) the longest seen suffix's most frequent next token; -1 for none or a tie
    tie: np.ndarray  # (V^k,) the longest seen suffix's top counts tie
    agree: np.ndarray  # (V^k,) gpt_choice == data_choice (False where the data favours no token)
    overall_choice: int  # the data's most frequent token overall (the empty suffix); -1 on a tie

    def counts(self, state: int, j: int) -> np.ndarray:
        """The data's next-token counts after the last j tokens of full state `state`, shape (V,)."""
        return self.suffix_counts[j - 1][state % self.vocab**j]

    def longest_counts(self, state: int) -> np.ndarray | None:
        """The counts after the state's longest seen suffix; None if no suffix is seen."""
        j = int(self.longest[state])
        return self.counts(state, j) if j else None

    @property
    def never_seen(self) -> np.ndarray:
        """Indices of the states the data never shows."""
        return np.flatnonzero(~self.seen)

    @property
    def with_suffix(self) -> int:
        """Never-seen states that have a seen suffix: the summary's denominator."""
        return int((~self.seen & (self.longest > 0)).sum())

    @property
    def agreeing(self) -> int:
        """Never-seen states whose GPT arrow is the one their longest seen suffix favours."""
        return int((~self.seen & self.agree).sum())

    @property
    def ties(self) -> int:
        """Never-seen states whose longest seen suffix favours no token (its top counts tie)."""
        return int((~self.seen & self.tie).sum())

    @property
    def agree_overall(self) -> int:
        """Never-seen states with a seen suffix whose GPT arrow is the data's most frequent token overall.

        The rival explanation: a model that always guesses the commonest token. Where it matches as often
        as the suffix does, this sequence cannot tell the two apart.
        """
        return int((~self.seen & (self.longest > 0) & (self.gpt_choice == self.overall_choice)).sum())

    @property
    def agree_fraction(self) -> float | None:
        """agreeing / with_suffix; None when no never-seen state has a seen suffix."""
        return self.agreeing / self.with_suffix if self.with_suffix else None


def explain(tokens: tuple[int, ...], vocab: int, context: int, probs: np.ndarray) -> Explanation:
    """The GPT's table `probs` (V^k, V) beside the data's counts after every suffix of every state."""
    n = n_states(vocab, context)
    if probs.shape != (n, vocab):
        raise ValueError(f"a table of {n} states and {vocab} tokens has shape {(n, vocab)}, got {probs.shape}")
    suffix_counts = tuple(empirical_counts(tokens, vocab, j) for j in range(1, context + 1))
    index = np.arange(n)
    longest = np.zeros(n, dtype=np.int64)
    chosen = np.zeros((n, vocab), dtype=np.int64)  # counts after the longest seen suffix (zeros: none)
    for j in range(1, context + 1):  # longer suffixes overwrite shorter ones
        c = suffix_counts[j - 1][index % vocab**j]  # (n, V)
        shown = c.sum(axis=1) > 0
        longest[shown] = j
        chosen[shown] = c[shown]
    top = chosen.max(axis=1)
    tie = (longest > 0) & ((chosen == top[:, None]).sum(axis=1) > 1)
    data_choice = np.where((longest > 0) & ~tie, chosen.argmax(axis=1), -1)
    gpt_choice = probs.argmax(axis=1)
    overall = np.bincount(np.asarray(tokens, dtype=np.int64), minlength=vocab)
    overall_tie = (overall == overall.max()).sum() > 1
    return Explanation(
        vocab=vocab,
        context=context,
        probs=probs,
        suffix_counts=suffix_counts,
        seen=longest == context,
        longest=longest,
        gpt_choice=gpt_choice,
        data_choice=data_choice,
        tie=tie,
        agree=gpt_choice == data_choice,
        overall_choice=-1 if overall_tie else int(overall.argmax()),
    )


def explain_json(e: Explanation, itos: tuple[str, ...] | None = None) -> dict:
    """The CLI's JSON: every state with its GPT arrows and longest seen suffix; the count and agreement of never-seen ones.

    suffix is "" and suffix_counts null when no suffix of the state is seen; agree is null there.
    """
    states = all_states(e.vocab, e.context)
    rows = []
    for s, st in enumerate(states):
        j = int(e.longest[s])
        rows.append(
            {
                "state": label(st, itos),
                "seen": bool(e.seen[s]),
                "gpt": e.probs[s].tolist(),
                "suffix": label(st[e.context - j :], itos) if j else "",
                "suffix_counts": e.counts(s, j).tolist() if j else None,
                "agree": bool(e.agree[s]) if j else None,
            }
        )
    return {
        "states": rows,
        "never_seen": int((~e.seen).sum()),
        "with_suffix": e.with_suffix,
        "agreeing": e.agreeing,
        "ties": e.ties,
        "agree_overall": e.agree_overall,
        "agree": e.agree_fraction,
    }


@dataclass(frozen=True)
class SeedAgreement:
    """One seed's trained table, summarised: how often its never-seen arrows follow the longest seen suffix."""

    seed: int
    never_seen: int
    with_suffix: int
    agreeing: int
    agree_fraction: float | None
    closest: dict  # rule -> never-seen states (of the first RULE_STATES) whose GPT arrows are nearest that rule


def agreement_over_seeds(
    tables: np.ndarray,
    seeds: tuple[int, ...],
    tokens: tuple[int, ...],
    vocab: int,
    context: int,
    kneser_ney: np.ndarray | None = None,
) -> list[SeedAgreement]:
    """`explain` and `rules` for each seed's table (tables: (n_seeds, V^k, V), as `core.babygpt.compare.seed_spread`
    returns); kneser_ney: the count table's rows for `rule_states` (the same for every seed: it reads only the data)."""
    out = []
    for seed, probs in zip(seeds, tables, strict=True):
        e = explain(tokens, vocab, context, probs)
        closest = rules(e, tokens, kneser_ney).closest_counts
        out.append(SeedAgreement(seed, len(e.never_seen), e.with_suffix, e.agreeing, e.agree_fraction, closest))
    return out


def attention(model, state: tuple[int, ...]) -> np.ndarray:
    """What each head reads for one full state: weights (n_layer, n_head, k, k); [l, h, i, j] = position i reading j."""
    V, k = model.config.vocab_size, model.config.block_size
    if len(state) != k or not all(0 <= int(t) < V for t in state):
        raise ValueError(f"a state of this model is {k} tokens of 0..{V - 1}")
    _logits, w = model.forward_with_attention(torch.tensor([list(state)], dtype=torch.long))
    return w[:, 0].double().numpy()  # (n_layer, n_head, k, k)


def gap_from_even(weights: np.ndarray) -> float:
    """The largest distance of any weight from an even spread: |w[l, h, i, j] - 1 / (i + 1)| over j <= i.

    Near 0: every head reads the positions before it evenly (a mix, not a choice of one token).
    """
    k = weights.shape[-1]
    even = np.tril(np.ones((k, k))) / np.arange(1, k + 1)[:, None]
    return float(np.abs(np.tril(weights) - even).max())


def newest_share(weights: np.ndarray) -> float:
    """The average over layers and heads of the weight the last position puts on itself (the newest token)."""
    return float(weights[:, :, -1, -1].mean())


RULES = ("uniform", "overall", "suffix", "kneser_ney")  # what a simple rule would say for a never-seen state
# A sequence where the rules disagree, found by measurement (random binary sequences, k = 3, 2 never-seen states):
# its training targets favour 1 (10 of 15), while the longest seen ending of each never-seen state (101, 110) is
# always followed by 0. Which rule the GPT follows then depends on the training steps and the seed (measured with
# `rules`: at 50 steps seed 1337 one state each; at 200 steps seed 1337 both with the ending).
DISAGREEING = "001000100111111111"


@dataclass(frozen=True)
class Rules:
    """For every never-seen state: the GPT's arrows beside each simple rule's, and the rule the GPT is closest to.

    uniform: 1/V each. overall: the data's rate of each token over its training targets (the examples' next
    tokens). suffix: the longest seen suffix's counts, normalised (none where no suffix is seen). kneser_ney:
    the count table's back-off at the same k, trained on the same sequence (given by the caller, none if not).
    Distance: total variation, half the sum of absolute differences (0: the same arrows, 1: disjoint).
    """

    states: np.ndarray  # (n,) the never-seen states
    gpt: np.ndarray  # (n, V)
    said: dict  # rule -> (n, V), NaN rows where the rule has nothing to say
    distance: dict  # rule -> (n,), NaN where the rule has nothing to say
    closest: tuple  # (n,) the nearest rule's name per state (the first in RULES on a tie)
    targets: np.ndarray  # (V,) how often each token is a training target

    @property
    def closest_counts(self) -> dict[str, int]:
        return {rule: sum(c == rule for c in self.closest) for rule in RULES}


RULE_STATES = 256  # never-seen states weighed against the rules (the first ones): bounds the count table's pass


def rule_states(e: Explanation) -> np.ndarray:
    """The never-seen states the rules are weighed on: the first RULE_STATES of them."""
    return e.never_seen[:RULE_STATES]


def rules(e: Explanation, tokens: tuple[int, ...], kneser_ney: np.ndarray | None = None) -> Rules:
    """What each simple rule says for each of `rule_states(e)`; kneser_ney: (n, V) rows for those states."""
    states = rule_states(e)
    n, V = len(states), e.vocab
    targets = np.bincount(np.asarray(tokens[e.context :], dtype=np.int64), minlength=V)
    suffix = np.full((n, V), np.nan)
    for i, s in enumerate(states):
        c = e.longest_counts(int(s))
        if c is not None:
            suffix[i] = c / c.sum()
    said = {
        "uniform": np.full((n, V), 1.0 / V),
        "overall": np.tile(targets / max(targets.sum(), 1), (n, 1)),
        "suffix": suffix,
        "kneser_ney": np.full((n, V), np.nan) if kneser_ney is None else np.asarray(kneser_ney, dtype=np.float64),
    }
    gpt = e.probs[states]
    distance = {rule: 0.5 * np.abs(gpt - p).sum(axis=1) for rule, p in said.items()}  # NaN rows stay NaN
    closest = tuple(min((r for r in RULES if not np.isnan(distance[r][i])), key=lambda r: distance[r][i]) for i in range(n))
    return Rules(states, gpt, said, distance, closest, targets)


def rules_json(r: Rules, itos: tuple[str, ...] | None, vocab: int, context: int) -> tuple[list[dict], dict[str, int]]:
    """Per never-seen state its rules (each a probability list, null where the rule has nothing to say) and the
    closest; and the count of states per closest rule."""
    states = all_states(vocab, context)
    rows = []
    for i, s in enumerate(r.states):
        said = {rule: None if np.isnan(p[i]).any() else p[i].tolist() for rule, p in r.said.items()}
        rows.append({"state": label(states[int(s)], itos), "rules": said, "closest": r.closest[i]})
    return rows, r.closest_counts


@dataclass(frozen=True)
class RulesSummary:
    """The Never seen tab's first sentence, as numbers: the token the GPT favours where it has no data, its range of
    probabilities there, the data's own rate of it, and how many states each rule is closest to."""

    states: int  # never-seen states weighed (n)
    never_seen: int  # all never-seen states
    token: int  # the token with the highest mean GPT probability over them
    low: float  # its lowest GPT probability over them
    high: float  # and highest
    count: int  # training targets that are this token
    examples: int  # training targets
    closest: dict  # rule -> states it is closest to

    @property
    def rate(self) -> float:
        return self.count / self.examples if self.examples else 0.0

    @property
    def nearest(self) -> str:
        """The rule closest for the most states (the first in RULES on a tie)."""
        return max(RULES, key=lambda r: self.closest[r])


def summarise(r: Rules, never_seen: int) -> RulesSummary | None:
    """None when no state is never seen."""
    if not len(r.states):
        return None
    token = int(r.gpt.mean(axis=0).argmax())
    p = r.gpt[:, token]
    return RulesSummary(
        len(r.states), never_seen, token, float(p.min()), float(p.max()), int(r.targets[token]), int(r.targets.sum()),
        r.closest_counts,
    )  # fmt: skip
