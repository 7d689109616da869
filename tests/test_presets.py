import math

from core.presets import ARTICLE_CLAIMS, PRESETS, article_rows, preset, preset_rows


def test_published_figures():
    expected = {
        "GPT-2": (50257, 1024),
        "GPT-3": (50257, 2048),
        "gpt-3.5-turbo": (100277, 4096),
        "GPT-4 (8K)": (100277, 8192),
        "GPT-4 (32K)": (100277, 32768),
        "GPT-4o": (200019, 128000),
        "Llama 2": (32000, 4096),
        "Llama 3": (128256, 8192),
        "Llama 3.1": (128256, 131072),
        "Mistral 7B": (32000, 8192),
    }
    assert {p.name: (p.vocab, p.context) for p in PRESETS} == expected
    assert all(p.source for p in PRESETS), "every preset names its source"


def test_preset_rows_are_k_log2_v():
    for row in preset_rows():
        assert math.isclose(row["bits_per_state"], row["context"] * math.log2(row["vocab"]))
        assert math.isclose(row["bytes_per_state"] * 8, row["bits_per_state"])


def test_article_claims_close_to_own_arithmetic_and_slips_flagged():
    rows = {r["model"]: r for r in article_rows()}
    assert round(rows["GPT-2"]["computed_bits"]) == 31984
    assert round(rows["GPT-2"]["computed_bytes"]) == 3998 == rows["GPT-2"]["article_claim_bytes"]
    assert "not kB" in rows["GPT-2"]["slips"] and "1,024" in rows["GPT-2"]["slips"]
    # "8 kB" and "64 kB" are what the article's own inputs give, within 1%
    for model in ("GPT-3", "GPT-4"):
        r = rows[model]
        assert abs(r["computed_bytes"] - r["article_claim_bytes"]) / r["article_claim_bytes"] < 0.01, model
    assert [c.machine for c in ARTICLE_CLAIMS] == [None, "Atari 800", "Commodore 64"]


def test_unknown_preset_lists_names():
    try:
        preset("GPT-5")
    except ValueError as e:
        assert "GPT-2" in str(e)
    else:
        raise AssertionError("unknown preset must raise")
