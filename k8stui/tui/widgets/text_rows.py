"""A widget drawn as rows of text that repaints only the rows whose text changed.

Textual repaints a whole widget on ``refresh()``: it renders all of its text again, and every
row goes through the compositor. A node card whose one pod changed status, or the control
plane pane whose scheduler row moved, then costs the paint of all its rows (~0.5 ms a row at
32x on a slow machine). :class:`TextRows` keeps the rows it shows, compares new rows with them
and refreshes only the screen regions of rows that differ; through the Line API
(``render_line``) the paint renders just those rows, and keeps the others' rendered strips.
Each row looks exactly as the rows of ``Text("\\n").join(rows)`` rendered by a plain widget.
"""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual.content import Content
from textual.geometry import Region, Size
from textual.strip import Strip
from textual.style import Style
from textual.visual import Visual
from textual.widget import Widget


def _row_key(row: Text) -> tuple[Any, ...]:
    # Text equality ignores the base style (a "✗ MACHINE DOWN" row is styled that way).
    return (row.plain, tuple(row.spans), str(row.style))


class TextRows(Widget):
    """Rows from :meth:`build_rows`; :meth:`redraw` repaints the ones that changed.

    A row is one line on the screen: it does not wrap, and what does not fit is cut.
    """

    DEFAULT_CSS = """
    TextRows { text-wrap: nowrap; text-overflow: ellipsis; }
    """

    # The last change is on the screen (set by the paint); see PaneTurns.
    painted = True

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        # The rows on the screen and the content size they were built for.
        self._rows: list[Text] = []
        self._keys: list[tuple[Any, ...]] = []
        self._rows_size: Size | None = None
        # Rendered rows by y, and the width and style they were rendered with.
        self._strips: dict[int, Strip] = {}
        self._strips_for: tuple[int, Style] | None = None

    def build_rows(self, width: int, height: int) -> list[Text]:
        """The rows to show in a content area of ``width`` x ``height`` (rows past ``height``
        are not shown)."""
        raise NotImplementedError

    def redraw(self) -> None:
        """What the rows show changed: repaint the rows whose text differs from the screen's."""
        size = self.size
        if self._rows_size is None or size != self._rows_size or not size.width:
            # Not drawn at this size yet: the next paint builds every row anyway.
            self._rows_size = None
            self.painted = False
            self.refresh()
            return
        rows = self._build(size)
        keys = [_row_key(row) for row in rows[: size.height]]
        old = self._keys
        self._rows, self._keys = rows, keys
        changed = [
            y
            for y in range(max(len(keys), len(old)))
            if y >= len(keys) or y >= len(old) or keys[y] != old[y]
        ]
        if not changed:
            return
        self.painted = False
        for y in changed:
            self._strips.pop(y, None)
        # One region per run of adjacent rows.
        runs: list[list[int]] = []
        for y in changed:
            if runs and y == runs[-1][-1] + 1:
                runs[-1].append(y)
            else:
                runs.append([y])
        for run in runs:
            self.refresh(Region(0, run[0], size.width, len(run)))

    def render(self) -> Text:
        """All rows as one text: what Textual reads for a text selection (the paint draws row
        by row, :meth:`render_line`)."""
        return Text("\n").join(self._current_rows())

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._strips.clear()

    def _build(self, size: Size) -> list[Text]:
        # No rows draw as one empty line, as an empty text does.
        return self.build_rows(size.width, size.height) or [Text()]

    def _current_rows(self) -> list[Text]:
        size = self.size
        if size != self._rows_size:
            self._rows = self._build(size)
            self._keys = [_row_key(row) for row in self._rows[: size.height]]
            self._rows_size = size
            self._strips.clear()
        return self._rows

    def render_line(self, y: int) -> Strip:
        self.painted = True
        # Only the default render_line reads these; regions-only refreshes would pile them up.
        self._dirty_regions.clear()
        rows = self._current_rows()
        width, height = self.size
        style = self.visual_style
        if self.text_selection is not None:
            # Drawn with the selection's highlight: the whole text, as a plain widget does.
            visual = Content.from_rich_text(self.render(), console=self.app.console)
            strips = Visual.to_strips(self, visual, width, height, style)
            return strips[y] if y < len(strips) else Strip.blank(width, style.rich_style)
        if y >= min(len(rows), height):
            return Strip.blank(width, style.rich_style)
        if self._strips_for != (width, style):
            self._strips_for = (width, style)
            self._strips.clear()
        if y not in self._strips:
            self._render_rows(rows[:height], width, style)
        return self._strips[y]

    def _render_rows(self, rows: list[Text], width: int, style: Style) -> None:
        """Render every row not rendered yet, in one go.

        The rows already rendered stand in as empty lines, so each row is rendered at its own
        y: a strip carries the offsets a text selection by mouse reads.
        """
        missing = [y for y in range(len(rows)) if y not in self._strips]
        lines = [Text() if y in self._strips else row for y, row in enumerate(rows)]
        count = missing[-1] + 1
        visual = Content.from_rich_text(Text("\n").join(lines[:count]), console=self.app.console)
        strips = Visual.to_strips(self, visual, width, count, style)
        blank = Strip.blank(width, style.rich_style)
        for y in missing:
            self._strips[y] = strips[y] if y < len(strips) else blank
