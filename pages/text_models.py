"""Vocabulary & GPT: vocabulary size on real text, and a GPT against the n-gram on never-seen contexts."""

import streamlit as st

from core.address import read_number
from core.text.corpus import ALPHABETS, BUILTIN
from core.text.limits import (
    MAX_SPAN,
    MAX_SWEEP_K,
    MAX_TEXT_CONTEXT,
    MAX_TEXT_FLOPS,
    MAX_TEXT_STEPS,
    MAX_VOCAB_SIZES,
    MIN_SPAN,
)
from core.text.pretrained import pretrained_key
from core.text.sides import sides
from ui import i18n, sides_views, text_views
from ui import model_views as views
from ui.cache import (
    name_samples,
    pretrain_spec,
    pretrained_board,
    pretrained_samples,
    pretrained_status,
    shipped_model,
    table_on_curve,
    text_gpt_board,
    text_kn_curve,
    text_vocab,
)
from ui.charts import PLOTLY_CONFIG
from ui.i18n import inert, t
from ui.inputs import BIND, SEED_MAX, Refused, bound, bound_many, choice, from_address, number, tabs
from ui.path import answer_slot, next_step, question
from ui.router import through_router

through_router()

MAX_K = MAX_TEXT_CONTEXT
NAME_CHARS = 300  # characters drawn from each names model

st.title(t("text_models.title"))
question("text_models")
answer = answer_slot()
st.markdown(t("text_models.intro"))
corpus = BUILTIN[choice(t("parallel.tm_corpus"), list(BUILTIN), "tm_corpus", lambda name: name, horizontal=True)]
own = "" if corpus.language == "en" else f"_{corpus.language}"  # Chinese keeps its own span, sentence and alphabet
description = text_views.description(corpus.name)
license_ = text_views.license_of(corpus.name)
st.caption(t("text_models.corpus", description=description, license=license_, heldout=views.HELDOUT))

# The answer: the GPTs trained beforehand against the count tables (shipped or stored, never trained here).
status, info = pretrained_status()
pre = info.get("model")
names = shipped_model("names")
if status == "ready":
    key = pretrained_key(pre.spec)
    board = pretrained_board(key, pre)
    tc, mc = pre.spec.train, pre.spec.model
    pre_budget = views.budget(tc.steps, tc.batch_size, mc.block_size, pre.flops, pre.seconds)
    two = sides({pre.spec.corpus: board} | ({"names": names[1]} if names else {}))
    if names:  # both sides: the documentation beside the names
        budgets = {pre.spec.corpus: (tc.steps, pre.flops), "names": (names[0].spec.train.steps, names[0].flops)}
        answer.markdown(sides_views.answer(two, budgets))
    else:
        answer.markdown(views.real_scale(board, pre.spec.corpus, pre.spec.alphabet, tc.steps, pre.flops))
elif status == "training":
    answer.info(t("score.pre_training", step=info["step"], steps=info["steps"] or pretrain_spec().train.steps))
elif status == "elsewhere":
    answer.info(t("score.pre_elsewhere"))
elif status == "failed":
    answer.warning(t("score.pre_failed", error=inert(info["error"])))
else:
    answer.info(t("score.pre_off"))

TABS = {code: t(f"text_models.tab_{code}") for code in ("board", "own", "vocab")}  # codes in the address (?tm_tab=own)
open_tab, tab = tabs(TABS, "tm_tab")  # only the open tab is computed
if open_tab == "board" and status == "ready":
    with tab["board"]:
        st.markdown("**" + t("score.sides_title") + "**")
        st.dataframe(sides_views.table(two), hide_index=True, key="tm_sides")
        st.markdown(sides_views.lesson(two))
        st.page_link("pages/train_explore.py", label=t("score.names_bridge"), query_params={"tab": "unseen", "lang": i18n.lang()})
        shown = [pre.spec.corpus] + (["names"] if names else [])
        side = choice(t("score.side_pick"), shown, "tm_side", lambda name: name, horizontal=True)
        p, b = (pre, board) if side == pre.spec.corpus else names
        pc, pm = p.spec.train, p.spec.model
        p_budget = views.budget(pc.steps, pc.batch_size, pm.block_size, p.flops, p.seconds)
        st.markdown(t("score.pre_intro", cap=MAX_TEXT_FLOPS, times=p.flops / MAX_TEXT_FLOPS))
        st.caption(
            t(
                "score.pre_budget", params=p.n_params, n_layer=pm.n_layer, n_head=pm.n_head, n_embd=pm.n_embd,
                k=pm.block_size, lr=pc.lr, warmup=pc.warmup_steps, min_lr=pc.min_lr, beta2=pc.beta2, clip=pc.grad_clip,
                budget=p_budget, threads=p.threads,
            )
            + (t("score.pre_dropout", dropout=pm.dropout) if pm.dropout else "")
            + " "
            + t(
                "text_models.corpus", description=text_views.description(p.spec.corpus),
                license=text_views.license_of(p.spec.corpus), heldout=p.spec.heldout,
            )
        )  # fmt: skip
        with st.expander(t("score.whole_board", corpus=side, k=b.context, best=b.best_k)):
            views.show_board(b, p_budget, "tm_pre")
        kn_points = text_kn_curve(p.spec.corpus, p.spec.alphabet, p.spec.heldout)
        table_bits, examples = table_on_curve(pretrained_key(p.spec), p, b.best_k)  # on the curve's own examples
        st.markdown(sides_views.curve_sentence(p.curve, table_bits, b.best_k, pc.steps, p.flops, examples))
        with st.expander(t("score.curve_title")):
            st.plotly_chart(views.curve_chart(p.curve, kn_points), key="tm_curve", config=PLOTLY_CONFIG)
            st.caption(t("score.curve_note", n=examples))
            st.dataframe(views.curve_table(p.curve, kn_points), hide_index=True, key="tm_curve_table", placeholder="—")
        if side == "names":
            sides_views.samples(name_samples(pretrained_key(p.spec), p, b.best_k, NAME_CHARS, 0), NAME_CHARS, 0, b.best_k)
        else:
            prompt, gpt_text, kn_text = pretrained_samples(key, pre, board.best_k, views.SAMPLE_CHARS, 0)
            with st.expander(t("score.samples_pre", n=views.SAMPLE_CHARS, start=views.shown(prompt), seed=0, k=board.best_k)):
                a, b = st.columns(2)
                a.markdown(t("text_models.gpt_sample"))
                a.code(gpt_text, language=None, wrap_lines=True)
                b.markdown(t("text_models.ngram_sample", k=board.best_k))
                b.code(kn_text, language=None, wrap_lines=True)
elif open_tab == "board":
    tab["board"].info(t("text_models.board_wait"))
if open_tab == "board":
    with tab["board"].expander(t("score.nano_title")):
        st.dataframe(views.nanogpt_table(), hide_index=True, key="tm_nanogpt")
        st.caption(t("score.nano_note"))

if open_tab == "own":
    with tab["own"]:
        c1, c2, c3, c4 = st.columns(4)
        default = "raw" if corpus.language == "zh" else "shannon27"  # shannon27 would erase every Chinese character
        alphabet = bound("radio", t("text_models.alphabet"), ALPHABETS, f"tm_alphabet{own}", c1, index=ALPHABETS.index(default))
        if corpus.language == "zh":
            c1.caption(t("parallel.tm_cjk"))
        try:
            k = number(t("text_models.context"), 1, MAX_K, 8, "tm_k", c2)
            steps = number(t("text_models.steps"), 1, MAX_TEXT_STEPS, 300, "tm_steps", c3)
            seed = number(t("text_models.seed"), 0, SEED_MAX, 0, "tm_seed", c4)
        except Refused:
            st.stop()
        shape = views.MODEL_SHAPE
        st.caption(t("text_models.model", max_steps=MAX_TEXT_STEPS, **shape))
        gpt_args = (corpus.name, alphabet, k, steps, seed, views.HELDOUT, tuple(shape.values()), views.SAMPLE_CHARS)
        if (g := views.run_with_loss(text_gpt_board, *gpt_args, label=t("text_models.training_gpt"))) is None:
            st.stop()
        m1, m2, m3, m4 = st.columns(4)
        m1.metric(t("text_models.params"), f"{g.n_params:,}")
        m2.metric(t("text_models.steps_done"), f"{g.steps:,}")
        m3.metric(t("text_models.seconds"), f"{g.seconds:.1f}")
        m4.metric(t("text_models.tokens_per_second"), f"{g.tokens_per_second:,.0f}")
        own_budget = views.budget(g.steps, views.BATCH, k, g.flops, g.seconds)
        st.caption(t("score.own_budget_note", budget=own_budget, max_steps=MAX_TEXT_STEPS, cap=MAX_TEXT_FLOPS))
        views.show_board(g.board, own_budget, "tm_own")
        if status == "ready" and alphabet == pre.spec.alphabet and corpus.name == pre.spec.corpus:
            p, o = board, g.board
            both = dict(k=p.context, times=pre.flops / g.flops, pre_all=p.gpt.overall, own_all=o.gpt.overall)
            both |= dict(pre_n=p.examples, own_n=o.examples)
            if k == p.context and p.gpt.unseen is not None and o.gpt.unseen is not None:  # the same never-seen contexts
                st.markdown(t("score.own_vs_pre", pre=p.gpt.unseen, own=o.gpt.unseen, **both))
            else:  # other contexts: the never-seen sets differ, only the overall costs compare
                st.markdown(t("score.own_vs_pre_all", own_k=k, **both))
        c = g.comparison
        st.caption(t("text_models.scored", evaluated=c.evaluated_examples, heldout=c.heldout_examples, loss=g.final_loss_bits))
        st.markdown(t("text_models.samples", n=views.SAMPLE_CHARS, start=views.shown(g.prompt), seed=seed))
        a, b = st.columns(2)
        a.markdown(t("text_models.gpt_sample"))
        a.code(g.gpt_sample, language=None, wrap_lines=True)
        b.markdown(t("text_models.ngram_sample", k=k))
        b.code(g.ngram_sample, language=None, wrap_lines=True)

if open_tab == "vocab":
    with tab["vocab"]:
        c1, c2 = st.columns([3, 1])
        sizes = bound_many(t("text_models.sizes"), views.SIZES, "tm_sizes", c1, MAX_VOCAB_SIZES, default=[256, 1024, 4096])
        from_address(f"tm_span{own}", lambda v: read_number(v, MIN_SPAN, MAX_SPAN, whole=True))
        span = c2.number_input(
            t("text_models.span", low=MIN_SPAN, high=MAX_SPAN, max_k=MAX_SWEEP_K), value=views.SPANS[corpus.language], step=1,
            key=f"tm_span{own}", bind=BIND,
            help=t("text_models.span_help", max_k=MAX_SWEEP_K),
        )  # fmt: skip
        if not sizes:
            st.info(t("text_models.no_sizes"))
            st.stop()
        result = views.run_with_loss(
            text_vocab, corpus.name, tuple(sorted(sizes)), int(span), views.HELDOUT, label=t("text_models.training_tokenizers")
        )
        if result is not None:
            rows = result.rows
            st.dataframe(
                views.vocab_table(rows),
                hide_index=True,
                column_config=views.vocab_columns(),
                key="tm_vocab_table",
                placeholder="—",
            )
            early = [r for r in rows if r.vocab_size < r.vocab_asked]
            if early:
                st.caption(t("text_models.stopped_early", sizes=", ".join(f"{r.vocab_asked:,}" for r in early)))
            st.caption(t("text_models.vocab_note", span=int(span)))
            st.plotly_chart(views.vocab_chart(rows), key="tm_vocab_chart", config=PLOTLY_CONFIG)
            with st.expander(t("text_models.sentence_head"), expanded=True):
                sentence = st.text_input(
                    t("text_models.sentence"), views.SENTENCES[corpus.language], key=f"tm_sentence{own}", max_chars=300
                )
                for row, tok in zip(rows, result.tokenizers, strict=True):
                    st.markdown(t("text_models.tokens", n=row.vocab_size))
                    st.code(views.preview(tok, sentence), language=None, wrap_lines=True)
        with st.expander(t("text_models.published")):
            st.dataframe(views.published_table(), hide_index=True, key="tm_published")

next_step("text_models")
