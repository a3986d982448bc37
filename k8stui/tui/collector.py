"""When Python's full garbage collections run while a level is played.

A full (generation 2) collection walks every tracked object. Freezing what exists when the
play screen opens takes Textual's widgets, the level and the engine out of that walk, but
the frames themselves make objects that live a few frames (Textual's strips carry caches
that refer back to them, so they die as cycles): at 32x the interpreter ran a full
collection every ~2 s, 25-45 ms each, two dropped frames every time.

While a level is played, :class:`CollectionPacing` turns the interpreter's automatic full
collections off (the young generations are still collected as usual) and runs them itself:
when the clock stands still for a screen over the play screen or a pause, or at the latest
every :data:`PERIOD` seconds of wall time. Garbage therefore waits at most that long, and
the frame loop pays for a full collection once per period instead of every two seconds.
"""

from __future__ import annotations

import gc
import time

# Wall seconds between two full collections while the clock runs.
PERIOD = 30.0
# Holds that may pay for a collection: nobody is typing through them.
QUIET_HOLDS = frozenset({"paused", "waiting", "done"})
# A generation-2 threshold no count reaches: the automatic full collections stop.
_NEVER = 1 << 30


class CollectionPacing:
    """Full garbage collections at moments the player does not see them."""

    # The interpreter's thresholds while some pacing runs (screens can overlap on a retry).
    _saved: tuple[int, int, int] | None = None
    _running = 0

    def __init__(self, period: float = PERIOD) -> None:
        self.period = period
        self._on = False
        self._last = time.monotonic()
        self._held: str | None = None
        self._held_since = self._last

    def start(self) -> None:
        """Freeze what exists and take over the full collections."""
        if self._on:
            return
        self._on = True
        gc.freeze()
        if CollectionPacing._running == 0:
            CollectionPacing._saved = young, middle, _ = gc.get_threshold()
            gc.set_threshold(young, middle, _NEVER)
        CollectionPacing._running += 1
        self._last = time.monotonic()

    def stop(self) -> None:
        """Give the collections back to the interpreter; frozen objects can be collected
        again."""
        if not self._on:
            return
        self._on = False
        CollectionPacing._running -= 1
        if CollectionPacing._running == 0 and CollectionPacing._saved is not None:
            gc.set_threshold(*CollectionPacing._saved)
        gc.unfreeze()

    def frame(self, held: str | None) -> bool:
        """Called once a frame with why the clock holds (None: it runs); runs a full
        collection when one is due: once when a quiet hold begins, else every period.
        Returns whether it ran."""
        if not self._on:
            return False
        now = time.monotonic()
        if held != self._held:
            self._held, self._held_since = held, now
        quiet = held in QUIET_HOLDS and self._last < self._held_since
        if not quiet and now - self._last < self.period:
            return False
        self.collect()
        return True

    def collect(self) -> None:
        """One full collection of what is not frozen."""
        gc.collect()
        self._last = time.monotonic()
