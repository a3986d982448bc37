"""A :class:`k8stui.kubectl.view.ClusterView` over a live :class:`Cluster`."""

from __future__ import annotations

import builtins
from typing import Any

from k8stui.engine.cluster import Cluster

Obj = dict[str, Any]


class LiveView:
    """What printers and describers see of the cluster (read-only)."""

    def __init__(self, cluster: Cluster) -> None:
        self.cluster = cluster

    @property
    def now_ms(self) -> int:
        """Current sim time (ms)."""
        return self.cluster.now_ms

    def get(self, kind: str, namespace: str, name: str) -> Obj | None:
        """One object by key."""
        return self.cluster.get(kind, name, namespace)

    def list(self, kind: str, namespace: str | None = None) -> builtins.list[Obj]:
        """Objects of a kind in a namespace (None = all)."""
        return self.cluster.list(kind, namespace)

    def events_for(self, obj: Obj) -> builtins.list[Obj]:
        """Events about ``obj``."""
        return self.cluster.events(obj)
