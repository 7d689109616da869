"""Vocabulary & GPT's two sides: the documentation, where the count table wins, beside names, where the GPT wins.

Words only: every number and verdict comes from `core.text.sides` (the boards side by side, the lesson as data,
where a learning curve crosses the table) and `core.text.pretrained` (the shipped models and their samples).
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from core.text.sides import NameSamples, Side, Sides, crossing
from ui import i18n
from ui.i18n import inert, t
from ui.model_views import said


def _join(parts: list[str]) -> str:
    return ("" if i18n.lang() == "zh" else " ").join(parts)


def _names(corpora: tuple[str, ...]) -> str:
    return t("score.list_sep").join(f"`{c}`" for c in corpora)


def side_sentence(s: Side, steps: int, flops: float) -> str:
    """One text in a sentence: its share of never-seen contexts, the best table and the GPT (with its budget) overall,
    who is ahead."""
    return t(
        "score.side", corpus=s.corpus, k=s.context, fraction=s.unseen_fraction, best=s.best_k, table=s.table.overall,
        gpt=s.gpt.overall, steps=steps, flops=flops,
    ) + said(s.overall)  # fmt: skip


def lesson(x: Sides) -> str:
    """The conclusion, chosen by who is ahead where (never a sentence the numbers do not support)."""
    if x.gpt_ahead and x.table_ahead:
        parts = [t("score.lesson_both", table=_names(x.table_ahead), gpt=_names(x.gpt_ahead))]
    elif x.gpt_ahead:
        parts = [t("score.lesson_gpt", gpt=_names(x.gpt_ahead))]
    elif x.table_ahead:
        parts = [t("score.lesson_table", table=_names(x.table_ahead))]
    else:
        parts = []
    if len(x.mix_better) == len(x.sides):
        parts.append(t("score.lesson_mix_all"))
    elif x.mix_better:
        parts.append(t("score.lesson_mix_some", corpora=_names(x.mix_better)))
    return _join(parts)


def answer(x: Sides, budgets: dict[str, tuple[int, float]]) -> str:
    """Vocabulary & GPT's answer: each text in a sentence (budgets: each GPT's steps and training FLOPs), then the lesson."""
    return _join([side_sentence(s, *budgets[s.corpus]) for s in x.sides] + [lesson(x)])


def table(x: Sides) -> pd.DataFrame:
    """The boards side by side: one column per text, one row per measure (bits per character unless said)."""

    def bits(v):
        return "—" if v is None else f"{v:.3f}"

    rows = [
        ("sides_k", lambda s: str(s.context)),
        ("sides_unseen", lambda s: f"{s.unseen_fraction:.1%}"),
        ("sides_best", lambda s: str(s.best_k)),
        ("sides_table_all", lambda s: bits(s.table.overall)),
        ("sides_gpt_all", lambda s: bits(s.gpt.overall)),
        ("sides_mix_all", lambda s: bits(s.mix.overall)),
        ("sides_table_unseen", lambda s: bits(s.table.unseen)),
        ("sides_gpt_unseen", lambda s: bits(s.gpt.unseen)),
        ("sides_mix_unseen", lambda s: bits(s.mix.unseen)),
        ("sides_examples", lambda s: f"{s.examples:,}"),
    ]
    data = {t("score.sides_measure"): [t(f"score.{key}") for key, _ in rows]}
    for s in x.sides:
        data[s.corpus] = [f(s) for _, f in rows]
    return pd.DataFrame(data)


def curve_sentence(curve, table_bits: float, best_k: int, steps: int, flops: float, examples: int) -> str:
    """Where the GPT's learning curve passes the count table's cost on the same examples, or that it does not."""
    p = crossing(curve, table_bits)
    numbers = dict(table=table_bits, k=best_k, n=examples)
    if p is None:
        return t("score.no_crossing", steps=steps, flops=flops, **numbers)
    return t("score.crossing", step=p.step, flops=p.flops, bits=p.bits, **numbers)


def samples(x: NameSamples, n: int, seed: int, best_k: int, rows: int = 12) -> None:
    """The first names each model drew, side by side, each marked new or known, and the share of new ones."""
    st.markdown(t("score.names_samples", n=n, seed=seed, k=best_k))
    mark = lambda names: [f"{inert(name)}{t('score.name_new') if new else ''}" for name, new in names[:rows]]  # noqa: E731
    gpt, table_ = mark(x.gpt), mark(x.table)
    length = max(len(gpt), len(table_))
    pad = lambda names: names + [""] * (length - len(names))  # noqa: E731
    frame = pd.DataFrame({t("score.names_gpt"): pad(gpt), t("score.names_table", k=best_k): pad(table_)})
    st.dataframe(frame, hide_index=True, key="tm_names_samples")
    gpt_share, table_share = NameSamples.share(x.gpt), NameSamples.share(x.table)
    if gpt_share is not None and table_share is not None:
        st.caption(t("score.names_new", gpt=gpt_share, gpt_n=len(x.gpt), table=table_share, table_n=len(x.table), k=best_k))
