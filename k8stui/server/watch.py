"""Watch streams: every store write as an ADDED / MODIFIED / DELETED change, in a bounded log.

The store calls the hub synchronously on each write (on the engine's thread); watch streams
read the log from their own cursor and sleep on an asyncio event between writes, so a slow or
stuck client never holds the engine. A stream that falls further behind than the log keeps is
ended with a ``410 Expired`` ERROR event, as the real server does for a compacted revision.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections import deque
from dataclasses import dataclass
from typing import Any

from k8stui.engine.cluster import Cluster

Obj = dict[str, Any]
LOG_SIZE = 20_000
"""Changes kept for watches that resume from a resourceVersion or lag behind."""
MAX_WATCHES = 1_000


@dataclass(frozen=True)
class Change:
    """One write as a watch event."""

    revision: int
    type: str
    kind: str
    obj: Obj
    old: Obj | None


class WatchHub:
    """The change log of the served cluster and the wake-up of waiting streams."""

    def __init__(self, loop: asyncio.AbstractEventLoop) -> None:
        self._loop = loop
        self._log: deque[Change] = deque(maxlen=LOG_SIZE)
        self._base = 0  # absolute index of _log[0]
        self._wake = asyncio.Event()
        self._wake_pending = False
        self._store: Any = None
        self.epoch = 0
        self.active = 0

    def attach(self, cluster: Cluster) -> None:
        """Follow ``cluster``'s store (a ``sim load`` brings a new one: old streams end)."""
        store = cluster.ctx.store
        if store is self._store:
            return
        self._store = store
        self.epoch += 1
        self._base += len(self._log)
        self._log.clear()
        store.observe(lambda kind, new, old: self._on_write(store, kind, new, old))
        self._schedule_wake()

    def _on_write(self, store: Any, kind: str, new: Obj | None, old: Obj | None) -> None:
        if store is not self._store:
            return
        if new is None:
            assert old is not None
            meta = {**old["metadata"], "resourceVersion": str(store.revision)}
            change = Change(store.revision, "DELETED", kind, {**old, "metadata": meta}, old)
        else:
            change = Change(store.revision, "ADDED" if old is None else "MODIFIED", kind, new, old)
        if len(self._log) == self._log.maxlen:
            self._base += 1
        self._log.append(change)
        self._schedule_wake()

    def _schedule_wake(self) -> None:
        if not self._wake_pending:
            self._wake_pending = True
            self._loop.call_soon_threadsafe(self._do_wake)

    def _do_wake(self) -> None:
        self._wake_pending = False
        event, self._wake = self._wake, asyncio.Event()
        event.set()

    @property
    def cursor(self) -> int:
        """The absolute index the next change will get."""
        return self._base + len(self._log)

    def cursor_after(self, revision: int) -> int | None:
        """Index of the first change after ``revision``; None if it is no longer kept."""
        if not self._log or revision >= self._log[-1].revision:
            return self.cursor
        if revision < self._log[0].revision - 1:
            return None
        for offset, change in enumerate(self._log):
            if change.revision > revision:
                return self._base + offset
        return self.cursor

    def since(self, cursor: int) -> list[Change] | None:
        """Changes from ``cursor`` on; None when the stream fell behind the kept log."""
        if cursor < self._base:
            return None
        start = cursor - self._base
        return [self._log[i] for i in range(start, len(self._log))]

    async def wait(self, timeout: float) -> None:
        """Sleep until the next write (or ``timeout`` seconds)."""
        event = self._wake
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(event.wait(), timeout)
