"""The game rules import no Textual or Rich (checked in a fresh interpreter)."""

from __future__ import annotations

import subprocess
import sys

import pytest

GAME_MODULES = [
    "k8stui.game.runner",
    "k8stui.game.proving",
    "k8stui.game.progress",
    "k8stui.game.cli_check",
    "k8stui.game.cli_pack",
    "k8stui.game.cli_progress",
]


@pytest.mark.parametrize("module", GAME_MODULES)
def test_game_module_does_not_import_textual(module: str) -> None:
    code = (
        f"import sys, {module}; "
        "print([m for m in sys.modules if m.split('.')[0] in ('textual', 'rich')])"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
