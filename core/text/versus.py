"""One text's GPT against its n-gram: train a text GPT, score both on the held-out part, sample both.

What it is: `gpt_vs_ngram`, the steps the `textmodel` command and the "Vocabulary & GPT" page share, and
its result `GptVsNgram`.
What it is not: the model, its training or the scoring (`core.text.textgpt`), nor the samplers
(`core.text.sampling`).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

from core.text.corpus import check_heldout, symbolize, training_length
from core.text.sampling import sample_gpt, sample_ngram
from core.text.scoreboard import Board, fit_cut, gpt_costs, scoreboard
from core.text.textgpt import (
    Comparison,
    TextGPTConfig,
    TextTrainConfig,
    compare_on_heldout,
    train_text_model,
    training_flops,
)


@dataclass(frozen=True)
class GptVsNgram:
    """A text GPT trained on a text's training part and the n-gram of the same context, on its held-out part."""

    n_params: int
    vocab: int  # V of the alphabet
    context: int  # k of both models
    steps: int
    seconds: float  # wall time of the training loop
    tokens_per_second: float
    final_loss_bits: float  # the last step's batch cross-entropy, in bits per symbol
    comparison: Comparison
    prompt: str  # the first k held-out symbols both samples start from ("" without samples)
    gpt_sample: str  # `sample_chars` symbols from each model, seeded by the training seed ("" without samples)
    ngram_sample: str
    board: Board | None = None  # the scoreboard (`core.text.scoreboard`), if asked for
    flops: float = 0.0  # training FLOPs: 6 * params * steps * batch * k


def gpt_vs_ngram(
    text: str,
    alphabet: str,
    context: int,
    train: TextTrainConfig,
    heldout: float = 0.1,
    n_layer: int = 2,
    n_head: int = 4,
    n_embd: int = 128,
    sample_chars: int = 0,
    progress: Callable[[int, int, float], None] | None = None,
    capped: bool = True,
    board: bool = False,
    dropout: float = 0.0,
) -> GptVsNgram:
    """Symbolize the text, train a GPT of context k on its training part, score it against the n-gram on the
    held-out part and, if sample_chars > 0, draw that many symbols from both after the first k held-out ones;
    board=True also sets the scoreboard (its GPT scored on the held-out part and the training part's fit slice, on
    which it is then not trained: `core.text.scoreboard.fit_cut`). progress(i, n, loss) after every step, then
    progress(n, n, None, stage="scoring") once, when the scoring starts."""
    check_heldout(heldout)
    symbols = symbolize(text, alphabet)
    config = TextGPTConfig(
        block_size=context,
        vocab_size=symbols.vocab,
        n_layer=n_layer,
        n_head=n_head,
        n_embd=n_embd,
        dropout=dropout,
        capped=capped,
    )
    cut = training_length(text, alphabet, len(symbols.ids), heldout)
    train_ids, heldout_ids = symbols.ids[:cut], symbols.ids[cut:]
    r = train_text_model(train_ids[: fit_cut(len(train_ids))] if board else train_ids, config, train, progress=progress)
    if progress is not None:  # the steps are done: say what comes next (a page would otherwise sit at "300 of 300")
        progress(train.steps, train.steps, None, stage="scoring")
    costs = gpt_costs(r.model, train_ids, heldout_ids) if board else None  # the GPT's held-out bits, scored once
    c = compare_on_heldout(r.model, train_ids, heldout_ids, gpt_bits=None if costs is None else costs.heldout)
    prompt = gpt_sample = ngram_sample = ""
    if sample_chars > 0:
        start = heldout_ids[:context]
        prompt = symbols.decode(start)
        gpt_sample = symbols.decode(sample_gpt(r.model, start, sample_chars, train.seed))
        ngram_sample = symbols.decode(sample_ngram(train_ids, symbols.vocab, context, start, sample_chars, train.seed))
    b = scoreboard(train_ids, heldout_ids, symbols.vocab, context, costs) if board else None
    return GptVsNgram(
        r.n_params,
        symbols.vocab,
        config.block_size,
        train.steps,
        r.seconds,
        r.tokens_per_second,
        r.losses[-1] / math.log(2),
        c,
        prompt,
        gpt_sample,
        ngram_sample,
        b,
        training_flops(config, train),
    )
