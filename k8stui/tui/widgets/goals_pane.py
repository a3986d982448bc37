"""Goals with live ✓/✗ and their explanations, plus the hints the player asked for."""

from __future__ import annotations

import time
from typing import Any, Self

from rich.text import Text
from textual.containers import VerticalScroll
from textual.geometry import Region, Size
from textual.reactive import Reactive
from textual.strip import Strip
from textual.visual import Visual, visualize
from textual.widget import Widget

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


# Widget.virtual_size (same name, same storage) without layout=True or repaint, for the goals
# pane and its text. Only a layout pass sets it, when it gives them a new height: Textual's
# default then asks for a second layout pass of the whole screen (~10 ms at 32x) and a
# second paint of both, which change nothing. That layout pass already painted what it
# moved; the pane's scrollbars are updated (or shown, with their own layout) on their own.
_SETTLED_VIRTUAL_SIZE: Reactive[Size] = Reactive(Size(0, 0), layout=False, repaint=False)


class GoalsText(Widget):
    """The goals pane's text; tells the pane when its last update has been painted.

    An update repaints only the rows that look different: at 32x that is an explanation or
    two (an availability percentage), not every goal's rows.
    """

    DEFAULT_CSS = """
    GoalsText { height: auto; }
    """
    virtual_size = _SETTLED_VIRTUAL_SIZE

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._text = Text()
        self._version = 0
        # The text's rows as the paint draws them, and what they were rendered for.
        self._strips: list[Strip] = []
        self._strips_key: tuple[Any, ...] | None = None

    def render(self) -> Text:
        return self._text

    def show(self, text: Text) -> bool:
        """Show ``text``, repainting the rows that changed; True when any did."""
        before = self._strips if self._strips_key == self._key() else None
        self._text = text
        self._version += 1
        if before is None:
            self.refresh()
            return True
        after = self._rendered()
        width = self.size.width
        changed = [
            y
            for y in range(max(len(before), len(after)))
            if y >= len(before) or y >= len(after) or before[y] != after[y]
        ]
        for y in changed:
            self.refresh(Region(0, y, width, 1))
        if not changed:
            # Same rows at this width; measured again at any other (heights are cached).
            self.clear_cached_dimensions()
            self.refresh(repaint=False)
        return bool(changed)

    def text_height(self) -> int:
        """Rows the text takes at the current width (``get_content_height`` without rendering
        the text a second time)."""
        return len(self._rendered())

    def _key(self) -> tuple[Any, ...]:
        return (self.size.width, self.visual_style, self.text_selection, self._version)

    def _rendered(self) -> list[Strip]:
        """Every row of the text, rendered as the default ``render_line`` would."""
        key = self._key()
        if key != self._strips_key:
            self._strips_key = key
            visual = visualize(self, self._text)
            self._strips = Visual.to_strips(self, visual, self.size.width, None, self.visual_style)
        return self._strips

    def render_line(self, y: int) -> Strip:
        pane = self.parent
        if isinstance(pane, GoalsPane):
            pane.painted = True
        # Only the default render_line reads these; regions-only refreshes would pile them up.
        self._dirty_regions.clear()
        strips = self._rendered()
        if y < len(strips):
            return strips[y]
        return Strip.blank(self.size.width, self.visual_style.rich_style)


class GoalsPane(VerticalScroll):
    """Scrolls when the explanations do not fit."""

    BINDINGS = PANES
    virtual_size = _SETTLED_VIRTUAL_SIZE
    # While set, a whole-pane refresh repaints the top border row only (see retitle).
    _title_row_only = False

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

    def _needs_layout(self, rows: int, height: int, throttle: bool) -> bool:
        """Whether the text's new row count needs a layout pass (of the whole screen, ~15 ms).

        At a fast clock, a text that got shorter (the explanations folded to one line each)
        keeps its height, and the rows under it paint blank, unless the scrollbar would go:
        the shorter text fits the pane and the old one did not. The pane is laid out again
        when the clock slows or stops and the explanations unfold.
        """
        if rows == height:
            return False
        if not throttle or rows > height:
            return True
        visible = self.scrollable_content_region.height
        return rows <= visible < height

    def render_line(self, y: int) -> Strip:
        # Rows of the pane itself (under the text) are drawn when the pane was refreshed.
        self.painted = True
        return super().render_line(y)

    def refresh(
        self,
        *regions: Region,
        repaint: bool = True,
        layout: bool = False,
        recompose: bool = False,
    ) -> Self:
        if self._title_row_only and not (regions or layout or recompose):
            x, y = self.content_offset
            regions = (Region(-x, -y, self.outer_size.width, 1),)
        return super().refresh(*regions, repaint=repaint, layout=layout, recompose=recompose)

    def retitle(self, title: str) -> None:
        """Set the border title. Textual's setter repaints the whole pane, the rows under the
        text too (~5 ms at 32x); the title shows in the top border row alone."""
        self._title_row_only = True
        try:
            self.border_title = title
        finally:
            self._title_row_only = False

    def show(self, goals: list[Any], hints: list[str], *, throttle: bool = False) -> bool:
        """Redraw when verdicts, explanations or hints changed.

        With ``throttle`` (the clock runs fast), a change of explanations alone within
        :data:`EXPLAIN_PERIOD` of the last redraw is held back: returns False, and the caller
        shows the goals again a frame later.
        """
        # Folding (or unfolding) the explanations is never held back: it comes with a change
        # of the clock, a keypress.
        key = (
            tuple((g.title, g.passed, g.pending, g.explanation) for g in goals),
            tuple(hints),
            throttle,
        )
        verdicts = (tuple((g.title, g.passed, g.pending) for g in goals), tuple(hints), throttle)
        now = time.monotonic()
        if key != self._last:
            recent = now - self._drawn_at < EXPLAIN_PERIOD
            if throttle and recent and verdicts == self._verdicts:
                return False
            self._last, self._verdicts, self._drawn_at = key, verdicts, now
            static = self.query_one("#goals-text", GoalsText)
            width, height = static.content_size
            one_line = (width or None) if throttle else None
            changed = static.show(goals_text(goals, hints, one_line_width=one_line))
            # A layout pass re-arranges the whole screen (~5 ms); at 32× the explanations
            # change every frame while their wrapped height rarely does.
            if not width or self._needs_layout(static.text_height(), height, throttle):
                static.refresh(layout=True)
                changed = True
            if changed:
                self.painted = False
            done = sum(1 for g in goals if g.passed)
            title = f"Goals {done}/{len(goals)}"
            if self.border_title != title:
                self.retitle(title)
        return True
