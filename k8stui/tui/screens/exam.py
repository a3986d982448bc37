"""The exam: every task listed with its flag and the time left; open any task, grade at the end.

The game side is :class:`k8stui.game.exam.Exam`. Opening a task switches to its own cluster
(one per task, like a kubectl context) on :class:`ExamTaskScreen`; Ctrl+T comes back here. The
exam is graded when the player ends it or when the time runs out, wherever the player is.
"""

from __future__ import annotations

import re
from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Footer, Markdown, OptionList, Static
from textual.widgets.option_list import Option

from k8stui.tui.screens.base import GameScreen
from k8stui.tui.screens.confirm import ConfirmScreen
from k8stui.tui.screens.exam_result import ExamResultScreen
from k8stui.tui.screens.exam_task import ExamTaskScreen

# Wall seconds between two redraws of the clock.
CLOCK_PERIOD = 0.5
# Seconds left at which the player is told, wherever they are.
WARN_AT = (300.0, 60.0)


def clock_text(seconds: float) -> str:
    """``mm:ss`` (or ``h:mm:ss``) of a duration."""
    whole = int(seconds)
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes:02d}:{secs:02d}"


def task_markdown(state: Any) -> str:
    """A task's statement: its weight, the level's briefing, and what will be checked."""
    level = state.level
    body = re.sub(r"\A\s*# ", "### ", level.briefing, count=1)
    goals = "\n".join(f"- {goal.describe()}" for goal in level.goals)
    weight = state.task.weight
    return (
        f"## Task {state.number}: {level.title}\n\n*weight {weight}*\n\n{body}\n\n"
        f"### Checked at the end\n\n{goals}"
    )


class ExamScreen(GameScreen[None]):
    """The task list of an exam being sat."""

    CSS_PATH = "exam.tcss"
    BINDINGS = [
        # Enter on the list opens the task too (the list's own select).
        Binding("o", "open", "Open task", id="exam.open", tooltip="Work on the highlighted task"),
        Binding("f", "flag", "Flag", id="exam.flag", tooltip="Flag the task to come back to it"),
        Binding(
            "g", "end", "End & grade", id="exam.end", tooltip="End the exam now and grade it (asks)"
        ),
    ]

    def __init__(self, exam: Any) -> None:
        super().__init__()
        self.exam = exam
        self._task_screen: ExamTaskScreen | None = None
        # The smallest WARN_AT mark already announced (none yet).
        self._warned = float("inf")

    def compose(self) -> ComposeResult:
        yield Static(id="exam-status")
        with Horizontal(id="exam-body"):
            yield OptionList(id="exam-tasks")
            with VerticalScroll(id="exam-task"):
                yield Markdown(id="exam-task-text")
        yield Footer()

    def on_mount(self) -> None:
        self.title = "k8stui exam"
        self.sub_title = self.exam.exam.title
        self.query_one("#exam-tasks").border_title = "Tasks"
        self.refresh_tasks()
        self.set_interval(CLOCK_PERIOD, self.tick)
        self.query_one("#exam-tasks", OptionList).focus()

    def on_screen_resume(self) -> None:
        self.refresh_tasks()

    # -- drawing ------------------------------------------------------------------------------
    def refresh_tasks(self) -> None:
        """Rebuild the task list (flags, which tasks were opened) and the status line."""
        options = self.query_one("#exam-tasks", OptionList)
        highlighted = options.highlighted
        options.clear_options()
        for state in self.exam.tasks:
            line = Text("⚑" if state.flagged else " ", style="bold yellow")
            line += Text("●" if state.opened else "○", style="green" if state.opened else "dim")
            line += Text(f"{state.number:>2}. {state.level.title}")
            options.add_option(Option(line, id=str(state.number)))
        options.highlighted = highlighted if highlighted is not None else 0
        self._show_task()
        self.tick()

    def _show_task(self) -> None:
        number = self.highlighted_number()
        if number is not None:
            self.query_one("#exam-task-text", Markdown).update(
                task_markdown(self.exam.task(number))
            )

    def on_option_list_option_highlighted(self, _: OptionList.OptionHighlighted) -> None:
        self._show_task()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.open_task(int(event.option.id or 1))

    def highlighted_number(self) -> int | None:
        """The task under the cursor."""
        option = self.query_one("#exam-tasks", OptionList).highlighted_option
        return int(option.id) if option is not None and option.id else None

    def status_text(self) -> Text:
        """Time left, tasks opened and flagged."""
        left = self.exam.remaining()
        flagged = sum(1 for state in self.exam.tasks if state.flagged)
        opened = sum(1 for state in self.exam.tasks if state.opened)
        style = "bold red" if left < 300 else "bold"
        text = Text(f"{clock_text(left)} left", style=style)
        text += Text(
            f" of {self.exam.minutes:g} min · {len(self.exam.tasks)} tasks, {opened} opened ●, "
            f"{flagged} flagged ⚑ · pass {self.exam.exam.pass_mark:g}%"
        )
        return text

    def tick(self) -> None:
        """Redraw the clock; grade when the time is up."""
        if self.exam.graded:
            return
        if self.exam.time_up:
            self.grade(timed_out=True)
            return
        left = self.exam.remaining()
        passed = [mark for mark in WARN_AT if left <= mark < self._warned]
        if passed:
            # One notice for the marks crossed since the last tick (a short exam starts past both).
            self._warned = min(passed)
            self.app.notify(f"{clock_text(left)} left in the exam.", severity="warning")
        self.query_one("#exam-status", Static).update(self.status_text())
        if self._task_screen is not None and self.app.screen is self._task_screen:
            self._task_screen.show_exam_clock(clock_text(self.exam.remaining()))

    # -- actions ------------------------------------------------------------------------------
    def open_task(self, number: int) -> None:
        """Switch to a task's cluster."""
        if self.exam.graded:
            return
        run = self.exam.open(number)
        self._task_screen = ExamTaskScreen(run, self, number)
        self.app.push_screen(self._task_screen)

    def action_open(self) -> None:
        """Open the highlighted task."""
        number = self.highlighted_number()
        if number is not None:
            self.open_task(number)

    def action_flag(self) -> None:
        """Flag or unflag the highlighted task."""
        number = self.highlighted_number()
        if number is not None:
            self.toggle_flag(number)

    def toggle_flag(self, number: int) -> bool:
        """Flag or unflag a task (also from its own screen); returns the new flag."""
        flagged = bool(self.exam.toggle_flag(number))
        self.refresh_tasks()
        return flagged

    def action_end(self) -> None:
        """End the exam now, after asking."""
        unopened = sum(1 for state in self.exam.tasks if not state.opened)
        more = f" {unopened} task(s) were never opened." if unopened else ""

        def answered(yes: bool | None) -> None:
            if yes:
                self.grade(timed_out=False)

        self.app.push_screen(
            ConfirmScreen(f"End the exam and grade every task now?{more}", title="End the exam?"),
            answered,
        )

    def grade(self, *, timed_out: bool) -> None:
        """Grade the exam, save it, and show the breakdown in place of the exam's screens."""
        grade = self.exam.grade()
        record = getattr(self.app, "record_exam", None)
        if record is not None:
            record(grade)
        while self.app.screen is not self and self in self.app.screen_stack:
            self.app.pop_screen()
        self.app.pop_screen()
        if timed_out:
            self.app.notify("Time is up: the exam was graded.", severity="warning")
        self.app.push_screen(ExamResultScreen(grade))
