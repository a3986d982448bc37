"""The sim clock line: time, speed, pause, step, fast-forward and the wave (all clickable).

This is the game's one clock: level time from the start of the level. Events and the control
plane pane count on the same clock.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from textual.widgets import Static

SPEEDS = (1, 2, 4, 8, 16, 32)
# Why the clock stands still, as the bar says it.
HELD_TEXT = {
    "paused": "paused",
    "typing": "waits while you type",
    "editing": "waits: F5 applies",
    "waiting": "waits",
    "done": "done",
}

# Wall seconds a bar painted alone waits: past the paint of the frame's panes (a few ms after
# the frame starts), well before the next frame (33 ms). Textual runs call_after_refresh
# callbacks as soon as the screen is idle, which can be before that paint.
ALONE_DELAY = 0.012
# Delays more a bar painted alone waits while the frame's panes are still not painted.
ALONE_WAITS = 3


def clock_text(seconds: float) -> str:
    """Level time as ``mm:ss`` (``h:mm:ss`` from an hour); before the start: ``setup``."""
    if seconds < 0:
        return "setup"
    total = int(seconds)
    if total >= 3600:
        return f"{total // 3600}:{total % 3600 // 60:02d}:{total % 60:02d}"
    return f"{total // 60:02d}:{total % 60:02d}"


def wave_text(run: Any) -> str:
    """The bar's wave control for a level run: running, startable, done or none."""
    wave = run.current_wave()
    if wave is not None and not wave.finished(run.cluster.now_ms):
        return f"[b $error]wave {wave.index + 1} running[/]"
    if run.waves_left():
        return "[b]w[/] start wave"
    return "waves done" if run.level.waves else "no wave"


class TimeBar(Static):
    """One line; each control is a link to the play screen's action."""

    DEFAULT_CSS = """
    TimeBar { height: 1; background: $panel; padding: 0 1; }
    """

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._text = ""
        self._shown = ""
        # Whether this frame's panes are painted (set by the play screen): see ``show``.
        self.panes_painted: Callable[[], bool] | None = None
        self._waits = 0
        # The last update is on the screen (set by the paint): the panes' next turn waits.
        self.painted = True

    def show(
        self,
        now: float,
        speed: int,
        held: str | None,
        wave: str,
        next_event: float | None,
        *,
        alone: bool = False,
    ) -> None:
        """Redraw the line when its text changed.

        ``held`` says why the clock stands still (see PlayScreen.hold_reason), None while it
        runs. Glyphs are ones every terminal font has (▶ ■ » ×).
        The bar is one row of fixed height, so the update never needs a layout pass: with
        ``Static.update``'s default (``layout=True``) every frame re-laid out the whole screen.

        With ``alone`` (a fast clock, where the bar changes on every frame) the new text is
        painted in a screen update of its own, :data:`ALONE_DELAY` after the one that draws
        this frame's panes. Textual paints one rectangle around everything changed in an
        update, and the bar at the bottom with the control plane or the node cards at the top
        spans the whole screen (~4-6 ms a paint; the bar alone costs ~1 ms). When the panes'
        paint comes late (a busy machine), the bar waits for it (:attr:`panes_painted`), up to
        :data:`ALONE_WAITS` more delays.
        """
        if held is None:
            state = f"[b $success]▶ {speed}×[/]"
        else:
            state = f"[b $warning]■ {HELD_TEXT.get(held, held)}[/]"
        toggle = "resume" if held == "paused" else "pause"
        nxt = "idle" if next_event is None else f"next +{max(0.0, next_event - now):.0f}s"
        text = (
            f"t=[b]{clock_text(now)}[/] {state} "
            f"[@click=screen.toggle_pause]{toggle}[/] [@click=screen.slower]-[/] "
            "[@click=screen.faster]+[/] "
            f"[@click=screen.step]step[/] [@click=screen.next_event]» {nxt}[/] "
            f"[@click=screen.start_wave]{wave}[/]"
        )
        if text == self._text:
            return
        pending = self._text != self._shown
        self._text = text
        if not alone:
            self._paint()
        elif not pending:
            self._waits = 0
            self.set_timer(ALONE_DELAY, self._paint_alone)

    def _paint_alone(self) -> None:
        ready = self.panes_painted
        if ready is not None and not ready() and self._waits < ALONE_WAITS:
            self._waits += 1
            self.set_timer(ALONE_DELAY, self._paint_alone)
            return
        self._paint()

    def _paint(self) -> None:
        if self._text != self._shown:
            self._shown = self._text
            self.painted = False
            self.update(self._text, layout=False)

    def render(self) -> Any:
        self.painted = True
        return super().render()
