"""One exam task: the play screen on the task's own cluster, with the exam's rules.

Goal verdicts are withheld (the run is a :class:`~k8stui.game.exam.BlindRun`), there are no
hints, leaving keeps the task as it is (the cluster and its clock wait), and two keys are added:
Ctrl+T back to the task list and Ctrl+G to flag the task.
"""

from __future__ import annotations

from typing import Any

from textual.binding import Binding

from k8stui.tui.screens.play import PlayScreen
from k8stui.tui.widgets.goals_pane import GoalsPane

# Play-screen actions an exam does not offer.
OFF = {"hint", "start_wave"}


class ExamTaskScreen(PlayScreen):
    """Work on one task; the exam screen below keeps the clock."""

    BINDINGS = [
        Binding(
            "ctrl+t",
            "tasks",
            "Tasks",
            id="exam_task.tasks",
            tooltip="Back to the exam's task list (this task keeps its state)",
            show=True,
            priority=True,
        ),
        Binding(
            "ctrl+g",
            "flag",
            "Flag",
            id="exam_task.flag",
            tooltip="Flag this task to come back to it",
            show=True,
            priority=True,
        ),
    ]

    def __init__(self, run: Any, owner: Any, number: int) -> None:
        super().__init__(run)
        self.owner = owner
        self.number = number

    def on_mount(self) -> None:
        super().on_mount()
        self.sub_title = f"exam task {self.number}: {self.run.level.title}"
        self.query_one(GoalsPane).border_subtitle = "graded at the end"

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action.removeprefix("screen.") in OFF:
            return False
        return super().check_action(action, parameters)

    def show_exam_clock(self, left: str) -> None:
        """Show the exam's time left (called by the exam screen's clock)."""
        # Before its first compose the screen has no panes yet: the next tick shows the clock.
        for pane in self.query(GoalsPane):
            pane.border_subtitle = f"exam: {left} left"

    def action_tasks(self) -> None:
        """Back to the task list; this task waits as it is."""
        self.app.pop_screen()

    def action_leave(self) -> None:
        """``q`` on a pane: the task list, as Ctrl+T (nothing is lost by leaving a task)."""
        self.action_tasks()

    def action_flag(self) -> None:
        """Flag or unflag this task."""
        flagged = self.owner.toggle_flag(self.number)
        self.notify(f"Task {self.number} {'flagged' if flagged else 'unflagged'}.", timeout=2)
