"""The TUI package has no import circle; screens never import the app module (ast-based)."""

from __future__ import annotations

import ast
from pathlib import Path

import k8stui.tui

ROOT = Path(k8stui.tui.__file__).parent


def _module_name(path: Path) -> str:
    parts = ["k8stui", "tui", *path.relative_to(ROOT).with_suffix("").parts]
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(path: Path) -> set[str]:
    """Every k8stui.tui module imported anywhere in the file (TYPE_CHECKING and function bodies
    included): each one is an edge of the import graph."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
    return {name for name in found if name.startswith("k8stui.tui")}


def _graph() -> dict[str, set[str]]:
    modules = {_module_name(p): p for p in ROOT.rglob("*.py")}
    return {name: _imports(path) & set(modules) - {name} for name, path in modules.items()}


def test_screens_do_not_import_the_app() -> None:
    graph = _graph()
    offenders = [m for m, deps in graph.items() if ".screens." in m and "k8stui.tui.app" in deps]
    assert offenders == []


def test_no_import_circle_in_the_tui() -> None:
    graph = _graph()
    state: dict[str, int] = {}
    circles: list[list[str]] = []

    def visit(module: str, trail: list[str]) -> None:
        state[module] = 1
        for dep in sorted(graph[module]):
            if state.get(dep) == 1:
                circles.append([*trail[trail.index(dep) :], dep] if dep in trail else [dep])
            elif dep not in state:
                visit(dep, [*trail, dep])
        state[module] = 2

    for module in sorted(graph):
        if module not in state:
            visit(module, [module])
    assert circles == []
