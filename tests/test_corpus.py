"""Texts and alphabets: the built-in corpus, the checks on uploads and pastes, folding to 27 symbols, the split."""

import math
from pydoc_data.topics import topics

import numpy as np
import pytest

from core.errors import CoreError
from core.text.corpus import (
    BUILTIN,
    MAX_CORPUS_BYTES,
    SHANNON27,
    CorpusError,
    builtin_text,
    check_text,
    decode_text,
    split_point,
    symbolize,
    to_shannon27,
)


def code_of(fn) -> CorpusError:
    with pytest.raises(CorpusError) as e:
        fn()
    return e.value


def test_builtin_corpus_is_the_reference_topics_in_key_order():
    text = builtin_text("python-docs")
    assert text == "\n\n".join(topics[k] for k in sorted(topics)), "topics joined in sorted key order"
    assert builtin_text("python-docs") is text, "cached: the same string object"
    assert "PSF" in BUILTIN["python-docs"].license and BUILTIN["python-docs"].description, "license and description"
    assert 100_000 < len(text.encode()) <= MAX_CORPUS_BYTES, "a real corpus within the cap"
    assert code_of(lambda: builtin_text("nope")).code == "corpus.unknown_builtin"


@pytest.mark.parametrize("data", [b"", b"  \n\t "])
def test_decode_text_rejects_empty_input(data):
    e = code_of(lambda: decode_text(data, "notes.txt"))
    assert e.code == "corpus.empty" and "notes.txt" in str(e), str(e)


def test_decode_text_names_the_offset_of_the_first_bad_byte():
    e = code_of(lambda: decode_text(b"ab\xffc", "x.txt"))
    assert e.code == "corpus.not_utf8" and e.params["offset"] == 2, e.params
    assert "byte 2 " in str(e) and "0xff" in str(e), str(e)
    e = code_of(lambda: decode_text("é".encode() + b"\xe9t\xe9"))  # Latin-1 é after a UTF-8 one
    assert e.params["offset"] == 2, f"offset counts bytes, not characters: {e.params}"


def test_decode_text_enforces_the_size_cap():
    e = code_of(lambda: decode_text(b"a" * (MAX_CORPUS_BYTES + 1), "big.txt"))
    assert e.code == "corpus.too_big" and e.params["size"] == MAX_CORPUS_BYTES + 1, e.params
    assert f"{MAX_CORPUS_BYTES:,}" in str(e) and f"{MAX_CORPUS_BYTES + 1:,}" in str(e), str(e)
    assert len(decode_text(b"a" * MAX_CORPUS_BYTES)) == MAX_CORPUS_BYTES, "exactly the cap is allowed"


def test_check_text_counts_utf8_bytes_not_characters():
    text = "é" * (MAX_CORPUS_BYTES // 2 + 1)  # fewer characters than the cap, more bytes
    e = code_of(lambda: check_text(text))
    assert e.code == "corpus.too_big" and e.params["size"] == 2 * len(text), e.params
    assert code_of(lambda: check_text(" \n")).code == "corpus.empty"
    assert check_text("hello") == "hello", "a good text comes back unchanged"


@pytest.mark.parametrize(
    "text, folded",
    [
        ("Café, NAÏVE—déjà vu!", "cafe naive deja vu "),
        ("Line 1\nLine 2\n", "line line "),
        ("  Hello", " hello"),
        ("ﬁne Œuvre", "fine uvre"),  # the ﬁ ligature decomposes to f i; Œ has no decomposition: a non-letter
        ("straße", "stra e"),
        ("42", " "),
    ],
)
def test_shannon27_folds_accents_case_and_non_letters(text, folded):
    assert to_shannon27(text) == folded, f"{text!r} -> {to_shannon27(text)!r}"
    assert to_shannon27(folded) == folded, "folding twice changes nothing"
    assert "  " not in to_shannon27(text), "never two spaces in a row"


def test_raw_symbols_match_a_python_reference():
    text = "abca\n😀é" + builtin_text("python-docs")[:5000]
    s = symbolize(text, "raw")
    alphabet = sorted(set(text))
    assert s.alphabet == tuple(alphabet), "the distinct characters, sorted"
    assert s.ids.tolist() == [alphabet.index(c) for c in text], "ids index the alphabet"
    assert s.decode(s.ids) == text and s.vocab == len(alphabet), "round trip"


def test_shannon27_symbols_have_the_fixed_alphabet():
    text = builtin_text("python-docs")
    s = symbolize(text, "shannon27")
    assert s.alphabet == SHANNON27 and s.vocab == 27, "space and a-z, always 27"
    assert s.decode(s.ids) == to_shannon27(text), "ids spell the folded text"
    assert code_of(lambda: symbolize(text, "bytes")).code == "corpus.unknown_alphabet"


def test_symbol_ids_are_read_only():
    s = symbolize("abc", "raw")
    with pytest.raises(ValueError):
        s.ids[0] = 1
    assert s.ids.dtype == np.int32, s.ids.dtype


def test_split_point_keeps_the_first_part_for_training():
    assert [split_point(10, h) for h in (0, 0.1, 0.25, 0.5)] == [10, 9, 8, 5], "n - floor(n * heldout)"
    assert split_point(1, 0.5) == 1, "one symbol: all training"
    for bad in (-0.1, 0.6, math.nan, "0.1"):
        assert code_of(lambda b=bad: split_point(10, b)).code == "corpus.heldout", f"heldout={bad!r}"
    assert code_of(lambda: split_point(0, 0.1)).code == "corpus.too_short"


def test_a_bad_text_is_refused_as_a_coded_value_error():
    """What the page and the CLI rely on: a refusal is a ValueError (one line, exit 2) with a corpus code."""
    for bad in (lambda: decode_text(b"ab\xffcd", "upload"), lambda: symbolize("abc", "bytes"), lambda: split_point(0, 0.1)):
        with pytest.raises(ValueError) as e:
            bad()
        assert isinstance(e.value, CoreError) and e.value.code.startswith("corpus."), e.value
        assert "\n" not in str(e.value), "one line"


def test_names_are_the_files_lines_shuffled_and_held_out_between_names():
    from core.text.corpus import BUILTIN, CORPORA, builtin_text, symbolize, training_length

    lines = (CORPORA / "names.txt").read_text(encoding="utf-8").split("\n")
    text = builtin_text("names")
    got = text.split("\n")
    assert got[-1] == "" and sorted(got[:-1]) == sorted(lines), "every name once as often as the file has it, one a line"
    assert len(lines) == 32_033 and got[:-1] != lines, "the file's popularity order is gone"
    assert got[:-1][:5] == builtin_text.__wrapped__("names").split("\n")[:5], "the same order on every read (a fixed seed)"
    assert BUILTIN["names"].shuffle_seed is not None
    s = symbolize(text, "raw")
    assert s.vocab == 27 and s.alphabet[0] == "\n"
    cut = training_length(text, "raw", len(s.ids), 0.1)
    assert text[cut - 1] == "\n", "the held-out part starts at a name"
    assert text[cut:].count("\n") == 32_033 // 10, "the last tenth of the names (rounded down) is held out"
    folded = training_length(text, "shannon27", len(symbolize(text, "shannon27").ids), 0.1)
    assert folded == cut, "folding to shannon27 turns each newline into one space: the same cut"
