"""``k8stui grade``: a generated class of 30 (right, wrong, hostile) against expected CSV rows."""

from __future__ import annotations

import csv
import io
from html import escape
from pathlib import Path

import pytest
from classroom_class import EXPECTED, FIRST_POD, make_class, make_pack, make_submission

from k8stui.cli import main
from k8stui.game.grade_class import grade_class
from k8stui.game.submission import SubmissionRejected, vet_yaml


@pytest.fixture(scope="module")
def graded(
    tmp_path_factory: pytest.TempPathFactory,
) -> tuple[Path, dict[str, str], list[dict[str, str]], str]:
    """The class graded once, with two worker processes."""
    root = tmp_path_factory.mktemp("class")
    pack = make_pack(root / "pack")
    students = make_class(root / "subs", 30)
    out_csv, out_html = root / "grades.csv", root / "grades.html"
    code = main(
        [
            *("grade", str(pack), str(root / "subs")),
            *("--csv", str(out_csv), "--html", str(out_html), "--jobs", "2"),
        ]
    )
    assert code == 0
    rows = list(csv.DictReader(io.StringIO(out_csv.read_text("utf-8"))))
    return root, students, rows, out_html.read_text("utf-8")


def test_every_student_gets_the_expected_row(graded: tuple) -> None:
    _, students, rows, _ = graded
    assert [row["student"] for row in rows] == sorted(students)
    for row in rows:
        status, points, won, levels, reason = EXPECTED[students[row["student"]]]
        assert row["status"] == status, row
        assert row["points"] == points, row
        assert row["levels_won"] == won, row
        if status == "graded":
            assert row["max_points"] == "7"
            cells = [
                (row[f"{lv} won"], row[f"{lv} stars"], row[f"{lv} goals"])
                for lv in ("first-pod", "manifest", "scale")
            ]
            assert cells == levels, row
            assert row["reason"] == ""
        else:
            assert reason in row["reason"], row
            assert row["first-pod won"] == ""


def test_progress_export_is_marked_as_self_reported(graded: tuple) -> None:
    _, students, rows, html = graded
    export = [row for row in rows if students[row["student"]] == "export"]
    assert export and all(row["source"] == "progress-export" for row in export)
    assert "not replayed" in html


def test_html_report_is_self_contained_with_explanations(graded: tuple) -> None:
    root, students, _, html = graded
    assert "<script" not in html and "src=" not in html and "http" not in html
    for name in students:
        assert f"<summary>{name}</summary>" in html
    # Every failing goal's explanation, as the game gives it, reaches the page.
    wrong = next(name for name, kind in students.items() if kind == "wrong")
    (grade,) = grade_class(root / "pack", [root / "subs" / wrong], jobs=1)
    failing = [g.explanation for lv in grade.levels for g in lv.goals if not g.passed]
    assert len(failing) == 5
    for explanation in failing:
        assert escape(explanation) in html
    assert "symlinks are not accepted" in html


def test_hostile_submissions_never_leave_traces(graded: tuple) -> None:
    root, _, _, _ = graded
    assert not (root.parent / "evil.yaml").exists()
    assert not (root / "evil.yaml").exists()


def test_student_names_are_escaped_in_the_html(tmp_path: Path) -> None:
    pack = make_pack(tmp_path / "pack")
    make_submission(tmp_path / "subs", "<img src=x onerror=alert(1)>", "right")
    assert main(["grade", str(pack), str(tmp_path / "subs"), "--csv", str(tmp_path / "g.csv"),
                 "--html", str(tmp_path / "g.html"), "--jobs", "1"]) == 0  # fmt: skip
    html = (tmp_path / "g.html").read_text("utf-8")
    assert "<img" not in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html


def test_a_student_over_the_time_limit_is_rejected_and_the_run_goes_on(tmp_path: Path) -> None:
    pack = make_pack(tmp_path / "pack")
    paths = [make_submission(tmp_path / "subs", name, "right") for name in ("ann", "bob")]
    grades = grade_class(pack, paths, jobs=1, timeout=0.001)
    assert [g.student for g in grades] == ["ann", "bob"]
    assert all(g.rejected == "grading took longer than 0.001s" for g in grades)
    again = grade_class(pack, paths, jobs=1)
    assert [g.points for g in again] == [7, 7]


def test_one_level_answers_may_sit_at_the_top_with_level(tmp_path: Path) -> None:
    pack = make_pack(tmp_path / "pack")
    student = tmp_path / "subs" / "cleo"
    student.mkdir(parents=True)
    (student / "commands.txt").write_text(FIRST_POD, "utf-8")
    grades = grade_class(pack, [student], only="first-pod", jobs=1)
    assert [(lv.level, lv.won, lv.stars) for lv in grades[0].levels] == [("first-pod", True, 3)]


def test_unusable_inputs_exit_2_with_a_message(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pack = make_pack(tmp_path / "pack")
    assert main(["grade", str(pack), str(tmp_path / "nowhere")]) == 2
    assert "not a folder of submissions" in capsys.readouterr().err
    (tmp_path / "empty").mkdir()
    assert main(["grade", str(pack), str(tmp_path / "empty")]) == 2
    assert "no submissions" in capsys.readouterr().err
    assert main(["grade", str(pack), str(tmp_path / "empty"), "--level", "nope"]) == 2
    assert "no level 'nope'" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("a: !!python/name:os.system x\n", "python/name:os.system is not accepted"),
        ("a: !custom 1\n", "!custom is not accepted"),
        ("a: [1, 2\n", "not valid YAML"),
    ],
)
def test_yaml_vetting_refuses_tags_and_garbage(text: str, reason: str) -> None:
    with pytest.raises(SubmissionRejected, match=reason):
        vet_yaml(text, "x.yaml")


def test_yaml_vetting_accepts_ordinary_manifests_with_aliases() -> None:
    vet_yaml("a: &x {b: 1}\nc: *x\n---\nkind: Pod\nd: 2025-01-01\n", "ok.yaml")
