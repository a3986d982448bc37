"""Authoring tools: ``pack new``, ``pack record``, ``pack check`` with par and ``--watch``."""

from __future__ import annotations

import io
import json
from pathlib import Path

import jsonschema
import pytest
import yaml

from k8stui.cli import main
from k8stui.game.pack_record import RecordError, as_yaml, record
from k8stui.game.pack_scaffold import ScaffoldError, pack_id
from k8stui.game.pack_watch import watch
from k8stui.shell import main as shell_main

MODELINE = "# yaml-language-server: $schema="


def test_pack_new_scaffolds_a_pack_that_proves_itself(tmp_path: Path, capsys) -> None:
    folder = tmp_path / "My Class Pack"
    assert main(["pack", "new", str(folder), "--author", "Ada"]) == 0
    assert "created" in capsys.readouterr().out
    names = sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file())
    assert names == [
        "01-hello-pod.yaml",
        "README.md",
        "pack.yaml",
        "schema/level.schema.json",
        "schema/pack.schema.json",
    ]
    assert main(["pack", "check", str(folder)]) == 0
    out = capsys.readouterr().out
    assert "pack my-class-pack" in out and "ok    hello-pod" in out


def test_scaffolded_files_name_and_satisfy_their_schemas(tmp_path: Path) -> None:
    folder = tmp_path / "p"
    assert main(["pack", "new", str(folder)]) == 0
    for name, schema_file in (
        ("pack.yaml", "schema/pack.schema.json"),
        ("01-hello-pod.yaml", "schema/level.schema.json"),
    ):
        text = (folder / name).read_text("utf-8")
        first = text.splitlines()[0]
        assert first == MODELINE + schema_file
        schema = json.loads((folder / schema_file).read_text("utf-8"))
        jsonschema.Draft202012Validator(schema).validate(yaml.safe_load(text))


def test_pack_new_refuses_a_folder_with_files(tmp_path: Path, capsys) -> None:
    (tmp_path / "x").mkdir()
    (tmp_path / "x" / "keep.txt").write_text("mine", "utf-8")
    assert main(["pack", "new", str(tmp_path / "x")]) == 2
    assert "not an empty folder" in capsys.readouterr().err
    assert (tmp_path / "x" / "keep.txt").read_text("utf-8") == "mine"
    with pytest.raises(ScaffoldError):
        pack_id("???")


def test_pack_check_prints_score_against_par_and_proof_time(tmp_path: Path, capsys) -> None:
    main(["pack", "new", str(tmp_path / "p")])
    capsys.readouterr()
    assert main(["pack", "check", str(tmp_path / "p")]) == 0
    (line,) = [x for x in capsys.readouterr().out.splitlines() if "hello-pod" in x]
    assert "won at 15s with 1 command(s) (par 60s, 3 command(s)): 3 stars, 100 points" in line
    assert line.rstrip().endswith("s") and "proved in " in line


def test_record_turns_an_echo_transcript_into_a_winning_solution(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys
) -> None:
    monkeypatch.chdir(tmp_path)
    script = tmp_path / "play.txt"
    script.write_text(
        "kubectl run kubia --image=luksa/kubia --port=8080\nsim time\nsleep 15\nkubectl get pods\n",
        "utf-8",
    )
    assert shell_main(["--level", "first-pod", "--echo", str(script)]) == 0
    transcript = tmp_path / "session.txt"
    transcript.write_text(capsys.readouterr().out, "utf-8")
    assert main(["pack", "record", "--level", "first-pod", str(transcript)]) == 0
    captured = capsys.readouterr()
    assert yaml.safe_load(captured.out) == {
        "solution": {
            "steps": [
                {"run": "kubectl run kubia --image=luksa/kubia --port=8080"},
                {"wait": 15},
                {"run": "kubectl get pods"},
            ]
        }
    }
    assert "this solution wins at 15s with 2 command(s)" in captured.err


def test_record_takes_applied_files_and_heredocs(tmp_path: Path) -> None:
    (tmp_path / "pod.yaml").write_text("kind: Pod\n", "utf-8")
    text = (
        "kubectl apply -f pod.yaml\nsim advance 1m\nsim crash-node worker-1\n"
        "kubectl apply -f -\napiVersion: v1\nkind: Namespace\nEOF\necho done\n"
    )
    found = record(text, tmp_path)
    assert found.files == {"pod.yaml": "kind: Pod\n"}
    assert found.dropped == ["sim crash-node worker-1", "echo done"]
    data = yaml.safe_load(as_yaml(found))["solution"]
    assert data["steps"] == [
        {"apply": "pod.yaml"},
        {"wait": 60},
        {"write": "recorded-1.yaml", "text": "apiVersion: v1\nkind: Namespace\n"},
        {"apply": "recorded-1.yaml"},
    ]


def test_record_refuses_files_outside_the_folder_and_bad_waits(tmp_path: Path) -> None:
    with pytest.raises(RecordError, match=r"line 1: \.\./secret\.yaml is outside"):
        record("kubectl apply -f ../secret.yaml\n", tmp_path)
    with pytest.raises(RecordError, match="line 2"):
        record("kubectl get pods\nsleep soon\n", tmp_path)


def test_record_says_when_the_solution_does_not_win(tmp_path: Path, capsys) -> None:
    transcript = tmp_path / "t.txt"
    transcript.write_text("kubectl get pods\n", "utf-8")
    assert main(["pack", "record", "--level", "first-pod", str(transcript)]) == 1
    err = capsys.readouterr().err
    assert "does NOT win" in err and "a pod named kubia" in err


def test_watch_checks_again_after_a_save(tmp_path: Path) -> None:
    main(["pack", "new", str(tmp_path / "p")])
    level = tmp_path / "p" / "01-hello-pod.yaml"
    out = io.StringIO()
    saves = iter(
        [
            lambda: level.write_text(
                level.read_text("utf-8").replace("par: {time: 60", "par: {time: -1"), "utf-8"
            )
        ]
    )

    def sleep(_: float) -> None:
        next(saves, lambda: None)()

    assert watch(tmp_path / "p", out, max_checks=2, sleep=sleep) is False
    text = out.getvalue()
    assert text.count("--- ") == 2
    first, second = text.split("--- ")[1:]
    assert "all levels proved" in first
    assert "defect" in second and "par.time" in second
