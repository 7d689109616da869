"""The "Vocabulary & GPT" page's model: what the page and each of its tabs (board / own / vocab) state, as data.

What it is: the page's fixed choices (held-out fraction, sizes offered, the model's shape, the samples' length) and
its defaults by the corpus's language (`defaults`); `answer`, the GPTs trained beforehand against their best count
tables (both texts side by side, or one board's verdict); `side_view`, one of them on the board tab (its budget, its
FLOPs against the page's cap, its board read as leads, where its learning curve passes the table, the share of new
names); `own`, the GPT trained on the page (its board, and the rule for when it compares with the one trained
beforehand); `vocab`, the vocabulary sweep (which sizes stopped early); `published` and `nanogpt`, the published
figures beside them. Every verdict is a `Lead` or a flag (`core.text.scoreboard.lead`, `LEVEL_BITS`).

What it is not: a trainer, a scorer or a tokenizer (`core.text.pretrained`, `core.text.versus`, `core.text.vocab`
compute the heavy inputs, which the app caches), nor words, tables or charts (`ui.model_views`, `ui.sides_views`,
`ui.vocab_views`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import NamedTuple

from core.arith.presets import PRESETS
from core.arith.statespace import bits_per_state, states_log10
from core.text.limits import MAX_TEXT_FLOPS
from core.text.pretrained import CurvePoint, Pretrained, pretrained_key
from core.text.scoreboard import Board, Costs, Lead, Verdict, lead, verdict
from core.text.sides import NameSamples, Sides, crossing, sides
from core.text.textgpt import TextTrainConfig
from core.text.versus import GptVsNgram
from core.text.vocab import VocabSweep

HELDOUT = 0.1  # the last tenth of the text is held out
SIZES = (256, 512, 1024, 2048, 4096, 8192)  # vocabulary sizes offered
DEFAULT_SIZES = (256, 1024, 4096)
MODEL_SHAPE = dict(n_layer=2, n_head=4, n_embd=64)  # ~100k parameters: the default request stays near 10-20 s
BATCH = TextTrainConfig().batch_size  # windows per step of the page's own training
SAMPLE_CHARS = 200  # characters drawn from each model
NAME_CHARS = 300  # characters drawn from each names model


@dataclass(frozen=True)
class Defaults:
    """Where the page starts on a corpus, by its language: Chinese keeps its own alphabet, span and sentence."""

    language: str
    alphabet: str  # shannon27 would erase every Chinese character: raw for Chinese
    span: int  # characters a context should cover: 12 Chinese characters hold about the text of 32 English ones
    sentence: str  # the sentence to tokenize
    suffix: str  # the widgets' key suffix ("" for English, "_zh"): each language keeps its own choices
    raw_only: bool  # only the raw alphabet applies (Chinese), which the page says beside the choice


SPANS = {"en": 32, "zh": 12}
SENTENCES = {
    "en": 'The "while" statement is used for repeated execution as long as an expression is true:',
    "zh": "while 语句用于在表达式保持为真的情况下重复地执行:",
}


def defaults(language: str) -> Defaults:
    """The page's defaults on a corpus in `language` ("en" or "zh")."""
    assert language in SPANS, f"no defaults for language {language!r}"
    alphabet = "raw" if language == "zh" else "shannon27"
    suffix = "" if language == "en" else f"_{language}"
    return Defaults(language, alphabet, SPANS[language], SENTENCES[language], suffix, raw_only=language == "zh")


@dataclass(frozen=True)
class Budget:
    """A GPT's training budget: steps of `batch` windows of k characters, FLOPs and time."""

    steps: int
    batch: int
    k: int
    chars: int  # training characters seen: steps * batch * k (windows overlap and repeat)
    flops: float
    seconds: float


def budget(steps: int, batch: int, k: int, flops: float, seconds: float) -> Budget:
    return Budget(steps, batch, k, steps * batch * k, flops, seconds)


def budget_of(p: Pretrained) -> Budget:
    """The budget of a GPT trained beforehand."""
    return budget(p.spec.train.steps, p.spec.train.batch_size, p.spec.model.block_size, p.flops, p.seconds)


@dataclass(frozen=True)
class BoardRead:
    """A board read as verdicts: pairing 1's rows, who is ahead on never-seen and seen contexts (GPT against modified
    Kneser-Ney at the same k) and overall (against the table at its best order), whether mixing beats both."""

    board: Board
    budget: Budget
    same_k: tuple[tuple[str, Costs], ...]  # pairing 1: (model, costs), the chain's two readings first
    unseen_fraction: float  # of the examples, after a never-seen k-context
    unseen: Lead | None  # None without a never-seen example
    seen: Lead | None  # None without a seen example
    best: Lead  # the GPT overall against the table at its best order
    mix_better: bool  # `core.text.scoreboard.verdict`: less than both by at least LEVEL_BITS


def read(b: Board, budget_: Budget) -> BoardRead:
    ch = b.chain
    same_k = (
        ("chain", Costs(None, ch.seen_bits, None)),  # no prediction on a never-seen context, so none overall
        ("chain_uniform", Costs(ch.overall_bits, ch.seen_bits, ch.uniform_bits)),
        ("kn_one", b.kn_one),
        ("kn", b.kn),
        ("gpt", b.gpt),
        ("mix", b.mix),
    )
    both = lambda a, c: lead(a, c) if a is not None and c is not None else None  # noqa: E731
    return BoardRead(
        board=b,
        budget=budget_,
        same_k=same_k,
        unseen_fraction=1 - b.seen_fraction,
        unseen=both(b.gpt.unseen, b.kn.unseen),
        seen=both(b.gpt.seen, b.kn.seen),
        best=lead(b.gpt.overall, b.kn_best.overall),
        mix_better=verdict(b).mix_better,
    )


@dataclass(frozen=True)
class Answer:
    """The page's answer from the GPTs trained beforehand: each text's side (the documentation beside the names
    when the names GPT ships) and the lesson as data; with one text alone, its board's verdict answers instead."""

    key: tuple[str, ...]  # the store keys of the GPTs, in the order of the sides
    sides: Sides
    budgets: tuple[Budget, ...]  # each side's budget, in the order of the sides
    winners: str | None  # "both" (each wins somewhere), "gpt", "table" or None (level everywhere)
    mix_everywhere: bool  # the mixture beats both on every text
    alone: Verdict | None  # the one board's verdict when the names GPT does not ship (None with both)
    vocab: int  # V of the first GPT's alphabet
    alphabet: str


def answer(pre: Pretrained, board: Board, names: tuple[Pretrained, Board] | None) -> Answer:
    """The answer from the GPT trained beforehand (and its board) and, when it ships, the names GPT (and its board)."""
    both = [(pre, board)] + ([names] if names is not None else [])
    two = sides({p.spec.corpus: b for p, b in both})
    who = (bool(two.gpt_ahead), bool(two.table_ahead))
    return Answer(
        key=tuple(pretrained_key(p.spec) for p, _ in both),
        sides=two,
        budgets=tuple(budget_of(p) for p, _ in both),
        winners={(True, True): "both", (True, False): "gpt", (False, True): "table"}.get(who),
        mix_everywhere=len(two.mix_better) == len(two.sides),
        alone=verdict(board) if names is None else None,
        vocab=board.vocab,
        alphabet=pre.spec.alphabet,
    )


@dataclass(frozen=True)
class SideView:
    """One GPT trained beforehand on the board tab: its budget against the page's cap, its board, its learning curve
    against the table's cost on the curve's examples, and (for names) the share of new names each model drew."""

    key: str  # its store key
    corpus: str
    times_cap: float  # its training FLOPs over the page's cap (MAX_TEXT_FLOPS)
    read: BoardRead
    table_bits: float  # the table at its best order on the curve's examples
    examples: int  # the curve's examples
    crossing: CurvePoint | None  # the first checkpoint of its curve below the table, or None
    names: NameSamples | None
    new_share: tuple[float | None, float | None]  # new names among the GPT's, the table's (None without names)


def side_view(p: Pretrained, b: Board, table_bits: float, examples: int, names: NameSamples | None = None) -> SideView:
    """The side a visitor picked, from its board and the table's cost on its curve's examples."""
    return SideView(
        key=pretrained_key(p.spec),
        corpus=p.spec.corpus,
        times_cap=p.flops / MAX_TEXT_FLOPS,
        read=read(b, budget_of(p)),
        table_bits=table_bits,
        examples=examples,
        crossing=crossing(p.curve, table_bits),
        names=names,
        new_share=(None, None) if names is None else (NameSamples.share(names.gpt), NameSamples.share(names.table)),
    )


@dataclass(frozen=True)
class Versus:
    """The GPT trained here beside the one trained beforehand on the same corpus and alphabet."""

    k: int  # the one trained beforehand's context
    own_k: int
    times: float  # its training FLOPs over this one's
    pre_all: float
    own_all: float
    pre_n: int  # examples each board scored
    own_n: int
    same_contexts: bool  # same k, both with never-seen examples: the never-seen costs compare too
    pre_unseen: float | None
    own_unseen: float | None


class OwnKey(NamedTuple):
    """What the own tab's GPT is trained from: the arguments of its cached run, in order."""

    corpus: str
    alphabet: str
    k: int
    steps: int
    seed: int
    heldout: float = HELDOUT
    shape: tuple[int, int, int] = tuple(MODEL_SHAPE.values())
    sample_chars: int = SAMPLE_CHARS


@dataclass(frozen=True)
class Own:
    """The "own" tab: a GPT trained on the page against the n-gram, and against the one trained beforehand."""

    key: OwnKey
    run: GptVsNgram
    read: BoardRead
    versus: Versus | None  # None unless the GPT trained beforehand is on this corpus and alphabet


def own(run: GptVsNgram, key: OwnKey, pre: tuple[Pretrained, Board] | None) -> Own:
    """The own tab from its run (`core.text.versus.gpt_vs_ngram` with board=True) and the GPT trained beforehand
    with its board (None when it is not ready): they compare when both are on the same corpus and alphabet."""
    k, versus = key.k, None
    if pre is not None and (key.alphabet, key.corpus) == (pre[0].spec.alphabet, pre[0].spec.corpus):
        p, o = pre[1], run.board
        versus = Versus(
            k=p.context,
            own_k=k,
            times=pre[0].flops / run.flops,
            pre_all=p.gpt.overall,
            own_all=o.gpt.overall,
            pre_n=p.examples,
            own_n=o.examples,
            same_contexts=k == p.context and p.gpt.unseen is not None and o.gpt.unseen is not None,
            pre_unseen=p.gpt.unseen,
            own_unseen=o.gpt.unseen,
        )
    return Own(key, run, read(run.board, budget(run.steps, BATCH, k, run.flops, run.seconds)), versus)


class VocabKey(NamedTuple):
    """What the vocabulary sweep is run on: the arguments of its cached run, in order."""

    corpus: str
    sizes: tuple[int, ...]  # ascending
    span: int
    heldout: float = HELDOUT


def vocab_key(corpus: str, sizes, span: float) -> VocabKey:
    """The sweep of the sizes picked (in any order) for a span (a whole number of characters)."""
    return VocabKey(corpus, tuple(sorted(sizes)), int(span))


@dataclass(frozen=True)
class Vocab:
    """The "vocab" tab: one row per size asked, and the sizes whose tokenizer ran out of merges below them."""

    key: VocabKey
    sweep: VocabSweep
    stopped_early: tuple[int, ...]  # sizes asked that the tokenizer did not reach


def vocab(sweep: VocabSweep, key: VocabKey) -> Vocab:
    return Vocab(key, sweep, tuple(r.vocab_asked for r in sweep.rows if r.vocab_size < r.vocab_asked))


@dataclass(frozen=True)
class Published:
    """A published model's vocabulary and context with the article's yardstick."""

    name: str
    vocab: int
    context: int
    bits_per_state: float  # k log2 V
    states_log10: float  # k log10 V


def published() -> tuple[Published, ...]:
    return tuple(
        Published(p.name, p.vocab, p.context, bits_per_state(p.vocab, p.context), states_log10(p.vocab, p.context))
        for p in PRESETS
    )


@dataclass(frozen=True)
class NanoRecipe:
    """nanoGPT's published Tiny Shakespeare figures (its README), not measured here."""

    recipe: str  # "cpu" or "gpu"
    shape: str  # layers / heads / width
    context: int
    batch: int
    steps: int
    nats: float  # validation loss, nats per character
    bits: float  # the same in bits per character


def nanogpt() -> tuple[NanoRecipe, ...]:
    rows = (("cpu", "4 / 4 / 128", 64, 12, 2_000, 1.88), ("gpu", "6 / 6 / 384", 256, 64, 5_000, 1.47))
    return tuple(NanoRecipe(*r, bits=in_bits(r[5])) for r in rows)


def in_bits(nats: float) -> float:
    """A loss in nats, in bits."""
    return nats / math.log(2)
