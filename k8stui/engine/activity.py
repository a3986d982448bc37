"""What each control-plane component is doing, for the UI's control-plane pane."""

from __future__ import annotations

from collections import deque
from typing import Any, NamedTuple

COMPONENTS = ("api-server", "scheduler", "controller-manager", "etcd", "kubelet", "kube-proxy")


class Activity(NamedTuple):
    """One line of component activity at a sim time (a tuple: every API write adds one)."""

    at_ms: int
    component: str
    text: str


class ActivityLog:
    """A bounded, ordered record of component activity (old lines fall off)."""

    def __init__(self, limit: int = 400) -> None:
        self._lines: deque[Activity] = deque(maxlen=limit)
        self.total = 0

    def add(self, at_ms: int, component: str, text: str) -> None:
        """Append one line."""
        self._lines.append(Activity(at_ms, component, text))
        self.total += 1

    def recent(self, component: str | None = None, limit: int = 50) -> list[Activity]:
        """The newest lines, oldest first, optionally for one component."""
        lines = [a for a in self._lines if component is None or a.component == component]
        return lines[-limit:]

    def to_json(self) -> dict[str, Any]:
        """Plain-data form."""
        return {"total": self.total, "lines": [[a.at_ms, a.component, a.text] for a in self._lines]}

    def load_json(self, data: dict[str, Any]) -> None:
        """Restore from :meth:`to_json`."""
        self.total = int(data["total"])
        self._lines.clear()
        for at, comp, text in data["lines"]:
            self._lines.append(Activity(int(at), str(comp), str(text)))
