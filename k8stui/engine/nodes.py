"""Node objects: how a machine of a given size registers with the API server."""

from __future__ import annotations

import hashlib
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator

from k8stui.engine.apimachinery.quantity import QuantityError, parse_cpu, parse_memory
from k8stui.engine.clock import to_timestamp

KUBELET_VERSION = "v1.32.0"
MAX_NODES = 5000
"""Kubernetes' documented scalability limit: no more than 5,000 nodes in one cluster."""
MAX_NODE_CPU = 4096
"""Cores one simulated machine may have (today's largest servers have a few hundred)."""
MAX_NODE_MEMORY = 2**50
"""Bytes of memory one simulated machine may have (1Pi)."""
CONTROL_PLANE_TAINT = {"key": "node-role.kubernetes.io/control-plane", "effect": "NoSchedule"}


class Taint(BaseModel):
    """A node taint as written in a level or a Node manifest."""

    model_config = ConfigDict(extra="forbid")

    key: str
    value: str | None = None
    effect: str = Field("NoSchedule", pattern="^(NoSchedule|PreferNoSchedule|NoExecute)$")


class NodeSpec(BaseModel):
    """The shape of one simulated machine."""

    model_config = ConfigDict(extra="forbid")

    name: str = Field(pattern=r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")
    cpu: str = "2"
    memory: str = "4Gi"
    pods: int = Field(110, ge=1, le=10_000)
    labels: dict[str, str] = Field(default_factory=dict)
    zone: str | None = None
    taints: list[Taint] = Field(default_factory=list)
    role: str | None = Field(None, description="e.g. control-plane; shown in ROLES")
    unschedulable: bool = False

    @field_validator("cpu")
    @classmethod
    def _cpu_in_range(cls, value: str) -> str:
        try:
            millicores = parse_cpu(value)
        except QuantityError as exc:
            raise ValueError(f"cpu {value!r}: {exc}") from None
        if not 0 < millicores <= MAX_NODE_CPU * 1000:
            raise ValueError(
                f"cpu {value!r}: a node has more than 0 and at most {MAX_NODE_CPU} cores"
            )
        return value

    @field_validator("memory")
    @classmethod
    def _memory_in_range(cls, value: str) -> str:
        try:
            amount = parse_memory(value)
        except QuantityError as exc:
            raise ValueError(f"memory {value!r}: {exc}") from None
        if not 0 < amount <= MAX_NODE_MEMORY:
            raise ValueError(f"memory {value!r}: a node has more than 0 and at most 1Pi of memory")
        return value


def default_nodes(workers: int = 3, cpu: str = "2", memory: str = "4Gi") -> list[NodeSpec]:
    """The default sandbox: a tainted control-plane node plus ``worker-1..N``."""
    if not 0 <= workers < MAX_NODES:
        raise ValueError(f"a cluster has at most {MAX_NODES} nodes (asked for {workers} workers)")
    nodes = [
        NodeSpec(
            name="control-plane",
            cpu="2",
            memory="4Gi",
            role="control-plane",
            taints=[Taint(key=CONTROL_PLANE_TAINT["key"], effect="NoSchedule")],
        )
    ]
    nodes += [NodeSpec(name=f"worker-{i}", cpu=cpu, memory=memory) for i in range(1, workers + 1)]
    return nodes


def _memory_ki(text: str) -> str:
    # Nodes report memory in Ki, as a real kubelet does (e.g. 4194304Ki).
    return f"{parse_memory(text) // 1024}Ki"


def _digest(*parts: str) -> str:
    return hashlib.sha256("/".join(parts).encode()).hexdigest()


def build_node(spec: NodeSpec, index: int, now_ms: int) -> dict[str, Any]:
    """The Node object a kubelet registers for ``spec`` (index picks its IPs)."""
    labels = {
        "beta.kubernetes.io/arch": "amd64",
        "beta.kubernetes.io/os": "linux",
        "kubernetes.io/arch": "amd64",
        "kubernetes.io/hostname": spec.name,
        "kubernetes.io/os": "linux",
    }
    if spec.role:
        labels[f"node-role.kubernetes.io/{spec.role}"] = ""
    if spec.zone:
        labels["topology.kubernetes.io/zone"] = spec.zone
    labels.update(spec.labels)
    capacity = {
        "cpu": str(parse_cpu(spec.cpu) // 1000) if parse_cpu(spec.cpu) % 1000 == 0 else spec.cpu,
        "ephemeral-storage": "102626232Ki",
        "hugepages-1Gi": "0",
        "hugepages-2Mi": "0",
        "memory": _memory_ki(spec.memory),
        "pods": str(spec.pods),
    }
    stamp = to_timestamp(now_ms)
    node_spec: dict[str, Any] = {
        "podCIDR": pod_cidr(index),
        "podCIDRs": [pod_cidr(index)],
    }
    taints = [t.model_dump(exclude_none=True) for t in spec.taints]
    if taints:
        node_spec["taints"] = taints
    if spec.unschedulable:
        node_spec["unschedulable"] = True
    digest = _digest("node", spec.name)
    return {
        "apiVersion": "v1",
        "kind": "Node",
        "metadata": {
            "name": spec.name,
            "labels": labels,
            "annotations": {
                "node.alpha.kubernetes.io/ttl": "0",
                "volumes.kubernetes.io/controller-managed-attach-detach": "true",
            },
        },
        "spec": node_spec,
        "status": {
            "capacity": capacity,
            "allocatable": dict(capacity),
            "conditions": ready_conditions(stamp),
            "addresses": [
                {"type": "InternalIP", "address": node_ip(index)},
                {"type": "Hostname", "address": spec.name},
            ],
            "daemonEndpoints": {"kubeletEndpoint": {"Port": 10250}},
            "nodeInfo": {
                "machineID": digest[:32],
                "systemUUID": f"{digest[:8]}-{digest[8:12]}-{digest[12:16]}-{digest[16:20]}-{digest[20:32]}",
                "bootID": _digest("boot", spec.name, str(now_ms))[:32],
                "kernelVersion": "6.1.0-28-amd64",
                "osImage": "Debian GNU/Linux 12 (bookworm)",
                "containerRuntimeVersion": "containerd://1.7.24",
                "kubeletVersion": KUBELET_VERSION,
                "kubeProxyVersion": KUBELET_VERSION,
                "operatingSystem": "linux",
                "architecture": "amd64",
            },
            "images": [],
        },
    }


def ready_conditions(stamp: str) -> list[dict[str, Any]]:
    """The four conditions of a healthy node, as its kubelet posts them."""

    def cond(type_: str, status: str, reason: str, message: str) -> dict[str, Any]:
        return {
            "type": type_,
            "status": status,
            "lastHeartbeatTime": stamp,
            "lastTransitionTime": stamp,
            "reason": reason,
            "message": message,
        }

    return [
        cond(
            "MemoryPressure",
            "False",
            "KubeletHasSufficientMemory",
            "kubelet has sufficient memory available",
        ),
        cond("DiskPressure", "False", "KubeletHasNoDiskPressure", "kubelet has no disk pressure"),
        cond(
            "PIDPressure",
            "False",
            "KubeletHasSufficientPID",
            "kubelet has sufficient PID available",
        ),
        cond("Ready", "True", "KubeletReady", "kubelet is posting ready status"),
    ]


def node_startup_events(name: str) -> list[tuple[str, str, str]]:
    """(reason, message, source) of the events a node's registration produces, in order."""
    status = f"Node {name} status is now: "
    return [
        ("Starting", "Starting kubelet.", "kubelet"),
        ("NodeAllocatableEnforced", "Updated Node Allocatable limit across pods", "kubelet"),
        ("NodeHasSufficientMemory", status + "NodeHasSufficientMemory", "kubelet"),
        ("NodeHasNoDiskPressure", status + "NodeHasNoDiskPressure", "kubelet"),
        ("NodeHasSufficientPID", status + "NodeHasSufficientPID", "kubelet"),
        (
            "RegisteredNode",
            f"Node {name} event: Registered Node {name} in Controller",
            "node-controller",
        ),
        ("NodeReady", status + "NodeReady", "kubelet"),
    ]


def node_ip(index: int) -> str:
    """InternalIP of the index-th node (a kind-like docker network)."""
    return f"172.18.{index // 250}.{index % 250 + 2}"


def pod_cidr(index: int) -> str:
    """The /24 pod range of the index-th node."""
    return f"10.244.{index}.0/24" if index < 256 else f"10.{244 + index // 256}.{index % 256}.0/24"


def condition(node: dict[str, Any], type_: str) -> dict[str, Any] | None:
    """A node condition by type."""
    for cond in (node.get("status") or {}).get("conditions") or []:
        if cond.get("type") == type_:
            return dict(cond)
    return None


def is_ready(node: dict[str, Any]) -> bool:
    """Ready condition is True."""
    cond = condition(node, "Ready")
    return bool(cond and cond.get("status") == "True")
