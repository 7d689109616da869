"""The `vocab` command: BPE vocabularies of several sizes on real text, as plain data for the CLI to print.

What it is: `add_vocab_arguments` (the command's options) and `cmd_vocab` (arguments -> a JSON-ready dict),
over `core.text.vocab.vocab_sweep`.
What it is not: the argument parser or the printer; `core.cli.main` owns both (and the `--json` flag).
"""

from __future__ import annotations

import argparse

from core.cli.source import add_heldout_argument, add_source_arguments, read_source
from core.text.corpus import check_heldout
from core.text.limits import MAX_BPE_VOCAB, MAX_SPAN, MIN_BPE_VOCAB, MIN_SPAN
from core.text.vocab import parse_sizes, vocab_sweep

ROW_KEYS = (
    "vocab_size",
    "tokens",
    "chars_per_token_train",
    "chars_per_token_heldout",
    "context_tokens",
    "possible_states_log10",
    "bits_per_state",
    "observed_contexts",
    "heldout_unseen_fraction",
    "heldout_bits_per_char",
)


def add_vocab_arguments(parser: argparse.ArgumentParser) -> None:
    """Add the `vocab` command's options: a source (--builtin or --file), --sizes, --span, --heldout."""
    add_source_arguments(parser)
    parser.add_argument("--sizes", default="256,1024,4096", help=f"vocabulary sizes, {MIN_BPE_VOCAB}..{MAX_BPE_VOCAB:,}")
    parser.add_argument("--span", type=int, default=32, help=f"characters a context covers ({MIN_SPAN}..{MAX_SPAN})")
    add_heldout_argument(parser)


def cmd_vocab(args: argparse.Namespace) -> dict:
    """Sweep the vocabulary size over a built-in corpus or a file."""
    sizes = parse_sizes(args.sizes)
    check_heldout(args.heldout)
    text = read_source(args)
    rows = vocab_sweep(text, sizes, span=args.span, heldout=args.heldout)
    return {"rows": [{key: getattr(row, key) for key in ROW_KEYS} for row in rows]}
