"""Display tables: core values -> pandas DataFrames with the columns a reader sees (and downloads).

What it is: one function per table, each built from the fields of a core value. The CLI's
JSON keeps its own stable keys (`core.cli`); these headers are for people.

What it is not: a place that computes numbers (`core` does) or knows about streamlit.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from core.chain import ModelVsData
from core.compare import ChainRow, EqualBitsRow, SeedSummary, SideBySide


def model_vs_data(labels: list[str], probs: np.ndarray, cmp: ModelVsData, itos: tuple[str, ...]) -> pd.DataFrame:
    """Per state: visits, the model's and the data's next-token probabilities, their divergence."""
    table = pd.DataFrame({"state": labels, "visits": cmp.visits})
    for t, sym in enumerate(itos):
        table[f"model P({sym})"] = probs[:, t]
        table[f"data P({sym})"] = cmp.data_probs[:, t]
    table["total variation"] = cmp.total_variation
    table["KL(data‖model) bits"] = cmp.kl_bits
    return table


def variable_length(labels: list[str], probs: np.ndarray, itos: tuple[str, ...]) -> pd.DataFrame:
    """Every state of length 1..k with the model's next-token probabilities."""
    table = pd.DataFrame(probs, columns=[f"P({s})" for s in itos])
    table.insert(0, "state", labels)
    return table


def sweep(rows: list[ChainRow]) -> pd.DataFrame:
    """One row per context length of the context sweep."""
    keys = ["context", "states", "observed_states", "conditional_entropy_bits", "final_loss_bits", "mean_tv_seen"]
    keys += ["unseen_max_prob", "train_seconds"]
    return pd.DataFrame([{k: getattr(r, k) for k in keys} for r in rows])


def equal_bits(rows: list[EqualBitsRow]) -> pd.DataFrame:
    """One row per token width of the equal-bits comparison."""
    return pd.DataFrame(
        [
            {
                "bits_per_token": r.bits_per_token,
                "vocab": r.chain.vocab,
                "context": r.chain.context,
                "states": r.chain.states,
                "tokens": r.tokens,
                "observed_states": r.chain.observed_states,
                "entropy_per_bit": r.entropy_per_bit,
                "loss_per_bit": r.loss_per_bit,
            }
            for r in rows
        ]
    )


def side_diff(cmp: SideBySide, labels: list[str], itos: tuple[str, ...]) -> pd.DataFrame:
    """Same context: A's and B's arrows per state and their difference."""
    table = pd.DataFrame({"state": labels})
    for t, sym in enumerate(itos):
        table[f"A P({sym})"], table[f"B P({sym})"], table[f"Δ P({sym})"] = cmp.a.probs[:, t], cmp.b.probs[:, t], cmp.diff[:, t]
    return table


def side_refinement(cmp: SideBySide, labels: list[str], itos: tuple[str, ...]) -> pd.DataFrame:
    """Different contexts: each shorter state's arrows beside the range of the longer states ending with it."""
    k_short, k_long = cmp.short.context, max(cmp.a.context, cmp.b.context)
    table = pd.DataFrame({"state": labels})
    for t, sym in enumerate(itos):
        table[f"k={k_short} P({sym})"] = cmp.short.probs[:, t]
        table[f"k={k_long} min P({sym})"] = cmp.refined_min[:, t]
        table[f"k={k_long} max P({sym})"] = cmp.refined_max[:, t]
    return table


def seed_summary(summary: SeedSummary, labels: list[str], first_seed: int) -> pd.DataFrame:
    """Per state: the first seed's arrow and the spread over all seeds."""
    return pd.DataFrame(
        {
            "state": labels,
            f"seed {first_seed}": summary.first,
            "mean": summary.mean,
            "std": summary.std,
            "min": summary.low,
            "max": summary.high,
        }
    )
