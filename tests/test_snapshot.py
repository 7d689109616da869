"""scripts/snapshot.py's comparison: a changed figure, a changed CLI byte and a missing page are each reported."""

import json

from scripts.snapshot import compare


def test_a_changed_figure_a_changed_byte_and_a_missing_page_are_reported(tmp_path, capsys):
    a, b = tmp_path / "a", tmp_path / "b"
    for root in (a, b):
        (root / "pages").mkdir(parents=True)
        (root / "cli").mkdir()
    page = {"markdown": ["79%"], "metric": [["101 -> 011", "79%"]]}
    (a / "pages" / "en_overview_page.json").write_text(json.dumps(page))
    (b / "pages" / "en_overview_page.json").write_text(json.dumps(page))
    (a / "cli" / "train.json").write_bytes(b'{"p": 0.79}')
    (b / "cli" / "train.json").write_bytes(b'{"p": 0.79}')
    assert compare(a, b) == 0, "the same snapshot twice"
    (b / "pages" / "en_overview_page.json").write_text(json.dumps(page | {"metric": [["101 -> 011", "80%"]]}))
    (b / "cli" / "train.json").write_bytes(b'{"p": 0.80}')
    (a / "pages" / "zh_overview_page.json").write_text(json.dumps(page))
    assert compare(a, b) == 3
    said = capsys.readouterr().out
    assert "en_overview_page.json metric" in said and "cli/train.json" in said and "zh_overview_page.json" in said
