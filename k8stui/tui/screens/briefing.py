"""Briefing: the level's text, the concepts it teaches and its goals."""

from __future__ import annotations

import re
from typing import Any

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Button, Footer, Markdown

from k8stui.tui.concepts import concept_text
from k8stui.tui.screens.base import GameScreen


def briefing_markdown(level: Any, number: int | None = None) -> str:
    """The level's Markdown under the title the level list shows, then concepts and goals."""
    goals = "\n".join(f"- {goal.describe()}" for goal in level.goals)
    concepts = ", ".join(concept_text(key) for key in level.concepts)
    waves = [wave for wave in level.waves if wave.start_at is None]
    wave = "\n\nThis level has a **wave**: press `w` when you are ready." if waves else ""
    head = f"{number}. {level.title}" if number is not None else level.title
    # The briefing's own first heading becomes a subheading under the list's title.
    body = re.sub(r"\A\s*# ", "### ", level.briefing, count=1)
    return (
        f"# {head}\n\n{body}\n\n**Concepts:** {concepts}\n\n**Par:** {level.par.time:g}s of "
        f"simulated time, {level.par.commands} commands\n\n## Goals\n\n{goals}{wave}"
    )


class BriefingScreen(GameScreen[None]):
    """Read, then start."""

    CSS_PATH = "briefing.tcss"
    BINDINGS = [
        Binding("enter,s", "start", "Start", id="briefing.start", tooltip="Start the level"),
        Binding("escape", "back", "Levels", id="briefing.back", tooltip="Back to the level list"),
    ]

    def __init__(self, level: Any) -> None:
        super().__init__()
        self.level = level

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="briefing"):
            yield Markdown(briefing_markdown(self.level, self.game.level_number(self.level.id)))
        with Horizontal(id="briefing-bar"):
            yield Button(
                "Start ⏎", id="start", variant="primary", compact=True, tooltip="Start the level"
            )
            yield Button("Back", id="back", compact=True, tooltip="Back to the level list")
        yield Footer()

    def on_mount(self) -> None:
        self.sub_title = f"{self.game.level_number(self.level.id)}. {self.level.title}"
        self.query_one("#briefing").focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "start":
            self.action_start()
        else:
            self.action_back()

    def action_start(self) -> None:
        """Start the level."""
        self.game.start_level(self.level.id)

    def action_back(self) -> None:
        """Back to the list."""
        self.app.pop_screen()
