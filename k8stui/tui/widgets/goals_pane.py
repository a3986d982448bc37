"""Goals with live ✓/✗ and their explanations, plus the hints the player asked for."""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual.containers import VerticalScroll
from textual.widgets import Static


def goals_text(goals: list[Any], hints: list[str]) -> Text:
    """Render goal verdicts and shown hints."""
    text = Text()
    for index, goal in enumerate(goals):
        if index:
            text.append("\n")
        mark, style = (
            ("✓ ", "bold green")
            if goal.passed
            else ("◌ ", "bold yellow")
            if goal.pending
            else ("✗ ", "bold red")
        )
        text.append(mark, style=style)
        text.append(goal.title, style="" if goal.passed else "bold")
        if goal.explanation:
            text.append("\n  " + goal.explanation, style="dim")
    for tier, hint in enumerate(hints, start=1):
        text.append(f"\nhint {tier}: ", style="bold yellow")
        text.append(hint)
    return text


class GoalsPane(VerticalScroll):
    """Scrolls when the explanations do not fit."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(Static(id="goals-text"), **kwargs)
        self._last: tuple[Any, ...] | None = None

    def on_mount(self) -> None:
        self.border_title = "Goals"
        self.border_subtitle = "h hint"

    def show(self, goals: list[Any], hints: list[str]) -> None:
        """Redraw when verdicts, explanations or hints changed."""
        key = (tuple((g.title, g.passed, g.pending, g.explanation) for g in goals), tuple(hints))
        if key != self._last:
            self._last = key
            self.query_one("#goals-text", Static).update(goals_text(goals, hints))
            done = sum(1 for g in goals if g.passed)
            self.border_title = f"Goals {done}/{len(goals)}"
