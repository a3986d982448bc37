"""Per-node accounting, kept up to date incrementally as pods are bound and freed.

A :class:`NodeInfo` mirrors upstream's scheduler cache entry: the node's allocatable
resources and the running sums of what its pods request. Adding or removing a pod is O(1)
(plus the pod's host ports); nothing is ever recomputed by scanning pods.

The results of the node-local filters and scores are cached outside, in
:class:`~k8stui.engine.scheduler.local_cache.LocalCache` (indexed by ``rank``); whoever
changes a NodeInfo tells that cache (the Scheduler does).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from k8stui.engine.apimachinery.quantity import parse_cpu, parse_memory
from k8stui.engine.scheduler.podspec import PodView, normalize_image

DEFAULT_MAX_PODS = 110
HOSTNAME_KEY = "kubernetes.io/hostname"
ZONE_KEY = "topology.kubernetes.io/zone"

# (has the hostname label, has the zone label, zone value or "" when missing)
SpreadKey = tuple[bool, bool, str]

_DIGITS = re.compile(r"(\d+)")


def natural_key(name: str) -> tuple[str | int, ...]:
    """Sort key where digit runs compare as numbers: worker-2 < worker-10."""
    parts = _DIGITS.split(name)
    # re.split alternates text, number, text, ... so element types line up across names.
    return tuple(int(p) if i % 2 else p for i, p in enumerate(parts))


def _resource(status: Mapping[str, Any], name: str) -> Any:
    allocatable = status.get("allocatable") or {}
    if name in allocatable:
        return allocatable[name]
    return (status.get("capacity") or {}).get(name)


class NodeInfo:
    """One node's static description plus the running totals of its bound pods."""

    __slots__ = (
        "alloc_cpu",
        "alloc_memory",
        "alloc_pods",
        "alloc_scalar",
        "host_ports",
        "images",
        "labels",
        "name",
        "nz_cpu",
        "nz_memory",
        "pod_count",
        "pods",
        "present",
        "rank",
        "req_cpu",
        "req_memory",
        "req_scalar",
        "spread_class",
        "spread_key",
        "taints",
        "unschedulable",
        "wildcard_ports",
    )

    def __init__(self, name: str) -> None:
        self.name = name
        # False while pods reference a node the scheduler has not seen (or that was removed):
        # their resources are still accounted, but the node is never a candidate.
        self.present = False
        self.rank = 0  # position in natural name order, for the deterministic tie-break
        self.labels: dict[str, str] = {}
        # The system-default spreading only looks at the hostname and zone labels; this
        # summary (interned by the scheduler as spread_class) lets it group nodes by class
        # instead of reading labels node by node.
        self.spread_key: SpreadKey = (False, False, "")
        self.spread_class = -1  # spread_key interned by the scheduler (default_spread.py)
        self.taints: tuple[tuple[str, str, str], ...] = ()
        self.unschedulable = False
        self.alloc_cpu = 0
        self.alloc_memory = 0
        self.alloc_pods = DEFAULT_MAX_PODS
        self.alloc_scalar: dict[str, int] = {}
        self.images: dict[str, int] = {}
        self.req_cpu = 0
        self.req_memory = 0
        self.req_scalar: dict[str, int] = {}
        self.nz_cpu = 0
        self.nz_memory = 0
        self.pod_count = 0
        # (protocol, port, ip) -> users, and (protocol, port) -> users of any ip.
        self.host_ports: dict[tuple[str, int, str], int] = {}
        self.wildcard_ports: dict[tuple[str, int], int] = {}
        self.pods: dict[str, PodView] = {}

    def set_node(self, node: Mapping[str, Any]) -> bool:
        """Take labels, taints, cordon state, allocatable and images from a Node object.

        Returns whether anything the scheduler looks at changed: the engine writes node
        status often (conditions, heartbeats) and most writes change nothing relevant.
        """
        meta = node.get("metadata") or {}
        spec = node.get("spec") or {}
        status = node.get("status") or {}
        labels = {str(k): str(v) for k, v in (meta.get("labels") or {}).items()}
        taints = tuple(
            (str(t.get("key") or ""), str(t.get("value") or ""), str(t.get("effect") or ""))
            for t in spec.get("taints") or []
        )
        unschedulable = bool(spec.get("unschedulable"))
        alloc_cpu = parse_cpu(_resource(status, "cpu"))
        alloc_memory = parse_memory(_resource(status, "memory"))
        pods = _resource(status, "pods")
        alloc_pods = int(parse_memory(pods)) if pods is not None else DEFAULT_MAX_PODS
        names = set(status.get("allocatable") or {}) | set(status.get("capacity") or {})
        alloc_scalar = {
            n: parse_memory(_resource(status, n))
            for n in sorted(names)
            if n not in ("cpu", "memory", "pods")
        }
        images: dict[str, int] = {}
        for image in status.get("images") or []:
            size = int(image.get("sizeBytes") or 0)
            for name in image.get("names") or []:
                images[normalize_image(str(name))] = size
        new = (labels, taints, unschedulable, alloc_cpu, alloc_memory, alloc_pods, alloc_scalar)
        old = (
            self.labels,
            self.taints,
            self.unschedulable,
            self.alloc_cpu,
            self.alloc_memory,
            self.alloc_pods,
            self.alloc_scalar,
        )
        changed = not self.present or new != old or images != self.images
        self.present = True
        self.labels = labels
        self.taints = taints
        self.unschedulable = unschedulable
        self.alloc_cpu = alloc_cpu
        self.alloc_memory = alloc_memory
        self.alloc_pods = alloc_pods
        self.alloc_scalar = alloc_scalar
        self.images = images
        zone = labels.get(ZONE_KEY)
        self.spread_key = (HOSTNAME_KEY in labels, zone is not None, zone or "")
        return changed

    def add_pod(self, pod: PodView) -> None:
        """Account a pod bound to this node."""
        self.pods[pod.key] = pod
        self.pod_count += 1
        self.req_cpu += pod.cpu
        self.req_memory += pod.memory
        self.nz_cpu += pod.nz_cpu
        self.nz_memory += pod.nz_memory
        for name, value in pod.scalar:
            self.req_scalar[name] = self.req_scalar.get(name, 0) + value
        for protocol, port, ip in pod.host_ports:
            key = (protocol, port, ip)
            self.host_ports[key] = self.host_ports.get(key, 0) + 1
            self.wildcard_ports[(protocol, port)] = self.wildcard_ports.get((protocol, port), 0) + 1

    def remove_pod(self, pod: PodView) -> None:
        """Release a pod's resources (it was deleted, finished or moved)."""
        if self.pods.pop(pod.key, None) is None:
            return
        self.pod_count -= 1
        self.req_cpu -= pod.cpu
        self.req_memory -= pod.memory
        self.nz_cpu -= pod.nz_cpu
        self.nz_memory -= pod.nz_memory
        for name, value in pod.scalar:
            left = self.req_scalar.get(name, 0) - value
            if left:
                self.req_scalar[name] = left
            else:
                self.req_scalar.pop(name, None)
        for protocol, port, ip in pod.host_ports:
            _decrement(self.host_ports, (protocol, port, ip))
            _decrement(self.wildcard_ports, (protocol, port))

    def port_conflict(self, protocol: str, port: int, ip: str) -> bool:
        """A wildcard address clashes with any user of the port; a specific one with itself
        and with the wildcard."""
        if ip == "0.0.0.0":
            return self.wildcard_ports.get((protocol, port), 0) > 0
        return (
            self.host_ports.get((protocol, port, ip), 0) > 0
            or self.host_ports.get((protocol, port, "0.0.0.0"), 0) > 0
        )


def _decrement(counts: dict[Any, int], key: Any) -> None:
    left = counts.get(key, 0) - 1
    if left > 0:
        counts[key] = left
    else:
        counts.pop(key, None)
