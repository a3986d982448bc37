"""An exam being sat: timed tasks from a pack, worked in any order, graded together at the end.

How tasks share a cluster: they do not. Each task gets its own cluster, built from its level
the first time the player opens it, and kept (with its folder, console history and clock) while
the player works on other tasks, the way the CKA and CKAD give one cluster per task and the
candidate switches between them with ``kubectl config use-context``. One shared cluster with a
namespace per task would not hold the tasks this format offers: many set up whole machines (a
cordoned node, taints, a stopped scheduler) that a namespace cannot keep apart.

The exam clock is the wall clock (the caller's ``clock``, in seconds), as in a real exam. Each
task's simulated time only moves while its task is open. While the exam runs a task's goals are
listed without verdicts (:class:`BlindRun`); grading evaluates every goal on the cluster as the
player left it and keeps the goals' own explanations. A task counts only when all its goals
pass (no credit for goals a broken cluster happened to meet already); its weight is its share
of the total.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from k8stui.game.models import ExamSet, ExamTask, Level
from k8stui.game.pack import Pack
from k8stui.game.runner import GoalStatus, LevelRun, SessionFactory, console_session

WITHHELD = "checked when the exam is graded"
"""What a goal says during the exam instead of its verdict."""


class BlindRun:
    """A task's run as the play screen sees it during the exam: the goals are listed but their
    verdicts are withheld, and the task is never "won" (that would end it with a result)."""

    def __init__(self, run: LevelRun) -> None:
        self._run = run

    def __getattr__(self, name: str) -> Any:
        return getattr(self._run, name)

    @property
    def won(self) -> bool:
        """Never: an exam task is graded at the end, not when its goals first pass."""
        return False

    def goals(self) -> list[GoalStatus]:
        """The goals' titles, each pending until grading."""
        return [
            GoalStatus(goal.index, goal.title, False, WITHHELD, True, goal.hold)
            for goal in self._run.goals()
        ]

    def hint(self, tier: int) -> str:
        """No hints in an exam."""
        raise ValueError("hints are not available during an exam")


@dataclass
class ExamTaskState:
    """One task: its level, its cluster once opened, and the player's flag."""

    number: int
    task: ExamTask
    level: Level
    run: LevelRun | None = None
    flagged: bool = False

    @property
    def opened(self) -> bool:
        """The player has opened this task (its cluster exists)."""
        return self.run is not None


@dataclass(frozen=True)
class TaskGrade:
    """One task's verdict with every goal's explanation from the live cluster."""

    number: int
    level_id: str
    title: str
    weight: int
    passed: bool
    goals: list[GoalStatus]
    flagged: bool
    opened: bool
    commands: int
    sim_seconds: float

    @property
    def goals_passed(self) -> int:
        """How many of its goals pass."""
        return sum(1 for goal in self.goals if goal.passed)


@dataclass(frozen=True)
class ExamGrade:
    """The whole exam's verdict."""

    pack_id: str
    exam_id: str
    title: str
    percent: float
    pass_mark: float
    minutes: float
    used_seconds: float
    timed_out: bool
    tasks: list[TaskGrade] = field(default_factory=list)

    @property
    def passed(self) -> bool:
        """The score reached the pass mark."""
        return self.percent >= self.pass_mark

    def render(self) -> str:
        """The grade as plain text (one line per task, then its goals)."""
        verdict = "PASS" if self.passed else "FAIL"
        minutes, seconds = divmod(int(self.used_seconds), 60)
        lines = [
            f"{self.title}: {self.percent:.0f}% ({verdict}; pass mark {self.pass_mark:g}%) "
            f"in {minutes}m{seconds:02d}s of {self.minutes:g}m"
            + (" — time ran out" if self.timed_out else "")
        ]
        for task in self.tasks:
            mark = "✓" if task.passed else "✗"
            flag = " ⚑" if task.flagged else ""
            lines.append(
                f"{mark} task {task.number} ({task.weight} of {self.total_weight}): "
                f"{task.title}{flag} — {task.goals_passed}/{len(task.goals)} goals"
                + ("" if task.opened else " (not opened)")
            )
            lines += [
                f"    {'✓' if g.passed else '✗'} {g.title} — {g.explanation}" for g in task.goals
            ]
        return "\n".join(lines)

    @property
    def total_weight(self) -> int:
        """The sum of the tasks' weights."""
        return sum(task.weight for task in self.tasks)


class Exam:
    """A sitting of one exam set; ``clock`` gives wall seconds (tests pass a fake one)."""

    def __init__(
        self,
        pack: Pack,
        exam: ExamSet,
        *,
        minutes: float | None = None,
        clock: Callable[[], float] = time.monotonic,
        session_factory: SessionFactory = console_session,
    ) -> None:
        if minutes is not None and not 0 < minutes <= 600:
            raise ValueError(f"minutes must be between 0 and 600 (got {minutes:g})")
        self.pack = pack
        self.exam = exam
        self.minutes = exam.minutes if minutes is None else minutes
        self._clock = clock
        self._session_factory = session_factory
        self.started = clock()
        self.tasks = [
            ExamTaskState(number, task, pack.level(task.level))
            for number, task in enumerate(exam.weighted(), start=1)
        ]
        self._grade: ExamGrade | None = None

    # -- the clock ----------------------------------------------------------------------------
    def elapsed(self) -> float:
        """Wall seconds since the exam started (frozen once graded)."""
        if self._grade is not None:
            return self._grade.used_seconds
        return max(0.0, self._clock() - self.started)

    def remaining(self) -> float:
        """Wall seconds left (0 when time is up)."""
        return max(0.0, self.minutes * 60 - self.elapsed())

    @property
    def time_up(self) -> bool:
        """The exam's time has run out."""
        return self.remaining() <= 0

    @property
    def graded(self) -> bool:
        """The exam has been graded (it is over)."""
        return self._grade is not None

    # -- tasks --------------------------------------------------------------------------------
    def task(self, number: int) -> ExamTaskState:
        """Task ``number`` (1-based); ValueError when there is no such task."""
        if not 1 <= number <= len(self.tasks):
            raise ValueError(f"tasks are numbered 1..{len(self.tasks)}")
        return self.tasks[number - 1]

    def open(self, number: int) -> BlindRun:
        """Switch to task ``number``: its cluster, built the first time (the "context")."""
        if self.graded:
            raise RuntimeError("the exam is over")
        state = self.task(number)
        if state.run is None:
            state.run = self._build(state.level)
        return BlindRun(state.run)

    def toggle_flag(self, number: int) -> bool:
        """Flag a task to come back to, or unflag it; returns the new flag."""
        state = self.task(number)
        state.flagged = not state.flagged
        return state.flagged

    def _build(self, level: Level) -> LevelRun:
        return LevelRun(level, self.pack, session_factory=self._session_factory)

    # -- grading ------------------------------------------------------------------------------
    def grade(self) -> ExamGrade:
        """Grade every task on its live cluster (once; later calls return the same grade).

        A task never opened is graded on a fresh cluster of its level, so its explanations say
        what was left to do.
        """
        if self._grade is not None:
            return self._grade
        used = min(self.elapsed(), self.minutes * 60)
        timed_out = self.time_up
        graded = [self._grade_task(state) for state in self.tasks]
        weight = sum(task.weight for task in graded)
        earned = sum(task.weight for task in graded if task.passed)
        self._grade = ExamGrade(
            pack_id=self.pack.id,
            exam_id=self.exam.id,
            title=self.exam.title,
            percent=round(100 * earned / weight, 1) if weight else 0.0,
            pass_mark=self.exam.pass_mark,
            minutes=self.minutes,
            used_seconds=used,
            timed_out=timed_out,
            tasks=graded,
        )
        return self._grade

    def _grade_task(self, state: ExamTaskState) -> TaskGrade:
        run = state.run if state.run is not None else self._build(state.level)
        goals = run.goals()
        return TaskGrade(
            number=state.number,
            level_id=state.level.id,
            title=state.level.title,
            weight=state.task.weight,
            passed=bool(goals) and all(goal.passed for goal in goals),
            goals=goals,
            flagged=state.flagged,
            opened=state.opened,
            commands=run.commands,
            sim_seconds=run.now,
        )
