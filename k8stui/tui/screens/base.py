"""The screens' base: typed access to the k8stui app that owns the game state."""

from __future__ import annotations

from typing import TYPE_CHECKING, TypeVar, cast

from textual.screen import Screen

if TYPE_CHECKING:
    from k8stui.tui.app import K8sTuiApp

ResultT = TypeVar("ResultT")


class GameScreen(Screen[ResultT]):
    """A screen of the game; :attr:`game` is ``self.app`` typed as :class:`K8sTuiApp`."""

    @property
    def game(self) -> K8sTuiApp:
        """The app, with its navigation methods and game state."""
        return cast("K8sTuiApp", self.app)
