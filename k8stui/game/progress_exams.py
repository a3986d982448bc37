"""Exam results as the progress database keeps them: one JSON record per sitting.

A record keeps the verdict per task and per goal, with the explanations the grade showed, so a
past exam can be read back without its clusters. Rows are validated when read; a row this
version cannot read is skipped rather than stopping the game.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from k8stui.game.exam import ExamGrade

MAX_TIME = 253_402_300_799.0


class GoalRecord(BaseModel):
    """One goal's verdict at grading."""

    model_config = ConfigDict(extra="forbid", allow_inf_nan=False)

    title: str = Field(max_length=2000)
    passed: bool
    explanation: str = Field(max_length=20_000)


class TaskRecord(BaseModel):
    """One task's verdict at grading."""

    model_config = ConfigDict(extra="forbid", allow_inf_nan=False)

    number: int = Field(ge=1, le=100)
    level: str = Field(min_length=1, max_length=200)
    title: str = Field(max_length=200)
    weight: int = Field(ge=1, le=100)
    passed: bool
    flagged: bool = False
    opened: bool = False
    commands: int = Field(0, ge=0, le=2**31 - 1)
    goals: list[GoalRecord] = Field(default_factory=list, max_length=100)


class ExamRecord(BaseModel):
    """A finished exam, as saved with progress."""

    model_config = ConfigDict(extra="forbid", allow_inf_nan=False)

    pack: str = Field(min_length=1, max_length=200)
    exam: str = Field(min_length=1, max_length=200)
    title: str = Field(max_length=200)
    percent: float = Field(ge=0, le=100)
    pass_mark: float = Field(ge=0, le=100)
    passed: bool
    minutes: float = Field(gt=0, le=600)
    used_seconds: float = Field(ge=0, le=36_000)
    timed_out: bool = False
    finished: float = Field(0.0, ge=0, le=MAX_TIME)
    tasks: list[TaskRecord] = Field(default_factory=list, max_length=100)


def record_of(grade: ExamGrade, finished: float) -> ExamRecord:
    """The saved form of a grade (``finished``: Unix time)."""
    return ExamRecord(
        pack=grade.pack_id,
        exam=grade.exam_id,
        title=grade.title,
        percent=grade.percent,
        pass_mark=grade.pass_mark,
        passed=grade.passed,
        minutes=grade.minutes,
        used_seconds=grade.used_seconds,
        timed_out=grade.timed_out,
        finished=finished,
        tasks=[
            TaskRecord(
                number=task.number,
                level=task.level_id,
                title=task.title,
                weight=task.weight,
                passed=task.passed,
                flagged=task.flagged,
                opened=task.opened,
                commands=task.commands,
                goals=[
                    GoalRecord(title=g.title, passed=g.passed, explanation=g.explanation)
                    for g in task.goals
                ],
            )
            for task in grade.tasks
        ],
    )


def read_record(text: Any) -> ExamRecord | None:
    """A saved row's record, or None when this version cannot read it."""
    if not isinstance(text, str):
        return None
    try:
        return ExamRecord.model_validate_json(text)
    except ValueError:
        return None
