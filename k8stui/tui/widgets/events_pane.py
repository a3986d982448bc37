"""Cluster events, newest last, appended as they happen, stamped with the level clock."""

from __future__ import annotations

from time import monotonic
from typing import Any

from rich.text import Text
from textual.strip import Strip

from k8stui.tui.keys import PANES
from k8stui.tui.widgets.steady_log import SteadyLog
from k8stui.tui.widgets.time_bar import clock_text


def event_line(entry: str, start_ms: int = 0) -> Text:
    """Style one recorder line (``"  12.345 Warning Reason kind/name: message"``); its time
    (cluster seconds) is shown on the level clock, which starts at ``start_ms``."""
    parts = entry.split(None, 3)
    if len(parts) < 4:
        return Text(entry)
    at, kind, reason, rest = parts
    seconds = float(at) if at.replace(".", "", 1).isdigit() else 0.0
    text = Text(f"{clock_text(seconds - start_ms / 1000):>5} ", style="dim")
    text.append(reason + " ", style="bold red" if kind == "Warning" else "bold cyan")
    text.append(rest)
    return text


THROTTLE_SECONDS = 0.25


class EventsPane(SteadyLog):
    """Appends only the events it has not shown yet."""

    BINDINGS = PANES

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(max_lines=500, wrap=False, markup=False, auto_scroll=True, **kwargs)
        self._seen = 0
        self._written_at = 0.0
        # The last write is on the screen (set by the paint); see PaneTurns.
        self.painted = True

    def on_mount(self) -> None:
        self.border_title = "Events"

    def show(self, cluster: Any, *, throttle: bool = False, start_ms: int = 0) -> bool:
        """Append events recorded since the last call, in one write (one resize of the log).

        With ``throttle`` (a fast clock) writes come at most every :data:`THROTTLE_SECONDS`:
        each write renders and repaints the log, and at 32x there are new events nearly
        every frame.
        Returns False when events were held back for a later call.
        """
        if cluster.event_count == self._seen:
            return True
        now = monotonic()
        if throttle and now - self._written_at < THROTTLE_SECONDS:
            return False
        self._written_at = now
        new = cluster.event_log_since(self._seen)
        self._seen = cluster.event_count
        # Only the last max_lines can show: older lines of a big burst would be dropped anyway.
        recent = new[-self.max_lines :] if self.max_lines else new
        lines = [event_line(entry, start_ms) for entry in recent]
        self.write(Text("\n").join(lines))
        # Its scrollbars in the same paint, not in the next pane's turn.
        self.sync_now()
        self.painted = False
        return True

    def render_line(self, y: int) -> Strip:
        self.painted = True
        return super().render_line(y)
