"""The layering: pages -> ui -> core, core free of the web stack, its domains apart, no import cycle.

The contracts are in pyproject.toml ([tool.importlinter]) and checked by import-linter; these tests run it, show
that it catches a broken layer and a cycle (on a copy of the code with one import added), and check the few
rules finer than a contract with the import graph import-linter builds (grimp).
"""

import ast
import os
import pathlib
import shutil
import subprocess
import sys

import grimp
import pytest

ROOT = pathlib.Path(__file__).resolve().parents[1]
LINT = pathlib.Path(sys.executable).with_name("lint-imports")


def lint(root: pathlib.Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "COLUMNS": "400"}  # one line per contract's verdict
    return subprocess.run([str(LINT), "--no-cache"], capture_output=True, text=True, cwd=root, timeout=300, env=env)


def test_every_contract_is_kept():
    out = lint(ROOT)
    assert out.returncode == 0 and "0 broken" in out.stdout, out.stdout[-3000:] + out.stderr


@pytest.mark.parametrize(
    "path, line, broken",
    [
        ("ui/path.py", "from pages import overview", "pages -> ui -> core"),  # ui reaching up to a page
        ("core/store.py", "import streamlit", "never the web stack"),
        ("core/text/corpus.py", "from core.babygpt import chain", "the domains"),  # a domain importing the other
        ("core/babygpt/states.py", "def f():\n    from core.babygpt import chain", "no import cycle"),  # inside a function
    ],
    ids=["ui-imports-pages", "core-imports-streamlit", "text-imports-babygpt", "cycle-in-a-function"],
)
def test_a_broken_rule_is_caught(tmp_path, path, line, broken):
    for part in ("core", "ui", "pages"):
        shutil.copytree(ROOT / part, tmp_path / part, ignore=shutil.ignore_patterns("*.pt", "*.txt", "__pycache__"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path)
    target = tmp_path / path
    target.write_text(target.read_text() + "\n" + line + "\n")
    out = lint(tmp_path)
    assert out.returncode == 1, out.stdout[-2000:]
    verdicts = [ln for ln in out.stdout.splitlines() if ln.endswith(("KEPT", "BROKEN"))]
    assert [ln for ln in verdicts if ln.endswith("BROKEN")] == [ln for ln in verdicts if broken in ln], verdicts


def test_importing_core_loads_no_streamlit():
    code = "import sys, core.cli.main, core.babygpt.chain, core.babygpt.compare; print('streamlit' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert out.stdout.strip() == "False", out.stderr


@pytest.fixture(scope="module")
def graph():
    sys.path.insert(0, str(ROOT))
    return grimp.build_graph("core", cache_dir=None)


def test_the_caps_are_a_leaf(graph):
    assert graph.find_modules_directly_imported_by("core.babygpt.limits") == {"core.errors"}
    assert graph.find_modules_directly_imported_by("core.arith.limits") == set()
    assert graph.find_modules_directly_imported_by("core.text.limits") <= {"core.errors"}


def test_the_shared_modules_import_nothing_of_core_but_the_errors(graph):
    for name in ("core.errors", "core.threads", "core.store", "core.stopping", "core.address"):
        assert graph.find_modules_directly_imported_by(name) == set(), name
    assert graph.find_modules_directly_imported_by("core.model") == {"core.errors"}, "the model reads no domain's caps"


def test_every_real_text_cap_is_defined_in_limits():
    for path in (ROOT / "core" / "text").glob("*.py"):
        if path.name == "limits.py":
            continue
        for node in ast.parse(path.read_text()).body:
            targets = node.targets if isinstance(node, ast.Assign) else []
            names = [n.id for tgt in targets for n in ast.walk(tgt) if isinstance(n, ast.Name)]
            assert not [n for n in names if n.startswith(("MAX_", "MIN_"))], f"{path.name} defines a cap: {names}"
