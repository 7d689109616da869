"""core.cli.source: the text commands' one --builtin / --file group and the reading of the chosen text."""

import argparse

import pytest

from core.cli.source import add_heldout_argument, add_source_arguments, read_source
from core.text.corpus import builtin_text


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(exit_on_error=False)
    add_source_arguments(p)
    add_heldout_argument(p)
    return p


def test_the_chosen_text_is_read(tmp_path):
    assert read_source(parser().parse_args(["--builtin", "python-docs"])) == builtin_text("python-docs")
    f = tmp_path / "t.txt"
    f.write_text("héllo", encoding="utf-8")
    args = parser().parse_args(["--file", str(f), "--heldout", "0.2"])
    assert read_source(args) == "héllo" and args.heldout == 0.2


def test_one_source_only():
    with pytest.raises((argparse.ArgumentError, SystemExit)):
        parser().parse_args(["--builtin", "python-docs", "--file", "x.txt"])
