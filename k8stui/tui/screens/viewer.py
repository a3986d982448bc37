"""A modal that shows command output (describe, YAML, logs) with scrolling."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Footer, Static


class ViewerScreen(ModalScreen[None]):
    """Read-only output of one command; Esc or q closes it."""

    BINDINGS = [
        Binding("escape,q", "dismiss", "Close", id="viewer.close", tooltip="Back to the cluster"),
    ]

    def __init__(self, title: str, body: str, error: bool = False) -> None:
        super().__init__()
        self._title = title
        self._body = body
        self._error = error

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="viewer") as scroll:
            scroll.border_title = self._title
            yield Static(Text(self._body, style="red" if self._error else ""))
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#viewer").focus()

    async def action_dismiss(self, result: None = None) -> None:
        self.dismiss(result)
