"""The pod ``kubectl attach`` and ``port-forward`` use for ``POD`` or ``TYPE/NAME``.

For a controller or a Service kubectl takes one of the selected pods when the command runs:
the "most active" one (the reverse of the order ``podutils.ActivePods`` gives).
"""

from __future__ import annotations

from typing import Any

from k8stui.engine.apimachinery.selectors import from_equality, from_label_selector
from k8stui.kubectl.commands.base import Invocation, KubectlError
from k8stui.kubectl.commands.resources import Resource, UnknownResource, resolve

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


def _selected_pods(inv: Invocation, kind: str, label: str, obj: Obj, action: str) -> list[Obj]:
    # ``label`` is the Go type kubectl names in its error (``*v1.ConfigMap``).
    spec = obj.get("spec") or {}
    if kind in ("ReplicationController", "Service"):
        selector = from_equality(spec.get("selector"))
    elif kind in ("ReplicaSet", "Deployment", "DaemonSet", "StatefulSet", "Job"):
        selector = from_label_selector(spec.get("selector"))
    else:
        raise KubectlError(f"error: cannot {action} {label}: selector for {label} not implemented")
    pods = [
        p
        for p in inv.cluster.list("Pod", inv.namespace)
        if selector.matches((p.get("metadata") or {}).get("labels"))
        and not (p.get("metadata") or {}).get("deletionTimestamp")
    ]
    if selector.empty or not pods:
        raise KubectlError("error: timed out waiting for the condition")
    return pods


def named_object(inv: Invocation, word: str) -> tuple[Resource, Obj]:
    """The object ``POD`` or ``TYPE/NAME`` names (before any pod is chosen), and its kind."""
    type_word, _, name = word.partition("/") if "/" in word else ("pods", "", word)
    try:
        res = resolve(type_word)
    except UnknownResource as exc:
        raise KubectlError(f"error: {exc}") from None
    return res, inv.lookup(res, name)


def pod_for_object(
    inv: Invocation, word: str, action: str = "attach to"
) -> tuple[Obj | None, Obj, int]:
    """The pod ``POD`` or ``TYPE/NAME`` means, the Service when ``word`` names one, and how
    many pods the object selects (1 for a pod). ``action`` goes into kubectl's error for a
    kind without a pod selector (``cannot attach to``, ``cannot get the logs from``)."""
    res, obj = named_object(inv, word)
    if res.kind == "Pod":
        return None, obj, 1
    pods = _selected_pods(inv, res.kind, f"*{res.version}.{res.kind}", obj, action)
    return (obj if res.kind == "Service" else None), min(pods, key=_rank), len(pods)


def attachable_pod(inv: Invocation, word: str) -> tuple[Obj | None, Obj]:
    """The pod ``POD`` or ``TYPE/NAME`` means, and the Service when ``word`` names one."""
    service, pod, _ = pod_for_object(inv, word)
    return service, pod
