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


# ---------------------------------------------------------------- textmodel: nanoGPT's names, its recipe, --no-limits


def textmodel_args(*argv):
    from core.cli.textmodel import add_textmodel_arguments

    p = argparse.ArgumentParser()
    add_textmodel_arguments(p)
    return p.parse_args(["--builtin", "python-docs", *argv])


def test_the_nanogpt_recipe_is_nanogpts_cpu_command():
    from core.cli.textmodel import configs

    o, train = configs(textmodel_args("--recipe", "nanogpt-cpu", "--no-limits"))
    # nanoGPT README: --block_size=64 --batch_size=12 --n_layer=4 --n_head=4 --n_embd=128 --max_iters=2000 --dropout=0.0;
    # config/train_shakespeare_char.py: learning_rate 1e-3, beta2 0.99, warmup_iters 100, min_lr 1e-4; train.py: 0.1, 1.0
    assert (o["context"], o["batch_size"], o["n_layer"], o["n_head"], o["n_embd"], o["alphabet"]) == (64, 12, 4, 4, 128, "raw")
    assert (train.steps, train.lr, train.beta1, train.beta2, train.weight_decay) == (2000, 1e-3, 0.9, 0.99, 0.1)
    assert (train.warmup_steps, train.min_lr, train.grad_clip, train.capped) == (100, 1e-4, 1.0, False)


def test_nanogpt_names_are_aliases_and_override_the_recipe():
    from core.cli.textmodel import configs

    a = textmodel_args("--recipe", "nanogpt-cpu", "--block-size", "32", "--max-iters", "500", "--learning-rate", "2e-3")
    o, train = configs(a)
    assert (o["context"], train.steps, train.lr, train.capped) == (32, 500, 2e-3, True)
    o, _ = configs(textmodel_args("--context", "5"))
    assert o["context"] == 5 and o["alphabet"] == "shannon27", "without a recipe: the page's defaults"


def test_textmodel_refusals_are_one_line_with_exit_code_2(capsys):
    from core.cli.main import main

    for argv, said in (
        (["--recipe", "nanogpt-cpu"], "past the limit"),  # the recipe needs --no-limits
        (["--dropout", "1.5"], "dropout must be within [0, 1)"),
        (["--steps", "100", "--lr-decay-iters", "200"], "--lr-decay-iters must equal the steps"),
        (["--no-limits", "--beta2", "1.5"], "beta2 must be within [0, 1)"),
        (["--no-limits", "--context", "65"], "context length must be 1..64"),
    ):
        assert main(["textmodel", "--builtin", "python-docs", *argv]) == 2, argv
        err = capsys.readouterr().err
        assert said in err and err.count("\n") == 1, err


def test_no_limits_lifts_the_steps_and_size_caps():
    from core.text.textgpt import TextGPTConfig, TextModelError, TextTrainConfig, check_text_training

    with pytest.raises(TextModelError):
        TextTrainConfig(steps=5_000)
    big, long = (
        TextGPTConfig(vocab_size=100, n_layer=6, n_head=6, n_embd=384, capped=False),
        TextTrainConfig(steps=5_000, batch_size=128, capped=False),
    )
    check_text_training(big, long, 1_000_000)  # 10.7M parameters, 5,000 steps: refused only with the caps on
    with pytest.raises(TextModelError):
        TextGPTConfig(vocab_size=100, n_layer=6, n_head=6, n_embd=384)
