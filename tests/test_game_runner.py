"""Playing a level through LevelRun: commands, limits, hints, waves, holds, scoring."""

from __future__ import annotations

from pathlib import Path

import pytest

from k8stui.game.headless import answer_from, finish, parse_commands, play, reference_answer
from k8stui.game.models import Level
from k8stui.game.pack import builtin_pack, load_pack
from k8stui.game.runner import LevelRun
from k8stui.game.steps import command_line

PACKS = Path(__file__).parent / "fixtures" / "packs"


@pytest.fixture(scope="module")
def pack():  # type: ignore[no-untyped-def]
    return builtin_pack()


def test_files_commands_and_limits(pack) -> None:  # type: ignore[no-untyped-def]
    run = LevelRun(pack.level("manifest"), pack)
    assert run.file_names() == ["pod.yaml"]
    refused = run.run_command("kubectl run kubia --image=luksa/kubia")
    assert refused.exit_code == 1 and "kubectl run is switched off" in refused.stderr
    assert run.commands == 0 and run.history == []
    listed = run.run_command("kubectl get pods")
    assert listed.exit_code == 0 and run.commands == 1
    run.write_file("pod.yaml", pack.solution_files("manifest")["pod.yaml"])
    assert run.run_command("kubectl apply -f pod.yaml").stdout == "pod/kubia-manual created\n"
    assert not run.won
    run.advance(20)
    assert run.won
    result = run.result()
    assert result.score is not None and result.score.stars == 3
    assert [g.passed for g in result.goals] == [True, True]


def test_goals_explain_live_state(pack) -> None:  # type: ignore[no-untyped-def]
    run = LevelRun(pack.level("capacity"), pack)
    goals = run.goals()
    assert goals[1].title == "4 api replicas ready"
    assert "3 Insufficient cpu" in goals[1].explanation


def test_hints_and_shown_solution_cost_stars(pack) -> None:  # type: ignore[no-untyped-def]
    level = pack.level("manifest")
    run = LevelRun(level, pack)
    assert run.hint(1) == level.hints[0]
    assert run.hint(3) == level.hints[2]
    assert run.hints_used == 3
    with pytest.raises(ValueError):
        run.hint(4)
    assert run.show_solution() == ["# file pod.yaml", "kubectl apply -f pod.yaml", "# wait 15s"]
    run.write_file("pod.yaml", run.solution_files()["pod.yaml"])
    run.run_command("kubectl apply -f pod.yaml")
    run.advance(20)
    result = run.result()
    assert result.won and result.solution_shown
    assert result.score is not None and result.score.stars == 0
    assert "the solution was shown" in result.score.missed


def test_wave_fires_on_its_trigger_target(pack) -> None:  # type: ignore[no-untyped-def]
    played = play(pack.level("node-down"), pack, reference_answer(pack, pack.level("node-down")))
    (wave,) = played.run.waves
    assert len(wave.log) == 1 and "crash-node" in wave.log[0]
    assert played.result.won and played.result.availability is not None


def test_hold_during_wave_breaks(pack) -> None:  # type: ignore[no-untyped-def]
    level = pack.level("under-fire")
    run = LevelRun(level, pack)
    run.run_command("kubectl apply -f frontend.yaml")
    run.run_command("kubectl apply -f backend.yaml")
    run.advance(20)
    hold = run.goals()[2]
    assert hold.pending and hold.explanation == "must hold during the wave: start the wave"
    assert run.start_wave() == "chaos"
    finish(run)
    hold = run.goals()[2]
    assert not hold.passed and hold.explanation.startswith("broke at ")
    assert not run.won


def test_same_answer_same_result(pack) -> None:  # type: ignore[no-untyped-def]
    level = pack.level("under-fire")
    first = play(level, pack, reference_answer(pack, level))
    second = play(level, pack, reference_answer(pack, level))
    assert first.result == second.result
    assert first.run.cluster.event_log() == second.run.cluster.event_log()


def test_time_slicing_does_not_change_the_result(pack) -> None:  # type: ignore[no-untyped-def]
    level = pack.level("keep-three")
    results = []
    for stride in (0.3, 7.0):
        run = LevelRun(level, pack)
        run.run_command("kubectl apply -f kubia-rc.yaml")
        run.run_command("kubectl scale rc kubia --replicas=3")
        run.advance(15)
        run.start_wave()
        while run.now < 90:
            run.advance(min(stride, 90 - run.now))
        results.append((run.won_at_ms, [g.explanation for g in run.goals()], run.waves[0].log))
    assert results[0] == results[1]


def test_commands_file_and_solution_folder(tmp_path: Path, pack) -> None:  # type: ignore[no-untyped-def]
    steps = parse_commands("# comment\nkubectl get pods\nsleep 5\nstart-wave\n")
    assert [command_line(s) for s in steps] == ["kubectl get pods", "# wait 5s", "# start the wave"]
    (tmp_path / "pod.yaml").write_text(pack.solution_files("manifest")["pod.yaml"])
    answer = answer_from(tmp_path, None)
    assert [command_line(s) for s in answer.steps] == ["kubectl apply -f pod.yaml"]
    assert play(pack.level("manifest"), pack, answer).result.won


def test_inline_level_without_a_pack() -> None:
    level = load_pack(PACKS / "valid").level("tiny")
    standalone = Level.model_validate(level.model_dump(by_alias=True))
    assert play(standalone, None, reference_answer(None, standalone)).result.won
