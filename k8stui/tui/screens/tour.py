"""The first-run tour: three short steps shown once, over the first level's play screen."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Static

STEPS = (
    (
        "The console",
        "Type commands in the [b]Console[/] at the bottom left: just start typing "
        "[i]kubectl get nodes[/] and press Enter. Tab completes, ↑ recalls.",
    ),
    (
        "The panes",
        "Top: the control plane and one card per worker node with its pods. Right: your "
        "[b]Goals[/] (✓ met, ✗ not yet, ◌ in progress) and the cluster's [b]Events[/]. "
        "Ctrl+O zooms the focused pane.",
    ),
    (
        "Help",
        "Press [b]Esc[/] then [b]h[/] for a hint (it costs a star), [b]F1[/] for every key. "
        "The clock waits while you type; Space or F6 pauses it.",
    ),
)


class TourScreen(ModalScreen[None]):
    """Enter goes on, Esc skips the rest."""

    BINDINGS = [
        Binding("enter,space,right", "next", "Next", id="tour.next", tooltip="Next step"),
        Binding("escape", "skip", "Skip", id="tour.skip", tooltip="Skip the tour"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.step = 0

    def compose(self) -> ComposeResult:
        with Vertical(id="tour"):
            yield Static(id="tour-text")
            yield Static("Enter next · Esc skip", id="tour-keys")

    def on_mount(self) -> None:
        self._show()

    def _show(self) -> None:
        title, text = STEPS[self.step]
        box = self.query_one("#tour")
        box.border_title = f"Tour {self.step + 1}/{len(STEPS)}: {title}"
        self.query_one("#tour-text", Static).update(text)

    def action_next(self) -> None:
        """The next step, or close after the last."""
        if self.step + 1 >= len(STEPS):
            self.dismiss(None)
            return
        self.step += 1
        self._show()

    def action_skip(self) -> None:
        """Close the tour."""
        self.dismiss(None)
