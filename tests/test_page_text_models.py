"""The "Vocabulary & GPT" page model (`core.pages.text_models`), without the web stack: its numbers against hand-made
boards and closed forms, its verdicts against the shipped boards read directly, its rules at their edges."""

import math
from types import SimpleNamespace

import pytest

from core.arith.statespace import count_states, states_log10
from core.pages import text_models as pm
from core.text import pretrained
from core.text.corpus import BUILTIN, CorpusError, builtin_text, symbolize
from core.text.limits import MAX_TEXT_FLOPS
from core.text.scoreboard import LEVEL_BITS, Board, Chain, Costs, Lead, verdict
from core.text.sides import NameSamples


def board(gpt=(2.0, 1.0, 3.0), kn=(1.8, 0.5, 3.2), kn_best=(1.7, 0.6, 2.9), mix=(1.6, 0.5, 2.8), k=8, seen=0.25) -> Board:
    """A board with the given (overall, seen, never-seen) costs; everything else fixed."""
    chain = Chain(
        coverage=seen, zero_fraction=0.0, seen_bits=0.4, positive_bits=0.4, uniform_bits=math.log2(27), overall_bits=4.0
    )
    return Board(
        context=k, vocab=27, examples=1000, seen_fraction=seen, chain=chain, kn=Costs(*kn), kn_one=Costs(1.9, 0.6, 3.3),
        best_k=5, kn_best=Costs(*kn_best), best_unseen_fraction=0.5, gpt=Costs(*gpt), mix=Costs(*mix), mix_weight=0.3,
        fit_examples=800,
    )  # fmt: skip


def fake_pretrained(spec, flops=2e13, seconds=400.0, curve=()):
    return SimpleNamespace(spec=spec, flops=flops, seconds=seconds, curve=curve)


@pytest.fixture(scope="module")
def shipped():
    """The two GPTs trained beforehand, with their recorded boards."""
    out = {}
    for corpus, spec in pretrained.SPECS.items():
        p, b = pretrained.shipped(spec), pretrained.shipped_board(spec)
        if p is None or b is None:
            pytest.skip(f"the {corpus} GPT does not ship here")
        out[corpus] = (p, b)
    return out


def test_defaults_follow_the_corpus_language_and_every_builtin_text_takes_its_alphabet():
    en, zh = pm.defaults("en"), pm.defaults("zh")
    assert (en.alphabet, en.span, en.suffix, en.raw_only) == ("shannon27", 32, "", False), en
    assert (zh.alphabet, zh.span, zh.suffix, zh.raw_only) == ("raw", 12, "_zh", True), zh
    for name, corpus in BUILTIN.items():
        d = pm.defaults(corpus.language)
        symbolize(builtin_text(name)[:20_000], d.alphabet)  # raises a CorpusError if the default erased the text
    with pytest.raises(CorpusError):
        symbolize(pm.defaults("zh").sentence, "shannon27")  # the reason Chinese defaults to raw
    assert symbolize(pm.defaults("en").sentence, "shannon27").vocab <= 27, "the English sentence folds to Shannon's 27"


def test_a_budget_counts_every_window_character_with_its_repeats():
    b = pm.budget(300, 64, 8, 9.3e10, 4.0)
    assert b.chars == 153_600, f"300 steps x 64 windows x 8 characters, the page's own default: {b}"
    assert (b.steps, b.batch, b.k, b.flops, b.seconds) == (300, 64, 8, 9.3e10, 4.0)


def test_a_board_is_read_as_leads_with_the_level_margin():
    r = pm.read(board(), pm.budget(1, 1, 8, 1.0, 1.0))
    assert r.unseen == Lead("gpt", pytest.approx(0.2)), f"never-seen: GPT 3.0 against Kneser-Ney 3.2 at k: {r.unseen}"
    assert r.seen == Lead("table", pytest.approx(0.5)), f"seen: GPT 1.0 against 0.5: {r.seen}"
    assert r.best == Lead("table", pytest.approx(0.3)), f"overall: GPT 2.0 against the best order's 1.7: {r.best}"
    assert r.unseen_fraction == pytest.approx(0.75), "a quarter seen: three quarters never seen"
    assert r.mix_better, "1.6 overall is below both 2.0 and 1.8 by more than the margin"
    near = pm.read(board(gpt=(2.0, 1.0, 3.0), kn=(1.8, 0.5, 3.0 + LEVEL_BITS / 2), mix=(1.8 - LEVEL_BITS / 2, 0.5, 3.0)), None)
    assert near.unseen.ahead == "level", f"closer than {LEVEL_BITS} bits is level: {near.unseen}"
    assert not near.mix_better, "a mixture within the margin of the better one alone is not better"
    none_unseen = pm.read(board(gpt=(2.0, 1.0, None), kn=(1.8, 0.5, None)), None)
    assert none_unseen.unseen is None and none_unseen.seen is not None, "no never-seen example: no lead on them"


def test_pairing_one_gives_the_chain_no_prediction_on_never_seen_contexts_and_log2_v_with_a_uniform_guess():
    rows = dict(pm.read(board(), None).same_k)
    assert list(rows) == ["chain", "chain_uniform", "kn_one", "kn", "gpt", "mix"], "the page's row order"
    assert rows["chain"] == Costs(None, 0.4, None), rows["chain"]
    assert rows["chain_uniform"].unseen == pytest.approx(math.log2(27)), "a uniform guess over 27 symbols"
    assert rows["chain_uniform"].overall == 4.0 and rows["gpt"] == Costs(2.0, 1.0, 3.0)


def test_the_answer_reads_the_shipped_boards_each_text_its_own_winner(shipped):
    (docs, docs_board), names = shipped["python-docs"], shipped["names"]
    a = pm.answer(docs, docs_board, names)
    by = {s.corpus: s for s in a.sides.sides}
    for corpus, (_, b) in shipped.items():
        gap = b.kn_best.overall - b.gpt.overall  # > 0: the GPT costs less than the best table
        assert by[corpus].overall.bits == pytest.approx(abs(gap)), corpus
        assert by[corpus].overall.ahead == ("gpt" if gap > LEVEL_BITS else "table" if gap < -LEVEL_BITS else "level")
    assert by["python-docs"].overall.ahead == "table" and by["names"].overall.ahead == "gpt", "the page's two winners"
    assert a.winners == "both" and a.alone is None
    mixes = [b.mix.overall < min(b.gpt.overall, b.kn_best.overall) - LEVEL_BITS for _, b in shipped.values()]
    assert a.mix_everywhere == all(mixes), mixes
    steps = [(b.steps, b.chars) for b in a.budgets]
    assert steps == [(2_000, 2_000 * 32 * 64), (24_000, 24_000 * 64 * 16)], f"each GPT's recipe: {steps}"
    assert a.key == (pretrained.pretrained_key(docs.spec), pretrained.pretrained_key(names[0].spec))


def test_without_the_names_gpt_the_one_board_answers_with_its_verdict(shipped):
    docs, docs_board = shipped["python-docs"]
    a = pm.answer(docs, docs_board, None)
    assert a.alone == verdict(docs_board), "the board's own verdict"
    assert [s.corpus for s in a.sides.sides] == ["python-docs"] and a.winners == "table"
    assert (a.vocab, a.alphabet) == (27, "shannon27")


def test_a_side_names_its_flops_over_the_cap_its_crossing_and_its_share_of_new_names():
    curve = tuple(pretrained.CurvePoint(step, 100 * step, 1e9 * step, bits) for step, bits in ((1, 3.0), (2, 2.5), (3, 1.9)))
    p = fake_pretrained(pretrained.NAMES, flops=3e13, curve=curve)
    drawn = NameSamples(gpt=(("ann", False), ("zed", True), ("bo", True), ("al", False)), table=(("ann", False),))
    v = pm.side_view(p, board(k=16), 2.6, 500, drawn)
    assert v.times_cap == pytest.approx(3e13 / MAX_TEXT_FLOPS) == pytest.approx(15.0), v.times_cap
    assert v.crossing == curve[1], "the first checkpoint below 2.6 bits is step 2 (2.5)"
    assert pm.side_view(p, board(), 1.5, 500).crossing is None, "never below 1.5: no crossing"
    assert v.new_share == (0.5, 0.0), "two of four of the GPT's names are new, none of the table's"
    assert pm.side_view(p, board(), 2.6, 500).new_share == (None, None), "no names drawn: no share"
    assert v.read.budget.chars == 24_000 * 64 * 16 and v.key == pretrained.pretrained_key(pretrained.NAMES)


def test_the_own_gpt_is_compared_only_on_the_same_text_and_alphabet_and_its_never_seen_costs_only_at_the_same_k():
    spec = pretrained.PRETRAINED  # python-docs, shannon27, k = 64
    pre = (fake_pretrained(spec, flops=2e13), board(k=64, gpt=(1.8, 1.2, 1.9)))
    run = SimpleNamespace(board=board(k=64), flops=1e11, steps=300, seconds=4.0)
    same = pm.own(run, pm.OwnKey("python-docs", "shannon27", 64, 300, 0), pre).versus
    assert same is not None and same.same_contexts, "same text, alphabet and k: the never-seen costs compare"
    assert same.times == pytest.approx(200.0), "2e13 FLOPs over 1e11"
    assert (same.pre_unseen, same.own_unseen, same.pre_all, same.own_all) == (1.9, 3.0, 1.8, 2.0)
    other_k = pm.own(
        SimpleNamespace(board=board(k=8), flops=1e11, steps=300, seconds=4.0),
        pm.OwnKey("python-docs", "shannon27", 8, 300, 0),
        pre,
    )
    assert not other_k.versus.same_contexts and other_k.versus.own_k == 8, "other k: only the overall costs compare"
    no_unseen = pm.own(SimpleNamespace(board=board(k=64, gpt=(2.0, 1.0, None)), flops=1e11, steps=1, seconds=1.0),
                       pm.OwnKey("python-docs", "shannon27", 64, 1, 0), pre)  # fmt: skip
    assert not no_unseen.versus.same_contexts, "no never-seen example: nothing to compare on them"
    assert pm.own(run, pm.OwnKey("python-docs", "raw", 64, 300, 0), pre).versus is None, "another alphabet"
    assert pm.own(run, pm.OwnKey("names", "shannon27", 64, 300, 0), pre).versus is None, "another text"
    assert pm.own(run, pm.OwnKey("python-docs", "shannon27", 64, 300, 0), None).versus is None, "nothing trained before"
    assert pm.own(run, pm.OwnKey("python-docs", "raw", 8, 300, 0), None).read.budget.chars == 300 * pm.BATCH * 8


def test_the_own_key_is_the_cached_runs_arguments_in_order():
    key = pm.OwnKey("names", "raw", 8, 300, 1)
    assert tuple(key) == ("names", "raw", 8, 300, 1, 0.1, (2, 4, 64), 200), tuple(key)
    assert hash(key) == hash(pm.OwnKey("names", "raw", 8, 300, 1)), "a cache key: equal inputs hash alike"


def test_the_vocab_tab_names_the_sizes_its_tokenizer_did_not_reach():
    row = lambda asked, reached: SimpleNamespace(vocab_asked=asked, vocab_size=reached)  # noqa: E731
    key = pm.vocab_key("names", [4096, 256, 1024], 12.0)
    assert key == ("names", (256, 1024, 4096), 12, 0.1) and isinstance(key.span, int), key
    v = pm.vocab(SimpleNamespace(rows=(row(256, 256), row(1024, 1024), row(4096, 3011)), tokenizers=()), key)
    assert v.stopped_early == (4096,), v.stopped_early
    assert pm.vocab(SimpleNamespace(rows=(row(256, 256),), tokenizers=()), key).stopped_early == ()


def test_published_models_carry_the_articles_yardstick():
    rows = {p.name: p for p in pm.published()}
    assert round(rows["GPT-3"].bits_per_state) == 31_984, "the article: log2(50,257) * 2048 = 31,984 bits per state"
    for p in rows.values():
        assert p.bits_per_state == pytest.approx(p.context * math.log2(p.vocab), rel=1e-12), p.name
        exact = count_states(p.vocab, p.context).log10  # from the exact count, in decimal arithmetic
        assert p.states_log10 == pytest.approx(exact, rel=1e-9), (p.name, p.states_log10, exact)


def test_states_log10_is_the_count_of_states_in_decimal_digits():
    assert states_log10(2, 10) == pytest.approx(math.log10(1024)), "2^10 = 1024 states"
    for v, k in ((2, 1), (27, 8), (50_257, 2_048), (3, 32)):
        assert states_log10(v, k) == pytest.approx(count_states(v, k).log10, rel=1e-12), (v, k)


def test_nanogpts_published_losses_in_bits():
    cpu, gpu = pm.nanogpt()
    assert (cpu.recipe, cpu.nats, round(cpu.bits, 2)) == ("cpu", 1.88, 2.71), "1.88 nats / ln 2 = 2.71 bits"
    assert (gpu.recipe, gpu.nats, round(gpu.bits, 2)) == ("gpu", 1.47, 2.12)
    assert pm.in_bits(math.log(2)) == pytest.approx(1.0), "ln 2 nats is one bit"
