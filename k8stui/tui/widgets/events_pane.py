"""Cluster events, newest last, appended as they happen."""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual.widgets import RichLog


def event_line(entry: str) -> Text:
    """Style one recorder line (``"  12.345 Warning Reason kind/name: message"``)."""
    parts = entry.split(None, 3)
    if len(parts) < 4:
        return Text(entry)
    at, kind, reason, rest = parts
    seconds = int(float(at)) if at.replace(".", "", 1).isdigit() else 0
    text = Text(f"{seconds:>4}s ", style="dim")
    text.append(reason + " ", style="bold red" if kind == "Warning" else "bold cyan")
    text.append(rest)
    return text


class EventsPane(RichLog):
    """Appends only the events it has not shown yet."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(max_lines=500, wrap=False, markup=False, auto_scroll=True, **kwargs)
        self._seen = 0

    def on_mount(self) -> None:
        self.border_title = "Events"

    def show(self, cluster: Any) -> None:
        """Append events recorded since the last call."""
        log = cluster.event_log()
        for entry in log[self._seen :]:
            self.write(event_line(entry))
        self._seen = len(log)
