"""``k8stui check --format``: JUnit XML (read back with junitparser), Gradescope and GitHub."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from classroom_class import FIRST_POD, make_pack

from k8stui.cli import main

junitparser = pytest.importorskip("junitparser", reason="junitparser (test extra) is missing")

LISTED_ONLY = "kubectl get pods\n"


@pytest.fixture(scope="module")
def pack(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_pack(tmp_path_factory.mktemp("formats") / "pack")


def check(pack: Path, tmp_path: Path, form: str, commands: str | None, capsys) -> tuple[int, str]:
    args = ["check", str(pack), "--format", form]
    if commands is not None:
        answer = tmp_path / "commands.txt"
        answer.write_text(commands, "utf-8")
        args += ["--level", "first-pod", "--commands", str(answer)]
    code = main(args)
    return code, capsys.readouterr().out


def missing_pod(pack: Path, tmp_path: Path, capsys) -> str:
    """The game's own explanation of the failing goal (what every format must carry)."""
    _, out = check(pack, tmp_path, "json", LISTED_ONLY, capsys)
    (level,) = json.loads(out)["levels"]
    (failing,) = [goal for goal in level["goals"] if not goal["passed"]]
    assert failing["title"] == "a pod named kubia runs luksa/kubia and is ready"
    return str(failing["explanation"])


def test_junit_has_a_suite_per_level_and_a_case_per_goal(
    pack: Path, tmp_path: Path, capsys
) -> None:
    code, out = check(pack, tmp_path, "junit", None, capsys)
    assert code == 0
    report = tmp_path / "junit.xml"
    report.write_text(out, "utf-8")
    suites = list(junitparser.JUnitXml.fromfile(str(report)))
    assert [s.name for s in suites] == [
        "class-demo/first-pod",
        "class-demo/manifest",
        "class-demo/scale",
    ]
    assert [s.tests for s in suites] == [2, 2, 3]
    assert all(s.failures == 0 for s in suites)
    cases = [case for suite in suites for case in suite]
    assert len(cases) == 7 and all(case.is_passed for case in cases)


def test_junit_failure_message_is_the_goal_explanation(pack: Path, tmp_path: Path, capsys) -> None:
    expected = missing_pod(pack, tmp_path, capsys)
    code, out = check(pack, tmp_path, "junit", LISTED_ONLY, capsys)
    assert code == 1
    report = tmp_path / "junit.xml"
    report.write_text(out, "utf-8")
    (suite,) = list(junitparser.JUnitXml.fromfile(str(report)))
    assert (suite.tests, suite.failures) == (2, 1)
    by_name = {case.name: case for case in suite}
    failing = by_name["a pod named kubia runs luksa/kubia and is ready"]
    (failure,) = failing.result
    assert isinstance(failure, junitparser.Failure)
    assert failure.message == expected
    assert by_name["you listed the pods"].is_passed


def test_gradescope_results_have_the_documented_fields(pack: Path, tmp_path: Path, capsys) -> None:
    expected = missing_pod(pack, tmp_path, capsys)
    code, out = check(pack, tmp_path, "gradescope", LISTED_ONLY, capsys)
    assert code == 1
    data = json.loads(out)
    assert data["score"] == 1
    assert isinstance(data["execution_time"], float)
    assert data["visibility"] == "visible"
    tests = data["tests"]
    assert [(t["name"], t["score"], t["max_score"], t["status"]) for t in tests] == [
        ("first-pod: a pod named kubia runs luksa/kubia and is ready", 0, 1, "failed"),
        ("first-pod: you listed the pods", 1, 1, "passed"),
    ]
    assert tests[0]["output"] == expected
    assert set(tests[0]) <= {"name", "score", "max_score", "status", "output", "visibility"}


def test_github_classroom_result_has_the_reporter_fields(
    pack: Path, tmp_path: Path, capsys
) -> None:
    expected = missing_pod(pack, tmp_path, capsys)
    code, out = check(pack, tmp_path, "github", LISTED_ONLY, capsys)
    assert code == 1
    data = json.loads(out)
    assert (data["version"], data["status"], data["max_score"]) == (1, "fail", 2)
    assert [(t["status"], t["score"]) for t in data["tests"]] == [("fail", 0), ("pass", 1)]
    assert data["tests"][0]["message"] == expected
    code, out = check(pack, tmp_path, "github", FIRST_POD, capsys)
    assert code == 0
    data = json.loads(out)
    assert data["status"] == "pass" and sum(t["score"] for t in data["tests"]) == data["max_score"]


def test_json_format_is_the_same_as_the_json_flag(pack: Path, tmp_path: Path, capsys) -> None:
    _, by_format = check(pack, tmp_path, "json", LISTED_ONLY, capsys)
    answer = tmp_path / "commands.txt"
    main(["check", str(pack), "--json", "--level", "first-pod", "--commands", str(answer)])
    assert json.loads(capsys.readouterr().out) == json.loads(by_format)
