"""The "Vocabulary & GPT" page, run headless with Streamlit's AppTest: renders on defaults, refuses bad input visibly,
opens with the GPT trained beforehand when the store has it, in both languages."""

import dataclasses
import pathlib

import pytest
from streamlit.testing.v1 import AppTest

from core.runtime import settings
from core.text import pretrained
from tests.test_pages import shown
from ui import cache

ROOT = pathlib.Path(__file__).resolve().parents[1]
PAGE = "pages/text_models.py"


def open_page(**params) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=300)
    at.switch_page(PAGE)
    for k, v in params.items():
        at.query_params[k] = v
    return at.run()


def table(at, column: str, nth: int = 0):
    """The nth rendered table that has this column."""
    return [d.value for d in at.dataframe if column in d.value.columns][nth]


def test_page_renders_every_tab_on_defaults(monkeypatch):
    unstored = dataclasses.replace(pretrained.PRETRAINED, heldout_examples=1)  # a spec no process has trained
    monkeypatch.setattr(cache, "pretrain_spec", lambda: unstored)
    at = open_page()
    assert not at.exception, [e.value for e in at.exception]
    assert any("No GPT trained beforehand" in i.value for i in at.info), "without the stored model the answer says so"
    nano = table(at, "validation loss, nats per character")
    assert list(nano["validation loss, nats per character"]) == [1.88, 1.47], "nanoGPT's published figures"
    assert not [d for d in at.dataframe if "never-seen contexts" in d.value.columns], "nothing trains on the first tab"

    at = open_page(tm_tab="vocab")
    assert not at.exception and not at.error, [e.value for e in at.exception] + [e.value for e in at.error]
    vocab = table(at, "vocabulary asked")
    assert list(vocab["vocabulary asked"]) == [256, 1024, 4096], "the default sizes, one row each"
    assert any("not measured here" in e.label for e in at.expander), "published figures are titled as such"
    published = table(at, "source")
    assert "GPT-2" in list(published["model"]), "the published models are listed"
    assert len(at.code) >= 3, "a preview per size"

    at = open_page(tm_tab="own")
    assert not at.exception and not at.error, [e.value for e in at.exception] + [e.value for e in at.error]
    same = table(at, "never-seen contexts")  # pairing 1 of the GPT trained here
    assert list(same["model"]) == [
        "the data's own chain (counts, no backoff)",
        "the data's chain, uniform guess on never-seen contexts",
        "Kneser-Ney, one discount per order",
        "Kneser-Ney, modified (three discounts per order)",
        "GPT",
        "GPT and Kneser-Ney mixed",
    ]
    assert same["never-seen contexts"].iloc[0] == "—", "no backoff: no prediction on a never-seen context"
    assert same["never-seen contexts"].iloc[1] == "4.755", "a uniform guess over 27 symbols: log2 27 bits"
    best = table(at, "never-seen contexts", 1)
    assert best["model"].iloc[0].startswith("Kneser-Ney, modified, at its best order k = ")
    text = " ".join(m.value for m in at.markdown)
    assert "Raise the steps" not in text and "300 steps of 64 windows of 8" in text, "the sentence names its budget"
    assert len(at.code) >= 2, "a sample per model"


@pytest.fixture
def small_pretrained(monkeypatch):
    """A small stand-in for the GPT trained beforehand, trained and stored, then removed from the store."""
    base = pretrained.PRETRAINED
    spec = dataclasses.replace(
        base,
        model=dataclasses.replace(base.model, block_size=8, n_layer=1, n_head=2, n_embd=32),
        train=dataclasses.replace(base.train, steps=40, warmup_steps=4, batch_size=8),
    )
    results = settings.store()
    if results is None:
        pytest.skip("no writable result store")
    key = pretrained.pretrained_key(spec)
    results.put(key, pretrained.to_bytes(pretrained.train_pretrained(spec)))
    monkeypatch.setattr(cache, "pretrain_spec", lambda: spec)
    yield spec
    results.path(key).unlink(missing_ok=True)


def test_page_opens_with_the_stored_gpt_in_chinese(small_pretrained):
    at = open_page(lang="zh")
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]
    boards = [d.value for d in at.dataframe if "从未见过的上下文" in d.value.columns]
    assert len(boards) == 2, "two pairings for the stored GPT"
    assert boards[0]["模型"].iloc[4] == "GPT" and boards[0]["从未见过的上下文"].iloc[1] == "4.755"
    text = " ".join(m.value for m in at.markdown)
    assert "40 步，每步 8 个长 8 的窗口" in text, "the stored GPT's sentence names its budget"
    answer = [m.value for m in at.markdown if "在 `python-docs` 上（k = 8）" in m.value]
    assert len(answer) == 1 and "40 步" in answer[0] and "比特" in answer[0], answer
    assert "在 `names` 上（k = 16）" in answer[0], "both sides: the documentation beside the names"
    sides = table(at, "names")
    assert list(sides.columns) == ["每字符比特（另有说明除外）", "python-docs", "names"]
    assert len(at.get("plotly_chart")) >= 1, "the learning curve"
    assert not any("增加训练步数" in m for m in text.split()), "no advice the caps do not allow"
    own = open_page(lang="zh", tm_tab="own")
    assert len([d for d in own.dataframe if "从未见过的上下文" in d.value.columns]) == 2, "two for the one trained here"


def test_bad_span_is_an_error_not_an_exception():
    at = open_page(tm_tab="vocab", tm_span="1000", tm_sizes="256")
    assert not at.exception, [e.value for e in at.exception]
    notice = " ".join(shown(w.value) for w in at.warning)
    assert "tm_span=1000" in notice, "from the address: named, the default shown"
    own = next(k for k in at.session_state.keys() if k.startswith("tm_span"))
    at.number_input(key=own).set_value(1000).run()
    assert any("span must be" in e.value for e in at.error), [e.value for e in at.error]
    at = open_page(tm_tab="own", tm_steps="0")
    assert "tm_steps=0" in " ".join(shown(w.value) for w in at.warning)
    at.number_input(key="tm_steps").set_value(0).run()
    assert any("Steps" in e.value for e in at.error), "an out-of-range number is named, and nothing trains"


def test_both_sides_on_the_board_are_the_shipped_boards():
    """The documentation beside the names: every cell of the side-by-side table is the shipped board's number, the
    lesson follows who is ahead, and the names' own view shows its curve's crossing and new names from both models."""
    from core.text.corpus import builtin_text
    from core.text.scoreboard import kn_curve_of
    from core.text.sides import crossing, side

    docs, names = (pretrained.shipped_board(pretrained.SPECS[c]) for c in ("python-docs", "names"))
    at = open_page()
    assert not at.exception, [e.value for e in at.exception]
    sides = table(at, "names")
    for corpus, b in (("python-docs", docs), ("names", names)):
        s = side(corpus, b)
        column = list(sides[corpus])
        assert column[:3] == [str(b.context), f"{1 - b.seen_fraction:.1%}", str(b.best_k)], corpus
        assert column[3:6] == [f"{b.kn_best.overall:.3f}", f"{b.gpt.overall:.3f}", f"{b.mix.overall:.3f}"], corpus
        assert column[6:9] == [f"{b.kn_best.unseen:.3f}", f"{b.gpt.unseen:.3f}", f"{b.mix.unseen:.3f}"], corpus
        assert s.overall.ahead == ("table" if corpus == "python-docs" else "gpt"), (corpus, s.overall)
    text = " ".join(m.value for m in at.markdown)
    assert "the table's memory wins" in text and "the GPT's shared parameters win" in text
    assert "(`python-docs`)" in text and "(`names`)" in text, "each side named where it wins"

    at = open_page(tm_side="names")
    assert not at.exception, [e.value for e in at.exception]
    p = pretrained.shipped(pretrained.NAMES)
    kn = kn_curve_of(builtin_text("names"), "raw", 0.1)[-1].bits
    point = crossing(p.curve, kn)
    assert point is not None, "the names GPT's curve passes the table"
    text = " ".join(m.value for m in at.markdown)
    assert f"at step {point.step:,}, after {point.flops:.2g} training FLOPs" in text
    samples = table(at, "GPT trained beforehand")
    assert len(samples) >= 5 and samples.iloc[:, 0].str.len().gt(0).sum() >= 5, "whole names from the GPT"
    assert any("of the GPT's" in c.value and "names are new" in c.value for c in at.caption)


def test_without_the_names_gpt_the_answer_is_the_one_boards_verdict(monkeypatch):
    """One side only: the answer words the documentation board's verdict (`core.pages.text_models.answer`), and the
    board tab sets that one side in its table."""
    from core.pages import text_models as pm

    real = cache.shipped_model
    monkeypatch.setattr(cache, "shipped_model", lambda corpus: None if corpus == "names" else real(corpus))
    docs = pretrained.shipped(pretrained.PRETRAINED)
    v = pm.answer(docs, pretrained.shipped_board(pretrained.PRETRAINED), None).alone
    at = open_page()
    assert not at.exception and not at.error, [e.value for e in at.exception] + [e.value for e in at.error]
    text = " ".join(m.value for m in at.markdown)
    assert f"at k = {v.context}, **{v.unseen_fraction:.1%} of the held-out characters" in text, "the verdict's share"
    assert f"costs {v.kn_unseen:.3f} bits per character and the GPT trained beforehand" in text, "its never-seen costs"
    assert list(table(at, "python-docs").columns) == ["bits per character (unless said)", "python-docs"], "one side"
