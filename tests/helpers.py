"""Builders for test objects (plain Kubernetes JSON), shared by the engine tests."""

from __future__ import annotations

from typing import Any

from k8stui.engine.cluster import Cluster

Obj = dict[str, Any]


def container(name: str = "app", image: str = "luksa/kubia", **extra: Any) -> Obj:
    """A container spec."""
    return {"name": name, "image": image, **extra}


def pod(name: str, *containers: Obj, labels: dict[str, str] | None = None, **spec: Any) -> Obj:
    """A bare Pod manifest."""
    meta: Obj = {"name": name}
    if labels:
        meta["labels"] = labels
    return {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": meta,
        "spec": {"containers": list(containers) or [container()], **spec},
    }


def rc(name: str, replicas: int, labels: dict[str, str], *containers: Obj, **spec: Any) -> Obj:
    """A ReplicationController manifest."""
    return {
        "apiVersion": "v1",
        "kind": "ReplicationController",
        "metadata": {"name": name},
        "spec": {
            "replicas": replicas,
            "selector": labels,
            "template": {
                "metadata": {"labels": labels},
                "spec": {"containers": list(containers) or [container(name)], **spec},
            },
        },
    }


def deployment(name: str, replicas: int, image: str = "luksa/kubia:v1", **spec: Any) -> Obj:
    """A Deployment manifest with label app=<name>."""
    return {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": {"name": name},
        "spec": {
            "replicas": replicas,
            "selector": {"matchLabels": {"app": name}},
            "template": {
                "metadata": {"labels": {"app": name}},
                "spec": {"containers": [container(name, image, ports=[{"containerPort": 8080}])]},
            },
            **spec,
        },
    }


def service(name: str, selector: dict[str, str], port: int = 80, target: int | str = 8080) -> Obj:
    """A ClusterIP Service manifest."""
    return {
        "apiVersion": "v1",
        "kind": "Service",
        "metadata": {"name": name},
        "spec": {"selector": selector, "ports": [{"port": port, "targetPort": target}]},
    }


def pod_events(cluster: Cluster, name: str) -> list[tuple[str, str, str]]:
    """(type, reason, message) of a pod's events, oldest first."""
    obj = cluster.get("Pod", name)
    assert obj is not None, name
    return [(e["type"], e["reason"], e["message"]) for e in cluster.events(obj)]


def log_lines(cluster: Cluster, needle: str) -> list[str]:
    """Event-log lines containing ``needle``."""
    return [line for line in cluster.event_log() if needle in line]


def container_status(cluster: Cluster, pod_name: str, index: int = 0) -> Obj:
    """``status.containerStatuses[index]`` of a pod."""
    obj = cluster.get("Pod", pod_name)
    assert obj is not None
    return dict(obj["status"]["containerStatuses"][index])


def pods_of(cluster: Cluster, prefix: str) -> list[Obj]:
    """Pods whose name starts with ``prefix``."""
    return [p for p in cluster.list("Pod") if p["metadata"]["name"].startswith(prefix)]


def ready(p: Obj) -> bool:
    """Pod Ready condition is True."""
    return any(
        c["type"] == "Ready" and c["status"] == "True"
        for c in p.get("status", {}).get("conditions", [])
    )
