"""The screens' base: typed access to the app that owns the game state."""

from __future__ import annotations

from typing import TypeVar, cast

from textual.screen import Screen

from k8stui.tui.host import GameHost

ResultT = TypeVar("ResultT")


class GameScreen(Screen[ResultT]):
    """A screen of the game; :attr:`game` is ``self.app`` seen through :class:`GameHost`."""

    @property
    def game(self) -> GameHost:
        """The app, with its navigation methods and game state."""
        return cast(GameHost, self.app)
