"""The scheduler reuses its digest of a pod for the pod's binding write (podspec.bound_view)."""

from __future__ import annotations

from typing import Any

from k8stui.engine.scheduler.podspec import bound_view, pod_view

Obj = dict[str, Any]


def _pod(**spec: Any) -> Obj:
    return {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {
            "name": "web-1",
            "namespace": "shop",
            "uid": "u-1",
            "labels": {"app": "web", "tier": "front"},
        },
        "spec": {
            "containers": [
                {
                    "name": "app",
                    "image": "nginx:1.27",
                    "ports": [{"containerPort": 80, "hostPort": 8080}],
                    "resources": {"requests": {"cpu": "250m", "memory": "64Mi"}},
                }
            ],
            "tolerations": [{"key": "k", "operator": "Exists", "effect": "NoSchedule"}],
            **spec,
        },
    }


def _bind(pod: Obj, node: str) -> Obj:
    """The binding write as the store makes it: new top level, metadata and spec dicts."""
    return {**pod, "metadata": dict(pod["metadata"]), "spec": {**pod["spec"], "nodeName": node}}


AFFINITY = {
    "podAntiAffinity": {
        "requiredDuringSchedulingIgnoredDuringExecution": [
            {"labelSelector": {"matchLabels": {"app": "web"}}, "topologyKey": "zone"}
        ]
    },
    "nodeAffinity": {
        "requiredDuringSchedulingIgnoredDuringExecution": {
            "nodeSelectorTerms": [{"matchExpressions": [{"key": "disk", "operator": "Exists"}]}]
        }
    },
}


def test_the_bound_pods_view_is_the_one_a_fresh_digest_gives() -> None:
    for pod in (_pod(), _pod(affinity=AFFINITY, nodeSelector={"disk": "ssd"})):
        view = pod_view(pod)
        bound = _bind(pod, "worker-2")
        moved = bound_view(view, pod, bound)
        assert moved is not None
        assert moved == pod_view(bound)
        assert moved.node_name == "worker-2" and view.node_name == ""


def test_any_other_change_in_the_write_digests_again() -> None:
    pod = _pod()
    view = pod_view(pod)
    relabelled = _bind(pod, "worker-2")
    relabelled["metadata"]["labels"] = {"app": "web"}
    respecced = _bind(pod, "worker-2")
    respecced["spec"]["tolerations"] = []
    unbound = {**pod, "metadata": dict(pod["metadata"])}
    for after in (relabelled, respecced, unbound):
        assert bound_view(view, pod, after) is None
    already = _bind(pod, "worker-1")
    assert bound_view(pod_view(already), already, _bind(already, "worker-2")) is None
