"""The "One text, two languages" page model (`core.pages.parallel`), without the web stack: hand-built halves whose
answers are worked out by hand, and the shipped corpora checked against `core.text.parallel` called directly."""

import math

import pytest

from core.pages import parallel as model
from core.pages.parallel import Lead
from core.symbols import visible
from core.text.corpus import builtin_text
from core.text.parallel import (
    CHINESE,
    ENGLISH,
    BpeCompare,
    BpeRow,
    Half,
    Parallel,
    ParallelError,
    Row,
    compare,
    heldout_pair,
    same_span,
    verdict,
)
from core.text.vocab import train_bpe


def row(k: int, V: int, observed: int, coverage: float, char: float | None = None, cpp: float = 1.0) -> Row:
    """A row of k characters over V symbols; held-out `char` bits per character, `cpp` held-out characters a pair."""
    pair = None if char is None else char * cpp
    return Row(k, k * math.log10(V), k * math.log2(V), observed, coverage, 1.0, 0.5, 9.0, 0.0, char, char, pair)


def half(lang: str, V: int, characters: int, rows: list[Row], pairs: int = 10, held: int = 2, held_chars: int = 20) -> Half:
    name = ENGLISH if lang == "en" else CHINESE
    nbytes = characters * (1 if lang == "en" else 3)
    return Half(
        name, lang, pairs, characters, nbytes, V, pairs - held, characters - held_chars, 0, held, held_chars, 0, tuple(rows)
    )


def hand_built(en_cov=(1.0, 0.5, 0.2, 0.1, 0.05), zh_cov=(1.0, 0.4, 0.1, 0.01, 0.001), en_char=None, zh_char=None):
    """English: 10 pairs of 100 characters over V = 4; Chinese: 10 pairs of 40 characters over V = 16; k = 0..4."""
    en_char, zh_char = en_char or [None] * 5, zh_char or [None] * 5
    en = [row(k, 4, 4**k, c, x, cpp=10.0) for k, (c, x) in enumerate(zip(en_cov, en_char, strict=True))]
    zh = [row(k, 16, 16**k, c, x, cpp=4.0) for k, (c, x) in enumerate(zip(zh_cov, zh_char, strict=True))]
    return Parallel(half("en", 4, 100, en, held_chars=20), half("zh", 16, 40, zh, held_chars=8), 0.2)


def test_a_whole_pair_as_one_state_has_characters_times_log2_V_bits():
    f = model.frame(hand_built())
    assert (f.pair["en"].chars, f.pair["en"].bits_per_char, f.pair["en"].bits) == (10.0, 2.0, 20.0), "10 x log2 4"
    assert (f.pair["zh"].chars, f.pair["zh"].bits) == (4.0, 16.0), "4 x log2 16"
    assert f.pair["en"].log10 == pytest.approx(20 * math.log10(2)), "4^10 = 10^(20 log10 2) possible texts"
    assert f.more_states.side == "en", f"20 bits against 16: English has more states, got {f.more_states}"
    assert f.more_states.by == pytest.approx(4 * math.log10(2)) and f.more_states.share == pytest.approx(4 / 20)


def test_shares_are_compared_at_k3_or_at_the_longest_k_swept():
    f = model.frame(hand_built())
    assert (f.at_k["en"].context, f.at_k["en"].coverage, f.at_k["zh"].coverage) == (3, 0.1, 0.01)
    assert f.larger_at_k == Lead("en", pytest.approx(0.09), pytest.approx(0.9)), f.larger_at_k
    short = hand_built()
    short = Parallel(
        half("en", 4, 100, list(short.en.rows[:2])), half("zh", 16, 40, [row(0, 16, 1, 1.0), row(1, 16, 16, 0.6)]), 0.2
    )
    f = model.frame(short)
    assert f.at_k["en"].context == 1, "k = 1 when the sweep stops there"
    assert f.larger_at_k.side == "zh", f"0.5 against 0.6: Chinese visits more, got {f.larger_at_k}"


def test_a_tie_goes_to_chinese():
    f = model.frame(hand_built(en_cov=(1.0, 0.5, 0.2, 0.1, 0.05), zh_cov=(1.0, 0.5, 0.2, 0.1, 0.05)))
    assert f.larger_at_k == Lead("zh", 0.0, 0.0), f"equal shares: {f.larger_at_k}"


def test_the_same_span_sets_englishs_longest_k_against_k_times_r_chinese_characters():
    s = model.states(hand_built())
    assert s.span_ratio == 0.4, "40 Chinese characters for 100 English ones"
    assert (s.at_span["en"].context, s.at_span["zh"].context) == (4, 2), "round(4 x 0.4) = 2"
    assert s.larger_at_span == Lead("zh", pytest.approx(0.05), pytest.approx(0.5)), "0.05 against 0.1: Chinese"
    assert s.larger_at_k.side == "en", "while at equal k English visits the larger share"
    assert s.observed_log10["zh"] == pytest.approx((0, math.log10(16), 2 * math.log10(16), 3 * math.log10(16), 4.8165), 1e-4)
    assert [x.context for x in s.spans["en"]] == [1, 2, 3, 4], "k = 0 covers no span"
    assert s.spans["en"][3].other_chars == pytest.approx(1.6) and s.spans["en"][3].other_bits == pytest.approx(6.4)
    assert s.spans["zh"][0].other_chars == pytest.approx(2.5) and s.spans["zh"][0].other_bits == pytest.approx(5.0)


def test_the_cheaper_language_is_the_one_with_fewer_held_out_bits_per_pair_at_its_best_k():
    # English's best k = 2 (1.0 bit a character, 10 a pair), Chinese's best k = 1 (2.25 bits a character, 9 a pair)
    p = hand_built(en_char=[2.0, 1.5, 1.0, 1.2, 1.4], zh_char=[4.0, 2.25, 3.0, 3.5, 4.0])
    b = model.bits(p)
    assert (b.best["en"].context, b.best["zh"].context) == (2, 1), b.best
    assert b.char_ratio == pytest.approx(2.25), "2.25 bits a Chinese character against 1.0 an English one"
    assert b.cheaper == Lead("zh", pytest.approx(1.0), pytest.approx(0.1)), f"9 bits against 10: {b.cheaper}"
    assert model.frame(p).cheaper == b.cheaper, "the answer and the tab name the same language"
    assert b.heldout_chars_per_pair == {"en": 10.0, "zh": 4.0}, "20 and 8 held-out characters in 2 pairs"
    assert (b.train_pairs, b.train_characters) == (8, {"en": 80, "zh": 32})


def test_without_a_held_out_part_no_language_is_cheaper():
    p = hand_built()
    b = model.bits(p)
    assert b.best is None and b.cheaper is None and b.char_ratio is None
    assert model.frame(p).cheaper is None


def test_sizes_state_chinese_against_english():
    s = model.sizes(hand_built())
    assert (s.span_ratio, s.symbols_ratio, s.bytes_ratio) == (0.4, 4.0, 1.2), "40/100 characters, 16/4, 120/100 bytes"
    assert (s.rows["zh"].chars_per_pair, s.rows["zh"].bytes_per_pair, s.rows["zh"].log2_symbols) == (4.0, 12.0, 4.0)
    assert list(s.rows) == ["en", "zh"], "English first"


def bpe_row(name: str, size: int, tokens_per_pair: float) -> BpeRow:
    return BpeRow(name, size, size - 1, int(tokens_per_pair * 2), tokens_per_pair, 100 / tokens_per_pair, 3.0)


def test_bpe_reads_the_smallest_and_largest_vocabularies_and_who_needs_fewer_tokens():
    rows = [bpe_row(ENGLISH, s, n) for s, n in ((256, 130.0), (1024, 60.0))]
    rows += [bpe_row(CHINESE, s, n) for s, n in ((256, 150.0), (1024, 50.0))]
    b = model.bpe(BpeCompare(tuple(rows), ()), 0.1)
    assert b.sizes == (256, 1024) and b.at_lo["zh"].tokens_per_pair == 150.0 and b.at_hi["en"].tokens_per_pair == 60.0
    assert b.fewer == Lead("zh", 10.0, pytest.approx(1 / 6)), "50 tokens against 60 at 1,024: Chinese needs fewer"
    assert [(lang, r.vocab_asked) for lang, r in b.table] == [("en", 256), ("zh", 256), ("en", 1024), ("zh", 1024)]
    assert [r.tokens_per_pair for r in b.rows["zh"]] == [150.0, 50.0], "the chart: by size"
    assert b.key != model.bpe(BpeCompare(tuple(rows), ()), 0.2).key, "the held-out fraction is in the key"


def test_a_held_out_pair_at_256_tokens_is_its_bytes():
    """A byte-level BPE without merges: an ASCII character is one token, any other character one labelled byte each."""
    tokenizers = tuple(train_bpe(builtin_text(name)[:2000], 256).tokenizer for name in (ENGLISH, CHINESE))
    b = BpeCompare((bpe_row(ENGLISH, 256, 1.0), bpe_row(CHINESE, 256, 1.0)), tokenizers)
    pt = model.pair_tokens(b, 1, 0.1)
    en, zh = heldout_pair(1, 0.1)
    assert pt.sentences == {"en": en, "zh": zh}, "the first held-out pair"
    for lang, sentence in pt.sentences.items():
        expected = []
        for c in sentence:
            expected += [visible(c)] if c.isascii() else [f"<{x:02x}>" for x in c.encode()]
        assert list(pt.tokens[lang][256]) == expected, f"{lang}: one token a byte"
    with pytest.raises(ParallelError):
        model.pair_tokens(b, 352, 0.1)


@pytest.fixture(scope="module")
def shipped():
    return compare(model.HELDOUT, model.CONTEXTS)


def test_on_the_shipped_corpora_the_answer_agrees_with_core_verdict(shipped):
    f, v = model.frame(shipped), verdict(shipped)
    assert f.more_states.side == v.more_states and f.larger_at_k.side == v.larger_share and f.at_k["en"].context == v.share_k
    assert (f.pair["en"].log10, f.pair["zh"].log10) == pytest.approx((v.en_pair_log10, v.zh_pair_log10), rel=1e-12)
    assert f.cheaper.side == v.cheaper, f"{f.cheaper} against {v}"
    assert (f.cheaper.by, f.cheaper.share) == pytest.approx((v.pair_bits_saved, v.pair_share_saved), rel=1e-12)
    assert (f.pairs, f.heldout_pairs, f.symbols["en"]) == (3_515, 351, len(set(builtin_text(ENGLISH))))


def test_on_the_shipped_corpora_the_tabs_hold_what_core_measures(shipped):
    s, b = model.states(shipped), model.bits(shipped)
    assert (s.spans["en"], s.spans["zh"]) == same_span(shipped, range(1, 9)), "the span table: k = 1..8"
    assert b.best == {"en": shipped.en.best(), "zh": shipped.zh.best()}
    assert b.heldout_chars_per_pair["zh"] == shipped.zh.heldout_characters / 351
    assert s.at_span["zh"].context == round(8 * shipped.span_ratio), "8 English characters against about 3 Chinese"
    assert model.frame(shipped).key == ("parallel", 0.1, tuple(range(9))) and hash(model.frame(shipped).key)
