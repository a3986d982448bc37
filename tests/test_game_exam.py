"""Exam mode without a screen: exam sets in the pack format, the exam clock, flags, grading
from the live clusters, and results saved with progress."""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import pytest

from k8stui.game import exam_cli
from k8stui.game.exam import WITHHELD, Exam
from k8stui.game.exam_sets import ExamSetError, choose, exam_issues, offered
from k8stui.game.headless import finish
from k8stui.game.models import ExamSet, PackManifest
from k8stui.game.pack import Pack, builtin_pack, load_pack
from k8stui.game.progress import ProgressStore
from k8stui.game.progress_exams import record_of
from k8stui.game.proving import check_pack

THREE = ExamSet.model_validate(
    {
        "id": "three",
        "title": "Three fixes",
        "minutes": 10,
        "pass_mark": 60,
        "tasks": ["wrong-tag", {"level": "crash-loop", "weight": 2}, "too-big"],
    }
)


class FakeClock:
    """Wall seconds the test moves by hand."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def solve(exam: Exam, number: int) -> None:
    """Play task ``number`` with its level's reference solution (as a player would)."""
    exam.open(number)
    run = exam.task(number).run
    assert run is not None
    for path, text in run.solution_files().items():
        run.write_file(path, text)
    for step in run.level.solution.steps:
        run.apply_step(step)
    finish(run)


@pytest.fixture(scope="module")
def pack() -> Pack:
    return builtin_pack()


def test_the_builtin_pack_declares_exams_and_its_first_is_the_default(pack: Pack) -> None:
    assert exam_issues(pack) == []
    ids = [exam.id for exam in offered(pack)]
    assert ids[0] == choose(pack).id == "ckad-practice"
    assert choose(pack, "troubleshooting").tasks == ["wrong-tag", "crash-loop", "too-big"]
    with pytest.raises(ExamSetError, match="no exam 'nope' \\(exams: ckad-practice, "):
        choose(pack, "nope")


def test_a_three_task_exam_is_graded_per_task_from_the_live_clusters(pack: Pack) -> None:
    clock = FakeClock()
    exam = Exam(pack, THREE, clock=clock)
    solve(exam, 2)  # crash-loop, weight 2
    exam.open(1)  # opened, left broken
    assert exam.toggle_flag(3) is True
    clock.now += 125
    grade = exam.grade()
    assert [t.passed for t in grade.tasks] == [False, True, False]
    assert [t.opened for t in grade.tasks] == [True, True, False]
    assert grade.tasks[2].flagged and not grade.tasks[0].flagged
    assert grade.percent == 50.0 and not grade.passed  # 2 of 4 weight; pass mark 60
    assert grade.used_seconds == 125 and not grade.timed_out
    # Explanations come from the goals on the live cluster, not from a canned text.
    broken = grade.tasks[0].goals
    assert any(not g.passed and g.explanation and g.explanation != WITHHELD for g in broken)
    assert all(g.passed for g in grade.tasks[1].goals)
    text = grade.render()
    assert "Three fixes: 50% (FAIL; pass mark 60%) in 2m05s of 10m" in text
    assert "✓ task 2 (2 of 4): " in text and "(not opened)" in text and " ⚑ " in text
    # Grading is final: the exam is over and grading again gives the same verdict.
    assert exam.grade() is grade
    with pytest.raises(RuntimeError):
        exam.open(1)


def test_goals_are_listed_without_verdicts_while_the_exam_runs(pack: Pack) -> None:
    exam = Exam(pack, THREE, clock=FakeClock())
    solve(exam, 1)
    seen = exam.open(1)
    assert seen.won is False
    assert all(g.pending and not g.passed and g.explanation == WITHHELD for g in seen.goals())
    assert exam.task(1).run is not None and exam.task(1).run.won
    with pytest.raises(ValueError, match="hints are not available"):
        seen.hint(1)


def test_time_runs_out_on_the_wall_clock(pack: Pack) -> None:
    clock = FakeClock()
    exam = Exam(pack, THREE, minutes=1, clock=clock)
    clock.now += 59
    assert exam.remaining() == 1 and not exam.time_up
    clock.now += 30
    assert exam.time_up and exam.remaining() == 0
    grade = exam.grade()
    assert grade.timed_out and grade.used_seconds == 60 and grade.percent == 0
    clock.now += 500
    assert exam.elapsed() == 60  # frozen once graded


def test_bad_minutes_and_task_numbers_are_refused(pack: Pack) -> None:
    with pytest.raises(ValueError, match="minutes must be between 0 and 600"):
        Exam(pack, THREE, minutes=0)
    exam = Exam(pack, THREE, clock=FakeClock())
    with pytest.raises(ValueError, match=r"tasks are numbered 1\.\.3"):
        exam.open(4)


def test_exam_sets_are_checked_against_the_levels(tmp_path: Path, pack: Pack) -> None:
    folder = tmp_path / "pack"
    shutil.copytree(Path(pack.source.origin), folder)
    text = (folder / "pack.yaml").read_text()
    text = text.replace("      - too-big\n", "      - too-big\n      - survive\n      - nosuch\n")
    (folder / "pack.yaml").write_text(text)
    broken = load_pack(folder)
    issues = [str(issue) for issue in exam_issues(broken)]
    assert len(issues) == 2
    assert (
        "exam 'troubleshooting': level 'survive' cannot be an exam task: it is a chaos"
        in (issues[0])
    )
    assert issues[1].startswith("pack.yaml:") and "no level 'nosuch' in this pack" in issues[1]
    line = text.splitlines().index("      - nosuch") + 1
    assert issues[1].startswith(f"pack.yaml:{line}:")
    with pytest.raises(ExamSetError, match="nosuch"):
        choose(broken, "troubleshooting")
    assert choose(broken).id == "ckad-practice"  # the sound exam is still offered


def test_pack_check_reports_a_broken_exam_set(tmp_path: Path) -> None:
    folder = tmp_path / "tiny"
    shutil.copytree(Path(builtin_pack().source.origin), folder)
    manifest = (folder / "pack.yaml").read_text()
    head = manifest.split("levels:")[0]
    (folder / "pack.yaml").write_text(
        head + "levels:\n  - 35-wrong-tag.yaml\nexams:\n  - id: x\n    title: X\n"
        "    tasks: [wrong-tag, crash-loop]\n"
    )
    report = check_pack(folder)
    assert not report.ok
    assert [i.message for i in report.issues] == ["exam 'x': no level 'crash-loop' in this pack"]


def test_the_manifest_schema_refuses_malformed_exams() -> None:
    base = {"format": 1, "id": "p", "title": "P", "version": "1", "author": "a", "levels": ["a"]}
    for exams, message in (
        ([{"id": "x", "title": "X", "tasks": []}], "at least 1 item"),
        ([{"id": "x", "title": "X", "tasks": ["a", "a"]}], "a level is listed twice"),
        ([{"id": "x", "title": "X", "tasks": ["a"]}] * 2, "two exams share an id"),
        ([{"id": "x", "title": "X", "tasks": [{"level": "a", "weight": 0}]}], "greater than"),
        ([{"id": "x", "title": "X", "minutes": 0, "tasks": ["a"]}], "greater than 0"),
    ):
        with pytest.raises(ValueError, match=message):
            PackManifest.model_validate({**base, "exams": exams})


def test_a_pack_without_exams_offers_every_level_that_can_be_a_task(pack: Pack) -> None:
    bare = Pack(pack.manifest.model_copy(update={"exams": []}), pack.source, pack.entries)
    (only,) = offered(bare)
    assert only.id == "all" and "survive" not in only.tasks and "wrong-tag" in only.tasks
    assert only.minutes == 5 * len(only.tasks)


def test_results_are_saved_with_progress(tmp_path: Path, pack: Pack) -> None:
    exam = Exam(pack, THREE, clock=FakeClock())
    solve(exam, 1)
    grade = exam.grade()
    store = ProgressStore(tmp_path / "progress.db")
    store.record_exam(record_of(grade, finished=1_700_000_000))
    store.record_exam(record_of(grade, finished=1_700_000_100))
    store.close()
    again = ProgressStore(tmp_path / "progress.db")
    saved = again.exam_results(pack.id)
    assert len(saved) == 2 and again.exam_results("other") == []
    assert saved[0].percent == grade.percent and saved[0].tasks[0].passed
    assert saved[0].tasks[1].goals[0].explanation == grade.tasks[1].goals[0].explanation
    # A row this version cannot read is skipped, not a crash.
    again.conn.execute(
        "INSERT INTO exam_results (pack, exam, record, finished) VALUES (?, 'x', '{', 3)",
        (pack.id,),
    )
    assert len(again.exam_results(pack.id)) == 2
    again.close()


def test_the_cli_lists_exams_and_refuses_bad_arguments(pack: Pack) -> None:
    parser = __import__("argparse").ArgumentParser()
    exam_cli.add_parser(parser.add_subparsers(dest="command"))

    def prepare(*argv: str) -> tuple[object, str, str]:
        out, err = io.StringIO(), io.StringIO()
        plan = exam_cli.prepare(parser.parse_args(["exam", *argv]), out, err)
        return plan, out.getvalue(), err.getvalue()

    code, out, _ = prepare("--list")
    assert code == 0 and out.startswith("ckad-practice: Practice exam: configure, run and fix (")
    code, _, err = prepare("--minutes", "0")
    assert code == 2 and "--minutes must be between 0 and 600 (got 0)" in err
    code, _, err = prepare("--pack", "/no/such/pack")
    assert code == 2 and "/no/such/pack: no such file or folder" in err
    plan, _, _ = prepare("--exam", "troubleshooting", "--minutes", "7")
    assert isinstance(plan, exam_cli.ExamPlan)
    assert plan.exam.id == "troubleshooting" and plan.minutes == 7


def test_the_cli_history_lists_saved_exams(
    tmp_path: Path, pack: Pack, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("K8STUI_DATA_DIR", str(tmp_path))
    parser = __import__("argparse").ArgumentParser()
    exam_cli.add_parser(parser.add_subparsers(dest="command"))
    args = parser.parse_args(["exam", "--history"])
    out = io.StringIO()
    assert exam_cli.prepare(args, out, io.StringIO()) == 0
    assert out.getvalue() == "no exams of pack k8stui-basics saved yet\n"
    exam = Exam(pack, THREE, clock=FakeClock())
    solve(exam, 2)
    store = ProgressStore()
    store.record_exam(record_of(exam.grade(), finished=1_700_000_000))
    store.close()
    out = io.StringIO()
    assert exam_cli.prepare(args, out, io.StringIO()) == 0
    assert out.getvalue().endswith("  three: 50% FAIL (1/3 tasks, 0 of 10 min)\n")
