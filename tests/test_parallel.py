"""The parallel corpora python-docs-en / python-docs-zh: their build, their pair split, and the measures on them."""

import argparse
import importlib.util
import io
import json
import math
from contextlib import redirect_stdout

import numpy as np
import pytest

from core.cli.main import main
from core.cli.parallel import ROW_KEYS, cmd_parallel
from core.errors import CoreError
from core.text.analysis import analyse
from core.text.corpus import BUILTIN, CORPORA, builtin_text, pair_cut, symbolize, to_shannon27, training_length
from core.text.ngram import example_bits
from core.text.parallel import CHINESE, ENGLISH, ParallelError, compare, half, heldout_pair, same_span, verdict
from core.text.vocab import labelled, split_text, tokenize_preview, train_bpe, visible_token

spec = importlib.util.spec_from_file_location(
    "build_parallel_corpus", CORPORA.parents[2] / "scripts" / "build_parallel_corpus.py"
)
build = importlib.util.module_from_spec(spec)
spec.loader.exec_module(build)

PAIRS = 3_515  # translated, non-fuzzy entries of tutorial/*.po and reference/*.po at the pinned commit
needs_po = pytest.mark.skipif(not build.PO_DIR.is_dir(), reason="the .po files (../shared/corpora) are not beside the repo")


def lines(name: str) -> list[str]:
    return builtin_text(name).split("\n")[:-1]


@needs_po
def test_build_is_reproducible_from_the_po_files():
    first, second = build.build(), build.build()
    assert first == second, "two builds give the same bytes"
    for name, data in first.items():
        assert (CORPORA / name).read_bytes() == data, f"the shipped {name} is what the .po files give"


@needs_po
def test_every_translated_entry_is_one_pair():
    import polib

    entries = [
        e
        for path in build.po_files(build.PO_DIR)
        for e in polib.pofile(str(path))
        if e.msgstr and not e.obsolete and "fuzzy" not in e.flags
    ]
    assert len(entries) == PAIRS == len(build.pairs(build.PO_DIR)), "one pair per translated, non-fuzzy entry"
    assert len(build.po_files(build.PO_DIR)) == 28, "17 tutorial and 11 reference files"


def test_shipped_corpora_are_aligned_line_for_line():
    en, zh = lines(ENGLISH), lines(CHINESE)
    assert len(en) == len(zh) == PAIRS, (len(en), len(zh))
    assert all(en) and all(zh), "no empty side"
    assert builtin_text(ENGLISH).endswith("\n") and "\r" not in builtin_text(ENGLISH) + builtin_text(CHINESE)
    assert en[12] == "The while statement is used for repeated execution as long as an expression is true:", en[12]
    assert zh[12] == "while 语句用于在表达式保持为真的情况下重复地执行:", zh[12]
    for name in (ENGLISH, CHINESE):
        c = BUILTIN[name]
        assert c.translation in BUILTIN and BUILTIN[c.translation].translation == name, "each names the other half"
        assert "PSF License" in c.license, c.license
    assert "CC0" in BUILTIN[CHINESE].license and BUILTIN[CHINESE].language == "zh"
    assert (CORPORA / "SOURCE.md").is_file(), "the source and license are stated beside the files"


def test_cleaning_removes_every_kind_of_markup_the_same_way():
    entry = (
        "See :ref:`the tutorial <tut-intro>`, :func:`len`, :meth:`~object.__getitem__`, :keyword:`!for`, "
        ":class:`dict`, :token:`~python-grammar:expression`, :pep:`8`, :rfc:`2822`, :samp:`\\\\x{hh}`, "
        "``a * b``, *emphasis*, **strong**, `interpreted`, `Python <https://www.python.org/>`_, `name`_, "
        "`anonymous <https://example.org/>`__, a footnote [#]_ and [1]_, an escaped\\ join, \\*not emphasis\\* and:: "
    )
    expected = (
        "See the tutorial, len(), __getitem__(), for, dict, expression, PEP 8, RFC 2822, \\xhh, a * b, emphasis, strong, "
        "interpreted, Python, name, anonymous, a footnote and, an escapedjoin, *not emphasis* and:"
    )
    assert build.clean(entry) == expected
    assert build.clean("中文用 :func:`len`\\ 函数和 ``None``\\ 值::") == "中文用 len()函数和 None值:", "the same rules on Chinese"
    assert build.clean("The grammar follows ::") == "The grammar follows", "' ::' before a literal block goes"
    assert build.clean("::") == "" and build.clean("  two\n  lines\t ") == "two lines"


def test_the_same_pairs_are_held_out_in_both_languages():
    held = math.floor(PAIRS * 0.1)
    for name in (ENGLISH, CHINESE):
        text = builtin_text(name)
        cut = pair_cut(text, 0.1)
        assert text[:cut].count("\n") == PAIRS - held and text[cut - 1] == "\n", "the cut falls between pairs"
        train, heldout = split_text(text, 0.1)
        assert heldout.split("\n")[:-1] == lines(name)[-held:], "the held-out part is the last pairs"
        s = symbolize(text, "raw")
        assert training_length(text, "raw", len(s.ids), 0.1) == cut
    en_text = builtin_text(ENGLISH)
    s27 = symbolize(en_text, "shannon27")
    cut27 = training_length(en_text, "shannon27", len(s27.ids), 0.1)
    assert s27.decode(s27.ids[:cut27]) == to_shannon27(en_text[: pair_cut(en_text, 0.1)]), "folded: the same pairs"
    assert training_length("abc\n" * 10, "raw", 40, 0.1) == 36, "any other text: split_point, not by line"
    assert heldout_pair(1) == (lines(ENGLISH)[-held], lines(CHINESE)[-held])
    with pytest.raises(ParallelError) as e:
        heldout_pair(held + 1)
    assert e.value.code == "parallel.pair" and f"1..{held}" in str(e.value)


@pytest.fixture(scope="module")
def p():
    return compare(0.1, range(5))


def test_bits_per_pair_is_bits_per_character_times_characters_per_pair(p):
    for h in (p.en, p.zh):
        held = lines(h.name)[-h.heldout_pairs :]
        chars = sum(len(line) + 1 for line in held)  # each with its newline
        nbytes = sum(len(line.encode()) + 1 for line in held)
        assert (h.heldout_pairs, h.heldout_characters, h.heldout_bytes) == (len(held), chars, nbytes)
        text = builtin_text(h.name)
        s = symbolize(text, "raw")
        cut = pair_cut(text, 0.1)
        for r in h.rows:
            bits, _ = example_bits(s.ids[:cut], s.ids[cut:], s.vocab, r.context)
            assert r.heldout_bits_per_char == pytest.approx(bits.mean(), rel=1e-12), "the mean Kneser-Ney cost"
            assert r.heldout_bits_per_pair == pytest.approx(bits.mean() * chars / len(held), rel=1e-12)
            assert r.heldout_bits_per_byte == pytest.approx(bits.mean() * chars / nbytes, rel=1e-12)
            assert r.bits_per_state == pytest.approx(r.context * math.log2(len(set(text))))
    assert (p.en.pairs, p.zh.pairs) == (PAIRS, PAIRS) and p.en.symbols == len(set(builtin_text(ENGLISH)))


def test_the_verdict_from_the_texts_themselves(p):
    """The page's answer recomputed from the shipped texts: possible texts of a pair's length, the share of k = 3
    contexts each training part visits, and the cheaper language per pair from the Kneser-Ney costs."""
    texts = {h.language: builtin_text(h.name) for h in (p.en, p.zh)}
    log10 = {lang: len(text) / PAIRS * math.log10(len(set(text))) for lang, text in texts.items()}
    share = {}
    for lang, text in texts.items():
        s, cut = symbolize(text, "raw"), pair_cut(text, 0.1)
        train = s.ids[:cut]
        share[lang] = len({tuple(train[i - 3 : i]) for i in range(3, len(train))}) / s.vocab**3
    cost = {}
    for h in (p.en, p.zh):
        held = lines(h.name)[-h.heldout_pairs :]
        chars = sum(len(line) + 1 for line in held)
        text, s = texts[h.language], symbolize(texts[h.language], "raw")
        cut = pair_cut(text, 0.1)
        cost[h.language] = min(example_bits(s.ids[:cut], s.ids[cut:], s.vocab, k)[0].mean() * chars / len(held) for k in range(5))
    v = verdict(p)
    assert (v.en_pair_log10, v.zh_pair_log10) == pytest.approx((log10["en"], log10["zh"]), rel=1e-9)
    assert v.more_states == max(log10, key=log10.get) and v.larger_share == max(share, key=share.get)
    assert v.cheaper == min(cost, key=cost.get)
    assert v.pair_bits_saved == pytest.approx(abs(cost["en"] - cost["zh"]), rel=1e-9)
    assert v.pair_share_saved == pytest.approx(abs(cost["en"] - cost["zh"]) / max(cost.values()), rel=1e-9)


def test_sizes_and_span(p):
    en, zh = builtin_text(ENGLISH), builtin_text(CHINESE)
    assert (p.en.characters, p.en.bytes, p.zh.characters, p.zh.bytes) == (len(en), len(en.encode()), len(zh), len(zh.encode()))
    assert p.span_ratio == pytest.approx(len(zh) / len(en))
    e, z = same_span(p, [4])
    assert e[0].other_chars == pytest.approx(4 * len(zh) / len(en)) and z[0].other_chars == pytest.approx(4 * len(en) / len(zh))
    assert e[0].other_bits == pytest.approx(4 * len(zh) / len(en) * math.log2(len(set(zh)))), "k r log2 V of Chinese"


def test_cli_prints_each_language_with_the_documented_keys():
    out = io.StringIO()
    with redirect_stdout(out):
        assert main(["parallel", "--json", "--contexts", "0-2"]) == 0
    result = json.loads(out.getvalue())
    assert [x["language"] for x in result["languages"]] == ["en", "zh"]
    for x in result["languages"]:
        assert list(x) == ["language", "pairs", "characters", "bytes", "symbols", "rows"] and x["pairs"] == PAIRS
        assert [r["context"] for r in x["rows"]] == [0, 1, 2] and all(list(r) == list(ROW_KEYS) for r in x["rows"])
    zh = result["languages"][1]
    assert zh["characters"] == len(builtin_text(CHINESE)) and zh["bytes"] == len(builtin_text(CHINESE).encode())
    assert ROW_KEYS == (
        "context",
        "possible_states_log10",
        "observed_contexts",
        "conditional_entropy_bits",
        "heldout_bits_per_char",
        "heldout_bits_per_pair",
    )
    none = cmd_parallel(argparse.Namespace(contexts="1", heldout=0.0))["languages"][0]["rows"][0]
    assert none["heldout_bits_per_char"] is None and none["heldout_bits_per_pair"] is None, "no held-out part"


def test_shannon27_is_refused_for_cjk_text(capsys):
    with pytest.raises(CoreError) as e:
        symbolize("Python 是一种语言", "shannon27")
    assert e.value.code == "corpus.cjk_shannon27" and e.value.params["n"] == 5, e.value.params
    assert main(["text", "--builtin", CHINESE, "--alphabet", "shannon27"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "CJK characters" in err and "raw" in err, err
    r = analyse(builtin_text(CHINESE), "raw", 0.1, (0, 1))
    assert r.shannon27 is None and r.cjk > 100_000, "no 27-letter table for Chinese, and the page is told why"
    assert analyse(builtin_text(ENGLISH), "raw", 0.1, (0,)).cjk == 0


def test_tokens_that_cut_characters_are_labelled_bytes_never_fffd():
    assert labelled("中".encode()[:2]) == "<e4 b8>" and labelled(b"a\xe4\xb8\xad\xe6") == "a中<e6>"
    assert visible_token(" <e4 b8>") == "␣<e4 b8>" and visible_token("a b") == "a␣b", "labels keep their spaces"
    tok = train_bpe("\n".join(lines(CHINESE)[:300]), 256).tokenizer  # bytes only: a Chinese character is 3 tokens
    preview = tokenize_preview(tok, "中文")
    assert preview == ["<e4>", "<b8>", "<ad>", "<e6>", "<96>", "<87>"], preview
    tok = train_bpe("\n".join(lines(CHINESE)[:300]), 1024).tokenizer
    for line in lines(CHINESE)[-50:]:
        pieces = tokenize_preview(tok, line)
        assert "\ufffd" not in "".join(pieces), line
        joined = "".join(pieces)
        assert joined == line or "<" in joined, "whole characters read as themselves"


def test_the_sweep_uses_the_pair_split_everywhere():
    r = analyse(builtin_text(ENGLISH), "raw", 0.1, (0,))
    assert r.train_symbols == pair_cut(builtin_text(ENGLISH), 0.1), "the Real text sweep holds out the same pairs"
    h = half(CHINESE, 0.1, [0])
    assert h.train_characters == pair_cut(builtin_text(CHINESE), 0.1) and h.train_pairs == PAIRS - 351
    assert np.isclose(h.rows[0].heldout_unseen_fraction, 0.0)
