"""The sim clock line: time, speed, pause, step, fast-forward and the wave (all clickable)."""

from __future__ import annotations

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

    def show(
        self, now: float, speed: int, paused: bool, wave: str, next_event: float | None
    ) -> None:
        """Redraw the line (Static.update skips identical content cheaply)."""
        state = "[b $warning]⏸ paused[/]" if paused else f"[b $success]▶ {speed}×[/]"
        nxt = "idle" if next_event is None else f"next +{max(0.0, next_event - now):.0f}s"
        self.update(
            f"t=[b]{clock_text(now)}[/] {state} "
            "[@click=screen.toggle_pause]⏯[/] [@click=screen.slower]-[/] [@click=screen.faster]+[/] "
            f"[@click=screen.step]step[/] [@click=screen.next_event]» {nxt}[/] "
            f"[@click=screen.start_wave]{wave}[/]"
        )
