"""The pod ``kubectl attach`` and ``port-forward`` use for ``POD`` or ``TYPE/NAME``.

For a controller or a Service kubectl takes one of the selected pods when the command runs:
the "most active" one (the reverse of the order ``podutils.ActivePods`` gives).
"""

from __future__ import annotations

from typing import Any

from k8stui.engine.apimachinery.selectors import from_equality, from_label_selector
from k8stui.kubectl.commands.base import Invocation, KubectlError
from k8stui.kubectl.commands.resources import UnknownResource, resolve

Obj = dict[str, Any]


def _rank(pod: Obj) -> tuple[bool, int, bool, str, int, str, str]:
    # kubectl takes the "most active" pod (podutils.ActivePods, reversed): on a node, running,
    # ready, ready the longest, fewest restarts, oldest; the name breaks what is left of a tie.
    status = pod.get("status") or {}
    phase = {"Running": 2, "Unknown": 1}.get(str(status.get("phase")), 0)
    conditions: list[Obj] = status.get("conditions") or []
    ready: Obj = next((c for c in conditions if c.get("type") == "Ready"), {})
    restarts = sum(int(c.get("restartCount") or 0) for c in status.get("containerStatuses") or [])
    created = str(pod["metadata"].get("creationTimestamp") or "")
    return (
        not (pod.get("spec") or {}).get("nodeName"),
        -phase,
        ready.get("status") != "True",
        str(ready.get("lastTransitionTime") or ""),
        restarts,
        created,
        str(pod["metadata"]["name"]),
    )


def _first_pod(inv: Invocation, kind: str, label: str, obj: Obj) -> Obj:
    # ``label`` is the Go type kubectl names in its error (``*v1.ConfigMap``).
    spec = obj.get("spec") or {}
    if kind in ("ReplicationController", "Service"):
        selector = from_equality(spec.get("selector"))
    elif kind in ("ReplicaSet", "Deployment", "DaemonSet", "StatefulSet", "Job"):
        selector = from_label_selector(spec.get("selector"))
    else:
        raise KubectlError(f"error: cannot attach to {label}: selector for {label} not implemented")
    pods = [
        p
        for p in inv.cluster.list("Pod", inv.namespace)
        if selector.matches((p.get("metadata") or {}).get("labels"))
        and not (p.get("metadata") or {}).get("deletionTimestamp")
    ]
    if selector.empty or not pods:
        raise KubectlError("error: timed out waiting for the condition")
    return min(pods, key=_rank)


def attachable_pod(inv: Invocation, word: str) -> tuple[Obj | None, Obj]:
    """The pod ``POD`` or ``TYPE/NAME`` means, and the Service when ``word`` names one."""
    if "/" not in word:
        return None, inv.lookup(resolve("pods"), word)
    type_word, _, name = word.partition("/")
    try:
        res = resolve(type_word)
    except UnknownResource as exc:
        raise KubectlError(f"error: {exc}") from None
    obj = inv.lookup(res, name)
    if res.kind == "Pod":
        return None, obj
    return (obj if res.kind == "Service" else None), _first_pod(
        inv, res.kind, f"*{res.version}.{res.kind}", obj
    )
