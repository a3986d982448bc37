"""Grades: what one play of a level earns, per goal, in a form every report format reads.

A goal is worth one point; a level's points are its goals that pass. The stars and the 0-100
score against par come from the game's own scoring, so a grade never disagrees with what the
player saw on the result screen.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

from k8stui.game.headless import Play

Source = Literal["answer", "progress-export", "none"]


class GoalGrade(BaseModel):
    """One goal of a level: passed or not, and the game's explanation either way."""

    title: str
    passed: bool
    explanation: str


class LevelGrade(BaseModel):
    """One level of one submission."""

    level: str
    title: str
    won: bool = False
    stars: int = 0
    points: int = Field(0, description="score against par, 0-100 (0 when not won)")
    time: float | None = None
    commands: int = 0
    seconds: float = Field(0.0, description="wall time the check took")
    goals: list[GoalGrade] = Field(default_factory=list)
    failed_steps: list[str] = Field(default_factory=list)
    source: Source = "answer"
    note: str = ""

    @property
    def passed_goals(self) -> int:
        """Goals that pass."""
        return sum(goal.passed for goal in self.goals)

    @property
    def max_goals(self) -> int:
        """Goals the level has."""
        return len(self.goals)

    def failure_text(self) -> str:
        """Why the level is not won, in lines (goal explanations first)."""
        lines = [f"{g.title}: {g.explanation}" for g in self.goals if not g.passed]
        lines += [f"step failed: {step}" for step in self.failed_steps]
        if self.note:
            lines.append(self.note)
        return "\n".join(lines)


class StudentGrade(BaseModel):
    """Every level of one student's submission, or the reason it was refused."""

    student: str
    levels: list[LevelGrade] = Field(default_factory=list)
    rejected: str | None = None

    @property
    def points(self) -> int:
        """Goals passed over every level."""
        return sum(level.passed_goals for level in self.levels)

    @property
    def max_points(self) -> int:
        """Goals over every level."""
        return sum(level.max_goals for level in self.levels)


def grade_play(played: Play, seconds: float = 0.0) -> LevelGrade:
    """The grade of a finished headless play."""
    result, level = played.result, played.run.level
    won = result.won and result.score is not None
    return LevelGrade(
        level=level.id,
        title=level.title,
        won=result.won,
        stars=result.score.stars if won and result.score else 0,
        points=result.score.points if won and result.score else 0,
        time=result.time,
        commands=result.commands,
        seconds=seconds,
        goals=[
            GoalGrade(title=g.title, passed=g.passed, explanation=g.explanation)
            for g in result.goals
        ],
        failed_steps=[f"{o.line}: {o.stderr.strip()}" for o in played.outcomes if o.exit_code != 0],
    )
