"""`python -m core explain`: its JSON keys, the article's never-seen rows, and one-line refusals."""

import json
import subprocess
import sys

import pytest


def run(*args):
    return subprocess.run([sys.executable, "-m", "core", *args], capture_output=True, text=True, timeout=120)


def test_explain_json_keys_and_the_article_rows():
    out = run("explain", "--json")
    assert out.returncode == 0, out.stderr
    d = json.loads(out.stdout)
    assert set(d) == {"states", "never_seen", "with_suffix", "agreeing", "ties", "agree_overall", "agree", "closest_counts"}
    keys = ["state", "seen", "gpt", "suffix", "suffix_counts", "agree", "rules", "closest"]
    assert [sorted(r) for r in d["states"]] == [sorted(keys)] * 8
    rows = {r["state"]: r for r in d["states"]}
    assert [s for s, r in rows.items() if not r["seen"]] == ["000", "001", "010", "100"] and d["never_seen"] == 4
    row = rows["000"]
    assert row["suffix"] == "0" and row["suffix_counts"] == [0, 2], "00 never seen; 0 seen twice, always followed by 1"
    assert abs(row["gpt"][1] - 0.73) < 0.005 and abs(sum(row["gpt"]) - 1) < 1e-9, "000 -> 001 at 73%"
    agreeing = sum(r["gpt"][1] > r["gpt"][0] for s, r in rows.items() if not r["seen"])  # every suffix there favours 1
    assert d["agreeing"] == agreeing and d["agree"] == agreeing / 4
    # The rules: uniform, the targets' rate (9 of the 12 examples continue with 1), the longest seen ending's counts
    # (0 followed by 1 twice), Kneser-Ney; the GPT's 73% is nearest the 75% (total variation |0.73 - 0.75|).
    assert row["rules"]["uniform"] == [0.5, 0.5] and row["rules"]["overall"] == [0.25, 0.75]
    assert row["rules"]["suffix"] == [0.0, 1.0] and abs(sum(row["rules"]["kneser_ney"]) - 1) < 1e-9
    assert row["closest"] == "overall" and d["closest_counts"] == {"uniform": 0, "overall": 4, "suffix": 0, "kneser_ney": 0}
    assert all(r["rules"] is None and r["closest"] is None for r in d["states"] if r["seen"])


def test_explain_text_mode_and_table():
    out = run("explain", "--mode", "text", "--sequence", "abracadabra", "--context", "2", "--steps", "3")
    assert out.returncode == 0, out.stderr
    lines = out.stdout.splitlines()
    assert lines[0].split("\t") == ["state", "seen", "gpt", "suffix", "suffix_counts", "agree", "closest"]
    assert len(lines) == 1 + 25 + 6 + 4, "a row per state, the agreement, and the states nearest each of the 4 rules"


@pytest.mark.parametrize(
    "args",
    [
        ["explain", "--sequence", "1121"],
        ["explain", "--context", "0"],
        ["explain", "--steps", "999999"],
        ["explain", "--sequence", "101"],
        ["explain", "--vocab", "x"],
    ],
)
def test_explain_bad_arguments_one_line_exit_2(args):
    out = run(*args)
    assert out.returncode == 2, out
    assert out.stderr.count("\n") == 1 and out.stderr.startswith("error:"), out.stderr
