"""What every part of the kubelet shares: its state, timer payloads, status writes, events.

The kubelet is split by concept into mixins (pulls, containers, reads) over this core; the
abstract methods are the steps one part hands over to another.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from typing import Any

from k8stui.engine.context import EngineContext
from k8stui.engine.kubelet import status as ks
from k8stui.engine.runtime.image_service import ImageService

Obj = dict[str, Any]


class KubeletCore(ABC):
    """State and helpers of the kubelets; see :class:`k8stui.engine.kubelet.agent.Kubelets`."""

    ctx: EngineContext
    images: ImageService
    nodes: dict[str, Obj]

    def running(self, node: str) -> bool:
        """The node is powered on, its kubelet runs and it can reach the API server."""
        nrt = self.nodes.get(node)
        return bool(nrt and nrt["up"] and nrt["kubelet"] and not nrt.get("partitioned"))

    def powered(self, node: str) -> bool:
        """The machine is on (its containers run, whatever the kubelet does)."""
        nrt = self.nodes.get(node)
        return bool(nrt and nrt["up"])

    def partitioned(self, node: str) -> bool:
        """The node is cut off from the rest of the network."""
        nrt = self.nodes.get(node)
        return bool(nrt and nrt.get("partitioned"))

    def _ref(self, node: str, pod: Obj, prt: Obj, container: str = "", tok: int = 0) -> Obj:
        return {
            "node": node,
            "uid": pod["metadata"]["uid"],
            "boot": prt["boot"],
            "c": container,
            "tok": tok,
        }

    def _lookup(self, p: Obj) -> tuple[Obj, Obj] | None:
        """Resolve a timer payload to (pod, runtime) if it is still current."""
        node = p["node"]
        if not self.running(node):
            return None
        prt = self.nodes[node]["pods"].get(p["uid"])
        if prt is None or prt["boot"] != p["boot"]:
            return None
        if p["c"] and prt["containers"][p["c"]]["tok"] != p["tok"]:
            return None
        pod = self.ctx.store.get("Pod", prt["ns"], prt["name"])
        if pod is None or pod["metadata"]["uid"] != p["uid"]:
            return None
        return pod, prt

    def _pod_by_uid(self, node: str, uid: str) -> Obj | None:
        prt = self.nodes[node]["pods"].get(uid)
        if prt is None:
            return None
        pod = self.ctx.store.get("Pod", prt["ns"], prt["name"])
        return pod if pod is not None and pod["metadata"]["uid"] == uid else None

    @staticmethod
    def _spec(pod: Obj, name: str) -> Obj:
        for spec in pod["spec"]["containers"]:
            if spec["name"] == name:
                return dict(spec)
        raise KeyError(name)

    @staticmethod
    def _set_stage(crt: Obj, stage: str, reason: str, message: str) -> None:
        crt["stage"] = stage
        crt["reason"] = reason
        crt["message"] = message
        crt["tok"] += 1

    def _event(
        self, pod: Obj, type_: str, reason: str, message: str, node: str, field: str | None
    ) -> None:
        self.ctx.recorder.emit(pod, type_, reason, message, "kubelet", host=node, field_path=field)

    def _write_status(self, pod: Obj, prt: Obj) -> None:
        status = ks.build_status(pod, prt, self.ctx.now, self.images.image_ids())
        if status != pod.get("status"):
            current = self.ctx.store.get("Pod", prt["ns"], prt["name"])
            if current is not None:
                self.ctx.store.update({**current, "status": status})

    # -- steps the parts hand to each other ---------------------------------------------
    @abstractmethod
    def _start_next(self, node: str, pod: Obj, prt: Obj) -> None:
        """Pull and start the next container that is not running yet."""

    @abstractmethod
    def _create_container(self, node: str, pod: Obj, prt: Obj, spec: Obj, crt: Obj) -> None:
        """Create and start a container whose image is on the node."""

    @abstractmethod
    def _container_exited(
        self, node: str, pod: Obj, prt: Obj, name: str, code: int, reason: str, message: str = ""
    ) -> None:
        """Record a container's exit and restart it as the pod's policy says."""

    @abstractmethod
    def _next_backoff(self, crt: Obj, key: str, now: int) -> int:
        """Advance a back-off entry and return its delay in ms."""

    @abstractmethod
    def logs(self, pod: Obj, container: str, previous: bool = False) -> list[str] | None:
        """Log lines of a container's current (or previous) run."""

    @abstractmethod
    def timed_logs(
        self, pod: Obj, container: str, previous: bool = False
    ) -> list[tuple[int, str]] | None:
        """(sim ms, text) of each log line of a container's current (or previous) run."""

    @abstractmethod
    def pod_runtime(self, pod: Obj) -> Obj | None:
        """The runtime record of a pod on its node."""
