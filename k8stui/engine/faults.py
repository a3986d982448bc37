"""Fault injection: things that go wrong in real clusters, now or at a given sim time.

Faults are plain data (a kind and a target) so levels can list them and snapshots can hold
scheduled ones in the queue.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from k8stui.engine import errors
from k8stui.engine.apiserver.server import ApiServer
from k8stui.engine.context import EngineContext
from k8stui.engine.kubelet.agent import Kubelets
from k8stui.engine.runtime.image_service import ImageService

Obj = dict[str, Any]
FaultKind = Literal[
    "crash-node",
    "recover-node",
    "delete-node",
    "stop-kubelet",
    "start-kubelet",
    "kill-container",
    "delete-pod",
    "delete-image",
    "partition-node",
    "heal-node",
]


class Fault(BaseModel):
    """One fault: what happens and to what."""

    model_config = ConfigDict(extra="forbid")

    kind: FaultKind
    target: str = Field(description="node name, pod name, or image reference")
    namespace: str = "default"
    container: str | None = Field(None, description="for kill-container: which container")


class FaultInjector:
    """Applies faults to the cluster's components."""

    def __init__(
        self, ctx: EngineContext, api: ApiServer, kubelets: Kubelets, images: ImageService
    ) -> None:
        self.ctx = ctx
        self.api = api
        self.kubelets = kubelets
        self.images = images
        ctx.queue.register("fault.run", self._on_scheduled)

    def _on_scheduled(self, payload: Obj) -> None:
        try:
            self.apply(Fault.model_validate(payload))
        except (errors.ApiError, KeyError, ValueError) as exc:
            # A scheduled fault whose target vanished is a no-op, noted for the UI.
            self.ctx.activity.add(self.ctx.now, "api-server", f"fault skipped: {exc}")

    def schedule(self, fault: Fault, at_ms: int) -> None:
        """Apply ``fault`` when the sim clock reaches ``at_ms``."""
        self.ctx.queue.push(max(at_ms, self.ctx.now), "fault.run", fault.model_dump())

    def apply(self, fault: Fault) -> str:
        """Apply ``fault`` now; returns a one-line description (raises ApiError/KeyError/ValueError)."""
        target = fault.target
        self.ctx.activity.add(
            self.ctx.now,
            "kubelet" if "node" in fault.kind else "api-server",
            f"fault: {fault.kind} {target}",
        )
        if fault.kind in (
            "crash-node",
            "recover-node",
            "stop-kubelet",
            "start-kubelet",
            "partition-node",
            "heal-node",
        ):
            if target not in self.kubelets.nodes:
                raise errors.not_found("Node", target)
            action = {
                "crash-node": self.kubelets.power_off,
                "recover-node": self.kubelets.power_on,
                "stop-kubelet": self.kubelets.stop_kubelet,
                "start-kubelet": self.kubelets.start_kubelet,
                "partition-node": self.kubelets.partition,
                "heal-node": self.kubelets.heal,
            }[fault.kind]
            action(target)
            return f"node {target}: {fault.kind}"
        if fault.kind == "delete-node":
            self.api.delete("Node", "", target)
            self.kubelets.remove_node(target)
            return f'node "{target}" deleted'
        if fault.kind == "delete-pod":
            self.api.delete("Pod", fault.namespace, target)
            return f'pod "{target}" deleted'
        if fault.kind == "kill-container":
            return self._kill_container(fault)
        if not self.images.registry.remove(target):
            raise ValueError(f"image {target} is not in the registry")
        return f"image {target} removed from the registry"

    def _kill_container(self, fault: Fault) -> str:
        pod = self.ctx.store.get("Pod", fault.namespace, fault.target)
        if pod is None:
            raise errors.not_found("Pod", fault.target)
        names = [c["name"] for c in pod["spec"]["containers"]]
        name = fault.container or names[0]
        if name not in names:
            raise ValueError(f'container "{name}" not found in pod "{fault.target}"')
        if not self.kubelets.kill_container(pod, name):
            raise ValueError(f'container "{name}" of pod "{fault.target}" is not running')
        return f"container {name} of pod {fault.target} killed (exit 137)"

    def to_json(self) -> dict[str, Any]:
        """Scheduled faults live in the queue; nothing else to keep."""
        return {}

    def load_json(self, _data: dict[str, Any]) -> None:
        """Nothing to restore."""
