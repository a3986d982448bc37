"""Golden transcripts: scenario scripts in tests/golden/*.sh run through ``k8stui shell``.

Each ``NAME.sh`` runs in-process (cwd = tests/golden, so ``-f`` paths are relative to it) with
the seed given on its first line (``# seed: N``, default 1); stdout and stderr are interleaved
as on a terminal and compared with ``NAME.out``.

To regenerate after an intended change: ``K8STUI_UPDATE_GOLDEN=1 pytest
tests/test_console_golden.py`` and then review the diff line by line against real kubectl
before committing: goldens are the fidelity record, not a snapshot to accept blindly.
"""

from __future__ import annotations

import io
import os
import re
from pathlib import Path

import pytest

from k8stui.shell import build_parser, run

GOLDEN = Path(__file__).parent / "golden"
SCRIPTS = sorted(GOLDEN.glob("*.sh"))


def _transcript(script: Path) -> tuple[str, int]:
    match = re.search(r"^# seed: (\d+)", script.read_text(), re.MULTILINE)
    seed = match.group(1) if match else "1"
    args = build_parser().parse_args(["--seed", seed, "--echo", script.name])
    stream = io.StringIO()
    code = run(args, io.StringIO(), stream, stream)
    return stream.getvalue(), code


@pytest.mark.parametrize("script", SCRIPTS, ids=[s.stem for s in SCRIPTS])
def test_golden(script: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(GOLDEN)
    text, _ = _transcript(script)
    assert "error: internal" not in text
    expected = script.with_suffix(".out")
    if os.environ.get("K8STUI_UPDATE_GOLDEN") == "1" or not expected.exists():
        expected.write_text(text)
    assert text == expected.read_text()


def test_golden_runs_are_deterministic(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(GOLDEN)
    first = _transcript(GOLDEN / "nodes.sh")
    assert _transcript(GOLDEN / "nodes.sh") == first
