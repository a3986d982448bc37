"""The pod garbage collector: force-deletes pods bound to nodes that no longer exist (§1.4)."""

from __future__ import annotations

from typing import Any

from k8stui.engine.apiserver.server import ApiServer
from k8stui.engine.context import EngineContext

Obj = dict[str, Any]


class PodGC:
    """Orphaned pods go after the quarantine, checked on the GC period (20 s / 40 s)."""

    def __init__(self, ctx: EngineContext, api: ApiServer) -> None:
        self.ctx = ctx
        self.api = api
        ctx.queue.register("podgc.sweep", self._on_sweep)
        ctx.store.watch(self._on_change, ("Node",))

    def _on_change(self, kind: str, new: Obj | None, old: Obj | None) -> None:
        if kind == "Node" and new is None and old is not None:
            t = self.ctx.timings
            period = int(t.pod_gc_period * 1000)
            # The node must stay gone for the quarantine, seen on a GC tick.
            due = ((self.ctx.now + int(t.pod_gc_quarantine * 1000)) // period + 1) * period
            self.ctx.queue.push(due, "podgc.sweep", {"node": old["metadata"]["name"]})

    def _on_sweep(self, p: Obj) -> None:
        node = p["node"]
        if self.ctx.store.get("Node", "", node) is not None:
            return
        for pod in self.ctx.store.pods_on_node(node):
            meta = pod["metadata"]
            self.ctx.activity.add(
                self.ctx.now, "controller-manager", f"podgc: deleting orphaned pod {meta['name']}"
            )
            self.api.delete(
                "Pod", meta.get("namespace", "default"), meta["name"], grace_period=0, force=True
            )

    def to_json(self) -> dict[str, Any]:
        """Stateless."""
        return {}

    def load_json(self, _data: dict[str, Any]) -> None:
        """Nothing to restore."""
