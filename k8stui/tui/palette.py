"""The command palette (Ctrl+P), with PageUp/PageDown that cannot crash the game.

Textual 8.2.8's option list pages through a line table it only builds while it has a visible
area; when the palette's result list has no height yet (a terminal a few rows high, or results
that arrived before the next layout), PageUp/PageDown raise ``KeyError`` from
``OptionList._move_page``. The palette below routes those two keys through a guard: with
nothing laid out there is no page to move by, so the key does nothing.
"""

from __future__ import annotations

from textual.binding import Binding
from textual.command import CommandList, CommandPalette


class SafeCommandPalette(CommandPalette):
    """Textual's command palette with guarded paging keys."""

    BINDINGS = [
        Binding(
            "pagedown",
            "page(1)",
            "Next page",
            show=False,
            id="palette.page_down",
            tooltip="Move a page down the commands",
        ),
        Binding(
            "pageup",
            "page(-1)",
            "Previous page",
            show=False,
            id="palette.page_up",
            tooltip="Move a page up the commands",
        ),
    ]

    def action_page(self, direction: int) -> None:
        """Page through the commands when the list is laid out; otherwise do nothing."""
        commands = self.query_one(CommandList)
        if not commands.option_count or not commands.scrollable_content_region:
            return
        if direction > 0:
            commands.action_page_down()
        else:
            commands.action_page_up()
