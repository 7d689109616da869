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
from core.text.pretrained import CURVE_EXAMPLES, pretrained_key
from ui import model_views as views
from ui import text_views
from ui.cache import (
    pretrain_spec,
    pretrained_board,
    pretrained_samples,
    pretrained_status,
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

st.title(t("text_models.title"))
question("text_models")
answer = answer_slot()
st.markdown(t("text_models.intro"))
corpus = BUILTIN[choice(t("parallel.tm_corpus"), list(BUILTIN), "tm_corpus", lambda name: name, horizontal=True)]
own = "" if corpus.language == "en" else f"_{corpus.language}"  # Chinese keeps its own span, sentence and alphabet
description = text_views.description(corpus.name)
license_ = text_views.license_of(corpus.name)
st.caption(t("text_models.corpus", description=description, license=license_, heldout=views.HELDOUT))

# The answer: the GPT trained beforehand against the count table (read from the result store, never trained here).
status, info = pretrained_status()
pre = info.get("model")
if status == "ready":
    key = pretrained_key(pre.spec)
    board = pretrained_board(key, pre)
    tc, mc = pre.spec.train, pre.spec.model
    pre_budget = views.budget(tc.steps, tc.batch_size, mc.block_size, pre.flops, pre.seconds)
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
        st.markdown(t("score.pre_intro", cap=MAX_TEXT_FLOPS, times=pre.flops / MAX_TEXT_FLOPS))
        st.caption(
            t(
                "score.pre_budget", params=pre.n_params, n_layer=mc.n_layer, n_head=mc.n_head, n_embd=mc.n_embd,
                k=mc.block_size, lr=tc.lr, warmup=tc.warmup_steps, min_lr=tc.min_lr, beta2=tc.beta2, clip=tc.grad_clip,
                budget=pre_budget, threads=pre.threads,
            )
            + " "
            + t(
                "text_models.corpus", description=text_views.description(pre.spec.corpus),
                license=text_views.license_of(pre.spec.corpus), heldout=pre.spec.heldout,
            )
        )  # fmt: skip
        views.show_board(board, pre_budget, "tm_pre")
        with st.expander(t("score.curve_title")):
            kn_points = text_kn_curve(pre.spec.corpus, pre.spec.alphabet, pre.spec.heldout)
            st.plotly_chart(views.curve_chart(pre.curve, kn_points), key="tm_curve", config=PLOTLY_CONFIG)
            st.caption(t("score.curve_note", n=CURVE_EXAMPLES))
            st.dataframe(views.curve_table(pre.curve, kn_points), hide_index=True, key="tm_curve_table", placeholder="—")
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
