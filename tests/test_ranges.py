import subprocess
import sys

from core.ranges import parse_range
from tests.e2e.harness import ROOT


def test_ranges_by_hand():
    assert parse_range("1-4") == (1, 4) and parse_range(" 5 ") == (5, 5) and parse_range("0 - 8") == (0, 8)
    assert parse_range("4-1") is None and parse_range("x") is None and parse_range("1-") is None and parse_range("-1") is None


def test_importing_the_cache_does_nothing_a_test_cannot_see():
    """No files written, no store opened, the garbage collector untouched: all of it waits for the app to ask."""
    code = (
        "import gc; import ui.cache as c; from core.runtime import settings as s; "
        "print(gc.get_freeze_count(), c.asset_base.cache_info().currsize, s.store.cache_info().currsize, "
        "s.turns.cache_info().currsize)"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True).stdout.split()
    assert out == ["0", "0", "0", "0"], out
