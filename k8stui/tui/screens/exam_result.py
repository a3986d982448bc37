"""The exam's grade: the total against the pass mark, then every task and goal with the
explanation the live cluster gave at grading."""

from __future__ import annotations

from typing import Any

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Footer, Markdown

from k8stui.tui.screens.base import GameScreen


def grade_markdown(grade: Any) -> str:
    """The grade as Markdown."""
    minutes, seconds = divmod(int(grade.used_seconds), 60)
    verdict = "passed" if grade.passed else "not passed"
    solved = sum(1 for task in grade.tasks if task.passed)
    lines = [
        f"## {grade.title}: {grade.percent:.0f}% — {verdict}",
        "",
        f"**Pass mark** {grade.pass_mark:g}% · **tasks solved** {solved}/{len(grade.tasks)} · "
        f"**time** {minutes}m{seconds:02d}s of {grade.minutes:g}m"
        + (" (time ran out)" if grade.timed_out else ""),
        "",
        "A task counts, with its weight, when every one of its goals passes on its cluster "
        "as you left it.",
    ]
    for task in grade.tasks:
        mark = "✓" if task.passed else "✗"
        notes = [f"weight {task.weight}", f"{task.goals_passed}/{len(task.goals)} goals"]
        notes += ["flagged"] if task.flagged else []
        notes += [f"{task.commands} commands"] if task.opened else ["never opened"]
        lines += ["", f"### {mark} Task {task.number}: {task.title}", "", " · ".join(notes), ""]
        lines += [
            f"- {'✓' if g.passed else '✗'} **{g.title}** — {g.explanation}" for g in task.goals
        ]
    return "\n".join(lines)


class ExamResultScreen(GameScreen[None]):
    """Shown once the exam is graded."""

    CSS_PATH = "exam.tcss"
    BINDINGS = [
        Binding(
            "escape,enter", "close", "Levels", id="exam_result.close", tooltip="Back to the levels"
        ),
    ]

    def __init__(self, grade: Any) -> None:
        super().__init__()
        self.grade = grade

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="exam-result"):
            yield Markdown(grade_markdown(self.grade))
        yield Footer()

    def on_mount(self) -> None:
        self.sub_title = "exam graded"
        box = self.query_one("#exam-result")
        box.border_title = f"{self.grade.percent:.0f}% {'PASS' if self.grade.passed else 'FAIL'}"
        box.focus()

    def action_close(self) -> None:
        """Back to the level list."""
        self.app.pop_screen()
