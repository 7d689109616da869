"""The `parallel` command: the same text in two languages (python-docs-en and python-docs-zh), as plain data.

What it is: `add_parallel_arguments` (--contexts, --heldout) and `cmd_parallel` (arguments -> a JSON-ready dict:
one entry per language, English first, over `core.text.parallel.compare`).
What it is not: the argument parser or the printer; `core.cli.main` owns both (and the `--json` flag).
"""

from __future__ import annotations

import argparse

from core.cli.source import add_heldout_argument
from core.text.corpus import check_heldout
from core.text.ngram import parse_contexts
from core.text.parallel import compare

ROW_KEYS = (
    "context",
    "possible_states_log10",
    "observed_contexts",
    "conditional_entropy_bits",
    "heldout_bits_per_char",
    "heldout_bits_per_pair",
)


def add_parallel_arguments(parser: argparse.ArgumentParser) -> None:
    """Add the `parallel` command's options: --contexts and --heldout (the same pairs held out in both languages)."""
    parser.add_argument("--contexts", default="0-8", help="a range of context lengths in characters, e.g. 0-8")
    add_heldout_argument(parser)


def cmd_parallel(args: argparse.Namespace) -> dict:
    """Both languages' sizes and sweeps; held-out fields are None with --heldout 0."""
    contexts = parse_contexts(args.contexts)
    check_heldout(args.heldout)
    p = compare(args.heldout, contexts)
    return {
        "languages": [
            {
                "language": h.language,
                "pairs": h.pairs,
                "characters": h.characters,
                "bytes": h.bytes,
                "symbols": h.symbols,
                "rows": [{key: getattr(row, key) for key in ROW_KEYS} for row in h.rows],
            }
            for h in (p.en, p.zh)
        ]
    }
