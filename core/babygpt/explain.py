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


def agreement_over_seeds(
    tables: np.ndarray, seeds: tuple[int, ...], tokens: tuple[int, ...], vocab: int, context: int
) -> list[SeedAgreement]:
    """`explain` for each seed's table (tables: (n_seeds, V^k, V), as `core.babygpt.compare.seed_spread` returns)."""
    out = []
    for seed, probs in zip(seeds, tables, strict=True):
        e = explain(tokens, vocab, context, probs)
        out.append(SeedAgreement(seed, len(e.never_seen), e.with_suffix, e.agreeing, e.agree_fraction))
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
