import ast
import pathlib
import subprocess
import sys

ROOT = pathlib.Path(__file__).resolve().parents[1]


def test_core_never_imports_streamlit():
    for path in (ROOT / "core").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else []
            if isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            assert not any(n.split(".")[0] == "streamlit" for n in names), f"{path} imports streamlit"


def test_importing_core_loads_no_streamlit():
    code = "import sys, core.cli.main, core.babygpt.chain, core.babygpt.compare; print('streamlit' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert out.stdout.strip() == "False", out.stderr


def core_imports() -> dict[str, set[str]]:
    """Module of core -> the modules of core it imports (anywhere in it), from `tests/test_imports.py`."""
    from tests.test_imports import import_graph

    return import_graph(ROOT)


def in_package(name: str, package: str) -> bool:
    return name == package or name.startswith(package + ".")


def test_the_caps_are_a_leaf():
    graph = core_imports()
    assert graph["core.babygpt.limits"] == {"core.errors"}
    assert graph["core.arith.limits"] == set()
    assert graph["core.text.limits"] <= {"core.errors"}


def test_every_real_text_cap_is_defined_in_limits():
    for path in (ROOT / "core" / "text").glob("*.py"):
        if path.name == "limits.py":
            continue
        for node in ast.parse(path.read_text()).body:
            targets = node.targets if isinstance(node, ast.Assign) else []
            names = [n.id for tgt in targets for n in ast.walk(tgt) if isinstance(n, ast.Name)]
            assert not [n for n in names if n.startswith(("MAX_", "MIN_"))], f"{path.name} defines a cap: {names}"


def test_the_shared_modules_import_no_domain():
    graph = core_imports()
    for name in ("core.errors", "core.threads", "core.store", "core.stopping", "core.address"):
        assert graph[name] == set(), f"{name} imports {graph[name]}"
    assert graph["core.model"] == {"core.errors"}, "the model checks only its shape: it reads no domain's caps"


def test_each_domain_keeps_to_its_side():
    graph = core_imports()
    rules = {  # package -> the packages of core it must never import
        "core.babygpt": ("core.text", "core.arith", "core.cli"),
        "core.text": ("core.babygpt", "core.cli"),
        "core.arith": ("core.babygpt", "core.text", "core.cli"),
    }
    for package, banned in rules.items():
        for name, targets in graph.items():
            if in_package(name, package):
                bad = {t for t in targets for b in banned if in_package(t, b)}
                assert not bad, f"{name} imports {bad}"
    users = {n for n, targets in graph.items() if any(in_package(t, "core.cli") for t in targets)}
    assert {n for n in users if not in_package(n, "core.cli")} == {"core.__main__"}, "only the entry point runs the CLI"
    arith = set().union(*(t for n, t in graph.items() if in_package(n, "core.arith")))
    outside = {t for t in arith if not in_package(t, "core.arith")}
    assert outside <= {"core.errors"}, outside
