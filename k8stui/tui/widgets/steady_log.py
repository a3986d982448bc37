"""A RichLog whose writes repaint the log alone instead of re-laying out the whole screen.

Textual's ``RichLog.write`` grows the log's ``virtual_size``, a reactive that asks for a layout
pass of the entire screen (8-12 ms for the play screen at 120x40). A log is a line-API view
without children: its new size only moves its own scrollbars, so this class updates those
directly. A layout still happens when a scrollbar has to appear or disappear, because
``show_vertical_scrollbar`` / ``show_horizontal_scrollbar`` ask for one themselves.
"""

from __future__ import annotations

from typing import Any

from textual.geometry import Size
from textual.reactive import Reactive
from textual.widgets import RichLog


class SteadyLog(RichLog):
    """RichLog whose growth re-sizes its scrollbars without a screen layout."""

    # Same name (and storage) as Widget.virtual_size, without layout=True (it still repaints).
    virtual_size: Reactive[Size] = Reactive(Size(0, 0), layout=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._sync_due = False

    def watch_virtual_size(self) -> None:
        """Move the scrollbars to the new size once the current batch of writes is done (a
        re-laid-out scrollback writes hundreds of lines in one go)."""
        if not self._sync_due:
            self._sync_due = True
            self.call_next(self._sync_scrollbars)

    def _sync_scrollbars(self) -> None:
        # Scrollbars shown or hidden by the new size request the layout they need.
        self._sync_due = False
        if self.is_mounted and self.container_size:
            self._scroll_update(self.virtual_size)
