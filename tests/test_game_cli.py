"""The game's sub-commands: exit codes and output."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from k8stui.cli import main

PACKS = Path(__file__).parent / "fixtures" / "packs"


@pytest.fixture(autouse=True)
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("K8STUI_DATA_DIR", str(tmp_path / "data"))


def test_check_reference_solution(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", str(PACKS / "valid")]) == 0
    out = capsys.readouterr().out
    assert out.startswith("tiny: WON at 15s — 3 star(s), 1 command(s)\n")
    assert "  ✓ 1 pod tiny pod(s) ready — 1/1 ready on worker-" in out


def test_check_failing_answer_as_json(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    commands = tmp_path / "cmds.txt"
    commands.write_text("kubectl get pods\n")
    assert main(["check", str(PACKS / "valid"), "--commands", str(commands), "--json"]) == 1
    data = json.loads(capsys.readouterr().out)
    (level,) = data["levels"]
    assert level["won"] is False
    assert level["goals"][0]["explanation"] == "0/1 ready: no pod matches pod tiny"


def test_check_single_level_file(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", str(PACKS / "valid" / "tiny.yaml")]) == 0


def test_check_invalid_input(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", str(PACKS / "schema-error")]) == 2
    assert "tiny.yaml:20:5: goals[0].colour: unknown field 'colour'" in capsys.readouterr().err
    assert main(["check", str(PACKS / "valid"), "--level", "nope"]) == 2
    assert main(["check", str(PACKS / "valid"), "--commands", "/nonexistent"]) == 2


def test_pack_check_exit_codes(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["pack", "check", str(PACKS / "valid")]) == 0
    assert main(["pack", "check", str(PACKS / "won-at-start")]) == 1
    assert "already won at the start" in capsys.readouterr().out
    assert main(["pack", "check", "/nonexistent/pack"]) == 2


def test_pack_schema(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["pack", "schema"]) == 0
    schema = json.loads(capsys.readouterr().out)
    assert schema["title"] == "Level"
    assert "goals" in schema["properties"]
    assert main(["pack", "schema", "pack"]) == 0
    assert json.loads(capsys.readouterr().out)["title"] == "PackManifest"


def test_progress_export_import(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "progress.json"
    assert main(["progress", "export", str(target)]) == 0
    assert json.loads(target.read_text()) == {"format": 1, "levels": []}
    assert main(["progress", "import", str(target)]) == 0
    target.write_text("[]")
    assert main(["progress", "import", str(target)]) == 2
