"""Pure read-out of nodes and their pods for the node panes (no Textual; cached per object)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from k8stui.engine.apimachinery.quantity import parse_cpu, parse_memory
from k8stui.kubectl.pod_status import pod_cells

UNSCHEDULED = "(unscheduled)"
SYSTEM_NAMESPACE = "kube-system"
_CONTROL_PLANE_TAINT = "node-role.kubernetes.io/control-plane"
_BAD = ("Err", "BackOff", "OOM", "Error", "Unknown", "NodeLost", "Evicted", "Failed", "Invalid")


@dataclass(frozen=True)
class PodRow:
    """One pod as a node pane shows it."""

    namespace: str
    name: str
    ready: str
    status: str
    style: str
    containers: tuple[str, ...]  # one style per container


@dataclass(frozen=True)
class NodeView:
    """One node: health, capacity use and pods."""

    name: str
    status: str
    down: bool
    cordoned: bool
    health: tuple[tuple[str, bool], ...]
    cpu: tuple[int, int]  # requested, allocatable (millicores)
    memory: tuple[int, int]  # requested, allocatable (bytes)
    pods: tuple[PodRow, ...]


def status_style(status: str, ready: str) -> str:
    """Colour for a pod STATUS cell."""
    if status == "Running":
        done, total = ready.split("/")
        return "green" if done == total else "yellow"
    if status in ("Completed", "Succeeded"):
        return "blue"
    if status == "Terminating":
        return "dim"
    if any(word in status for word in _BAD):
        return "bold red"
    return "yellow"


def _container_style(status: dict[str, Any]) -> str:
    state = status.get("state") or {}
    if "running" in state:
        return "green" if status.get("ready") else "yellow"
    if "terminated" in state:
        return "red" if (state["terminated"].get("exitCode") or 0) else "blue"
    reason = (state.get("waiting") or {}).get("reason", "")
    return "bold red" if any(word in reason for word in _BAD) else "yellow"


def _requests(pod: dict[str, Any]) -> tuple[int, int]:
    cpu = memory = 0
    for container in (pod.get("spec") or {}).get("containers") or []:
        requests = (container.get("resources") or {}).get("requests") or {}
        if "cpu" in requests:
            cpu += parse_cpu(requests["cpu"])
        if "memory" in requests:
            memory += parse_memory(requests["memory"])
    return cpu, memory


class NodeReader:
    """Builds :class:`NodeView` lists; pod rows are cached by uid and resourceVersion so a frame
    with 1,000 unchanged pods costs dictionary lookups, not status computations."""

    def __init__(self) -> None:
        self._rows: dict[tuple[str, str], tuple[PodRow, tuple[int, int]]] = {}

    def _row(self, pod: dict[str, Any], now_ms: int) -> tuple[PodRow, tuple[int, int]]:
        meta = pod["metadata"]
        key = (meta.get("uid", ""), meta.get("resourceVersion", ""))
        cached = self._rows.get(key)
        if cached is not None:
            return cached
        cells = pod_cells(pod, now_ms)
        statuses = {
            s.get("name"): s for s in (pod.get("status") or {}).get("containerStatuses") or []
        }
        names = [c.get("name") for c in (pod.get("spec") or {}).get("containers") or []]
        containers = tuple(_container_style(statuses.get(n) or {}) for n in names)
        row = PodRow(
            meta.get("namespace", "default"),
            meta["name"],
            cells.ready,
            cells.status,
            status_style(cells.status, cells.ready),
            containers,
        )
        self._rows[key] = (row, _requests(pod))
        return self._rows[key]

    def read(self, cluster: Any) -> list[NodeView]:
        """Every schedulable node (and the unscheduled pods) as views."""
        now_ms = cluster.now_ms
        by_node: dict[str, list[tuple[PodRow, tuple[int, int]]]] = {}
        live: set[tuple[str, str]] = set()
        for pod in cluster.list("Pod", None):
            if pod["metadata"].get("namespace") == SYSTEM_NAMESPACE:
                continue  # node agents (kube-proxy ...): the cards' health line stands for them
            row = self._row(pod, now_ms)
            live.add((pod["metadata"].get("uid", ""), pod["metadata"].get("resourceVersion", "")))
            node = (pod.get("spec") or {}).get("nodeName") or UNSCHEDULED
            by_node.setdefault(node, []).append(row)
        # Forget rows of old resource versions so the cache stays the size of the cluster.
        for key in [k for k in self._rows if k not in live]:
            del self._rows[key]
        found = [
            self._node(node, by_node.get(node["metadata"]["name"], []), cluster)
            for node in cluster.list("Node")
        ]
        views = [v for v in found if v is not None]
        if UNSCHEDULED in by_node:
            pods = tuple(row for row, _ in by_node[UNSCHEDULED])
            views.append(
                NodeView(
                    UNSCHEDULED, f"{len(pods)} Pending", False, False, (), (0, 0), (0, 0), pods
                )
            )
        return views

    @staticmethod
    def _node(
        node: dict[str, Any], rows: list[tuple[PodRow, tuple[int, int]]], cluster: Any
    ) -> NodeView | None:
        spec = node.get("spec") or {}
        taints = spec.get("taints") or []
        if any(t.get("key") == _CONTROL_PLANE_TAINT for t in taints) and not rows:
            return None  # the control-plane pane stands for this machine
        name = node["metadata"]["name"]
        status = node.get("status") or {}
        conditions: list[dict[str, Any]] = status.get("conditions") or []
        ready = next((c for c in conditions if c.get("type") == "Ready"), {})
        text = "Ready" if ready.get("status") == "True" else "NotReady"
        cordoned = bool(spec.get("unschedulable"))
        if cordoned:
            text += ",SchedulingDisabled"
        kubelets = cluster.kubelets
        powered = kubelets.powered(name)
        health = (
            ("kubelet", kubelets.running(name)),
            ("proxy", powered and not kubelets.partitioned(name)),
            ("runtime", powered),
        )
        allocatable = status.get("allocatable") or {}
        cpu = sum(req[0] for _, req in rows), parse_cpu(allocatable.get("cpu", "0"))
        memory = sum(req[1] for _, req in rows), parse_memory(allocatable.get("memory", "0"))
        down = text != "Ready" or not powered
        return NodeView(name, text, down, cordoned, health, cpu, memory, tuple(r for r, _ in rows))
