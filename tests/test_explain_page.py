"""Train & explore's Never seen tab and Compare's seed agreement, under AppTest, in both languages."""

import pytest

from core.babygpt.compare import seed_spread
from core.babygpt.data import ARTICLE_SEQUENCE, parse_digits
from core.babygpt.train import TrainConfig
from core.model import GPTConfig
from tests.test_pages import open_page


@pytest.mark.parametrize(
    "lang,never,counts,yes,summary",
    [
        ("en", "00: never seen", "0: 1 ×2", "yes", "**4 of 8 states** never occur"),
        ("zh", "00：从未见过", "0：1 ×2", "是", "**8 个状态中有 4 个**从未在数据中出现"),
    ],
)
def test_never_seen_tab_shows_the_article_chain(lang, never, counts, yes, summary):
    at = open_page("pages/train_explore.py", lang=lang, tab="unseen")
    assert not at.exception and not at.error, [e.value for e in at.error]
    table = next(d.value for d in at.dataframe if len(d.value) == 4 and isinstance(d.value.iloc[0, 1], str))
    first = [str(v) for v in table.iloc[0]]
    assert first[0] == "000" and first[1].startswith("1 (73%)"), first
    assert first[2:] == [never, counts, "0", yes, "50%"], first
    assert list(table.iloc[:, 0]) == ["000", "001", "010", "100"]
    text = " ".join(m.value for m in at.markdown)
    assert summary in text and "100%" in text, text
    from core.text import pretrained
    from core.text.sides import side

    names = side("names", pretrained.shipped_board(pretrained.NAMES))  # the same mechanism at real scale, its numbers
    bridge = f"{names.gpt.unseen:.3f}" in text and f"{names.table.unseen:.3f}" in text and f"{names.unseen.bits:.3f}" in text
    assert bridge and "`names`" in text, "the never-seen states speak to the names result"
    assert len(at.get("plotly_chart")) == 4, "one figure per layer, a heatmap per head"
    assert len(at.expander) >= 1 and at.expander[-1].label.startswith(("What each attention head", "每个注意力头")), "folded"


@pytest.mark.parametrize(
    "lang,lead",
    [
        ("en", ("Why not 50%?", "in 9 of its 12 examples (75%)", "4 of the 4")),
        ("zh", ("为什么不是 50%", "12 个样本中有 9 个", "4 个状态中的 4 个")),
    ],
)
def test_never_seen_tab_leads_with_why_not_50(lang, lead):
    """The first sentence: the GPT's range on never-seen states, the data's own rate, the nearest rule, in numbers."""
    at = open_page("pages/train_explore.py", lang=lang, tab="unseen")
    first = next(m.value for m in at.markdown if "50%" in m.value)
    assert all(part in first for part in lead), first
    assert "73%" in first and "78%" in first, "the GPT's range over 000, 001, 010, 100"
    rules = next(d.value for d in at.dataframe if len(d.value) == 4 and not isinstance(d.value.iloc[0, 1], str))
    assert list(rules.iloc[:, 0]) == ["000", "001", "010", "100"]


def test_never_seen_tab_picks_another_state_and_says_when_all_are_seen():
    at = open_page("pages/train_explore.py", tab="unseen")
    picker = at.selectbox(key="unseen_state")
    assert picker.options[:4] == ["000 (never seen)", "001 (never seen)", "010 (never seen)", "100 (never seen)"]
    picker.set_value("101").run()
    assert "For **101**" in " ".join(m.value for m in at.markdown)
    assert at.query_params["unseen_state"] == "101", "the chosen state is in the address"
    at = open_page("pages/train_explore.py", tab="unseen", unseen_state="111")
    assert "For **111**" in " ".join(m.value for m in at.markdown), "a shared address opens on its state"
    at = open_page("pages/train_explore.py", tab="unseen", seq="0110", k="1")
    assert not at.error and "every one of the 2 states" in " ".join(m.value for m in at.markdown)


@pytest.mark.slow
def test_compare_seeds_show_the_never_seen_agreement():
    at = open_page("pages/compare.py", c_tab="seeds")
    assert not at.exception and not at.error, [e.value for e in at.error]
    table = next(d.value for d in at.dataframe if "GPT agrees" in d.value.columns)
    assert list(table["seed"]) == list(range(1337, 1345)) and set(table["never-seen states"]) == {4}
    tables = seed_spread(parse_digits(ARTICLE_SEQUENCE, 2), GPTConfig(), TrainConfig(), list(range(1337, 1345)))
    # by hand: the never-seen 000, 001, 010, 100 back off to 0, 01, 10, 0, and each was followed only by 1
    expect = (tables[:, [0, 1, 2, 4], 1] > 0.5).mean(axis=1)
    assert list(table["GPT agrees"]) == pytest.approx(list(expect)), "each seed's share of arrows to 1"
    assert table["GPT agrees"].iloc[0] == 1.0, "the article's seed: all four follow their ending"
    assert table["nearest rule"].iloc[0] == "data's overall rate (4 of 4)", "as the Never seen tab says for seed 1337"


def test_a_state_made_of_markdown_is_shown_as_its_characters():
    at = open_page("pages/train_explore.py", tab="unseen", source="text", text="*[_]*" * 3, k="2", unseen_state="**")
    assert not at.exception and not at.error, [e.value for e in at.error]
    assert "For **\\*\\***," in " ".join(m.value for m in at.markdown), "the state ** is inert, not emphasis"
