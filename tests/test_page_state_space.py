"""The State space page model (core.pages.state_space), without Streamlit: its counts against Python integers,
its sizes against k log2 V, each count's written form at the edges of its thresholds, the preset box's rules
and the published figures against the article's own numbers."""

import math

import pytest

from core.arith.limits import EXACT_MAX_DIGITS
from core.arith.presets import PRESETS
from core.arith.statespace import state_space
from core.pages import state_space as model


def page(V: int, k: int) -> model.StateSpacePage:
    return model.state_space(state_space(V, k))


@pytest.mark.parametrize("V, k", [(2, 3), (27, 8), (10, 40), (50_257, 3), (1, 7)])
def test_the_counts_are_python_integers(V, k):
    p = page(V, k)
    assert p.states.count.exact == str(V**k), f"{V}^{k} full states"
    assert p.all_lengths.count.exact == str(sum(V**i for i in range(1, k + 1))), "states of every length 1..k"
    assert p.key == (V, k) and (p.vocab, p.context) == (V, k)


def test_one_token_has_one_state_at_every_length():
    p = page(1, 5)
    assert p.one_state and p.states.count.exact == "1" and p.all_lengths.count.exact == "5", "1^k = 1; 1 + ... + 1 = k"
    assert not page(2, 5).one_state


@pytest.mark.parametrize("V, k", [(2, 3), (50_257, 2_048), (100_277, 32_768), (2, 8_192)])
def test_one_state_holds_k_log2_v_bits(V, k):
    p = page(V, k)
    bits = k * math.log2(V)
    assert p.bits == pytest.approx(bits, rel=1e-12), "k log2 V"
    assert (p.bytes, p.kib) == (pytest.approx(bits / 8, rel=1e-12), pytest.approx(bits / 8192, rel=1e-12)), "8 bits, 1024 bytes"


def test_under_one_kib_the_size_is_small():
    assert page(2, 8_191).kib_small, "8,191 bits: just under 1 KiB"
    assert not page(2, 8_192).kib_small, "8,192 bits = 1,024 bytes = 1 KiB"
    assert page(2, 3).kib_small


@pytest.mark.parametrize(
    "k, whole, listed, cut, answer_whole",
    [
        (15, True, False, False, True),  # 10^15: 16 digits, every one of them in the sentence too
        (16, True, False, False, False),  # 17 digits: the sentence gives the power of ten
        (29, True, False, False, False),  # 30 digits: still whole in its box
        (30, False, True, False, False),  # 31 digits: leading digits in its box, all of them behind an expander
        (19_999, False, True, False, False),  # 20,000 digits: listed in full
        (20_000, False, True, True, False),  # 20,001: the list is cut, the download has them all
    ],
)
def test_each_count_is_written_whole_up_to_its_threshold(k, whole, listed, cut, answer_whole):
    c = page(10, k).states
    assert c.count.digits == k + 1, f"10^{k} has {k + 1} digits"
    got = (c.whole, c.listed, c.cut, c.too_many, c.answer_whole)
    assert got == (whole, listed, cut, False, answer_whole), f"10^{k}: whole, listed, cut, too many, whole in the answer"


def test_past_the_exact_limit_only_the_size_is_known():
    k = EXACT_MAX_DIGITS  # 10^k has one digit more than the limit
    c = page(10, k).states
    assert c.count.exact is None and c.count.digits == k + 1, "the digits are not written out"
    assert (c.whole, c.listed, c.cut, c.too_many, c.answer_whole) == (False, False, False, True, False)


def test_growth_draws_k_log10_v_for_the_chosen_vocabularies_and_the_visitors():
    g = model.growth(300)
    assert g.ks == tuple(range(1, 33)) and g.key == 300
    assert [v for v, _ in g.lines] == [2, 3, 10, 256, 300, 50_257], "the visitor's V among the others, in order"
    ten = dict(g.lines)[10]
    assert ten == pytest.approx(tuple(float(k) for k in range(1, 33)), abs=1e-12), "log10(10^k) = k"
    assert dict(g.lines)[2][9] == pytest.approx(math.log10(1024), abs=1e-12), "log10(2^10)"
    assert [v for v, _ in model.growth(1).lines] == [2, 3, 10, 256, 50_257], "V = 1 is flat at zero: 2 stands in"
    assert len(model.growth(256).lines) == 5, "a V already drawn is drawn once"


def test_each_preset_sets_its_published_numbers_and_is_recognised_from_them():
    for p in PRESETS:
        assert model.preset_inputs(p.name) == (p.vocab, p.context)
        assert model.shown_preset(p.vocab, p.context, None) == p.name, f"{p.name}'s numbers name it"
    assert model.preset_inputs("custom") is None, "custom sets nothing"
    assert [c for c in model.CHOICES if c not in ("custom", "article")] == [p.name for p in PRESETS]


def test_the_articles_numbers_are_gpt3s_and_stay_the_article_only_while_it_is_chosen():
    assert model.preset_inputs("article") == (50_257, 2_048), "the article's GPT-2: 50,257 tokens, a context of 2,048"
    assert model.shown_preset(50_257, 2_048, "article") == "article"
    assert model.shown_preset(50_257, 2_048, "custom") == "GPT-3", "the same numbers are GPT-3's published ones"
    assert model.shown_preset(50_257, 1_024, "article") == "GPT-2", "changed numbers leave the article"


def test_numbers_of_no_preset_or_no_number_are_custom():
    assert model.shown_preset(5, 5, None) == "custom"
    assert model.shown_preset(None, 3, None) == "custom", "a refused V is not a preset's"
    assert model.shown_preset(2.0, 3, None) == "custom", "only whole numbers match"


def test_the_published_figures_are_k_log2_v_and_the_articles_own_arithmetic():
    pub = model.published()
    for row in pub.models:
        assert row["bytes_per_state"] == pytest.approx(row["context"] * math.log2(row["vocab"]) / 8, rel=1e-12), row["model"]
    gpt2 = next(r for r in pub.article if r["model"] == "GPT-2")
    assert round(gpt2["computed_bits"]) == 31_984, "the article: log2(50,257) * 2048 = 31,984 bits"
    assert gpt2["article_claim_bytes"] == 3_998 and round(gpt2["computed_bytes"]) == 3_998, "3,998 bytes, not kB"
    assert gpt2["published_context"] == 1_024, "GPT-2's published context"
    assert pub.machines["Commodore 64 (1982)"][0] == 65_536 and pub.key == ()
