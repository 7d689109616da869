"""The "Vocabulary & GPT" page's pieces: its tables, charts and the sentences that read a board, in words.

What it is: `run_with_loss` (a cached job with a progress bar), the display tables with human headers, two plotly
charts, the sentences that word a board's verdicts (`said`, `board_summary`) and the own tab's body (the vocab tab's
are in `ui.vocab_views`, the GPTs trained beforehand in `ui.sides_views`).

What it is not: a model, a counter or a judge: every number, default and verdict comes from the page model
(`core.pages.text_models`), the computations under it (`core.text.vocab`, `core.text.versus`,
`core.text.scoreboard`) and `ui.cache`, which keeps their results; nor the page's layout (`pages/text_models.py`).
"""

from __future__ import annotations

import math

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from core.errors import CoreError
from core.pages.text_models import SAMPLE_CHARS, BoardRead, Budget, Own, in_bits, nanogpt
from core.symbols import visible
from core.text.limits import MAX_TEXT_FLOPS, MAX_TEXT_STEPS
from core.text.scoreboard import Board, Costs, Lead
from ui import i18n
from ui.i18n import t


def run_with_loss(fn, *args, label: str):
    """Call a cached job with a progress bar that shows the loss in bits; None after showing a CoreError."""
    bar = st.progress(0.0, text=label)

    def progress(i, n, loss=None, stage=None):
        if stage is not None:  # after the steps: what the computation does now
            text = t(f"model_views.stage_{stage}", label=label, n=n)
        elif loss is None:
            text = t("model_views.progress", label=label, i=i, n=n)
        else:
            text = t("model_views.progress_loss", label=label, i=i, n=n, loss=in_bits(loss))
        bar.progress(i / max(n, 1), text=text)

    try:
        return fn(*args, progress=progress)
    except CoreError as e:
        st.error(i18n.error(e))
        return None
    finally:
        bar.empty()


def shown(text: str) -> str:
    """Text with whitespace drawn visibly and backticks replaced, for inline code."""
    return "".join(visible(ch) for ch in text).replace("`", "'")


# The scoreboard (core.text.scoreboard): two pairings, each a table, the learning curve and the sentences under them.

INF, NA = "∞", "—"
SAME_K_NAMES = {"chain": "score.chain", "chain_uniform": "score.chain_uniform", "kn_one": "score.kn_one", "kn": "score.kn"}
SAME_K_NAMES |= {"gpt": "score.gpt", "mix": "score.mix"}


def _num(x: float | None) -> str:
    if x is None:
        return NA
    return INF if math.isinf(x) else f"{x:.3f}"


def _row(name: str, c: Costs, note: str = "") -> dict:
    return {
        t("score.col_model"): name,
        t("score.col_never_seen"): _num(c.unseen),
        t("score.col_seen"): _num(c.seen),
        t("score.col_overall"): _num(c.overall),
        t("score.col_note"): note,
    }


def _note(model: str, b: Board) -> str:
    ch = b.chain
    notes = {
        "chain": lambda: t("score.chain_note", coverage=ch.coverage, zero=ch.zero_fraction, bits=_num(ch.positive_bits)),
        "chain_uniform": lambda: t("score.uniform_note", bits=ch.uniform_bits, V=b.vocab),
        "kn_one": lambda: t("score.kn_one_note"),
        "kn": lambda: t("score.kn_note"),
        "mix": lambda: t("score.mix_note", w=b.mix_weight, n=b.fit_examples),
    }
    return notes[model]() if model in notes else ""


def same_k_table(r: BoardRead) -> pd.DataFrame:
    """Pairing 1: every model at the GPT's context k on the same examples."""
    return pd.DataFrame([_row(t(SAME_K_NAMES[m]), c, _note(m, r.board)) for m, c in r.same_k])


def best_order_table(b: Board) -> pd.DataFrame:
    """Pairing 2: the GPT at its context against modified Kneser-Ney at its best order."""
    return pd.DataFrame(
        [
            _row(t("score.kn_best", k=b.best_k), b.kn_best, t("score.best_note", unseen=b.best_unseen_fraction)),
            _row(t("score.gpt_at", k=b.context), b.gpt),
        ]
    )


def said(lead_: Lead) -> str:
    """Who is ahead and by how much, in words (`core.text.scoreboard.lead`)."""
    if lead_.ahead == "level":
        return t("score.level")
    return t("score.gpt_ahead" if lead_.ahead == "gpt" else "score.table_ahead", bits=lead_.bits)


def joined(parts: list[str]) -> str:
    """Sentences in a paragraph: Chinese sentences run on without spaces."""
    return ("" if i18n.lang() == "zh" else " ").join(parts)


def board_summary(r: BoardRead) -> str:
    """What the board shows, every clause from its verdicts, naming the GPT's budget."""
    b, parts = r.board, []
    if r.unseen is not None:
        words = dict(fraction=r.unseen_fraction, k=b.context, gpt=b.gpt.unseen, kn=b.kn.unseen, budget=budget(r.budget))
        parts.append(t("score.sum_unseen", **words) + said(r.unseen))
    if r.seen is not None:
        parts.append(t("score.sum_seen", gpt=b.gpt.seen, kn=b.kn.seen) + said(r.seen))
    parts.append(t("score.sum_best", k=b.best_k, kn=b.kn_best.overall, gpt=b.gpt.overall, k_gpt=b.context) + said(r.best))
    parts.append(t("score.sum_mix_better" if r.mix_better else "score.sum_mix_same", w=b.mix_weight, bits=b.mix.overall))
    ch = b.chain
    parts.append(t("score.sum_chain", coverage=ch.coverage, zero=ch.zero_fraction, uniform=ch.uniform_bits, V=b.vocab))
    return joined(parts)


def budget(b: Budget) -> str:
    """A GPT's training budget in words: steps, windows, characters seen, FLOPs, time."""
    return t("score.budget", steps=b.steps, batch=b.batch, k=b.k, chars=b.chars, flops=b.flops, seconds=b.seconds)


def show_board(r: BoardRead, key: str) -> None:
    """The two pairings as tables, then the sentences read from them."""
    b = r.board
    st.markdown("**" + t("score.pairing_same", k=b.context) + "**")
    st.dataframe(same_k_table(r), hide_index=True, key=f"{key}_same")
    st.markdown("**" + t("score.pairing_best", k=b.context, best=b.best_k) + "**")
    st.dataframe(best_order_table(b), hide_index=True, key=f"{key}_best")
    st.caption(t("score.examples", n=b.examples))
    st.markdown(board_summary(r))


def curve_chart(gpt_curve, kn_points) -> go.Figure:
    """Held-out bits per character against training characters (log axis): GPT checkpoints, KN on prefixes."""
    fig = go.Figure()
    if gpt_curve:
        fig.add_trace(
            go.Scatter(
                x=[c.chars for c in gpt_curve],
                y=[c.bits for c in gpt_curve],
                customdata=[[c.step, c.flops] for c in gpt_curve],
                hovertemplate=t("score.curve_gpt_hover") + "<extra></extra>",
                mode="lines+markers",
                name=t("score.curve_gpt"),
            )
        )
    fig.add_trace(
        go.Scatter(
            x=[p.chars for p in kn_points],
            y=[p.bits for p in kn_points],
            customdata=[[p.best_k] for p in kn_points],
            hovertemplate=t("score.curve_kn_hover") + "<extra></extra>",
            mode="lines+markers",
            name=t("score.curve_kn"),
        )
    )
    fig.update_xaxes(type="log", title_text=t("score.curve_x"))
    fig.update_yaxes(title_text=t("model_views.bits_axis"))
    fig.update_layout(height=380, margin=dict(t=40, b=10), legend={"orientation": "h", "yanchor": "bottom", "y": 1.02, "x": 0})
    return fig


def curve_table(gpt_curve, kn_points) -> pd.DataFrame:
    """The learning curve's points as a table: each GPT checkpoint with its FLOPs (and its validation bits, where the
    run recorded them), each Kneser-Ney prefix with its order.

    A cell with no value is missing (shown as the page's placeholder, "—"), never a "—" in a column of numbers."""
    validation = any(c.validation_bits is not None for c in gpt_curve)
    val = lambda c: None if c.validation_bits is None else round(c.validation_bits, 3)  # noqa: E731
    rows = [(t("score.curve_gpt"), c.chars, f"{c.flops:.2g}", c.step, None, round(c.bits, 3), val(c)) for c in gpt_curve]
    rows += [(t("score.curve_kn"), p.chars, NA, None, p.best_k, round(p.bits, 3), None) for p in kn_points]
    names = ("col_model", "col_chars", "col_flops", "col_step", "col_order", "col_curve_bits") + (
        ("col_validation",) if validation else ()
    )
    whole = {"col_step", "col_order"}
    return pd.DataFrame(
        {t(f"score.{n}"): pd.array([r[i] for r in rows], dtype="Int64" if n in whole else None) for i, n in enumerate(names)}
    )


def nanogpt_table() -> pd.DataFrame:
    """nanoGPT's published Tiny Shakespeare figures (`core.pages.text_models.nanogpt`), not measured here."""
    rows = nanogpt()
    return pd.DataFrame(
        {
            t("score.col_recipe"): [t(f"score.nano_{r.recipe}") for r in rows],
            t("score.col_shape"): [r.shape for r in rows],
            t("score.col_context"): [r.context for r in rows],
            t("score.col_batch"): [r.batch for r in rows],
            t("score.col_steps"): [r.steps for r in rows],
            t("score.col_nats"): [r.nats for r in rows],
            t("score.col_bits"): [round(r.bits, 2) for r in rows],
        }
    )


def two_samples(gpt_text: str, table_text: str, k: int) -> None:
    """A GPT's sample beside the count table's, in two columns."""
    a, b = st.columns(2)
    a.markdown(t("text_models.gpt_sample"))
    a.code(gpt_text, language=None, wrap_lines=True)
    b.markdown(t("text_models.ngram_sample", k=k))
    b.code(table_text, language=None, wrap_lines=True)


def show_own(o: Own) -> None:
    """The own tab under its inputs: the run's figures, its board, the one trained beforehand beside it, samples."""
    g, k = o.run, o.key.k
    m1, m2, m3, m4 = st.columns(4)
    m1.metric(t("text_models.params"), f"{g.n_params:,}")
    m2.metric(t("text_models.steps_done"), f"{g.steps:,}")
    m3.metric(t("text_models.seconds"), f"{g.seconds:.1f}")
    m4.metric(t("text_models.tokens_per_second"), f"{g.tokens_per_second:,.0f}")
    st.caption(t("score.own_budget_note", budget=budget(o.read.budget), max_steps=MAX_TEXT_STEPS, cap=MAX_TEXT_FLOPS))
    show_board(o.read, "tm_own")
    if (v := o.versus) is not None:
        both = dict(k=v.k, times=v.times, pre_all=v.pre_all, own_all=v.own_all, pre_n=v.pre_n, own_n=v.own_n)
        if v.same_contexts:  # the same never-seen contexts
            st.markdown(t("score.own_vs_pre", pre=v.pre_unseen, own=v.own_unseen, **both))
        else:  # other contexts: the never-seen sets differ, only the overall costs compare
            st.markdown(t("score.own_vs_pre_all", own_k=v.own_k, **both))
    c = g.comparison
    st.caption(t("text_models.scored", evaluated=c.evaluated_examples, heldout=c.heldout_examples, loss=g.final_loss_bits))
    st.markdown(t("text_models.samples", n=SAMPLE_CHARS, start=shown(g.prompt), seed=o.key.seed))
    two_samples(g.gpt_sample, g.ngram_sample, k)
