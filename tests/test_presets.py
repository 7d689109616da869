import math

import pytest

from core.arith.presets import ARTICLE_CLAIMS, PRESETS, article_rows, preset, preset_rows
from core.arith.statespace import count_states


def test_vocabularies_follow_from_their_tokenizers():
    """n_vocab from how each tokenizer is built, not from the table's own literal."""
    by = {p.name: p for p in PRESETS}
    assert by["GPT-2"].vocab == 256 + 50_000 + 1, "GPT-2: 256 bytes + 50,000 merges + <|endoftext|>"
    assert by["GPT-3"].vocab == by["GPT-2"].vocab, "GPT-3 reuses GPT-2's tokenizer"
    assert by["GPT-4 (8K)"].vocab == by["GPT-4 (32K)"].vocab == by["gpt-3.5-turbo"].vocab, "all cl100k_base"
    assert by["GPT-4 (32K)"].context == 32 * 1024 and by["GPT-4 (8K)"].context == 8 * 1024
    assert by["Llama 3.1"].context == 128 * 1024 and by["GPT-4o"].context == 128_000, "Llama's 128K is binary, GPT-4o's decimal"
    assert all(p.source for p in PRESETS), "every preset names its source"


def test_bits_per_state_equal_log2_of_the_state_count():
    """bits per state = log2(V^k), checked against the exact state count's log10."""
    for row in preset_rows():
        log10_states = count_states(row["vocab"], row["context"]).log10
        assert math.isclose(row["bits_per_state"], log10_states / math.log10(2), rel_tol=1e-9), row["model"]
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
    with pytest.raises(ValueError, match="GPT-2, GPT-3"):
        preset("GPT-5")
    assert preset("gpt-4o").vocab == 200_019, "names are case-insensitive"
