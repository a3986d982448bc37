"""The engine and the game rules import no Textual (checked in a fresh interpreter)."""

from __future__ import annotations

import subprocess
import sys

import pytest

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
