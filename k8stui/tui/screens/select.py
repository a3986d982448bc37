"""Level select: packs and their levels with stars; continue where you left off."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Footer, OptionList, Static
from textual.widgets.option_list import Option

from k8stui.tui.concepts import concept_names
from k8stui.tui.screens.base import GameScreen


def stars_text(stars: int) -> Text:
    """Three stars, earned ones filled."""
    return Text("★" * stars, style="bold yellow") + Text("☆" * (3 - stars), style="dim")


class SelectScreen(GameScreen[None]):
    """The first screen."""

    CSS_PATH = "select.tcss"
    BINDINGS = [
        Binding(
            "c",
            "continue",
            "Continue",
            id="select.continue",
            tooltip="Open the level after your last one",
        ),
        Binding(
            "enter",
            "open",
            "Briefing",
            id="select.open",
            tooltip="Open the highlighted level's briefing",
            show=False,
        ),
    ]

    def compose(self) -> ComposeResult:
        yield Static(id="select-intro")
        yield OptionList(id="levels")
        yield Footer()

    def on_mount(self) -> None:
        self.title = "k8stui"
        self.sub_title = "choose a level"
        self.refresh_levels()

    def on_screen_resume(self) -> None:
        self.refresh_levels()

    def refresh_levels(self) -> None:
        """Rebuild the list from the packs and the saved progress."""
        progress = self.game.progress
        if progress is None:
            self.query_one("#select-intro", Static).update("Loading levels…")
            return
        options = self.query_one("#levels", OptionList)
        highlighted = options.highlighted_option.id if options.highlighted_option else None
        options.clear_options()
        number = 0
        offered: set[str] = set()
        for pack in self.game.packs:
            done = sum(1 for lvl in pack.levels if self.game.won(lvl.id))
            header = Text(f"{pack.manifest.title}  ", style="bold") + Text(
                f"{done}/{len(pack.levels)} done", style="dim"
            )
            options.add_option(Option(header, disabled=True))
            for level in pack.levels:
                if level.id in offered:
                    continue  # the option ids must be unique (the app lists duplicate packs)
                offered.add(level.id)
                number += 1
                prompt = stars_text(self.game.stars(level.id))
                prompt += Text(f" {number:>2}. {level.title}")
                prompt += Text(f"  {concept_names(level.concepts)}", style="dim")
                options.add_option(Option(prompt, id=level.id))
        for problem in self.game.broken_packs:
            line = Text("✗ broken pack  ", style="bold red") + Text(problem, style="dim")
            options.add_option(Option(line, disabled=True))
        target = highlighted or self.game.continue_level()
        if target:
            options.highlighted = options.get_option_index(target)
        total = sum(len(p.levels) for p in self.game.packs)
        won = sum(1 for level in self.game.levels if self.game.won(level.id))
        intro = Text("Learn Kubernetes by running it. ", style="bold")
        intro += Text(f"{won}/{total} levels won · Enter opens a level, c continues, ? lists keys")
        self.query_one("#select-intro", Static).update(intro)
        options.focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        if event.option.id:
            self.game.open_briefing(event.option.id)

    def action_open(self) -> None:
        """Open the highlighted level."""
        option = self.query_one("#levels", OptionList).highlighted_option
        if option is not None and option.id:
            self.game.open_briefing(option.id)

    def action_continue(self) -> None:
        """Open the level to continue with."""
        level = self.game.continue_level()
        if level:
            self.game.open_briefing(level)
