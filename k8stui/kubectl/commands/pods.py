"""Finding the pod and container a command means (``logs``, ``exec``): ``POD``, ``TYPE/NAME``,
``-c``, and kubectl's container defaulting."""

from __future__ import annotations

from typing import Any

from k8stui.kubectl.commands.attachable import named_object, pod_for_object
from k8stui.kubectl.commands.base import Invocation, KubectlError

Obj = dict[str, Any]


def find_pod(inv: Invocation, word: str, *, for_logs: bool = False) -> Obj:
    """``POD`` or ``TYPE/NAME``; for a controller or Service the pod kubectl ranks first (the
    same choice as ``attach``). ``for_logs``: the wording of ``kubectl logs``, which also
    says on stderr which pod it took when the object selects more than one."""
    action = "get the logs from" if for_logs else "attach to"
    _, pod, selected = pod_for_object(inv, word, action)
    if for_logs and selected > 1:
        inv.out.err(f"Found {selected} pods, using pod/{pod['metadata']['name']}")
    return pod


def check_target(inv: Invocation, word: str) -> None:
    """That ``POD`` or ``TYPE/NAME`` exists (its NotFound error), without choosing a pod."""
    named_object(inv, word)


def all_container_names(pod: Obj) -> str:
    """``app, sidecar, debug (ephem), init (init)`` as kubectl lists a pod's containers."""
    spec = pod.get("spec") or {}
    names = [str(c["name"]) for c in spec.get("containers") or []]
    names += [f"{c['name']} (ephem)" for c in spec.get("ephemeralContainers") or []]
    names += [f"{c['name']} (init)" for c in spec.get("initContainers") or []]
    return ", ".join(names)


def pick_container(inv: Invocation, pod: Obj, *, for_exec: bool = False) -> Obj:
    """The ``-c`` container, or the default one (announced on stderr when there is a choice).

    ``for_exec``: ``exec`` sends an unknown ``-c`` unchecked (the API server's BadRequest
    answers) and passes over a default-container annotation naming no container in silence;
    ``logs`` reports both itself."""
    spec = pod.get("spec") or {}
    every = [*(spec.get("initContainers") or []), *(spec.get("containers") or [])]
    name = pod["metadata"]["name"]
    wanted = inv.flag("container")
    if wanted:
        for container in every:
            if container.get("name") == wanted:
                return dict(container)
        origin = "Error from server (BadRequest)" if for_exec else "error"
        raise KubectlError(f"{origin}: container {wanted} is not valid for pod {name}")
    annotations = (pod.get("metadata") or {}).get("annotations") or {}
    default = annotations.get("kubectl.kubernetes.io/default-container")
    containers = spec.get("containers") or []
    chosen = next((c for c in containers if c.get("name") == default), None)
    if chosen is None:
        if default and not for_exec:
            inv.out.err(f'Default container name "{default}" not found in pod {name}')
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
