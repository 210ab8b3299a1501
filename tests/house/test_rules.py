"""The rules of the house (README, Architecture), checked on the source as text and syntax trees.

- no module of ``tracker/`` over 400 lines (migrations excepted);
- no import cycle among ``tracker`` modules, imports inside functions included (``TYPE_CHECKING`` blocks
  excepted);
- no leading-underscore name imported from, or reached into, another module, in ``tracker/`` and ``tests/``.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "tracker"
MAX_LINES = 400


def _modules(base: Path) -> dict[str, Path]:
    found = {}
    for path in sorted(base.rglob("*.py")):
        rel = path.relative_to(base.parent).with_suffix("")
        parts = list(rel.parts)
        if parts[-1] == "__init__":
            parts.pop()
        found[".".join(parts)] = path
    return found


TRACKER = {m: p for m, p in _modules(PACKAGE).items() if ".migrations.versions" not in m}
TESTS = _modules(ROOT / "tests")


def _is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _imports(tree: ast.AST) -> Iterator[ast.Import | ast.ImportFrom]:
    """Every import statement, at any depth, except those under ``if TYPE_CHECKING:``."""
    stack: list[ast.AST] = [tree]
    while stack:
        node = stack.pop()
        if isinstance(node, ast.If) and _is_type_checking(node):
            stack.extend(node.orelse)
            continue
        if isinstance(node, ast.Import | ast.ImportFrom):
            yield node
        stack.extend(ast.iter_child_nodes(node))


def _resolve(module: str, node: ast.ImportFrom) -> str:
    if not node.level:
        return node.module or ""
    base = module.split(".")
    is_package = TRACKER.get(module, Path()).name == "__init__.py"
    base = base[: len(base) - node.level + (1 if is_package else 0)]
    return ".".join([*base, node.module] if node.module else base)


def _targets(module: str, tree: ast.AST, known: dict[str, Path]) -> set[str]:
    out: set[str] = set()
    for node in _imports(tree):
        if isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        else:
            src = _resolve(module, node)
            names = [f"{src}.{a.name}" if f"{src}.{a.name}" in known else src for a in node.names]
        for name in names:
            while name and name not in known:
                name = name.rpartition(".")[0]
            if name and name != module:
                out.add(name)
    return out


def test_no_module_over_400_lines() -> None:
    long = {m: n for m, p in TRACKER.items() if (n := len(p.read_text().splitlines())) > MAX_LINES}
    assert not long, f"modules over {MAX_LINES} lines: {long}"


def test_no_import_cycles() -> None:
    graph = {m: _targets(m, ast.parse(p.read_text()), TRACKER) for m, p in TRACKER.items()}
    # A package's __init__ is imported with any of its modules; only real edges count.
    cycles: list[list[str]] = []
    state: dict[str, int] = {}
    path: list[str] = []

    def visit(m: str) -> None:
        state[m] = 1
        path.append(m)
        for t in sorted(graph.get(m, ())):
            if state.get(t) == 1:
                cycles.append([*path[path.index(t) :], t])
            elif t not in state:
                visit(t)
        path.pop()
        state[m] = 2

    for m in sorted(graph):
        if m not in state:
            visit(m)
    assert not cycles, "import cycles:\n" + "\n".join(" -> ".join(c) for c in cycles)


def _private_uses(module: str, path: Path) -> list[str]:
    tree = ast.parse(path.read_text())
    found = []
    imported_modules: set[str] = set()
    for node in _imports(tree):
        if isinstance(node, ast.ImportFrom):
            src = _resolve(module, node)
            if not src.startswith(("tracker", "tests")):
                continue
            for a in node.names:
                if a.name.startswith("_") and not a.name.startswith("__"):
                    found.append(f"{path.relative_to(ROOT)}:{node.lineno} imports {src}.{a.name}")
                if f"{src}.{a.name}" in TRACKER or f"{src}.{a.name}" in TESTS:
                    imported_modules.add(a.asname or a.name)
        else:
            for a in node.names:
                if a.name.startswith(("tracker", "tests")):
                    imported_modules.add(a.asname or a.name.split(".")[0])
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Attribute)
            and node.attr.startswith("_")
            and not node.attr.startswith("__")
            and isinstance(node.value, ast.Name)
            and node.value.id in imported_modules
        ):
            found.append(f"{path.relative_to(ROOT)}:{node.lineno} reaches into {node.value.id}.{node.attr}")
    return found


@pytest.mark.parametrize("scope", ["tracker", "tests"])
def test_no_private_names_across_modules(scope: str) -> None:
    modules = TRACKER if scope == "tracker" else TESTS
    found = [use for m, p in modules.items() for use in _private_uses(m, p)]
    assert not found, "private names used across modules:\n" + "\n".join(found)


def test_migrations_import_no_application_code() -> None:
    """A migration is frozen history: it never imports ``tracker`` (whose code moves on)."""
    found = []
    for path in sorted((PACKAGE / "migrations" / "versions").glob("*.py")):
        for node in _imports(ast.parse(path.read_text())):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else [node.module or ""]
            found += [f"{path.name}:{node.lineno} imports {n}" for n in names if n.startswith("tracker")]
    assert not found, "\n".join(found)
