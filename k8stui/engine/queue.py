"""The time-ordered queue of due work that drives the discrete-event simulation.

Entries are plain data (time, sequence, action name, payload dict) so the whole queue can be
snapshotted to JSON; actions are dispatched by name to handlers the components register.
Ties at the same time run in insertion order, which keeps every run deterministic.
"""

from __future__ import annotations

import heapq
from collections.abc import Callable
from typing import Any

Handler = Callable[[dict[str, Any]], None]


class EventQueue:
    """A min-heap of timed actions with named handlers."""

    def __init__(self) -> None:
        self._heap: list[tuple[int, int, str, dict[str, Any]]] = []
        self._seq = 0
        self._handlers: dict[str, Handler] = {}
        self._pending_keys: set[str] = set()

    def register(self, action: str, handler: Handler) -> None:
        """Bind an action name to the function that performs it."""
        self._handlers[action] = handler

    def push(self, at_ms: int, action: str, payload: dict[str, Any] | None = None) -> None:
        """Schedule ``action`` at sim time ``at_ms``."""
        self._seq += 1
        heapq.heappush(self._heap, (at_ms, self._seq, action, payload or {}))

    def push_once(self, at_ms: int, action: str, key: str, payload: dict[str, Any]) -> bool:
        """Schedule unless an entry with the same ``key`` is already waiting (work-queue dedup)."""
        if key in self._pending_keys:
            return False
        self._pending_keys.add(key)
        self.push(at_ms, action, {**payload, "_key": key})
        return True

    def actions(self) -> set[str]:
        """The action names some handler performs."""
        return set(self._handlers)

    def next_time(self) -> int | None:
        """Sim time of the earliest entry, or None when the queue is empty."""
        return self._heap[0][0] if self._heap else None

    def pop_due(self, until_ms: int) -> tuple[int, str, dict[str, Any]] | None:
        """Remove and return the earliest entry due at or before ``until_ms``."""
        if not self._heap or self._heap[0][0] > until_ms:
            return None
        at, _seq, action, payload = heapq.heappop(self._heap)
        key = payload.get("_key")
        if key is not None:
            self._pending_keys.discard(key)
        return at, action, payload

    def dispatch(self, action: str, payload: dict[str, Any]) -> None:
        """Run the handler registered for ``action``."""
        self._handlers[action](payload)

    def __len__(self) -> int:
        return len(self._heap)

    def to_json(self) -> dict[str, Any]:
        """Plain-data form, in heap order (restoring keeps the exact ordering)."""
        return {"seq": self._seq, "heap": [list(e) for e in sorted(self._heap)]}

    def load_json(self, data: dict[str, Any]) -> None:
        """Replace the queue contents from :meth:`to_json` output."""
        self._seq = int(data["seq"])
        self._heap = [(int(t), int(s), str(a), dict(p)) for t, s, a, p in data["heap"]]
        heapq.heapify(self._heap)
        self._pending_keys = {p["_key"] for _t, _s, _a, p in self._heap if "_key" in p}
