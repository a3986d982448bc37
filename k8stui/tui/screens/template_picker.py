"""Pick a manifest template for a new editor tab."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import ModalScreen
from textual.widgets import OptionList

from k8stui.tui.templates import TEMPLATES


class TemplatePicker(ModalScreen[str | None]):
    """Returns the chosen template's name, or None."""

    BINDINGS = [
        Binding(
            "escape", "cancel", "Cancel", id="templates.cancel", tooltip="Close without a new file"
        ),
    ]

    def compose(self) -> ComposeResult:
        options = OptionList(*TEMPLATES, id="templates")
        options.border_title = "New file from a template"
        yield options

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        if self.is_current:  # a second Enter may still be queued after the first dismissed us
            self.dismiss(str(event.option.prompt))

    def action_cancel(self) -> None:
        """Close with no choice."""
        self.dismiss(None)
