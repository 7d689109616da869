"""The `text` command: a context sweep over real text, as plain data for the CLI to print.

What it is: `add_text_arguments` (the command's options) and `cmd_text` (arguments -> a JSON-ready dict);
the source and --heldout options and the reading of the text are `core.cli.source`'s.
What it is not: the argument parser or the printer; `core.cli.main` owns both (and the `--json` flag).
"""

from __future__ import annotations

import argparse

from core.cli.source import add_heldout_argument, add_source_arguments, read_source
from core.text.corpus import ALPHABETS, check_heldout, symbolize, training_length
from core.text.ngram import context_sweep, parse_contexts

ROW_KEYS = (
    "context",
    "possible_states_log10",
    "observed_contexts",
    "conditional_entropy_bits",
    "heldout_unseen_fraction",
    "heldout_bits",
)


def add_text_arguments(parser: argparse.ArgumentParser) -> None:
    """Add the `text` command's options: a source (--builtin or --file), --alphabet, --contexts, --heldout."""
    add_source_arguments(parser)
    parser.add_argument("--alphabet", choices=ALPHABETS, default="raw", help="raw: every character; shannon27: a-z and space")
    parser.add_argument("--contexts", default="0-8", help="a range of context lengths, e.g. 0-8")
    add_heldout_argument(parser)


def cmd_text(args: argparse.Namespace) -> dict:
    """Sweep the context length over a built-in corpus or a file; held-out fields are None with --heldout 0."""
    contexts = parse_contexts(args.contexts)
    check_heldout(args.heldout)  # before reading a large file
    text = read_source(args)
    symbols = symbolize(text, args.alphabet)
    cut = training_length(text, args.alphabet, len(symbols.ids), args.heldout)
    rows = context_sweep(symbols.ids[:cut], symbols.ids[cut:], symbols.vocab, contexts)
    return {
        "alphabet_size": symbols.vocab,
        "alphabet": list(symbols.alphabet),
        "train_symbols": cut,
        "heldout_symbols": len(symbols.ids) - cut,
        "rows": [{key: getattr(row, key) for key in ROW_KEYS} for row in rows],
    }
