"""Goals with live ✓/✗ and their explanations, plus the hints the player asked for."""

from __future__ import annotations

import time
from typing import Any

from rich.text import Text
from textual.containers import VerticalScroll
from textual.widgets import Static

from k8stui.tui.keys import PANES


def _cut(line: str, width: int | None) -> str:
    if width is None or len(line) <= width:
        return line
    return line[: max(width - 1, 0)] + "…"


def goals_text(goals: list[Any], hints: list[str], *, one_line_width: int | None = None) -> Text:
    """Render goal verdicts and shown hints.

    With ``one_line_width`` every goal takes exactly two lines (title, explanation) cut at that
    width instead of wrapping, so the text keeps its height while explanations change and the
    screen needs no layout pass at a fast clock.
    """
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
        width = None if one_line_width is None else max(one_line_width - 2, 1)
        text.append(_cut(goal.title, width), style="" if goal.passed else "bold")
        if goal.explanation or one_line_width is not None:
            text.append("\n  " + _cut(goal.explanation or "", width), style="dim")
    for tier, hint in enumerate(hints, start=1):
        text.append(f"\nhint {tier}: ", style="bold yellow")
        text.append(hint)
    return text


# Wall seconds between two redraws that only change explanations (an availability percentage
# changes every sim second, 32 times a second at 32×: unreadable, and ~2 ms a frame).
EXPLAIN_PERIOD = 0.5


class GoalsText(Static):
    """The goals pane's text; tells the pane when its last update has been painted."""

    def render(self) -> Any:
        pane = self.parent
        if isinstance(pane, GoalsPane):
            pane.painted = True
        return super().render()


class GoalsPane(VerticalScroll):
    """Scrolls when the explanations do not fit."""

    BINDINGS = PANES

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(GoalsText(id="goals-text"), **kwargs)
        self._last: tuple[Any, ...] | None = None
        self._verdicts: tuple[Any, ...] | None = None
        self._drawn_at = 0.0
        # The last update is on the screen (set by the paint); see PaneTurns.
        self.painted = True

    def on_mount(self) -> None:
        self.border_title = "Goals"
        self.border_subtitle = "h hint"

    def show(self, goals: list[Any], hints: list[str], *, throttle: bool = False) -> bool:
        """Redraw when verdicts, explanations or hints changed.

        With ``throttle`` (the clock runs fast), a change of explanations alone within
        :data:`EXPLAIN_PERIOD` of the last redraw is held back: returns False, and the caller
        shows the goals again a frame later.
        """
        key = (tuple((g.title, g.passed, g.pending, g.explanation) for g in goals), tuple(hints))
        verdicts = (tuple((g.title, g.passed, g.pending) for g in goals), tuple(hints))
        now = time.monotonic()
        if key != self._last:
            recent = now - self._drawn_at < EXPLAIN_PERIOD
            if throttle and recent and verdicts == self._verdicts:
                return False
            self._last, self._verdicts, self._drawn_at = key, verdicts, now
            static = self.query_one("#goals-text", Static)
            width, height = static.content_size
            one_line = (width or None) if throttle else None
            static.update(goals_text(goals, hints, one_line_width=one_line), layout=False)
            # A layout pass re-arranges the whole screen (~5 ms); at 32× the explanations
            # change every frame while their wrapped height rarely does.
            if not width or static.get_content_height(self.size, self.app.size, width) != height:
                static.refresh(layout=True)
            # After the height check: it renders the text, which is not its paint.
            self.painted = False
            done = sum(1 for g in goals if g.passed)
            title = f"Goals {done}/{len(goals)}"
            if self.border_title != title:  # setting it repaints the whole pane
                self.border_title = title
        return True
