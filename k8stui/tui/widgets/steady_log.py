"""A RichLog whose writes repaint the log alone instead of re-laying out the whole screen.

Textual's ``RichLog.write`` grows the log's ``virtual_size``, a reactive that asks for a layout
pass of the entire screen (8-12 ms for the play screen at 120x40). A log is a line-API view
without children: its new size only moves its own scrollbars, so this class updates those
directly. A layout still happens when a scrollbar has to appear or disappear, because
``show_vertical_scrollbar`` / ``show_horizontal_scrollbar`` ask for one themselves. A write
repaints the log's rows and the scrollbars that changed, not its border, and a paint works
out the log's style once instead of once or twice per row.

It also serves an owner that lays its scrollback out again at a new width (the console):
``on_width`` is called inside the layout pass that gave the log its new width, so the paint
that follows already shows the new layout (a resize event would arrive after that paint and
cost a second one), and ``add`` hands back the strips each write became, so the strips that
do not depend on the width go back as they are (``add_strips``) instead of being rendered
again.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Self

from rich.console import RenderableType
from rich.style import Style
from textual.geometry import Region, Size
from textual.reactive import Reactive
from textual.strip import Strip
from textual.widgets import RichLog


class SteadyLog(RichLog):
    """RichLog whose growth re-sizes its scrollbars without a screen layout."""

    # Same name (and storage) as Widget.virtual_size, without layout=True; its watcher repaints
    # the rows (not the border: the reactive's own repaint would redraw the whole widget).
    virtual_size: Reactive[Size] = Reactive(Size(0, 0), layout=False, repaint=False)

    def __init__(
        self, *args: Any, on_width: Callable[[int], None] | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self._sync_due = False
        # A write asked to follow the end: scrolled there with the scrollbars' update.
        self._follow_due = False
        self._on_width = on_width
        self._width = 0
        # The log's rich_style while a paint renders its rows (see render_lines).
        self._painting = False
        self._paint_style: Style | None = None

    def _size_updated(
        self, size: Size, virtual_size: Size, container_size: Size, layout: bool = True
    ) -> bool:
        # Textual calls this for every widget during a layout pass, before the paint.
        changed = super()._size_updated(size, virtual_size, container_size, layout)
        width = self.scrollable_content_region.width
        if self._on_width is not None and width and width != self._width:
            self._width = width
            self._on_width(width)
        return changed

    def write(
        self,
        content: RenderableType | object,
        width: int | None = None,
        expand: bool = False,
        shrink: bool = True,
        scroll_end: bool | None = None,
        animate: bool = False,
    ) -> Self:
        """``RichLog.write``, scrolling to the end (when asked) once the current batch of
        writes is done, before the next paint.

        RichLog scrolls after the next paint, so a log paints twice per write, the second
        time together with whatever else changed by then (node cards at the top of the
        screen, an events log at the right: one paint rectangle spanning the screen).
        """
        follow = self.auto_scroll if scroll_end is None else scroll_end
        super().write(content, width, expand, shrink, scroll_end=False, animate=animate)
        if follow and self._size_known:
            self._follow_due = True
            self._sync_soon()
        return self

    def watch_virtual_size(self) -> None:
        """Repaint the rows (new lines may show), and move the scrollbars to the new size once
        the current batch of writes is done (a re-laid-out scrollback writes hundreds of
        lines in one go)."""
        self.refresh(self.size.region)
        self._sync_soon()

    def _sync_soon(self) -> None:
        if not self._sync_due:
            self._sync_due = True
            self.call_next(self._sync_scrollbars)

    def sync_now(self) -> None:
        """Move the scrollbars (and follow the end) now rather than after the current batch
        of writes: a single write then paints together with its scrollbars."""
        self._sync_scrollbars()

    def _sync_scrollbars(self) -> None:
        # Scrollbars shown or hidden by the new size request the layout they need.
        if not self._sync_due:
            return  # synced already (sync_now)
        self._sync_due = False
        if self.is_mounted and self.container_size:
            self._update_scrollbars(self.virtual_size)
            if self._follow_due:
                self._follow_due = False
                self.scroll_end(animate=False, immediate=True, x_axis=False)

    def _update_scrollbars(self, virtual_size: Size) -> None:
        """``Widget._scroll_update`` without its unconditional scrollbar refreshes: a scrollbar
        repaints when its size or position changed (they are reactives), and after a write that
        leaves the widest line as it was the horizontal one has nothing new to show."""
        self._refresh_scrollbars()
        width, height = self.container_size
        if self.show_vertical_scrollbar and self.styles.scrollbar_size_vertical:
            self.vertical_scrollbar.window_virtual_size = virtual_size.height
            self.vertical_scrollbar.window_size = height - self.scrollbar_size_horizontal
        if self.show_horizontal_scrollbar and self.styles.scrollbar_size_horizontal:
            self.horizontal_scrollbar.window_virtual_size = virtual_size.width
            self.horizontal_scrollbar.window_size = width - self.scrollbar_size_vertical
        self.scroll_x = self.validate_scroll_x(self.scroll_x)
        self.scroll_y = self.validate_scroll_y(self.scroll_y)

    def render_lines(self, crop: Region) -> list[Strip]:
        # RichLog asks for ``rich_style`` (a walk over every ancestor's styles) once or twice
        # per row; within one paint of the log it is the same style.
        self._paint_style = None
        self._painting = True
        try:
            return super().render_lines(crop)
        finally:
            self._painting = False
            self._paint_style = None

    @property
    def rich_style(self) -> Style:
        """The log's Rich style (computed once per paint of the log)."""
        if not self._painting:
            return super().rich_style
        if self._paint_style is None:
            self._paint_style = super().rich_style
        return self._paint_style

    def add(self, renderable: RenderableType, *, scroll_end: bool | None = None) -> list[Strip]:
        """Write ``renderable`` and return the strips it became ([] while the log's size is
        unknown: RichLog then renders it later)."""
        # RichLog drops lines from the front past max_lines and counts them in _start_line.
        count, start = len(self.lines), self._start_line
        self.write(renderable, scroll_end=scroll_end)
        added = len(self.lines) - count + self._start_line - start
        return self.lines[len(self.lines) - added :] if added > 0 else []

    def add_strips(self, strips: list[Strip]) -> None:
        """Append strips that an earlier ``add`` rendered, without rendering them again."""
        if not strips:
            return
        self.lines.extend(strips)
        if self.max_lines is not None and len(self.lines) > self.max_lines:
            self._start_line += len(self.lines) - self.max_lines
            self.lines = self.lines[-self.max_lines :]
        widest = max(strip.cell_length for strip in strips)
        self._widest_line_width = max(self._widest_line_width, widest)
        self.virtual_size = Size(self._widest_line_width, len(self.lines))
