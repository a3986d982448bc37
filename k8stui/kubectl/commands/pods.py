"""Finding the pod and container a command means (``logs``, ``exec``): ``POD``, ``TYPE/NAME``,
``-c``, and kubectl's container defaulting."""

from __future__ import annotations

from typing import Any

from k8stui.engine.apimachinery.selectors import from_equality, from_label_selector
from k8stui.kubectl.commands.base import Invocation, KubectlError
from k8stui.kubectl.commands.resources import UnknownResource, resolve

Obj = dict[str, Any]


def find_pod(inv: Invocation, word: str) -> Obj:
    """``POD`` or ``TYPE/NAME`` (for a controller: its first pod, as kubectl picks one)."""
    if "/" not in word:
        return inv.lookup(resolve("pods"), word)
    type_word, _, name = word.partition("/")
    try:
        res = resolve(type_word)
    except UnknownResource as exc:
        raise KubectlError(f"error: {exc}") from None
    obj = inv.lookup(res, name)
    if res.kind == "Pod":
        return obj
    spec = obj.get("spec") or {}
    if res.kind in ("ReplicationController", "Service"):
        selector = from_equality(spec.get("selector"))
    elif res.kind in ("ReplicaSet", "Deployment", "DaemonSet", "StatefulSet", "Job"):
        selector = from_label_selector(spec.get("selector"))
    else:
        raise KubectlError(
            f"error: cannot attach to {res.singular_qualified}: selector for {res.singular_qualified} not implemented"
        )
    pods = [
        p
        for p in inv.cluster.list("Pod", inv.namespace)
        if selector.matches((p.get("metadata") or {}).get("labels"))
        and not (p.get("metadata") or {}).get("deletionTimestamp")
    ]
    if selector.empty or not pods:
        raise KubectlError("error: timed out waiting for the condition")
    return sorted(pods, key=lambda p: p["metadata"]["name"])[0]


def all_container_names(pod: Obj) -> str:
    """``init (init), app, sidecar`` as kubectl lists a pod's containers."""
    spec = pod.get("spec") or {}
    names = [f"{c['name']} (init)" for c in spec.get("initContainers") or []]
    names += [str(c["name"]) for c in spec.get("containers") or []]
    return ", ".join(names)


def pick_container(inv: Invocation, pod: Obj) -> Obj:
    """The ``-c`` container, or the default one (announced on stderr when there is a choice)."""
    spec = pod.get("spec") or {}
    every = [*(spec.get("initContainers") or []), *(spec.get("containers") or [])]
    wanted = inv.flag("container")
    if wanted:
        for container in every:
            if container.get("name") == wanted:
                return dict(container)
        raise KubectlError(
            f"error: container {wanted} is not valid for pod {pod['metadata']['name']}"
        )
    annotations = (pod.get("metadata") or {}).get("annotations") or {}
    default = annotations.get("kubectl.kubernetes.io/default-container")
    containers = spec.get("containers") or []
    chosen = next((c for c in containers if c.get("name") == default), None)
    if chosen is None:
        chosen = containers[0]
        if len(every) > 1:
            inv.out.err(
                f'Defaulted container "{chosen["name"]}" out of: {all_container_names(pod)}'
            )
    return dict(chosen)


def container_status(pod: Obj, name: str) -> Obj:
    """The container's status entry ({} when the kubelet has not reported it)."""
    status = pod.get("status") or {}
    for entry in [
        *(status.get("initContainerStatuses") or []),
        *(status.get("containerStatuses") or []),
    ]:
        if entry.get("name") == name:
            return dict(entry)
    return {}
