"""A yes/no question in a small modal (leaving a level that is in progress)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Static


class ConfirmScreen(ModalScreen[bool]):
    """Returns True for y/Enter, False for n/Esc."""

    BINDINGS = [
        Binding("y,enter", "answer(True)", "Yes", id="confirm.yes", tooltip="Yes"),
        Binding("n,escape", "answer(False)", "No", id="confirm.no", tooltip="No, stay"),
    ]

    def __init__(self, question: str, *, title: str = "Leave the level?") -> None:
        super().__init__()
        self._question = question
        self._title = title

    def compose(self) -> ComposeResult:
        with Vertical(id="confirm") as box:
            box.border_title = self._title
            yield Static(self._question)
            yield Static("[b]y[/] yes   [b]n[/] / Esc stay", id="confirm-keys")

    def action_answer(self, yes: bool) -> None:
        """Close with the answer."""
        self.dismiss(yes)
