import argparse
import math

import numpy as np
import pytest

from core.cli.vocab import add_vocab_arguments, cmd_vocab
from core.text.corpus import builtin_text, split_point
from core.text.ngram import MAX_SWEEP_K, context_sweep, example_bits
from core.text.vocab import (
    MAX_BPE_VOCAB,
    MAX_SPAN,
    MAX_VOCAB_SIZES,
    VocabError,
    chars_per_id,
    context_for_span,
    decode,
    encode,
    max_span,
    parse_sizes,
    split_text,
    token_bytes,
    tokenize_preview,
    train_bpe,
    vocab_row,
    vocab_sweep,
)

VARIED = [
    "Café, naïve, déjà vu, Ærøskøbing, Straße",
    "中文字符和日本語のテキスト、한국어",
    "emoji 😀👍🏽 and a family 👨‍👩‍👧 (joined) 🇫🇷",
    "line one\nline two\r\nline three\n\n\n",
    "   leading spaces, multiple     spaces, trailing   ",
    "\ttabs\t\tand\tmixed \t whitespace\u00a0nbsp\u2003em",
    "",
    " ",
    "\n",
    "x",
]


@pytest.fixture(scope="module")
def docs():
    return builtin_text("python-docs")[:120_000]


@pytest.fixture(scope="module")
def mixed_bpe():
    text = "\n".join(VARIED[:6] * 20) + builtin_text("python-docs")[:20_000]
    return train_bpe(text, 1024)


def test_round_trip_is_exact_on_varied_text(mixed_bpe, docs):
    small = train_bpe(docs[:5_000], 256)
    for bpe in (mixed_bpe, small):
        for s in [*VARIED, "".join(VARIED), "unseen: Ωμέγα ∑ 🦀 ﷽ \x00\x7f"]:
            ids = encode(bpe.tokenizer, s)
            assert decode(bpe.tokenizer, ids) == s, f"round trip failed at V={bpe.size} for {s!r}"
            assert b"".join(token_bytes(bpe.tokenizer, i) for i in ids) == s.encode(), f"token bytes are not the UTF-8 of {s!r}"


def test_encoding_in_pieces_equals_encoding_the_whole_text(mixed_bpe, docs):
    for text in (docs[:40_000], "\n".join(VARIED)):
        whole = mixed_bpe.tokenizer.encode(text).ids
        assert encode(mixed_bpe.tokenizer, text).tolist() == whole, "piecewise encoding differs from the whole-text encoding"


def test_characters_of_tokens_add_up_to_the_text_length(mixed_bpe, docs):
    per_id = chars_per_id(mixed_bpe.tokenizer)
    for text in (*VARIED, docs[:10_000]):
        ids = encode(mixed_bpe.tokenizer, text)
        assert per_id[ids].sum() == len(text), f"characters per token do not add up for {text[:30]!r}"
    ascii_ids = [i for i in range(mixed_bpe.size) if token_bytes(mixed_bpe.tokenizer, i).isascii()]
    assert all(per_id[i] == len(mixed_bpe.tokenizer.decode([i])) for i in ascii_ids), "an ASCII token's count is its length"


def test_preview_shows_each_token(mixed_bpe):
    s = "def f(x):\n    return x + 1"
    preview = tokenize_preview(mixed_bpe.tokenizer, s)
    assert "".join(preview) == s, "an ASCII sentence is the concatenation of its tokens"
    assert len(preview) == len(encode(mixed_bpe.tokenizer, s)), "one string per token"
    cut = tokenize_preview(train_bpe("abc " * 50, 256).tokenizer, "é")
    assert cut == ["<c3>", "<a9>"], f"a character cut by tokens shows its bytes, labelled, got {cut}"


def test_bigger_vocabulary_packs_no_fewer_characters_per_token(docs):
    rows = vocab_sweep(docs, [256, 512, 1024, 2048, 4096], span=32, heldout=0.1)
    cpt = [r.chars_per_token_train for r in rows]
    assert all(a <= b for a, b in zip(cpt, cpt[1:], strict=False)), f"chars per token must not fall as V grows: {cpt}"
    assert all(r.round_trip for r in rows), "every tokenizer must round-trip both parts"
    ks = [r.context_tokens for r in rows]
    assert all(a >= b for a, b in zip(ks, ks[1:], strict=False)), f"a bigger vocabulary needs no more tokens per span: {ks}"


def test_row_matches_independent_references(docs):
    heldout, span = 0.1, 24
    docs = docs.encode("ascii", errors="ignore").decode()  # every token then holds whole characters
    (row,) = vocab_sweep(docs, [1024], span=span, heldout=heldout)
    cut = split_point(len(docs), heldout)
    train_text, heldout_text = docs[:cut], docs[cut:]
    assert split_text(docs, heldout) == (train_text, heldout_text), "the text splits like core.text.corpus.split_point"
    tok = train_bpe(train_text, 1024).tokenizer
    tr, he = np.array(tok.encode(train_text).ids), np.array(tok.encode(heldout_text).ids)
    assert (row.train_tokens, row.heldout_tokens, row.tokens) == (len(tr), len(he), len(tr) + len(he)), "token counts"
    assert row.chars_per_token_train == len(train_text) / len(tr), "chars per token = characters / tokens (train)"
    assert row.chars_per_token_heldout == len(heldout_text) / len(he), "chars per token = characters / tokens (held out)"
    k = max(1, round(span / row.chars_per_token_train))
    assert row.context_tokens == k, "k = round(S / chars per token)"
    assert row.possible_states_log10 == pytest.approx(k * math.log10(row.vocab_size), rel=1e-12), "log10 V^k"
    assert row.bits_per_state == pytest.approx(k * math.log2(row.vocab_size), rel=1e-12), "k log2 V"
    (ref,) = context_sweep(tr, he, row.vocab_size, [k])
    assert row.observed_contexts == ref.observed_contexts, "observed contexts as the n-gram sweep counts them"
    assert row.heldout_unseen_fraction == ref.heldout_unseen_fraction, "unseen fraction as the n-gram sweep counts it"
    bits, _ = example_bits(tr, he, row.vocab_size, k)
    chars = sum(len(tok.decode([int(i)])) for i in he[k:])
    assert row.heldout_bits_per_char == pytest.approx(bits.sum() / chars, rel=1e-9), "total bits / predicted characters"


def test_trainer_stopping_short_is_reported():
    bpe = train_bpe("ab ab ab abab ba " * 30, MAX_BPE_VOCAB)
    assert bpe.asked == MAX_BPE_VOCAB and 256 <= bpe.size < MAX_BPE_VOCAB, f"a tiny text cannot fill the vocabulary: {bpe.size}"
    train_text, heldout_text = split_text("ab ab ab abab ba " * 30, 0.1)
    row = vocab_row(train_bpe(train_text, 4096), train_text, heldout_text, 8)
    assert row.vocab_size < row.vocab_asked == 4096, "the row carries both the asked and the actual size"


def test_caps_give_specific_errors(docs):
    cases = [
        (lambda: vocab_sweep(docs, [128]), "vocab.size"),
        (lambda: vocab_sweep(docs, [MAX_BPE_VOCAB + 1]), "vocab.size"),
        (lambda: vocab_sweep(docs, [256] * (MAX_VOCAB_SIZES + 1)), "vocab.sizes_count"),
        (lambda: vocab_sweep(docs, []), "vocab.sizes_count"),
        (lambda: vocab_sweep(docs, [256], span=3), "vocab.span"),
        (lambda: vocab_sweep(docs, [256], span=257), "vocab.span"),
        (lambda: vocab_sweep(docs, [256], span=64), "vocab.context"),  # 64 bytes is past the n-gram's 32
        (lambda: parse_sizes("256;1024"), "vocab.sizes_syntax"),
    ]
    for fn, code in cases:
        with pytest.raises(VocabError) as e:
            fn()
        assert e.value.code == code, f"expected {code}, got {e.value.code}: {e.value}"
    assert parse_sizes(" 256, 1024 ") == [256, 1024], "sizes parse with spaces"


def test_same_text_gives_the_same_rows(docs):
    a, b = (vocab_sweep(docs[:30_000], [256, 1024]) for _ in range(2))
    strip = lambda rows: [{k: v for k, v in vars(r).items() if k != "train_seconds"} for r in rows]
    assert strip(a) == strip(b), "a sweep is deterministic apart from its timings"


def test_cmd_vocab_returns_the_documented_rows():
    parser = argparse.ArgumentParser()
    add_vocab_arguments(parser)
    out = cmd_vocab(parser.parse_args(["--builtin", "python-docs", "--sizes", "256,2048", "--span", "16"]))
    documented = ["vocab_size", "tokens", "chars_per_token_train", "chars_per_token_heldout", "context_tokens"]
    documented += ["possible_states_log10", "bits_per_state", "observed_contexts", "heldout_unseen_fraction"]
    documented += ["heldout_bits_per_char"]
    assert [list(r) for r in out["rows"]] == [documented] * 2, "each row has the documented keys, in order"
    assert [r["vocab_size"] for r in out["rows"]] == [256, 2048], "one row per size, in order"


@pytest.mark.parametrize("chars_per_token", [1.0, 1.37, 3.9, 8.2, 12.0])
def test_max_span_is_the_longest_span_the_ngram_allows(chars_per_token):
    s = max_span(chars_per_token)
    assert context_for_span(s, chars_per_token) <= MAX_SWEEP_K
    assert s == MAX_SPAN or context_for_span(s + 1, chars_per_token) > MAX_SWEEP_K
    # by hand: one character per token allows exactly the n-gram's 32 tokens (round(32.4) = 32, round(33) = 33)
    assert max_span(1.0) == 32
