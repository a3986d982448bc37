"""The package's import graph, read with ``ast`` (no import runs): edges, layers and circles.

Every ``import``/``from ... import`` of a ``k8stui`` module counts as an edge, wherever it
stands (module level, inside functions, under ``if TYPE_CHECKING:``): a type-only import still
ties two modules together, and the layering is about what depends on what.
"""

from __future__ import annotations

import ast
from pathlib import Path

# Each layer may import only the layers before it (and itself). The root package holds only
# the version string and imports nothing, so every layer may read it.
LAYERS = ("engine", "manifests", "kubectl", "console", "server", "game", "tui", "cli")
# Top-level modules and packages at the entry-point layer.
CLI_MODULES = {"cli", "shell", "shell_prompt", "__main__", "web"}
ROOT = "k8stui"


def module_files(package_dir: Path) -> dict[str, Path]:
    """Dotted module name -> file, for every ``.py`` under ``package_dir`` (named ``k8stui``)."""
    found: dict[str, Path] = {}
    for path in sorted(package_dir.rglob("*.py")):
        parts = path.relative_to(package_dir.parent).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        found[name] = path
    return found


def _targets(node: ast.Import | ast.ImportFrom, current: str, is_package: bool) -> list[str]:
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names]
    base = node.module or ""
    if node.level:
        parts = current.split(".") if is_package else current.split(".")[:-1]
        parts = parts[: len(parts) - (node.level - 1)]
        base = ".".join([*parts, base] if base else parts)
    # ``from pkg import sub`` imports the submodule when one exists by that name.
    return [f"{base}.{alias.name}" for alias in node.names] + [base]


def import_edges(package_dir: Path) -> dict[str, set[str]]:
    """Module -> the package modules it imports."""
    modules = module_files(package_dir)
    edges: dict[str, set[str]] = {}
    for name, path in modules.items():
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        targets: set[str] = set()
        for node in ast.walk(tree):
            if not isinstance(node, ast.Import | ast.ImportFrom):
                continue
            candidates = _targets(node, name, path.name == "__init__.py")
            if isinstance(node, ast.ImportFrom):
                subs = [c for c in candidates[:-1] if c in modules]
                named = candidates[:-1]
                # A name that is not a submodule is an attribute of the base module.
                if len(subs) < len(named) and candidates[-1] in modules:
                    subs.append(candidates[-1])
                targets.update(subs)
            else:
                targets.update(c for c in candidates if c in modules)
        targets.discard(name)
        edges[name] = targets
    return edges


def layer_of(module: str) -> int | None:
    """The layer index of a module, or None for the root package."""
    if module == ROOT:
        return None
    part = module.split(".")[1]
    if part in CLI_MODULES:
        return LAYERS.index("cli")
    if part in LAYERS:
        return LAYERS.index(part)
    raise ValueError(f"{module} belongs to no layer: add it to LAYERS or CLI_MODULES")


def upward_imports(edges: dict[str, set[str]]) -> list[str]:
    """Imports that go against the layer order, as ``a -> b`` lines."""
    wrong = []
    for source in sorted(edges):
        for target in sorted(edges[source]):
            if source == ROOT:
                wrong.append(f"{source} -> {target} (the root package imports nothing)")
                continue
            low, high = layer_of(target), layer_of(source)
            if low is not None and high is not None and low > high:
                wrong.append(f"{source} -> {target}")
    return wrong


def circles(edges: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected groups of two or more modules (Tarjan, iteratively)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[str] = []
    found: list[list[str]] = []
    counter = 0
    for start in sorted(edges):
        if start in index:
            continue
        work = [(start, iter(sorted(edges[start])))]
        index[start] = low[start] = counter
        counter += 1
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(edges.get(child, ())))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
            if low[node] == index[node]:
                group = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    group.append(member)
                    if member == node:
                        break
                if len(group) > 1:
                    found.append(sorted(group))
    return sorted(found)
