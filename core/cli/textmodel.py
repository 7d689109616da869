"""The `textmodel` command: a GPT trained on real text against the n-gram, as plain data for the CLI to print.

What it is: `add_textmodel_arguments` (the command's options) and `cmd_textmodel` (arguments -> a JSON-ready
dict), over `core.text.versus.gpt_vs_ngram`.
What it is not: the argument parser or the printer; `core.cli.main` owns both (and the `--json` flag).
"""

from __future__ import annotations

import argparse

from core.cli.source import add_heldout_argument, add_source_arguments, read_source
from core.text.corpus import ALPHABETS, check_heldout
from core.text.limits import MAX_SWEEP_K, MAX_TEXT_CONTEXT
from core.text.textgpt import TextGPTConfig, TextTrainConfig
from core.text.versus import gpt_vs_ngram


def add_textmodel_arguments(parser: argparse.ArgumentParser) -> None:
    """Add the `textmodel` command's options: a source, --alphabet, --context, --steps, --seed, --heldout, the model."""
    m, t = TextGPTConfig(), TextTrainConfig()
    add_source_arguments(parser)
    parser.add_argument(
        "--alphabet", choices=ALPHABETS, default="shannon27", help="raw: every character; shannon27: a-z and space"
    )
    parser.add_argument("--context", type=int, default=m.block_size, help=f"k, 1..{min(MAX_TEXT_CONTEXT, MAX_SWEEP_K)}")
    parser.add_argument("--steps", type=int, default=t.steps)
    parser.add_argument("--seed", type=int, default=t.seed)
    add_heldout_argument(parser)
    parser.add_argument("--batch-size", type=int, default=t.batch_size)
    parser.add_argument("--lr", type=float, default=t.lr)
    parser.add_argument("--n-layer", type=int, default=m.n_layer)
    parser.add_argument("--n-head", type=int, default=m.n_head)
    parser.add_argument("--n-embd", type=int, default=m.n_embd)


def cmd_textmodel(args: argparse.Namespace) -> dict:
    """Train a text GPT on a built-in corpus or a file and compare it with the n-gram on held-out text."""
    check_heldout(args.heldout)
    train = TextTrainConfig(steps=args.steps, batch_size=args.batch_size, lr=args.lr, seed=args.seed)
    text = read_source(args)
    g = gpt_vs_ngram(text, args.alphabet, args.context, train, args.heldout, args.n_layer, args.n_head, args.n_embd)
    c = g.comparison
    return {
        "n_params": g.n_params,
        "vocab": g.vocab,
        "context": g.context,
        "steps": g.steps,
        "seconds": g.seconds,
        "tokens_per_second": g.tokens_per_second,
        "final_loss_bits": g.final_loss_bits,
        "heldout_examples": c.heldout_examples,
        "evaluated_examples": c.evaluated_examples,
        "gpt_bits": c.gpt_bits,
        "ngram_bits": c.ngram_bits,
        "seen": {"fraction": c.seen.fraction, "gpt_bits": c.seen.gpt_bits, "ngram_bits": c.seen.ngram_bits},
        "unseen": {"fraction": c.unseen.fraction, "gpt_bits": c.unseen.gpt_bits, "ngram_bits": c.unseen.ngram_bits},
    }
