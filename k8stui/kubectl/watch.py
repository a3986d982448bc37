"""Watches for the built-in kubectl: output that keeps coming after the command returned.

``kubectl get -w`` and ``kubectl events -w`` print the current state, then one piece per change.
The engine knows nothing of terminals or of Textual: a command returns a :class:`Watch` with
its :class:`k8stui.kubectl.commands.base.Output`, and whoever shows the output (the game's
console pane, ``k8stui shell``) calls :meth:`Watch.poll` as simulated time passes and
:meth:`Watch.stop` on Esc / Ctrl+C or when the next command starts.

Changes come from the store's observers (every write, Events included), filtered as the API
server filters a watch: an object that starts matching the selectors arrives as ``ADDED`` and
one that stops matching leaves as ``DELETED``. They are queued as written and turned into text
when polled, as the API server renders a watch event when it sends it (so ``AGE`` is the age at
that moment, as the real kubectl shows it).
"""

from __future__ import annotations

import weakref
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol

from k8stui.engine.apimachinery import field_selectors
from k8stui.engine.apimachinery.selectors import Selector
from k8stui.engine.cluster import Cluster
from k8stui.engine.store import Store

Obj = dict[str, Any]
Chunk = tuple[int, str]
Render = Callable[[str, Obj], str]
"""Text for one event: (``ADDED`` | ``MODIFIED`` | ``DELETED``, object) -> what is printed."""
MAX_QUEUED = 20_000
"""Changes one watch holds between polls; beyond that the oldest are dropped (a console left
watching every pod of a 5,000-pod level while paused should not grow without bound)."""


class Stream(Protocol):
    """Output a command goes on printing after it returned, as simulated time passes."""

    @property
    def finished(self) -> bool:
        """Whether it has ended (no more output will come)."""

    @property
    def deadline_ms(self) -> int | None:
        """The sim time it ends by itself (``--request-timeout``), or None."""

    @property
    def cluster(self) -> Cluster:
        """The cluster whose clock it follows."""

    def poll(self) -> list[Chunk]:
        """What it printed since the last poll: (1 or 2, text) pieces."""

    def stop(self) -> None:
        """End it (Ctrl+C, or the next command starts)."""


@dataclass(frozen=True)
class WatchFilter:
    """Which objects a watch is about: a kind, a namespace (None: all), maybe one name, and the
    ``-l`` / ``--field-selector`` terms."""

    kind: str
    namespace: str | None = None
    name: str | None = None
    labels: Selector | None = None
    fields: tuple[tuple[str, bool, str], ...] = ()

    def matches(self, obj: Obj) -> bool:
        """Whether ``obj`` is in the watch's scope."""
        meta = obj.get("metadata") or {}
        if self.namespace is not None and (meta.get("namespace") or "") != self.namespace:
            return False
        if self.name is not None and meta.get("name") != self.name:
            return False
        if self.labels is not None and not self.labels.matches(meta.get("labels")):
            return False
        return all(
            (field_selectors.field_value(obj, path) == value) == equal
            for path, equal, value in self.fields
        )

    def event_type(self, new: Obj | None, old: Obj | None) -> str | None:
        """The watch event a write is for this watch (None: not its business)."""
        if new is None:
            return "DELETED" if old is not None and self.matches(old) else None
        now = self.matches(new)
        before = old is not None and self.matches(old)
        if old is not None and now != before:
            return "ADDED" if now else "DELETED"
        if not now:
            return None
        return "ADDED" if old is None else "MODIFIED"


class _Feed:
    """One store observer shared by every watch on that store (the store keeps observers for
    ever, so each watch must not add its own)."""

    def __init__(self, store: Store) -> None:
        self.watches: list[Watch] = []
        store.observe(self._on_write)
        self._store_ref = weakref.ref(store)

    def _on_write(self, kind: str, new: Obj | None, old: Obj | None) -> None:
        store = self._store_ref()
        for watch in list(self.watches):
            watch.offer(kind, new, old, store.revision if store is not None else 0)


_FEEDS: weakref.WeakKeyDictionary[Store, _Feed] = weakref.WeakKeyDictionary()


def _feed(store: Store) -> _Feed:
    feed = _FEEDS.get(store)
    if feed is None:
        feed = _FEEDS[store] = _Feed(store)
    return feed


class Watch:
    """A running watch: changes queued as they are written, rendered when polled.

    ``deadline_ms`` is the sim time ``--request-timeout`` ends it at (None: runs until
    stopped). ``initial`` is text already due before the first change (``--watch-only`` has
    none; ``events -w`` prints its list through the same renderer).
    """

    def __init__(
        self,
        cluster: Cluster,
        flt: WatchFilter,
        render: Render,
        *,
        deadline_ms: int | None = None,
        initial: list[tuple[str, Obj]] | None = None,
    ) -> None:
        self.cluster = cluster
        self.filter = flt
        self.render = render
        self.deadline_ms = deadline_ms
        self._store = cluster.ctx.store
        self._queue: list[tuple[str, Obj]] = list(initial or [])
        self._finished = False
        _feed(self._store).watches.append(self)

    @property
    def finished(self) -> bool:
        """Whether the watch has ended (stopped, timed out, or its cluster was replaced)."""
        return self._finished

    def offer(self, kind: str, new: Obj | None, old: Obj | None, revision: int) -> None:
        """A store write (called by the feed): queue it if it concerns this watch."""
        if kind != self.filter.kind or self._finished:
            return
        kind_of_event = self.filter.event_type(new, old)
        if kind_of_event is None:
            return
        if new is None:
            # The API server sends a deleted object with the revision of its deletion.
            assert old is not None
            meta = {**(old.get("metadata") or {}), "resourceVersion": str(revision)}
            new = {**old, "metadata": meta}
        self._queue.append((kind_of_event, new))
        del self._queue[:-MAX_QUEUED]

    def poll(self) -> list[Chunk]:
        """What the watch prints for the changes since the last poll (stdout chunks)."""
        if self._finished:
            return []
        if self.cluster.ctx.store is not self._store:
            self.stop()  # ``sim load`` brought a new cluster: the real kubectl's watch ends too
            return []
        queued, self._queue = self._queue, []
        chunks = [(1, text) for text in (self.render(t, obj) for t, obj in queued) if text]
        if self.deadline_ms is not None and self.cluster.now_ms >= self.deadline_ms:
            self.stop()
        return chunks

    def stop(self) -> None:
        """End the watch (Ctrl+C): no more output, the store forgets it."""
        if self._finished:
            return
        self._finished = True
        self._queue = []
        feed = _FEEDS.get(self._store)
        if feed is not None and self in feed.watches:
            feed.watches.remove(self)


def run_to_deadline(watch: Stream, step_seconds: float = 1.0) -> list[Chunk]:
    """Let simulated time pass up to the watch's ``--request-timeout``, polling after each
    step (how a script's watch runs); a watch without a deadline ends at once."""
    chunks = watch.poll()
    deadline = watch.deadline_ms
    cluster = watch.cluster
    while deadline is not None and not watch.finished and cluster.now_ms < deadline:
        step = min(step_seconds, (deadline - cluster.now_ms) / 1000)
        cluster.advance(step)
        chunks += watch.poll()
    watch.stop()
    return chunks
