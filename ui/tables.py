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
from core.states import visible

NEVER_SEEN = "never seen"


def _or_never_seen(values: np.ndarray, seen: np.ndarray) -> np.ndarray:
    """Numbers where the data visits the state, NaN where it does not: shown and downloaded as 'never seen'."""
    return np.where(seen, values, np.nan)


STYLED_CELLS = 200_000  # pandas styles at most 262,144 cells; bigger tables are shown plain


def shown(table: pd.DataFrame):
    """The table as displayed: missing values read 'never seen', never a bare None (plain past STYLED_CELLS)."""
    return table.style.format(na_rep=NEVER_SEEN, precision=4) if table.size <= STYLED_CELLS else table


def csv(table: pd.DataFrame) -> str:
    """The table as a CSV download, with the same headers and 'never seen' as on the page."""
    return table.to_csv(index=False, na_rep=NEVER_SEEN)


def model_vs_data(labels: list[str], probs: np.ndarray, cmp: ModelVsData, itos: tuple[str, ...]) -> pd.DataFrame:
    """Per state: visits, the model's and the data's next-token probabilities, their divergence."""
    table = pd.DataFrame({"state": labels, "visits": cmp.visits})
    for t, sym in enumerate(itos):
        table[f"model P({visible(sym)})"] = probs[:, t]
        table[f"data P({visible(sym)})"] = _or_never_seen(cmp.data_probs[:, t], cmp.seen)
    table["total variation"] = _or_never_seen(cmp.total_variation, cmp.seen)
    table["KL(data‖model), bits"] = _or_never_seen(cmp.kl_bits, cmp.seen)
    return table


def variable_length(labels: list[str], probs: np.ndarray, itos: tuple[str, ...]) -> pd.DataFrame:
    """Every state of length 1..k with the model's next-token probabilities."""
    table = pd.DataFrame(probs, columns=[f"P({visible(s)})" for s in itos])
    table.insert(0, "state", labels)
    return table


SWEEP_COLUMNS = {
    "context": "context k",
    "states": "states V^k",
    "observed_states": "states in the data",
    "conditional_entropy_bits": "data: H(next | k tokens), bits",
    "final_loss_bits": "model: final loss, bits per token",
    "steps": "training steps",
    "mean_tv_seen": "model vs data on seen states (total variation)",
    "unseen_max_prob": "never-seen states: mean top arrow",
}


def sweep(rows: list[ChainRow]) -> pd.DataFrame:
    """One row per context length of the context sweep, with human headers."""
    return pd.DataFrame([{title: getattr(r, key) for key, title in SWEEP_COLUMNS.items()} for r in rows])


def equal_bits(rows: list[EqualBitsRow]) -> pd.DataFrame:
    """One row per token width of the equal-bits comparison."""
    return pd.DataFrame(
        [
            {
                "bits per token b": r.bits_per_token,
                "vocabulary V = 2^b": r.chain.vocab,
                "context k = B / b": r.chain.context,
                "states V^k": r.chain.states,
                "tokens": r.tokens,
                "states in the data": r.chain.observed_states,
                "data: entropy per bit": r.entropy_per_bit,
                "model: final loss per bit": r.loss_per_bit,
            }
            for r in rows
        ]
    )


def side_diff(cmp: SideBySide, labels: list[str], itos: tuple[str, ...]) -> pd.DataFrame:
    """Same context: A's and B's arrows per state and their difference."""
    table = pd.DataFrame({"state": labels})
    for t, sym in enumerate(itos):
        sym = visible(sym)
        table[f"A P({sym})"], table[f"B P({sym})"], table[f"Δ P({sym})"] = cmp.a.probs[:, t], cmp.b.probs[:, t], cmp.diff[:, t]
    return table


def side_refinement(cmp: SideBySide, labels: list[str], itos: tuple[str, ...]) -> pd.DataFrame:
    """Different contexts: each shorter state's arrows beside the range of the longer states ending with it."""
    k_short, k_long = cmp.short.context, max(cmp.a.context, cmp.b.context)
    table = pd.DataFrame({"state": labels})
    for t, sym in enumerate(visible(s) for s in itos):
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
