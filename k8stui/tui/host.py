"""What the screens may ask of the application that hosts them.

Screens talk to the game through this Protocol instead of importing the app module: the app
imports the screens it pushes, so an import back from a screen would close a circle.
"""

from __future__ import annotations

from typing import Any, Protocol

from k8stui.tui.preferences import Preferences


class GameHost(Protocol):
    """The game state and navigation the k8stui app offers its screens."""

    packs: list[Any]
    progress: Any
    broken_packs: list[str]

    @property
    def preferences(self) -> Preferences:
        """The player's remembered UI preferences."""
        ...

    def remember(self, **changes: object) -> None:
        """Change and save preferences (``theme=...``, ``tour_done=True``)."""
        ...

    @property
    def levels(self) -> list[Any]:
        """Every level of every pack, in play order."""
        ...

    def level_number(self, level_id: str) -> int:
        """A level's 1-based position in the list (what the level list shows)."""
        ...

    def stars(self, level_id: str) -> int:
        """Best stars won on a level."""
        ...

    def won(self, level_id: str) -> bool:
        """Whether a level was ever won."""
        ...

    def continue_level(self) -> str | None:
        """The level to continue with."""
        ...

    def open_briefing(self, level_id: str) -> None:
        """Show a level's briefing."""
        ...

    def start_level(self, level_id: str) -> None:
        """Start a fresh run of a level."""
        ...

    def show_result(self, run: Any) -> None:
        """Record a finished run and show its result."""
        ...

    def after_result(self, level_id: str, what: str) -> None:
        """Leave the result screen: ``"next"``, ``"retry"`` or ``"levels"``."""
        ...
