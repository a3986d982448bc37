"""CLI answers for the TUI's commands: a wrong level id is one line listing the valid ids."""

from __future__ import annotations

from pathlib import Path

import pytest

from k8stui.cli import main


def test_screenshot_with_a_wrong_level_id_is_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "x.svg"
    assert main(["screenshot", "--level", "1", str(out)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert err.startswith("error: no level '1' (levels: first-pod, describe, ")
    assert not out.exists()
