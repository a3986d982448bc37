"""One shared value per key: parts of pod views that pods of one workload hold alike.

Views of the thirty pods of a ReplicaSet digest the same tolerations and the same node-local
shape; each view holding its own copy was ~400 bytes a pod. Views are never changed, so
equal parts can be one object. The table is bounded: when full it starts again, which only
costs a copy per pod until it refills.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


class Interner(Generic[K, V]):
    """Hands out the value first made for a key, for up to ``keep`` keys."""

    def __init__(self, keep: int) -> None:
        self._keep = keep
        self._values: dict[K, V] = {}

    def get(self, key: K, make: Callable[[K], V]) -> V:
        """The shared value for ``key``, made by ``make(key)`` the first time."""
        values = self._values
        found = values.get(key)
        if found is None:
            if len(values) >= self._keep:
                values.clear()
            found = values[key] = make(key)
        return found
