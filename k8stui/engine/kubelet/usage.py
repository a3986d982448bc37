"""Resource usage as the kubelet's summary API reports it (what metrics-server serves).

A container's usage is what its process does (``ProcessSpec.cpu_millicores`` and
``memory_at(running time)``). A node adds a fixed amount for the system daemons (kubelet,
container runtime, kube-proxy), so an idle node does not read zero, as on a real machine.
The built-in ``kubectl top`` and the API's ``metrics.k8s.io`` both read from here.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from k8stui.engine.kubelet.status import RUNNING

if TYPE_CHECKING:
    from k8stui.engine.cluster import Cluster

Obj = dict[str, Any]
SYSTEM_CPU_MILLI = 40
SYSTEM_MEMORY = 300 * 1024 * 1024


def container_usage(cluster: Cluster, pod: Obj) -> dict[str, tuple[int, int]]:
    """(millicores, bytes) of each running container of ``pod``, in spec order."""
    prt = cluster.kubelets.pod_runtime(pod)
    usage: dict[str, tuple[int, int]] = {}
    if prt is None:
        return usage
    for spec in (pod.get("spec") or {}).get("containers") or []:
        crt = prt["containers"].get(spec["name"]) or {}
        if crt.get("stage") != RUNNING or not crt.get("image_id"):
            continue
        proc = cluster.images.process(crt["image_id"], spec, pod)
        running = cluster.now_ms - int(crt.get("started_ms", cluster.now_ms))
        usage[spec["name"]] = (proc.cpu_millicores, proc.memory_at(running))
    return usage


def node_usage(cluster: Cluster, node: str, pods: list[Obj]) -> tuple[int, int] | None:
    """(millicores, bytes) of a node and the ``pods`` bound to it; None if its kubelet is down."""
    if not cluster.kubelets.running(node):
        return None
    cpu, memory = SYSTEM_CPU_MILLI, SYSTEM_MEMORY
    for pod in pods:
        if (pod.get("spec") or {}).get("nodeName") == node:
            for c, m in container_usage(cluster, pod).values():
                cpu, memory = cpu + c, memory + m
    return cpu, memory
