"""The sim clock line: time, speed, pause, step, fast-forward and the wave (all clickable)."""

from __future__ import annotations

from typing import Any

from textual.widgets import Static

SPEEDS = (1, 2, 4, 8, 16, 32)


def clock_text(seconds: float) -> str:
    """``hh:mm:ss`` of sim time."""
    total = int(seconds)
    return f"{total // 3600:02d}:{total % 3600 // 60:02d}:{total % 60:02d}"


class TimeBar(Static):
    """One line; each control is a link to the play screen's action."""

    DEFAULT_CSS = """
    TimeBar { height: 1; background: $panel; padding: 0 1; }
    """

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._text = ""

    def show(
        self, now: float, speed: int, paused: bool, wave: str, next_event: float | None
    ) -> None:
        """Redraw the line when its text changed.

        The bar is one row of fixed height, so the update never needs a layout pass: with
        ``Static.update``'s default (``layout=True``) every frame re-laid out the whole screen.
        """
        state = "[b $warning]⏸ paused[/]" if paused else f"[b $success]▶ {speed}×[/]"
        nxt = "idle" if next_event is None else f"next +{max(0.0, next_event - now):.0f}s"
        text = (
            f"t=[b]{clock_text(now)}[/] {state} "
            "[@click=screen.toggle_pause]⏯[/] [@click=screen.slower]-[/] [@click=screen.faster]+[/] "
            f"[@click=screen.step]step[/] [@click=screen.next_event]» {nxt}[/] "
            f"[@click=screen.start_wave]{wave}[/]"
        )
        if text != self._text:
            self._text = text
            self.update(text, layout=False)
