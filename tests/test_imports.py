"""`core` imports in one direction: no module of it imports, even inside a function, one that imports it back."""

import ast
import pathlib

ROOT = pathlib.Path(__file__).resolve().parents[1]


def module_names(root: pathlib.Path, package: str = "core") -> dict[str, pathlib.Path]:
    """Every module of the package under root: dotted name -> file (a package is its __init__.py)."""
    out = {}
    for path in sorted((root / package).rglob("*.py")):
        parts = path.relative_to(root).with_suffix("").parts
        if parts[-1] == "__init__":
            parts = parts[:-1]
        out[".".join(parts)] = path
    return out


def imported_names(name: str, path: pathlib.Path) -> set[str]:
    """Dotted names a module imports, anywhere in it: module level, functions, TYPE_CHECKING blocks.

    `from x import y` gives both x and x.y (y may be a submodule); relative imports are resolved.
    """
    is_package = path.name == "__init__.py"
    here = name.split(".") if is_package else name.split(".")[:-1]
    out = set()
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            out.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = here[: len(here) - (node.level - 1)] if node.level > 1 else here
                module = ".".join(base + ([node.module] if node.module else []))
            else:
                module = node.module
            out.add(module)
            out.update(f"{module}.{alias.name}" for alias in node.names)
    return out


def import_graph(root: pathlib.Path, package: str = "core") -> dict[str, set[str]]:
    """Module -> the modules of the package it imports.

    Importing a.b.c also runs a.b's __init__.py, so a package on the way is an edge too,
    unless it encloses the importer (it is then already being imported).
    """
    modules = module_names(root, package)
    graph = {}
    for name, path in modules.items():
        edges = set()
        for target in imported_names(name, path):
            parts = target.split(".")
            for i in range(1, len(parts) + 1):
                prefix = ".".join(parts[:i])
                encloses = name == prefix or name.startswith(prefix + ".")
                if prefix in modules and not encloses:
                    edges.add(prefix)
        graph[name] = edges
    return graph


def find_cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """One cycle, as a path a -> ... -> a, for each strongly connected group of modules (Tarjan)."""
    index, low, on_stack, stack, groups = {}, {}, set(), [], []

    def visit(v):
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(graph[v]):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            group = set()
            while True:
                w = stack.pop()
                on_stack.discard(w)
                group.add(w)
                if w == v:
                    break
            if len(group) > 1 or v in graph[v]:
                groups.append(group)

    for v in sorted(graph):
        if v not in index:
            visit(v)

    cycles = []
    for group in groups:
        start = min(group)
        paths, seen = {start: [start]}, {start}  # breadth first, inside the group, back to start
        frontier = [start]
        cycle = None
        while frontier and cycle is None:
            nxt = []
            for v in frontier:
                for w in sorted(graph[v] & group):
                    if w == start:
                        cycle = paths[v] + [start]
                        break
                    if w not in seen:
                        seen.add(w)
                        paths[w] = paths[v] + [w]
                        nxt.append(w)
                if cycle:
                    break
            frontier = nxt
        cycles.append(cycle)
    return cycles


def test_core_has_no_import_cycle():
    cycles = find_cycles(import_graph(ROOT))
    assert cycles == [], "import cycles in core:\n" + "\n".join(" -> ".join(c) for c in cycles)


def test_the_graph_sees_every_module_and_its_imports():
    graph = import_graph(ROOT)
    assert "core" in graph and "core.__main__" in graph
    assert len(graph) == len(list((ROOT / "core").rglob("*.py")))
    assert any(graph.values()), "no imports read at all"


def write(root: pathlib.Path, files: dict[str, str]) -> pathlib.Path:
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return root


def test_a_cycle_through_an_import_inside_a_function_is_found(tmp_path):
    root = write(
        tmp_path,
        {
            "core/__init__.py": "",
            "core/caps.py": "def check():\n    from core.model import size\n    return size\n",
            "core/model.py": "from core.caps import check\nsize = 1\n",
            "core/leaf.py": "import core.caps\n",
        },
    )
    assert find_cycles(import_graph(root)) == [["core.caps", "core.model", "core.caps"]]


def test_relative_imports_and_packages_on_the_way_are_edges(tmp_path):
    root = write(
        tmp_path,
        {
            "core/__init__.py": "",
            "core/shared.py": "from core.dom import b\n",
            "core/dom/__init__.py": "from . import a\n",
            "core/dom/a.py": "from .. import shared\n",
            "core/dom/b.py": "from .a import x\n",
            "core/other/__init__.py": "",
            "core/other/c.py": "from ..dom.b import y\nimport core.dom.a\n",
        },
    )
    graph = import_graph(root)
    assert graph["core.dom"] == {"core.dom.a"}
    assert graph["core.dom.a"] == {"core.shared"}
    assert graph["core.dom.b"] == {"core.dom.a"}
    assert graph["core.other.c"] == {"core.dom", "core.dom.a", "core.dom.b"}
    assert graph["core.shared"] == {"core.dom", "core.dom.b"}
    assert find_cycles(graph) == [["core.dom", "core.dom.a", "core.shared", "core.dom"]]
