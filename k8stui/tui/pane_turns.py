"""Which of the play screen's panes draws in a frame when the clock runs fast.

At 8x and up the cluster changes on nearly every frame, and the node cards, the control
plane, the events and the goals all have something new. Textual paints everything that
changed since its last update in one pass, over one rectangle around all of it: four panes
spread over the screen made the worst frames (~2x the paint of the biggest pane alone).
:class:`PaneTurns` lets one pane draw per frame, round robin among those with something to
show, and the next one only once the previous one's change has been painted: when frames
come late (a slow paint, a busy machine), two frames' drawings would otherwise still land in
one paint.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

# Frames a pane's change may wait for its paint before the next pane draws anyway: a pane
# hidden in a way the screen cannot tell is never painted, and must not stop the others.
MAX_WAIT = 2


def painted(pane: Any) -> bool:
    """The pane's last change is on the screen, or the pane is out of sight.

    Panes keep a ``painted`` flag: False when they change what they show, True again when
    Textual renders them, which it does in the paint that puts the change on the screen.
    """
    return bool(pane.painted) or not pane.is_on_screen


class PaneTurns:
    """Round robin over named panes that are stale (have a change to draw)."""

    def __init__(self, order: tuple[str, ...]) -> None:
        self.order = order
        self.stale: set[str] = set()
        # Name -> the pane's widget (with a ``painted`` flag), filled in by the screen.
        self.panes: dict[str, Any] = {}
        # Widgets outside the turns whose changes the next turn waits for too (a time bar
        # painted on its own must not end up in the paint of the next pane).
        self.watched: list[Any] = []
        # The pane drawn last whose change may not be on the screen yet, and frames waited.
        self._waiting: str | None = None
        self._waited = 0
        self._last = len(self.order) - 1
        self._tried: set[str] = set()

    def settled(self) -> bool:
        """The last drawn pane's change is on the screen."""
        return self._waiting is None or painted(self.panes[self._waiting])

    def start_frame(self) -> bool:
        """Begin a frame; False while the last drawn pane's change still waits for its paint
        (then nothing draws this frame, up to :data:`MAX_WAIT` frames)."""
        self._tried = set()
        waits = [self.panes[self._waiting]] if self._waiting is not None else []
        if not all(painted(pane) for pane in [*waits, *self.watched]):
            self._waited += 1
            if self._waited <= MAX_WAIT:
                return False
        self._waiting = None
        self._waited = 0
        return True

    def next(self) -> str | None:
        """The next stale pane in turn not yet tried this frame (taken off the stale set)."""
        count = len(self.order)
        for step in range(1, count + 1):
            index = (self._last + step) % count
            name = self.order[index]
            if name in self.stale and name not in self._tried:
                self._tried.add(name)
                self.stale.discard(name)
                self._last = index
                return name
        return None

    def again(self, name: str) -> None:
        """``name`` has more to draw: it takes the next frame's turn as well."""
        self.stale.add(name)
        self._last = (self.order.index(name) - 1) % len(self.order)

    def drew(self, name: str) -> bool:
        """After pane ``name`` drew: True when it changed what the screen shows (then later
        panes wait for its paint)."""
        if painted(self.panes[name]):
            return False
        self._waiting = name
        self._waited = 0
        return True

    def play(self, draw: Callable[[str], None]) -> None:
        """One frame at a fast clock: ``draw`` the pane whose turn it is, and the next one too
        while the ones drawn had nothing new to show."""
        if self.start_frame():
            while (name := self.next()) is not None:
                draw(name)
                if self.drew(name):
                    return

    def take_all(self) -> set[str]:
        """Every stale pane at once (a slow clock draws them all in the same frame)."""
        stale, self.stale = self.stale, set()
        self._waiting = None
        return stale
