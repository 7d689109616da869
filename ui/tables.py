"""Display tables: core values -> pandas DataFrames with the columns a reader sees (and downloads).

What it is: one function per table, each built from the fields of a core value. The CLI's
JSON keeps its own stable keys (`core.cli.main`); these headers are for people.

What it is not: a place that computes numbers (`core` does) or knows about streamlit. Headers are
in the language of the script run (`ui.i18n`): never cache a table across sessions.
"""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import streamlit as st
from pandas.io.formats.style import Styler

from core.babygpt.chain import ModelVsData
from core.babygpt.compare import ChainRow, EqualBitsRow, Refinement, SameContext, SeedSummary
from core.symbols import visible
from ui.i18n import t


def none_unseen() -> str:
    """What a never-seen states' cell reads where every state was seen (k = 1 on the article's sequence)."""
    return t("tables.none_unseen")


def never_seen() -> str:
    """What a missing value reads, on the page and in a download."""
    return t("tables.never_seen")


STYLED_CELLS = 200_000  # pandas styles at most 262,144 cells; bigger tables are shown plain


def shown(table: pd.DataFrame):
    """The table as displayed: missing values read 'never seen', never a bare None (plain past STYLED_CELLS)."""
    return table.style.format(na_rep=never_seen(), precision=DECIMALS) if table.size <= STYLED_CELLS else table


DECIMALS = 4  # probabilities and bits in the chain's tables: every cell to four decimals, trailing zeros kept


def fixed(table):
    """A table (or its Styler) with every number to DECIMALS places: never 0.171 beside 0.1746 (st.dataframe on its
    own drops trailing zeros). A missing cell shows st.dataframe's placeholder, whatever the styler says."""
    if isinstance(table, Styler):
        return table.format(precision=DECIMALS, na_rep="—")
    return table.style.format(precision=DECIMALS, na_rep="—") if table.size <= STYLED_CELLS else table


def show_fixed(table, key: str) -> None:
    """Draw a table of the chain's numbers: fixed decimals (`fixed`), '—' in a missing cell."""
    st.dataframe(fixed(table), hide_index=True, key=key, placeholder="—")


def csv(table: pd.DataFrame, missing: str | None = None) -> str:
    """The table as a CSV download, with the same headers and the same word for a missing value as on the page
    ('never seen' unless said)."""
    return table.to_csv(index=False, na_rep=never_seen() if missing is None else missing)


def model_vs_data(labels: list[str], probs: np.ndarray, cmp: ModelVsData, itos: tuple[str, ...]) -> pd.DataFrame:
    """Per state: visits, the model's and the data's next-token probabilities, their divergence (NaN where the data
    never goes, as `core.babygpt.chain.model_vs_data` leaves them: shown and downloaded as 'never seen')."""
    table = pd.DataFrame({t("tables.state"): labels, t("tables.visits"): cmp.visits})
    for i, sym in enumerate(itos):
        table[t("tables.model_p", symbol=visible(sym))] = probs[:, i]
        table[t("tables.data_p", symbol=visible(sym))] = cmp.data_probs[:, i]
    table[t("tables.total_variation")] = cmp.total_variation
    table[t("tables.kl")] = cmp.kl_bits
    return table


def variable_length(labels: list[str], probs: np.ndarray, itos: tuple[str, ...]) -> pd.DataFrame:
    """Every state of length 1..k with the model's next-token probabilities."""
    table = pd.DataFrame(probs, columns=[t("tables.p", symbol=visible(s)) for s in itos])
    table.insert(0, t("tables.state"), labels)
    return table


SWEEP_COLUMNS = {  # ChainRow field -> header key
    "context": "tables.sweep_context",  # the answers first: they stay on screen at 1440 px and on a phone
    "conditional_entropy_bits": "tables.sweep_entropy",
    "final_loss_bits": "tables.sweep_loss",
    "unseen_max_prob": "tables.sweep_unseen",  # the caption explains it
    "mean_tv_seen": "tables.sweep_tv",
    "observed_states": "tables.sweep_observed",
    "states": "tables.sweep_states",
    "steps": "tables.sweep_steps",
}


def sweep(rows: list[ChainRow]) -> pd.DataFrame:
    """One row per context length of the context sweep, with human headers."""
    titles = {key: t(title) for key, title in SWEEP_COLUMNS.items()}
    table = pd.DataFrame([{titles[key]: getattr(r, key) for key in SWEEP_COLUMNS} for r in rows], columns=list(titles.values()))
    return table.apply(pd.to_numeric)  # a missing value is NaN (shown by the page's placeholder), never the text "None"


def equal_bits(rows: list[EqualBitsRow]) -> pd.DataFrame:
    """One row per token width of the equal-bits comparison."""
    return pd.DataFrame(
        [
            {
                t("tables.bits_b"): r.bits_per_token,
                t("tables.bits_vocab"): r.chain.vocab,
                t("tables.bits_context"): r.chain.context,
                t("tables.bits_states"): r.chain.states,
                t("tables.bits_tokens"): r.tokens,
                t("tables.bits_observed"): r.chain.observed_states,
                t("tables.bits_entropy"): r.entropy_per_bit,
                t("tables.bits_loss"): r.loss_per_bit,
            }
            for r in rows
        ]
    )


def side_diff(cmp: SameContext, labels: list[str], itos: tuple[str, ...]) -> pd.DataFrame:
    """Same context: A's and B's arrows per state and their difference."""
    table = pd.DataFrame({t("tables.state"): labels})
    for i, sym in enumerate(itos):
        sym = visible(sym)
        table[t("tables.side_a", symbol=sym)] = cmp.a.probs[:, i]
        table[t("tables.side_b", symbol=sym)] = cmp.b.probs[:, i]
        table[t("tables.side_delta", symbol=sym)] = cmp.diff[:, i]
    return table


def side_refinement(cmp: Refinement, labels: list[str], itos: tuple[str, ...]) -> pd.DataFrame:
    """Different contexts: each shorter state's arrows beside the range of the longer states ending with it."""
    k_short, k_long = cmp.short.context, cmp.long.context
    table = pd.DataFrame({t("tables.state"): labels})
    for i, sym in enumerate(visible(s) for s in itos):
        table[t("tables.refined_short", k=k_short, symbol=sym)] = cmp.short.probs[:, i]
        table[t("tables.refined_min", k=k_long, symbol=sym)] = cmp.refined_min[:, i]
        table[t("tables.refined_max", k=k_long, symbol=sym)] = cmp.refined_max[:, i]
    return table


def seed_summary(summary: SeedSummary, labels: list[str], first_seed: int) -> pd.DataFrame:
    """Per state: the first seed's arrow and the spread over all seeds."""
    return pd.DataFrame(
        {
            t("tables.state"): labels,
            t("tables.seed", seed=first_seed): summary.first,
            t("tables.mean"): summary.mean,
            t("tables.std"): summary.std,
            t("tables.min"): summary.low,
            t("tables.max"): summary.high,
        }
    )


ARTICLE_COLUMNS = {  # core.arith.presets.article_rows() field -> header key, in the order shown
    "model": "tables.model",
    "article_claim_bytes": "tables.claim_bytes",
    "computed_bytes": "tables.computed_bytes",
    "published_context": "tables.published_context",
    "published_bytes": "tables.published_bytes",
    "machine": "tables.machine",
}
PRESET_COLUMNS = {  # core.arith.presets.preset_rows() field -> header key
    "model": "tables.model",
    "vocab": "tables.vocab",
    "context": "tables.context",
    "bits_per_state": "tables.bits_per_state",
    "bytes_per_state": "tables.bytes_per_state",
    "kib_per_state": "tables.kib_per_state",
    "source": "tables.source",
}


def article_claims(rows: list[dict]) -> pd.DataFrame:
    """The article's size comparison beside the arithmetic (its sentences and slips: `article_notes`)."""
    table = pd.DataFrame(rows)[list(ARTICLE_COLUMNS)]
    table["machine"] = table["machine"].fillna("—")  # the article compares GPT-2 to no machine
    return table.rename(columns={k: t(v) for k, v in ARTICLE_COLUMNS.items()})


def article_notes(rows: list[dict]) -> str:
    """Each claim's sentence and its slips in the reader's language, as Markdown (catalogue text only), read in full."""
    claim = lambda model, part: t(f"presets.claim.{model}.{part}")
    return "\n".join(
        t("tables.article_note", model=r["model"], quote=claim(r["model"], "quote"), slips=claim(r["model"], "slips"))
        for r in rows
    )


def presets(rows: list[dict]) -> pd.DataFrame:
    """Real models: vocabulary, context and the size of one full state, with each figure's source."""
    table = pd.DataFrame(rows)
    table["source"] = [t(f"presets.source.{m}") for m in table["model"]]
    return table[list(PRESET_COLUMNS)].rename(columns={k: t(v) for k, v in PRESET_COLUMNS.items()})


def chain_json(
    itos: tuple[str, ...],
    context: int,
    step: int,
    labels: list[str],
    probs: np.ndarray,
    counts: np.ndarray,
    temperature: float = 1.0,
) -> str:
    """The chain at one step and temperature as a JSON download: symbols, states, the model's table, the data's counts."""
    return json.dumps(
        {
            "vocab": list(itos),
            "context": context,
            "step": step,
            "temperature": temperature,
            "states": labels,
            "probs": probs.tolist(),
            "counts": counts.tolist(),
        }
    )
