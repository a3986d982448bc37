"""The time-ordered queue of due work that drives the discrete-event simulation.

Entries are plain data (time, sequence, action name, payload dict) so the whole queue can be
snapshotted to JSON; actions are dispatched by name to handlers the components register.
Ties at the same time run in insertion order, which keeps every run deterministic.

A handler that can tell that the entries right behind the one it runs would do nothing but
wait again may take them in bulk (:meth:`EventQueue.rest_of_run`, :meth:`requeue_run`):
the waits it pushes back to back share one heap entry (a *run*). Runs change nothing about
the order: their members keep their own sequence numbers, and snapshots list them one by one.
"""

from __future__ import annotations

import heapq
from collections.abc import Callable
from typing import Any

Handler = Callable[[dict[str, Any]], None]
Payload = dict[str, Any]


class _Run:
    """Entries for one time and action pushed one after another (consecutive sequences)."""

    __slots__ = ("action", "at", "items", "pos")

    def __init__(self, at: int, action: str, seq: int, payload: Payload) -> None:
        self.at = at
        self.action = action
        self.items: list[tuple[int, Payload]] = [(seq, payload)]
        self.pos = 0  # members before it have run


class EventQueue:
    """A min-heap of timed actions with named handlers."""

    def __init__(self) -> None:
        self._heap: list[tuple[int, int, str, Payload | _Run]] = []
        self._seq = 0
        self._size = 0
        self._handlers: dict[str, Handler] = {}
        self._pending_keys: set[str] = set()
        self._current: _Run | None = None  # the run being worked through
        self._open: _Run | None = None  # the run push_once_run may still extend
        self.bulk = True
        """Whether handlers may take entries in bulk (off while a work budget is counted)."""
        self.bulk_done = 0
        """Entries handlers took in bulk (the run loop counts them as work done)."""

    def register(self, action: str, handler: Handler) -> None:
        """Bind an action name to the function that performs it."""
        self._handlers[action] = handler

    def push(self, at_ms: int, action: str, payload: Payload | None = None) -> None:
        """Schedule ``action`` at sim time ``at_ms``."""
        self._seq += 1
        self._size += 1
        heapq.heappush(self._heap, (at_ms, self._seq, action, payload or {}))

    def push_once(self, at_ms: int, action: str, key: str, payload: Payload) -> bool:
        """Schedule unless an entry with the same ``key`` is already waiting (work-queue dedup)."""
        if key in self._pending_keys:
            return False
        self._pending_keys.add(key)
        self.push(at_ms, action, {**payload, "_key": key})
        return True

    def push_once_run(self, at_ms: int, action: str, key: str, payload: Payload) -> bool:
        """:meth:`push_once`, joining the run of the previous such push when nothing else was
        pushed in between (same time and action): one heap entry for a whole herd of waits."""
        if key in self._pending_keys:
            return False
        self._pending_keys.add(key)
        self._seq += 1
        self._size += 1
        item = {**payload, "_key": key}
        run = self._open
        # Consecutive sequences only: an entry pushed in between must keep its place.
        if (
            run is not None
            and run.at == at_ms
            and run.action == action
            and run.items[-1][0] == self._seq - 1
        ):
            run.items.append((self._seq, item))
            return True
        run = self._open = _Run(at_ms, action, self._seq, item)
        heapq.heappush(self._heap, (at_ms, self._seq, action, run))
        return True

    def actions(self) -> set[str]:
        """The action names some handler performs."""
        return set(self._handlers)

    def next_time(self) -> int | None:
        """Sim time of the earliest entry, or None when the queue is empty."""
        if self._current is not None:
            return self._current.at  # nothing in the heap can be earlier (see pop_due)
        return self._heap[0][0] if self._heap else None

    def _current_first(self) -> bool:
        """Whether the next member of the current run sorts before the heap's top."""
        run = self._current
        if run is None:
            return False
        if self._heap:
            top = self._heap[0]
            if (top[0], top[1]) < (run.at, run.items[run.pos][0]):
                return False
        return True

    def _take_current(self) -> Payload:
        run = self._current
        assert run is not None
        payload = run.items[run.pos][1]
        run.pos += 1
        if run.pos == len(run.items):
            self._current = None
        self._size -= 1
        key = payload.get("_key")
        if key is not None:
            self._pending_keys.discard(key)
        return payload

    def pop_due(self, until_ms: int) -> tuple[int, str, Payload] | None:
        """Remove and return the earliest entry due at or before ``until_ms``."""
        if self._current_first():
            run = self._current
            assert run is not None
            if run.at > until_ms:
                return None
            return run.at, run.action, self._take_current()
        if not self._heap or self._heap[0][0] > until_ms:
            return None
        at, _seq, action, payload = heapq.heappop(self._heap)
        if isinstance(payload, _Run):
            if payload is self._open:
                self._open = None
            if self._current is not None:  # (only for work pushed for a time already past)
                cur = self._current
                heapq.heappush(self._heap, (cur.at, cur.items[cur.pos][0], cur.action, cur))
            self._current = payload
            return at, action, self._take_current()
        self._size -= 1
        key = payload.get("_key")
        if key is not None:
            self._pending_keys.discard(key)
        return at, action, payload

    def rest_of_run(self, action: str) -> list[tuple[int, Payload]]:
        """(seq, payload) of the entries that run next, in order, as long as they are
        ``action`` and belong to the run being worked through (due now, nothing between)."""
        run = self._current
        if not self.bulk or run is None or run.action != action:
            return []
        if self._heap:
            top = self._heap[0]
            if (top[0], top[1]) < (run.at, run.items[-1][0]):
                return []  # (work pushed for a time already past) one at a time, then
        return run.items[run.pos :]

    def requeue_run(self, action: str, waits: list[tuple[int, str, Payload]]) -> None:
        """Remove the first ``len(waits)`` entries :meth:`rest_of_run` listed, whose work is
        to wait again, in one pass (a herd of waits at every refill of a rate limit makes this a
        hot path), then :meth:`push_once_run` each (at, key, payload) in order."""
        count = len(waits)
        if not count:
            return
        run = self._current
        assert run is not None
        pending = self._pending_keys
        items = run.items
        start = run.pos
        for _seq, item in items[start : start + count]:
            key = item.get("_key")
            if key is not None:
                pending.discard(key)
        run.pos = start + count
        if run.pos == len(items):
            self._current = None
        self.bulk_done += count
        self._size -= count
        for at, key, payload in waits:
            self.push_once_run(at, action, key, payload)

    def dispatch(self, action: str, payload: Payload) -> None:
        """Run the handler registered for ``action``."""
        self._handlers[action](payload)

    def __len__(self) -> int:
        return self._size

    def _entries(self) -> list[tuple[int, int, str, Payload]]:
        out: list[tuple[int, int, str, Payload]] = []
        runs = [e[3] for e in self._heap if isinstance(e[3], _Run)]
        if self._current is not None:
            runs.append(self._current)
        for at, seq, action, payload in self._heap:
            if not isinstance(payload, _Run):
                out.append((at, seq, action, payload))
        for run in runs:
            out.extend((run.at, s, run.action, p) for s, p in run.items[run.pos :])
        return out

    def to_json(self) -> dict[str, Any]:
        """Plain-data form, in heap order (restoring keeps the exact ordering)."""
        return {
            "seq": self._seq,
            "heap": [list(e) for e in sorted(self._entries(), key=lambda e: (e[0], e[1]))],
        }

    def load_json(self, data: dict[str, Any]) -> None:
        """Replace the queue contents from :meth:`to_json` output."""
        self._seq = int(data["seq"])
        heap: list[tuple[int, int, str, Payload | _Run]] = [
            (int(t), int(s), str(a), dict(p)) for t, s, a, p in data["heap"]
        ]
        heapq.heapify(heap)
        self._heap = heap
        self._size = len(heap)
        self._current = self._open = None
        self._pending_keys = {p["_key"] for _t, _s, _a, p in data["heap"] if "_key" in p}
