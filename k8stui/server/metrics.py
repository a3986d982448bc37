"""``metrics.k8s.io/v1beta1`` NodeMetrics and PodMetrics, as metrics-server reports them.

The numbers come from the kubelet's usage model (``engine.kubelet.usage``), the same one the
built-in ``kubectl top`` prints, in metrics-server's units: CPU in nanocores, memory in
KiB. A pod whose containers are not running has no metrics (kubectl then says the metrics
are not available yet), and a node whose kubelet is down has none (``<unknown>`` in ``top
node``). Each answer is a sample taken now, over metrics-server's default window.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from k8stui.engine.apiserver.resources import METRICS as METRICS
from k8stui.engine.apiserver.resources import Resource
from k8stui.engine.clock import to_timestamp
from k8stui.engine.kubelet.usage import container_usage, node_usage
from k8stui.server.status import StatusError

if TYPE_CHECKING:
    from k8stui.engine.cluster import Cluster

Obj = dict[str, Any]
WINDOW = "20s"
"""metrics-server's sampling window (its default ``--metric-resolution`` is 15 s; 20 s seen)."""


def _usage(cpu_milli: int, memory_bytes: int) -> Obj:
    return {"cpu": f"{cpu_milli * 1_000_000}n", "memory": f"{memory_bytes // 1024}Ki"}


def _meta(cluster: Cluster, obj: Obj) -> Obj:
    meta = obj["metadata"]
    out: Obj = {"name": meta["name"], "creationTimestamp": to_timestamp(cluster.now_ms)}
    if meta.get("namespace"):
        out["namespace"] = meta["namespace"]
    if meta.get("labels"):
        out["labels"] = dict(meta["labels"])
    return out


def _sample(cluster: Cluster, kind: str, obj: Obj) -> Obj:
    return {
        "kind": kind,
        "apiVersion": "metrics.k8s.io/v1beta1",
        "metadata": _meta(cluster, obj),
        "timestamp": to_timestamp(cluster.now_ms),
        "window": WINDOW,
    }


def metrics_list(cluster: Cluster, res: Resource, namespace: str | None) -> list[Obj]:
    """The NodeMetrics (all nodes) or PodMetrics (of ``namespace``; None: all) there are now."""
    if res.kind == "NodeMetrics":
        pods = cluster.list("Pod", None)
        found = []
        for node in cluster.list("Node", None):
            usage = node_usage(cluster, node["metadata"]["name"], pods)
            if usage is not None:
                found.append({**_sample(cluster, "NodeMetrics", node), "usage": _usage(*usage)})
        return found
    out = []
    for pod in cluster.list("Pod", namespace):
        containers = container_usage(cluster, pod)
        if not containers or (pod.get("metadata") or {}).get("deletionTimestamp"):
            continue
        sample = _sample(cluster, "PodMetrics", pod)
        sample["containers"] = [
            {"name": name, "usage": _usage(cpu, memory)}
            for name, (cpu, memory) in containers.items()
        ]
        out.append(sample)
    return out


def metrics_not_found(cluster: Cluster, res: Resource, namespace: str, name: str) -> StatusError:
    """metrics-server's 404 for one object: the pod (node) itself, or its missing sample."""
    if res.kind == "NodeMetrics":
        if cluster.get("Node", name, "") is None:
            return StatusError(404, f'nodes "{name}" not found', "NotFound")
        return StatusError(404, f'nodemetrics.metrics.k8s.io "{name}" not found', "NotFound")
    if cluster.get("Pod", name, namespace) is None:
        return StatusError(404, f'pods "{name}" not found', "NotFound")
    return StatusError(404, f'podmetrics.metrics.k8s.io "{namespace}/{name}" not found', "NotFound")
