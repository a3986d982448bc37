"""Pairs of (live object, new manifest) for ``kubectl apply``: the three-way patch cases.

Each live object is a previous manifest carrying its last-applied annotation plus what a
server adds (defaults, status, a controller's sidecar); ``tests/apply_probe.py`` records the
patch the real kubectl sends for each pair.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

from tests.apply_probe import with_last_applied

Obj = dict[str, Any]


def _pod(image: str = "luksa/kubia", **labels: str) -> Obj:
    return {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {
            "name": "kubia-manual",
            "namespace": "default",
            "labels": {"app": "manual", **labels},
        },
        "spec": {
            "containers": [
                {
                    "name": "kubia",
                    "image": image,
                    "ports": [{"containerPort": 8080, "protocol": "TCP"}],
                }
            ]
        },
    }


def _served(manifest: Obj, extra: Callable[[Obj], None] | None = None) -> Obj:
    live = with_last_applied(copy.deepcopy(manifest))
    live["metadata"].update(
        {"uid": "u-1", "resourceVersion": "7", "creationTimestamp": "2025-01-01T00:00:00Z"}
    )
    live["status"] = {"phase": "Running"}
    if extra is not None:
        extra(live)
    return live


def _deploy(
    containers: list[Obj],
    replicas: int = 2,
    strategy: Obj | None = None,
    volumes: list[Obj] | None = None,
    **labels: str,
) -> Obj:
    spec: Obj = {"containers": containers}
    if volumes is not None:
        spec["volumes"] = volumes
    out: Obj = {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": {"name": "web", "labels": {"app": "web", **labels}},
        "spec": {
            "replicas": replicas,
            "selector": {"matchLabels": {"app": "web"}},
            "template": {"metadata": {"labels": {"app": "web"}}, "spec": spec},
        },
    }
    if strategy is not None:
        out["spec"]["strategy"] = strategy
    return out


def _sidecar(live: Obj) -> None:
    # A controller added a container and defaulted fields the manifest never had.
    spec = live["spec"]["template"]["spec"]
    spec["containers"].insert(1, {"name": "injected", "image": "proxy"})
    spec["containers"][0]["imagePullPolicy"] = "IfNotPresent"
    spec["restartPolicy"] = "Always"
    live["spec"]["strategy"] = live["spec"].get("strategy") or {
        "type": "RollingUpdate",
        "rollingUpdate": {"maxSurge": "25%", "maxUnavailable": "25%"},
    }


_APP = {
    "name": "app",
    "image": "nginx:1.25",
    "env": [{"name": "A", "value": "1"}, {"name": "B", "value": "2"}],
    "args": ["--x"],
}
_LOG = {"name": "log", "image": "busybox"}

SCENARIOS: dict[str, tuple[Callable[[], Obj], Callable[[], Obj]]] = {
    # The reference's own case (kubectl-requests/v3min.txt): new image and a new label.
    "pod_image_and_label": (lambda: _served(_pod()), lambda: _pod("luksa/kubia:v2", tier="web")),
    "unchanged": (lambda: _served(_pod()), lambda: _pod()),
    "deploy_env_removed_container_added": (
        lambda: _served(_deploy([copy.deepcopy(_APP)], tier="x"), _sidecar),
        lambda: _deploy([{**_APP, "env": [{"name": "B", "value": "two"}]}, _LOG], replicas=3),
    ),
    "deploy_containers_reordered": (
        lambda: _served(_deploy([copy.deepcopy(_APP), copy.deepcopy(_LOG)]), _sidecar),
        lambda: _deploy([copy.deepcopy(_LOG), copy.deepcopy(_APP)]),
    ),
    "deploy_container_removed_args_dropped": (
        lambda: _served(_deploy([copy.deepcopy(_APP), copy.deepcopy(_LOG)])),
        lambda: _deploy([{k: v for k, v in _APP.items() if k != "args"}]),
    ),
    "deploy_strategy_to_recreate": (
        lambda: _served(
            _deploy(
                [copy.deepcopy(_LOG)],
                strategy={"type": "RollingUpdate", "rollingUpdate": {"maxSurge": 1}},
            )
        ),
        lambda: _deploy([copy.deepcopy(_LOG)], strategy={"type": "Recreate"}),
    ),
    "deploy_volume_source_switched": (
        lambda: _served(
            _deploy(
                [copy.deepcopy(_LOG)],
                volumes=[
                    {"name": "data", "emptyDir": {}},
                    {"name": "cfg", "configMap": {"name": "c"}},
                ],
            )
        ),
        lambda: _deploy(
            [copy.deepcopy(_LOG)], volumes=[{"name": "data", "hostPath": {"path": "/d"}}]
        ),
    ),
    "pod_finalizers_and_labels": (
        lambda: _served(
            {**_pod(), "metadata": {**_pod()["metadata"], "finalizers": ["a", "b"]}},
            lambda live: live["metadata"]["finalizers"].append("server"),
        ),
        lambda: {
            **_pod(),
            "metadata": {**_pod()["metadata"], "labels": {}, "finalizers": ["b", "c"]},
        },
    ),
}
