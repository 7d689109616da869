"""The text commands' shared options and input: which text to read (--builtin or --file) and --heldout.

What it is: `add_source_arguments` (the mutually exclusive --builtin / --file group), `add_heldout_argument`,
`read_file` (a text file checked like an upload) and `read_source` (the chosen text), used by the `text`,
`vocab` and `textmodel` commands.
What it is not: a command, the argument parser or the printer (`core.cli.main` owns both).
"""

from __future__ import annotations

import argparse
import pathlib

from core.text.corpus import BUILTIN, NAMES_SEED, CorpusError, builtin_text, decode_text
from core.text.limits import MAX_CORPUS_BYTES


def add_source_arguments(parser: argparse.ArgumentParser) -> None:
    """Add the required choice of a text: --builtin NAME or --file PATH."""
    source = parser.add_mutually_exclusive_group(required=True)
    source.add_argument(
        "--builtin",
        choices=sorted(BUILTIN),
        help="a corpus that ships with the app (names: its lines shuffled with seed "
        f"{NAMES_SEED} before the held-out part is taken; a corpus of one item a line is cut between lines)",
    )
    source.add_argument("--file", help=f"a UTF-8 text file of at most {MAX_CORPUS_BYTES:,} bytes")


def add_heldout_argument(parser: argparse.ArgumentParser) -> None:
    """Add --heldout, the fraction of the text held out at its end."""
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


def read_source(args: argparse.Namespace) -> str:
    """The text the arguments chose: a built-in corpus, or a file read by `read_file`."""
    return builtin_text(args.builtin) if args.builtin else read_file(args.file)
