"""Import hygiene: the engine imports no UI, the layers read one way, no module circles."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.import_graph import circles, import_edges, layer_of, upward_imports

PACKAGE = Path(__file__).resolve().parent.parent / "k8stui"

CORE_MODULES = [
    "k8stui.engine.cluster",
    "k8stui.engine.scheduler",
    "k8stui.engine.images.docker_host",
]


@pytest.mark.parametrize("module", CORE_MODULES)
def test_core_module_does_not_import_textual(module: str) -> None:
    code = f"import sys, {module}; bad = [m for m in sys.modules if m.split('.')[0] in ('textual', 'rich')]; print(bad)"
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert out.strip() == "[]"


def test_layers_import_only_the_layers_below() -> None:
    assert upward_imports(import_edges(PACKAGE)) == []


def test_no_import_circles_between_modules() -> None:
    assert circles(import_edges(PACKAGE)) == []


def test_every_module_belongs_to_a_layer() -> None:
    for module in import_edges(PACKAGE):
        layer_of(module)  # raises for a module outside every layer


def test_the_checks_see_circles_and_upward_imports(tmp_path: Path) -> None:
    """The analysis finds a type-only circle and a lazy upward import in a made-up package."""
    pkg = tmp_path / "k8stui"
    (pkg / "engine").mkdir(parents=True)
    (pkg / "kubectl").mkdir()
    (pkg / "__init__.py").write_text("")
    (pkg / "engine" / "__init__.py").write_text("")
    (pkg / "kubectl" / "__init__.py").write_text("")
    (pkg / "engine" / "a.py").write_text(
        "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from k8stui.engine.b import B\n"
    )
    (pkg / "engine" / "b.py").write_text("from .a import A\n")
    (pkg / "engine" / "c.py").write_text("def f():\n    from k8stui.kubectl import view\n")
    (pkg / "kubectl" / "view.py").write_text("from k8stui.engine import c\n")
    edges = import_edges(pkg)
    assert circles(edges) == [
        ["k8stui.engine.a", "k8stui.engine.b"],
        ["k8stui.engine.c", "k8stui.kubectl.view"],
    ]
    assert upward_imports(edges) == ["k8stui.engine.c -> k8stui.kubectl.view"]


def test_no_module_is_over_500_lines() -> None:
    """Modules stay short enough to read in one sitting (one concept per module)."""
    long = {
        str(path.relative_to(PACKAGE.parent)): count
        for path in PACKAGE.rglob("*.py")
        if (count := len(path.read_text(encoding="utf-8").splitlines())) > 500
    }
    assert long == {}
