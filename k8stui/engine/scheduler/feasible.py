"""The feasible nodes of one scheduling cycle, as the scoring plugins see them.

Most cycles find every node of their window feasible: the feasible nodes are then
consecutive ranks (wrapping around the cluster) and their cached entries a slice of the
shape table, so the lists of nodes and entries are only built if a plugin asks for them
(the system-default spreading, the one plugin most pods meet, needs neither).
"""

from __future__ import annotations

from typing import TypeVar

from k8stui.engine.scheduler.local_cache import Entry
from k8stui.engine.scheduler.node_info import NodeInfo

T = TypeVar("T")


class Feasible:
    """The feasible nodes of one scheduling cycle.

    ``first_rank`` is the rank of ``nodes[0]`` when the nodes are consecutive ranks
    (wrapping around the cluster), which lets positions be computed instead of looked up;
    None otherwise (some node in between was filtered out).
    """

    __slots__ = ("_aligned", "_entries", "_nodes", "_order", "first_rank", "size")

    def __init__(
        self, nodes: list[NodeInfo], first_rank: int | None, entries: list[Entry] | None = None
    ) -> None:
        self._nodes: list[NodeInfo] | None = nodes
        self._entries = entries
        self._order: list[NodeInfo] = []
        self._aligned: list[Entry | None] = []
        self.first_rank = first_rank
        self.size = len(nodes)

    @classmethod
    def of_ranks(
        cls,
        order: list[NodeInfo],
        first_rank: int,
        size: int,
        entries: list[Entry | None],
    ) -> Feasible:
        """The ``size`` nodes of ``order`` from ``first_rank`` on (wrapping), with their
        entries in the rank-aligned ``entries`` (all computed)."""
        window = cls([], first_rank)
        window._nodes = None
        window._order, window._aligned, window.size = order, entries, size
        return window

    @property
    def nodes(self) -> list[NodeInfo]:
        """The feasible nodes, in the order they were found."""
        if self._nodes is None:
            self._nodes = self.of_window(self._order)
        return self._nodes

    @property
    def entries(self) -> list[Entry]:
        """Their cached node-local entries (``(key, taints, node_affinity)``)."""
        if self._entries is None:
            self._entries = self.of_window(self._aligned)  # type: ignore[arg-type]
        return self._entries

    def node(self, at: int) -> NodeInfo:
        """The feasible node at position ``at``."""
        if self._nodes is not None:
            return self._nodes[at]
        assert self.first_rank is not None
        return self._order[(self.first_rank + at) % len(self._order)]

    def of_window(self, aligned: list[T]) -> list[T]:
        """The items of a rank-aligned list at the window's ranks (consecutive ranks only)."""
        assert self.first_rank is not None
        start, total = self.first_rank, len(aligned)
        end = start + self.size
        if end <= total:
            return aligned[start:end]
        return aligned[start:] + aligned[: end - total]
