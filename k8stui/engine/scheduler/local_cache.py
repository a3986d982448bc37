"""Node-local filter/score results per pod shape, in lists aligned with the node order.

Pods of one workload share a *shape* (``PodView.local_key``: requests, tolerations, node
selector, images, ...), and what the node-local filters and scores say about a shape on a
node only changes when that node changes. Each shape gets a :class:`ShapeTable`: two lists
indexed by node rank (natural name order) holding the cached entry and its tie-break key.
The scheduler reads a window of nodes with list slices, which run at C speed, after asking the
table's flags of uncomputed and failing ranks whether the window holds any: hundreds of
unchanged nodes cost microseconds instead of a Python loop.

Invalidation is per node: a change to a node clears its slot in every table. The one
cluster-wide input is ImageLocality's "how many nodes have this image"; when that count
changes only the holders of the image whose score really changes are cleared (for shapes
with a single distinct image this is decided once per image size, not per node).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from k8stui.engine.scheduler.node_info import NodeInfo
from k8stui.engine.scheduler.podspec import PodView
from k8stui.engine.scheduler.scores import image_contribution, image_score

TABLE_LIMIT = 32  # distinct pod shapes cached at once (least recently used goes first)

Entry = tuple[Any, ...]


class ShapeTable:
    """Cached node-local results of one pod shape, indexed by node rank."""

    __slots__ = (
        "entries",
        "failing",
        "images",
        "keys",
        "missing",
        "n_containers",
        "n_failing",
        "n_missing",
        "used",
    )

    def __init__(self, size: int, images: tuple[str, ...], n_containers: int) -> None:
        # None = not computed. Else ``(key, taints, node_affinity)`` or ``(None, failure)``.
        self.entries: list[Entry | None] = [None] * size
        # entry[0] again (None while not computed or when the node fails): a slice of this
        # list is the window's tie-break keys.
        self.keys: list[int | None] = [None] * size
        # Flags per rank (1 = set): entry not computed, node fails. A window holds none far
        # more often than not; the counts answer that at once, and else ``find`` scans the
        # window's bytes in C (a set of ranks cost a Python step per member: hundreds of
        # stale ranks at 5,000 nodes).
        self.missing = bytearray(b"\x01") * size
        self.n_missing = size
        self.failing = bytearray(size)
        self.n_failing = 0
        self.images = images
        self.n_containers = n_containers
        self.used = 0

    def set(self, rank: int, entry: Entry) -> None:
        """Keep one node's computed entry."""
        self.entries[rank] = entry
        self.keys[rank] = entry[0]
        if self.missing[rank]:
            self.missing[rank] = 0
            self.n_missing -= 1
        if entry[0] is None and not self.failing[rank]:
            self.failing[rank] = 1
            self.n_failing += 1

    def clear(self, rank: int) -> None:
        """Forget one node's entry."""
        self.entries[rank] = None
        self.keys[rank] = None
        if not self.missing[rank]:
            self.missing[rank] = 1
            self.n_missing += 1
        if self.failing[rank]:
            self.failing[rank] = 0
            self.n_failing -= 1

    def missing_in(self, at: int, end: int) -> list[int]:
        """The ranks ``at..end-1`` whose entry is not computed, in order."""
        found: list[int] = []
        find = self.missing.find
        rank = find(1, at, end)
        while rank >= 0:
            found.append(rank)
            rank = find(1, rank + 1, end)
        return found

    def fails_in(self, at: int, end: int) -> bool:
        """Whether a node of ranks ``at..end-1`` fails (its entry computed)."""
        return bool(self.n_failing) and self.failing.find(1, at, end) >= 0


class LocalCache:
    """The shape tables of all recently scheduled shapes."""

    def __init__(self) -> None:
        self._tables: dict[tuple[Any, ...], ShapeTable] = {}
        self._size = 0
        self._tick = 0

    def reset(self, size: int) -> None:
        """Forget everything: the node order changed (``size`` nodes now)."""
        self._tables.clear()
        self._size = size

    def table(self, view: PodView) -> ShapeTable:
        """The table for ``view``'s shape, created empty when new."""
        self._tick += 1
        tables = self._tables
        found = tables.get(view.local_key)
        if found is None:
            if len(tables) >= TABLE_LIMIT:
                oldest = min(tables, key=lambda k: tables[k].used)
                del tables[oldest]
            found = tables[view.local_key] = ShapeTable(self._size, view.images, view.n_containers)
        found.used = self._tick
        return found

    def invalidate(self, rank: int) -> None:
        """The node at ``rank`` changed."""
        for table in self._tables.values():
            table.clear(rank)

    def image_count_changed(
        self,
        image: str,
        before: int,
        after: int,
        holders: Mapping[int, set[NodeInfo]],
        total_nodes: int,
    ) -> None:
        """``image`` went from ``before`` to ``after`` holders; ``holders``: size -> nodes."""
        for table in self._tables.values():
            images = table.images
            if image not in images:
                continue
            if images.count(image) == len(images):
                # Only this image counts (maybe several times): the score depends on the
                # holder's image size alone, so compare old and new once per size.
                times = len(images)
                for size, nodes in holders.items():
                    old = image_score(
                        times * image_contribution(size, before, total_nodes), table.n_containers
                    )
                    new = image_score(
                        times * image_contribution(size, after, total_nodes), table.n_containers
                    )
                    if old != new:
                        for info in nodes:
                            table.clear(info.rank)
            else:
                for nodes in holders.values():
                    for info in nodes:
                        table.clear(info.rank)


class ImageIndex:
    """How many present nodes hold each image, and which nodes hold it (by image size)."""

    def __init__(self) -> None:
        self.counts: dict[str, int] = {}
        self.holders: dict[str, dict[int, set[NodeInfo]]] = {}

    def update(
        self, info: NodeInfo, old: Mapping[str, int], new: Mapping[str, int]
    ) -> list[tuple[str, int, int]]:
        """Move ``info`` from holding ``old`` (image -> size) to ``new``.

        Returns ``(image, count before, count after)`` for each image whose count changed.
        """
        changes: list[tuple[str, int, int]] = []
        for image, size in old.items():
            if new.get(image) != size:
                self._drop(image, size, info)
            if image not in new:
                count = self.counts[image]
                changes.append((image, count, count - 1))
                if count > 1:
                    self.counts[image] = count - 1
                else:
                    del self.counts[image]
        for image, size in new.items():
            if old.get(image) != size:
                self.holders.setdefault(image, {}).setdefault(size, set()).add(info)
            if image not in old:
                count = self.counts.get(image, 0)
                changes.append((image, count, count + 1))
                self.counts[image] = count + 1
        return changes

    def _drop(self, image: str, size: int, info: NodeInfo) -> None:
        by_size = self.holders[image]
        nodes = by_size[size]
        nodes.discard(info)
        if not nodes:
            del by_size[size]
            if not by_size:
                del self.holders[image]
