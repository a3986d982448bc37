"""Grades in the formats that schools' tools read: JUnit XML, Gradescope, GitHub Classroom.

Every format has one test per goal (a goal is worth one point), named ``level: goal`` so the
same goal title in two levels stays distinct, and the game's explanation of a failing goal is
the failure message a student reads.

* JUnit XML: one ``<testsuite>`` per level, one ``<testcase>`` per goal, ``<failure>`` with
  the explanation; failed answer steps go to ``<system-err>``.
* Gradescope ``results.json``: top-level ``score``, ``execution_time`` and ``output``; one
  test per goal with ``name``, ``score``, ``max_score``, ``status`` (passed/failed) and
  ``output``.
* GitHub Classroom: the result object the autograding reporter reads (``version`` 1,
  ``status`` pass/fail/error, ``max_score``, ``tests`` with ``name``, ``status``, ``score``,
  ``message``); a workflow base64-encodes it into the step's ``result`` output.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from typing import Any

from k8stui.game.grading import LevelGrade


def goal_test_name(level: LevelGrade, title: str) -> str:
    """The name of one goal's test."""
    return f"{level.level}: {title}"


def as_junit(pack_id: str, levels: list[LevelGrade]) -> str:
    """JUnit XML for the levels of one answer."""
    root = ET.Element("testsuites", name=pack_id)
    total = failures = 0
    for level in levels:
        failed = level.max_goals - level.passed_goals
        suite = ET.SubElement(
            root,
            "testsuite",
            name=f"{pack_id}/{level.level}",
            tests=str(level.max_goals),
            failures=str(failed),
            errors="0",
            skipped="0",
            time=f"{level.seconds:.3f}",
        )
        properties = ET.SubElement(suite, "properties")
        for name, value in (("won", level.won), ("stars", level.stars), ("points", level.points)):
            ET.SubElement(properties, "property", name=name, value=str(value).lower())
        for goal in level.goals:
            case = ET.SubElement(
                suite,
                "testcase",
                name=goal.title,
                classname=f"{pack_id}.{level.level}",
                time="0",
            )
            if not goal.passed:
                failure = ET.SubElement(case, "failure", message=goal.explanation, type="goal")
                failure.text = goal.explanation
        if level.failed_steps or level.note:
            ET.SubElement(suite, "system-err").text = "\n".join([*level.failed_steps, level.note])
        total += level.max_goals
        failures += failed
    root.set("tests", str(total))
    root.set("failures", str(failures))
    root.set("errors", "0")
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode")


def as_gradescope(levels: list[LevelGrade]) -> dict[str, Any]:
    """Gradescope's ``results.json``."""
    tests = []
    for level in levels:
        for goal in level.goals:
            tests.append(
                {
                    "name": goal_test_name(level, goal.title),
                    "score": 1 if goal.passed else 0,
                    "max_score": 1,
                    "status": "passed" if goal.passed else "failed",
                    "output": goal.explanation,
                    "visibility": "visible",
                }
            )
    summary = [
        f"{lv.level}: {'won' if lv.won else 'not won'}, {lv.passed_goals}/{lv.max_goals} goals"
        for lv in levels
    ]
    return {
        "score": sum(test["score"] for test in tests),
        "execution_time": round(sum(level.seconds for level in levels), 3),
        "output": "\n".join(summary),
        "visibility": "visible",
        "tests": tests,
    }


def as_github(levels: list[LevelGrade]) -> dict[str, Any]:
    """GitHub Classroom's autograding result (before base64)."""
    tests = []
    for level in levels:
        for goal in level.goals:
            tests.append(
                {
                    "name": goal_test_name(level, goal.title),
                    "status": "pass" if goal.passed else "fail",
                    "score": 1 if goal.passed else 0,
                    "message": "" if goal.passed else goal.explanation,
                    "test_code": level.level,
                    "filename": "",
                    "line_no": 0,
                    "execution_time": f"{level.seconds:.2f}s",
                }
            )
    return {
        "version": 1,
        "status": "pass" if all(t["status"] == "pass" for t in tests) else "fail",
        "max_score": len(tests),
        "tests": tests,
    }
