"""The `text` command: arguments in, a JSON-ready sweep out; bad files become CorpusErrors."""

import argparse
import json

import pytest

from core.cli.text import add_text_arguments, cmd_text
from core.text.corpus import MAX_CORPUS_BYTES, CorpusError


def args(**kw) -> argparse.Namespace:
    base = {"builtin": None, "file": None, "alphabet": "raw", "contexts": "0-3", "heldout": 0.1}
    return argparse.Namespace(**{**base, **kw})


def test_builtin_sweep_has_every_field_and_is_json():
    out = cmd_text(args(builtin="python-docs", alphabet="shannon27"))
    assert out["alphabet_size"] == 27 == len(out["alphabet"]) and out["alphabet"][0] == " ", out["alphabet"][:3]
    assert out["heldout_symbols"] * 9 <= out["train_symbols"] + 9, "about a tenth held out"
    documented = ["context", "possible_states_log10", "observed_contexts", "conditional_entropy_bits"]
    documented += ["heldout_unseen_fraction", "heldout_bits"]
    assert [r["context"] for r in out["rows"]] == [0, 1, 2, 3] and list(out["rows"][0]) == documented
    assert all(r["heldout_bits"] > 0 for r in out["rows"]), "held-out costs with --heldout 0.1"
    json.dumps(out)


def test_no_heldout_gives_none(tmp_path):
    path = tmp_path / "t.txt"
    path.write_text("abracadabra " * 20, encoding="utf-8")
    out = cmd_text(args(file=str(path), heldout=0.0, contexts="2"))
    assert out["heldout_symbols"] == 0 and out["train_symbols"] == 240, out
    row = out["rows"][0]
    assert row["heldout_bits"] is None and row["heldout_unseen_fraction"] is None, row
    assert out["alphabet"] == [" ", "a", "b", "c", "d", "r"], "raw alphabet, sorted"


def test_bad_files_raise_corpus_errors(tmp_path):
    bad = tmp_path / "latin1.txt"
    bad.write_bytes(b"caf\xe9")
    big = tmp_path / "big.txt"
    big.write_bytes(b"a" * (MAX_CORPUS_BYTES + 1))
    for path, code in ((bad, "corpus.not_utf8"), (big, "corpus.too_big"), (tmp_path / "missing.txt", "corpus.unreadable")):
        with pytest.raises(CorpusError) as e:
            cmd_text(args(file=str(path)))
        assert e.value.code == code and str(path) in str(e.value), str(e.value)
    with pytest.raises(CorpusError) as e:
        cmd_text(args(file=str(big), heldout=0.9))
    assert e.value.code == "corpus.heldout", "the fraction is checked before the file is read"


def test_parser_takes_one_source():
    p = argparse.ArgumentParser()
    add_text_arguments(p)
    a = p.parse_args(["--builtin", "python-docs", "--alphabet", "shannon27", "--contexts", "0-2", "--heldout", "0"])
    assert (a.builtin, a.file, a.alphabet, a.contexts, a.heldout) == ("python-docs", None, "shannon27", "0-2", 0.0)
    for argv in ([], ["--builtin", "python-docs", "--file", "x.txt"], ["--builtin", "nope"]):
        with pytest.raises(SystemExit):
            p.parse_args(argv)
