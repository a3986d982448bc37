"""The time-ordered queue of due work that drives the discrete-event simulation.

Entries are plain data (time, sequence, action name, payload dict) so the whole queue can be
snapshotted to JSON; actions are dispatched by name to handlers the components register.
Ties at the same time run in insertion order, which keeps every run deterministic.

A handler that can tell that the entries right behind the one it runs would do nothing but
wait again may take them in bulk (:meth:`EventQueue.rest_of_run`, :meth:`requeue_run`):
the waits it pushes back to back share one heap entry (a *run*, ``queue_runs``). Runs change
nothing about the order: their members keep their own sequence numbers, and snapshots list
them one by one. A run of waits all for one later time may be kept as a *herd*
(:meth:`EventQueue.move_herd`), which moves to its next time at once, however many it holds.
"""

from __future__ import annotations

import heapq
from collections.abc import Callable
from typing import Any

from k8stui.engine.queue_runs import Member, Run

Handler = Callable[[dict[str, Any]], None]
Payload = dict[str, Any]


class EventQueue:
    """A min-heap of timed actions with named handlers."""

    def __init__(self) -> None:
        self._heap: list[tuple[int, int, str, Payload | Run]] = []
        self._seq = 0
        self._size = 0
        self._handlers: dict[str, Handler] = {}
        self._pending_keys: set[str] = set()
        self._herds: list[Run] = []  # runs kept as herds: their keys are not in _pending_keys
        self._current: Run | None = None  # the run being worked through
        self._open: Run | None = None  # the run push_once_run may still extend
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

    def _pending(self, key: str) -> bool:
        if key in self._pending_keys:
            return True
        return any(herd.has_key(key) for herd in self._herds) if self._herds else False

    def push_once(self, at_ms: int, action: str, key: str, payload: Payload) -> bool:
        """Schedule unless an entry with the same ``key`` is already waiting (work-queue dedup)."""
        if self._pending(key):
            return False
        self._pending_keys.add(key)
        self.push(at_ms, action, {**payload, "_key": key})
        return True

    def push_once_run(self, at_ms: int, action: str, key: str, payload: Payload) -> bool:
        """:meth:`push_once`, joining the run of the previous such push when nothing else was
        pushed in between (same time and action): one heap entry for a whole herd of waits."""
        if self._pending(key):
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
        run = self._open = Run(at_ms, action, self._seq, item)
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
            if (top[0], top[1]) < (run.at, run.head_seq()):
                return False
        return True

    def _take_current(self) -> Payload:
        run = self._current
        assert run is not None
        payload = run.take(self._pending_keys)
        if not run.left():
            self._run_done(run)
        self._size -= 1
        return payload

    def _run_done(self, run: Run) -> None:
        """The current run has no member left."""
        self._current = None
        if run.members is not None:
            self._herds.remove(run)

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
        if isinstance(payload, Run):
            if payload is self._open:
                self._open = None
            if self._current is not None:  # (only for work pushed for a time already past)
                cur = self._current
                heapq.heappush(self._heap, (cur.at, cur.head_seq(), cur.action, cur))
            self._current = payload
            return at, action, self._take_current()
        self._size -= 1
        key = payload.get("_key")
        if key is not None:
            self._pending_keys.discard(key)
        return at, action, payload

    def _run_in_bulk(self, action: str) -> Run | None:
        """The run being worked through, when its members for ``action`` run next in a row
        (due now, nothing between) and handlers may take them in bulk."""
        run = self._current
        if not self.bulk or run is None or run.action != action:
            return None
        if self._heap:
            top = self._heap[0]
            if (top[0], top[1]) < (run.at, run.last_seq()):
                return None  # (work pushed for a time already past) one at a time, then
        return run

    def rest_of_run(self, action: str) -> list[tuple[int, Payload]]:
        """(seq, payload) of the entries that run next, in order, as long as they are
        ``action`` and belong to the run being worked through (due now, nothing between)."""
        run = self._run_in_bulk(action)
        return [] if run is None else run.entries()

    def requeue_run(
        self, action: str, waits: list[tuple[int, str, Payload]], tag: Any = None
    ) -> None:
        """Remove the first ``len(waits)`` entries :meth:`rest_of_run` listed, whose work is
        to wait again, in one pass (a herd of waits at every refill of a rate limit makes this a
        hot path), then :meth:`push_once_run` each (at, key, payload) in order.

        With a ``tag`` (what the caller knows of every wait), waits all for one time whose keys
        end in it are kept as a herd, joined by the wait just pushed before them if there is
        one: :meth:`herd_tag` then returns the tag and :meth:`move_herd` can move them.
        """
        count = len(waits)
        if not count:
            return
        run = self._current
        assert run is not None
        run.drop(count, self._pending_keys)
        if not run.left():
            self._run_done(run)
        self.bulk_done += count
        self._size -= count
        if tag is None or not self._form_herd(action, waits, tag):
            self._push_waits(action, waits)

    def _push_waits(self, action: str, waits: list[tuple[int, str, Payload]]) -> None:
        # push_once_run of each, inlined: a herd's waits all join one run.
        seq, open_run = self._seq, self._open
        tail = open_run.items if open_run is not None else []
        for at, key, payload in waits:
            if self._pending(key):
                continue
            self._pending_keys.add(key)
            seq += 1
            self._size += 1
            item = (seq, {**payload, "_key": key})
            if (
                open_run is not None
                and open_run.at == at
                and open_run.action == action
                and tail[-1][0] == seq - 1
            ):
                tail.append(item)
                continue
            open_run = Run(at, action, seq, item[1])
            tail = open_run.items
            heapq.heappush(self._heap, (at, seq, action, open_run))
        self._seq, self._open = seq, open_run

    def _form_herd(self, action: str, waits: list[tuple[int, str, Payload]], tag: Any) -> bool:
        """Push ``waits`` as one herd if they all wait for one time; whether they were."""
        at = waits[0][0]
        suffix = str(at)
        cut = -len(suffix)
        members: list[Member] = []
        open_run = self._open
        joins = (
            open_run is not None
            and open_run.at == at
            and open_run.action == action
            and open_run.members is None
            and open_run.items[-1][0] == self._seq
        )
        if joins:
            lone = self._lone_open(action, at)
            if lone is None or not lone[0].endswith(suffix):
                return False
            joined_key = lone[0]
            members.append((joined_key[:cut], lone[1]))
        for when, key, payload in waits:
            if when != at or not key.endswith(suffix) or self._pending(key):
                return False
            members.append((key[:cut], payload))
        alive = {prefix for prefix, _payload in members}
        if len(alive) != len(members):
            return False
        if joins:
            assert open_run is not None
            self._pending_keys.discard(joined_key)
            open_run.become_herd(members, 0, len(members), self._seq, alive, tag)
            herd = open_run
        else:
            herd = Run(at, action, self._seq + 1, {})
            herd.become_herd(members, 0, len(members), self._seq + 1, alive, tag)
            heapq.heappush(self._heap, (at, self._seq + 1, action, herd))
        self._herds.append(herd)
        self._seq += len(waits)
        self._size += len(waits)
        self._open = None
        return True

    def _lone_open(self, action: str, at: int) -> tuple[str, Payload] | None:
        """The key and the payload (without it) of the open run's one entry, when the open
        run is a list run for ``action`` at ``at`` holding only the entry pushed last."""
        run = self._open
        if (
            run is None
            or run.members is not None
            or run.at != at
            or run.action != action
            or len(run.items) != 1
            or run.items[0][0] != self._seq
        ):
            return None
        payload = run.items[0][1]
        key = payload.get("_key")
        if not isinstance(key, str):
            return None
        return key, {k: v for k, v in payload.items() if k != "_key"}

    def herd_tag(self, action: str) -> Any:
        """The tag of the herd being worked through, when its members left run next in a row
        (None otherwise)."""
        run = self._run_in_bulk(action)
        return None if run is None or run.members is None else run.tag

    def move_herd(self, action: str, at_ms: int) -> bool:
        """Move every member left in the herd being worked through to ``at_ms``, behind the
        wait the member run last has just pushed again (the open run, holding only that),
        without touching them one by one. Whether it could (else nothing changed)."""
        run, open_run = self._run_in_bulk(action), self._open
        if run is None or run.members is None or run.pos == run.lo:
            return False
        prefix, base = run.members[run.pos - 1]
        key = prefix + str(at_ms)
        if self._lone_open(action, at_ms) != (key, base):
            return False
        assert open_run is not None
        count = run.left()
        self._pending_keys.discard(key)
        run.alive.add(prefix)
        open_run.become_herd(run.members, run.pos - 1, run.hi, self._seq, run.alive, run.tag)
        run.pos = run.hi
        self._run_done(run)
        self._herds.append(open_run)
        self._open = None
        self._seq += count
        self.bulk_done += count
        return True

    def dispatch(self, action: str, payload: Payload) -> None:
        """Run the handler registered for ``action``."""
        self._handlers[action](payload)

    def __len__(self) -> int:
        return self._size

    def _entries(self) -> list[tuple[int, int, str, Payload]]:
        out: list[tuple[int, int, str, Payload]] = []
        runs = [e[3] for e in self._heap if isinstance(e[3], Run)]
        if self._current is not None:
            runs.append(self._current)
        for at, seq, action, payload in self._heap:
            if not isinstance(payload, Run):
                out.append((at, seq, action, payload))
        for run in runs:
            out.extend((run.at, s, run.action, p) for s, p in run.entries())
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
        heap: list[tuple[int, int, str, Payload | Run]] = [
            (int(t), int(s), str(a), dict(p)) for t, s, a, p in data["heap"]
        ]
        heapq.heapify(heap)
        self._heap = heap
        self._size = len(heap)
        self._current = self._open = None
        self._herds = []
        self._pending_keys = {p["_key"] for _t, _s, _a, p in data["heap"] if "_key" in p}
