"""Vocabulary & GPT's two sides: the documentation, where the count table wins, beside names, where the GPT wins.

Words only: every number and verdict comes from the page model (`core.pages.text_models`: the answer, the side a
visitor picks), over `core.text.sides` (the boards side by side, the lesson as data, where a learning curve crosses
the table) and `core.text.pretrained` (the shipped models and their samples).
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from core.pages.text_models import SAMPLE_CHARS, Answer, Budget, SideView
from core.text.limits import MAX_TEXT_FLOPS
from core.text.pretrained import Pretrained
from core.text.sides import Side, Sides
from ui import text_views
from ui.charts import PLOTLY_CONFIG
from ui.i18n import inert, t
from ui.model_views import budget, curve_chart, curve_table, joined, said, show_board, shown, two_samples


def _names(corpora: tuple[str, ...]) -> str:
    return t("score.list_sep").join(f"`{c}`" for c in corpora)


def waiting(slot, status: str, info: dict, steps: int) -> None:
    """The answer's place while no GPT trained beforehand is ready: training (of `steps`), elsewhere, failed or off."""
    if status == "training":
        slot.info(t("score.pre_training", step=info["step"], steps=info["steps"] or steps))
    elif status == "elsewhere":
        slot.info(t("score.pre_elsewhere"))
    elif status == "failed":
        slot.warning(t("score.pre_failed", error=inert(info["error"])))
    else:
        slot.info(t("score.pre_off"))


def side_sentence(s: Side, b: Budget) -> str:
    """One text in a sentence: its share of never-seen contexts, the best table and the GPT (with its budget) overall,
    who is ahead."""
    return t(
        "score.side", corpus=s.corpus, k=s.context, fraction=s.unseen_fraction, best=s.best_k, table=s.table.overall,
        gpt=s.gpt.overall, steps=b.steps, flops=b.flops,
    ) + said(s.overall)  # fmt: skip


def lesson(a: Answer) -> str:
    """The conclusion, chosen by who is ahead where (never a sentence the numbers do not support)."""
    x = a.sides
    words = {"both": dict(table=_names(x.table_ahead), gpt=_names(x.gpt_ahead))}
    words |= {"gpt": dict(gpt=_names(x.gpt_ahead)), "table": dict(table=_names(x.table_ahead))}
    parts = [] if a.winners is None else [t(f"score.lesson_{a.winners}", **words[a.winners])]
    if a.mix_everywhere:
        parts.append(t("score.lesson_mix_all"))
    elif x.mix_better:
        parts.append(t("score.lesson_mix_some", corpora=_names(x.mix_better)))
    return joined(parts)


def real_scale(a: Answer) -> str:
    """The real-scale step of the argument from one board's verdict: the share of never-seen contexts at k, who wins
    on them and by how much at which budget, and whether the two mixed beat both."""
    v, corpus, b = a.alone, a.sides.sides[0].corpus, a.budgets[0]
    symbols = dict(V=a.vocab, alphabet=t(f"real_text.alphabet_{a.alphabet}"))
    parts = [t("score.real_share", corpus=corpus, k=v.context, fraction=v.unseen_fraction, **symbols)]
    if v.unseen_lead is not None:
        parts.append(t("score.real_unseen", kn=v.kn_unseen, gpt=v.gpt_unseen, steps=b.steps, flops=b.flops) + said(v.unseen_lead))
    key = "score.real_mix_better" if v.mix_better else "score.real_mix_same"
    parts.append(t(key, mix=v.mix_overall, gpt=v.gpt_overall, kn=v.kn_overall))
    return joined(parts)


def answer(a: Answer) -> str:
    """Vocabulary & GPT's answer: each text in a sentence, then the lesson; or the one board's verdict."""
    if a.alone is not None:
        return real_scale(a)
    return joined([side_sentence(s, b) for s, b in zip(a.sides.sides, a.budgets, strict=True)] + [lesson(a)])


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


def show_sides(a: Answer) -> None:
    """The board tab's head: both texts side by side, and the lesson."""
    st.markdown("**" + t("score.sides_title") + "**")
    st.dataframe(table(a.sides), hide_index=True, key="tm_sides")
    st.markdown(lesson(a))


def curve_sentence(v: SideView, steps: int, flops: float) -> str:
    """Where the GPT's learning curve passes the count table's cost on the same examples, or that it does not."""
    p = v.crossing
    numbers = dict(table=v.table_bits, k=v.read.board.best_k, n=v.examples)
    if p is None:
        return t("score.no_crossing", steps=steps, flops=flops, **numbers)
    return t("score.crossing", step=p.step, flops=p.flops, bits=p.bits, **numbers)


def samples(v: SideView, n: int, seed: int, rows: int = 12) -> None:
    """The first names each model drew, side by side, each marked new or known, and the share of new ones."""
    x, best_k = v.names, v.read.board.best_k
    st.markdown(t("score.names_samples", n=n, seed=seed, k=best_k))
    mark = lambda names: [f"{inert(name)}{t('score.name_new') if new else ''}" for name, new in names[:rows]]  # noqa: E731
    gpt, table_ = mark(x.gpt), mark(x.table)
    length = max(len(gpt), len(table_))
    pad = lambda names: names + [""] * (length - len(names))  # noqa: E731
    frame = pd.DataFrame({t("score.names_gpt"): pad(gpt), t("score.names_table", k=best_k): pad(table_)})
    st.dataframe(frame, hide_index=True, key="tm_names_samples")
    gpt_share, table_share = v.new_share
    if gpt_share is not None and table_share is not None:
        st.caption(t("score.names_new", gpt=gpt_share, gpt_n=len(x.gpt), table=table_share, table_n=len(x.table), k=best_k))


def text_samples(drawn: tuple[str, str, str], best_k: int) -> None:
    """A GPT trained beforehand and its table, each drawing after the same held-out start (prompt, GPT, table)."""
    prompt, gpt_text, kn_text = drawn
    with st.expander(t("score.samples_pre", n=SAMPLE_CHARS, start=shown(prompt), seed=0, k=best_k)):
        two_samples(gpt_text, kn_text, best_k)


def show_side(v: SideView, p: Pretrained, kn_points, name_chars: int) -> None:
    """One GPT trained beforehand on the board tab: its budget and recipe, its whole board, its learning curve beside
    the table's (Kneser-Ney on growing prefixes), and for names the names each model drew."""
    pc, pm, b = p.spec.train, p.spec.model, v.read.board
    st.markdown(t("score.pre_intro", cap=MAX_TEXT_FLOPS, times=v.times_cap))
    st.caption(
        t(
            "score.pre_budget", params=p.n_params, n_layer=pm.n_layer, n_head=pm.n_head, n_embd=pm.n_embd,
            k=pm.block_size, lr=pc.lr, warmup=pc.warmup_steps, min_lr=pc.min_lr, beta2=pc.beta2, clip=pc.grad_clip,
            budget=budget(v.read.budget), threads=p.threads,
        )
        + (t("score.pre_dropout", dropout=pm.dropout) if pm.dropout else "")
        + " "
        + t(
            "text_models.corpus", description=text_views.description(v.corpus),
            license=text_views.license_of(v.corpus), heldout=p.spec.heldout,
        )
    )  # fmt: skip
    with st.expander(t("score.whole_board", corpus=v.corpus, k=b.context, best=b.best_k)):
        show_board(v.read, "tm_pre")
    st.markdown(curve_sentence(v, pc.steps, p.flops))
    with st.expander(t("score.curve_title")):
        st.plotly_chart(curve_chart(p.curve, kn_points), key="tm_curve", config=PLOTLY_CONFIG)
        st.caption(t("score.curve_note", n=v.examples))
        st.dataframe(curve_table(p.curve, kn_points), hide_index=True, key="tm_curve_table", placeholder="—")
    if v.names is not None:
        samples(v, name_chars, 0)
