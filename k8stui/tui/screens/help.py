"""Help: every key active on the screen below, with what it does."""

from __future__ import annotations

from rich.table import Table
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

Row = tuple[str, str, str]


class HelpScreen(ModalScreen[None]):
    """A table of (key, action, explanation) rows gathered by the app before it opened."""

    BINDINGS = [
        Binding(
            "escape,question_mark,f1,q", "close", "Close", id="help.close", tooltip="Close help"
        ),
    ]

    def __init__(self, title: str, rows: list[Row]) -> None:
        super().__init__()
        self._title = title
        self._rows = rows

    def compose(self) -> ComposeResult:
        table = Table(box=None, expand=True, show_header=True, header_style="bold")
        table.add_column("key", style="bold cyan", no_wrap=True)
        table.add_column("action", no_wrap=True)
        table.add_column("what it does", style="dim")
        for key, action, tip in self._rows:
            table.add_row(key, action, tip)
        with VerticalScroll(id="help") as scroll:
            scroll.border_title = f"Keys — {self._title}"
            scroll.border_subtitle = "Esc closes"
            yield Static(table)

    def on_mount(self) -> None:
        self.query_one("#help").focus()

    def action_close(self) -> None:
        """Close the help."""
        self.dismiss(None)
