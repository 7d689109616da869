import json
import subprocess
import sys

import pytest


def run(*args):
    return subprocess.run([sys.executable, "-m", "core", *args], capture_output=True, text=True, timeout=120)


def test_train_json_reproduces_article():
    out = run("train", "--json")
    assert out.returncode == 0, out.stderr
    d = json.loads(out.stdout)
    assert d["n_params"] == 12656
    assert d["states"] == ["000", "001", "010", "011", "100", "101", "110", "111"]
    assert abs(d["probs"][5][1] - 0.79) < 0.005 and abs(d["probs"][7][0] - 0.55) < 0.005 and abs(d["probs"][0][1] - 0.73) < 0.005
    assert abs(d["init_probs"][0][1] - 0.50366) < 1e-5
    assert len(d["losses"]) == 50 and abs(d["losses"][0] - 0.6635) < 5e-5


def test_states_json_gpt2():
    d = json.loads(run("states", "--vocab", "50257", "--context", "2048", "--json").stdout)
    assert round(d["bits_per_state"], 1) == 31983.7 and round(d["bytes_per_state"]) == 3998
    assert d["states_digits"] == 9629 and len(d["states_exact"]) == 9629
    assert d["states_exact"].startswith(d["states_leading_digits"])


def test_states_past_exact_bound_gives_null():
    d = json.loads(run("states", "--vocab", "200019", "--context", "128000", "--json").stdout)
    assert d["states_exact"] is None and d["states_digits"] == 678538


def test_presets_table_and_json():
    assert "GPT-4o" in run("presets").stdout
    assert len(json.loads(run("presets", "--json").stdout)["presets"]) == 10


@pytest.mark.parametrize(
    "args",
    [
        ["states", "--vocab", "0", "--context", "3"],
        ["states", "--vocab", "x", "--context", "3"],
        ["states"],
        ["train", "--sequence", "1121"],
        ["train", "--n-embd", "10"],
        ["train", "--steps", "999999"],
        ["bogus"],
        [],
    ],
)
def test_bad_arguments_one_line_exit_2(args):
    out = run(*args)
    assert out.returncode == 2, out
    assert out.stderr.count("\n") == 1 and out.stderr.startswith("error:"), out.stderr
    assert "Traceback" not in out.stderr


def test_compare_json_rows():
    out = run("compare", "--sequence", "111101111011110", "--vocab", "2", "--contexts", "1-4", "--json")
    assert out.returncode == 0, out.stderr
    rows = json.loads(out.stdout)["rows"]
    assert [sorted(r) for r in rows] == [
        sorted(["context", "states", "observed_states", "conditional_entropy_bits", "final_loss_bits"])
    ] * 4
    assert [r["states"] for r in rows] == [2, 4, 8, 16] and [r["observed_states"] for r in rows] == [2, 3, 4, 5]
    assert abs(rows[2]["conditional_entropy_bits"] - 0.5) < 1e-12 and rows[3]["conditional_entropy_bits"] == 0.0


def test_train_text_mode():
    d = json.loads(run("train", "--mode", "text", "--sequence", "abracadabra", "--context", "2", "--steps", "5", "--json").stdout)
    assert d["tokens"] == ["a", "b", "c", "d", "r"] and len(d["states"]) == 25 and d["states"][1] == "ab"


def test_text_json_keys_and_heldout_zero(tmp_path):
    f = tmp_path / "t.txt"
    f.write_text("the cat sat on the mat. " * 40, encoding="utf-8")
    d = json.loads(
        run("text", "--file", str(f), "--alphabet", "shannon27", "--contexts", "0-2", "--heldout", "0", "--json").stdout
    )
    assert set(d) == {"alphabet_size", "alphabet", "train_symbols", "heldout_symbols", "rows"}
    assert d["alphabet_size"] == 27 and d["heldout_symbols"] == 0
    assert [r["context"] for r in d["rows"]] == [0, 1, 2]
    assert all(r["heldout_bits"] is None and r["heldout_unseen_fraction"] is None for r in d["rows"]), "no held-out part"


@pytest.mark.parametrize(
    "args,message",
    [(("--file", "/no/such/file"), "cannot be read"), (("--builtin", "python-docs", "--contexts", "5-2"), "ascend")],
)
def test_text_bad_arguments_one_line_exit_2(args, message):
    out = run("text", *args)
    assert out.returncode == 2 and message in out.stderr and out.stderr.count("\n") == 1, out.stderr
