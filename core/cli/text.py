"""The `text` command: a context sweep over real text, as plain data for the CLI to print.

What it is: `add_text_arguments` (the command's options) and `cmd_text` (arguments -> a JSON-ready dict),
and `read_file`, which every text command uses for `--file`.
What it is not: the argument parser or the printer; `core.cli.main` owns both (and the `--json` flag).
"""

from __future__ import annotations

import argparse
import pathlib

from core.text.corpus import (
    ALPHABETS,
    BUILTIN,
    MAX_CORPUS_BYTES,
    CorpusError,
    builtin_text,
    check_heldout,
    decode_text,
    split_point,
    symbolize,
)
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
    source = parser.add_mutually_exclusive_group(required=True)
    source.add_argument("--builtin", choices=sorted(BUILTIN), help="a corpus that ships with the app")
    source.add_argument("--file", help=f"a UTF-8 text file of at most {MAX_CORPUS_BYTES:,} bytes")
    parser.add_argument("--alphabet", choices=ALPHABETS, default="raw", help="raw: every character; shannon27: a-z and space")
    parser.add_argument("--contexts", default="0-8", help="a range of context lengths, e.g. 0-8")
    parser.add_argument("--heldout", type=float, default=0.1, help="fraction of the text held out at its end (0 to 0.5)")


def read_file(path: str) -> str:
    """A text file's contents, checked like an upload: size first, then UTF-8, then emptiness."""
    p = pathlib.Path(path)
    try:
        size = p.stat().st_size
        if size > MAX_CORPUS_BYTES:
            raise CorpusError("corpus.too_big", name=path, size=size, limit=MAX_CORPUS_BYTES)
        data = p.read_bytes()
    except OSError as e:
        raise CorpusError("corpus.unreadable", name=path, reason=e.strerror or type(e).__name__) from None
    return decode_text(data, path)


def cmd_text(args: argparse.Namespace) -> dict:
    """Sweep the context length over a built-in corpus or a file; held-out fields are None with --heldout 0."""
    contexts = parse_contexts(args.contexts)
    check_heldout(args.heldout)  # before reading a large file
    text = builtin_text(args.builtin) if args.builtin else read_file(args.file)
    symbols = symbolize(text, args.alphabet)
    cut = split_point(len(symbols.ids), args.heldout)
    rows = context_sweep(symbols.ids[:cut], symbols.ids[cut:], symbols.vocab, contexts)
    return {
        "alphabet_size": symbols.vocab,
        "alphabet": list(symbols.alphabet),
        "train_symbols": cut,
        "heldout_symbols": len(symbols.ids) - cut,
        "rows": [{key: getattr(row, key) for key in ROW_KEYS} for row in rows],
    }
