"""Chaos levels: a seeded incident stream, survival judged over a window, local high scores."""

from __future__ import annotations

import itertools
import json
from pathlib import Path

import pytest

from k8stui.game.chaos import incident_steps
from k8stui.game.chaos_models import Chaos
from k8stui.game.headless import finish, reference_answer
from k8stui.game.highscores import Entry, HighScores, board_key
from k8stui.game.pack import builtin_pack
from k8stui.game.runner import LevelRun

STREAM = {
    "first_after": 10,
    "every": 40,
    "min_every": 10,
    "speedup": 0.5,
    "minutes": 5,
    "incidents": [
        {
            "name": "pod killed",
            "weight": 3,
            "fault": {"kind": "delete-pod", "target": {"pod": {"labels": {"app": "a"}}}},
        },
        {
            "name": "power cut",
            "fault": {"kind": "crash-node", "target": "worker-1"},
            "recover": {"kind": "recover-node", "target": "worker-1"},
            "recover_after": 30,
        },
    ],
}


def test_the_stream_is_seeded_and_speeds_up() -> None:
    chaos = Chaos.model_validate(STREAM)
    first, again, other = (
        incident_steps(chaos, 7),
        incident_steps(chaos, 7),
        incident_steps(chaos, 8),
    )
    assert [s.model_dump() for s in first] == [s.model_dump() for s in again]
    assert [s.note for s in first] != [s.note for s in other]
    strikes = [s.at for s in first if not (s.note or "").endswith(": over")]
    assert strikes[:4] == [10, 50, 70, 80]  # gaps 40, 20, then never under 10
    assert all(b - a == 10 for a, b in itertools.pairwise(strikes[3:]))
    for step in first:
        if step.note == "power cut":
            assert (
                any(o.note == "power cut: over" and o.at == step.at + 30 for o in first)
                or step.at + 30 >= 300
            )


def test_an_incident_is_one_action() -> None:
    bad = {
        **STREAM,
        "incidents": [
            {"name": "x", "fault": STREAM["incidents"][0]["fault"], "apply": {"kind": "Pod"}}
        ],
    }
    with pytest.raises(ValueError, match="exactly one of fault or apply"):
        Chaos.model_validate(bad)


@pytest.fixture(scope="module")
def survived() -> LevelRun:
    pack = builtin_pack()
    level = pack.level("survive")
    run = LevelRun(level, pack)
    answer = reference_answer(pack, level)
    for path, text in answer.files.items():
        run.write_file(path, text)
    for step in answer.steps:
        run.apply_step(step)
    finish(run)
    return run


def test_the_reference_survives_five_minutes_and_the_run_ends_when_the_app_goes_down(
    survived: LevelRun,
) -> None:
    assert survived.won
    score = survived.chaos_score()
    assert score is not None
    points, seconds, answered = score
    assert seconds >= 300 and 0 < answered <= 100
    assert points == int(seconds / 6) + int(answered)
    assert survived.chaos_over()
    goal = survived.goals()[0]
    assert goal.passed and "survived the 5 minutes, then down after" in goal.explanation


def test_the_same_seed_meets_the_same_incidents() -> None:
    pack = builtin_pack()
    level = pack.level("survive")
    waves = [LevelRun(level, pack, chaos_seed=s).level.waves[-1] for s in (3, 3, 4)]
    assert waves[0].steps == waves[1].steps != waves[2].steps


def test_high_scores_rank_and_survive_a_broken_file(tmp_path: Path) -> None:
    path = tmp_path / "highscores.json"
    table = HighScores(path)
    key = board_key("k8stui-basics", "survive", 91)
    assert table.record(key, Entry(score=120, survived_s=400, availability=95)) == 1
    assert table.record(key, Entry(score=300, survived_s=900, availability=97)) == 1
    assert [e.score for e in HighScores(path).top(key)] == [300, 120]
    path.write_text("{not json")
    broken = HighScores(path)
    assert broken.top(key) == [] and "could not be read" in broken.notice
    assert (tmp_path / "highscores.json.unreadable").read_text() == "{not json"
    broken.record(key, Entry(score=5, survived_s=30, availability=50))
    assert json.loads(path.read_text())["scores"][key][0]["score"] == 5
