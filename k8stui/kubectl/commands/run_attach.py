"""``kubectl run -i/-t/--attach [--rm]``: wait for the pod, show its output, clean up.

The simulated clock advances while kubectl waits, as it does on a cluster: first for the
pod to start (``--pod-running-timeout``), then for its process to end. A process that does
not end within five minutes of simulated time is left running with a clear message, because a
script or the console cannot type into it.
"""

from __future__ import annotations

from typing import Any

from k8stui.engine.errors import ApiError
from k8stui.kubectl.commands.base import Invocation, KubectlError

Obj = dict[str, Any]

RUN_LIMIT_S = 300
"""How long (simulated seconds) an attached run may take before kubectl stops waiting."""


def _state(pod: Obj | None) -> str:
    if pod is None:
        return "gone"
    phase = str((pod.get("status") or {}).get("phase") or "Pending")
    if phase in ("Succeeded", "Failed"):
        return phase
    statuses = (pod.get("status") or {}).get("containerStatuses") or []
    if statuses and all("running" in (s.get("state") or {}) for s in statuses):
        return "Running"
    if any("terminated" in (s.get("state") or {}) for s in statuses):
        return "Terminated"
    return "Pending"


def _wait(
    inv: Invocation, name: str, namespace: str, until: set[str], limit_s: float
) -> Obj | None:
    waited = 0.0
    pod = inv.cluster.get("Pod", name, namespace)
    while _state(pod) not in until and waited < limit_s:
        inv.cluster.advance(1)
        waited += 1
        pod = inv.cluster.get("Pod", name, namespace)
    return pod


def _exit_code(pod: Obj) -> int:
    for status in (pod.get("status") or {}).get("containerStatuses") or []:
        terminated = (status.get("state") or {}).get("terminated")
        if terminated is None:
            terminated = (status.get("lastState") or {}).get("terminated")
        if terminated:
            return int(terminated.get("exitCode") or 0)
    return 0


def attach(
    inv: Invocation, name: str, namespace: str, *, rm: bool, tty: bool, timeout_s: float
) -> None:
    """Wait for pod ``name``, print its container's output, delete it when ``rm``."""
    pod = _wait(
        inv, name, namespace, {"Running", "Succeeded", "Failed", "Terminated", "gone"}, timeout_s
    )
    if pod is None or _state(pod) == "Pending":
        raise KubectlError("error: timed out waiting for the condition")
    if tty and inv.flag("stdin"):
        inv.out.err("If you don't see a command prompt, try pressing enter.")
    pod = _wait(inv, name, namespace, {"Succeeded", "Failed", "Terminated", "gone"}, RUN_LIMIT_S)
    container = pod["spec"]["containers"][0]["name"] if pod else name
    lines = inv.cluster.kubelets.logs(pod, container) if pod else None
    if lines is None and pod is not None:
        lines = inv.cluster.kubelets.logs(pod, container, previous=True)
    inv.out.out("".join(f"{line}\n" for line in lines or []))
    if pod is not None and _state(pod) in ("Running", "Pending"):
        raise KubectlError(
            f"error: {name} is still running after {RUN_LIMIT_S // 60}m of simulated time; "
            "k8stui does not simulate interactive sessions here (use kubectl logs or exec)"
        )
    code = _exit_code(pod) if pod is not None else 0
    if rm:
        try:
            inv.cluster.delete("Pod", name, namespace)
        except ApiError as exc:
            inv.out.fail(exc.kubectl_text())
        else:
            _wait(inv, name, namespace, {"gone"}, 120)
            inv.out.out(f'pod "{name}" deleted')
    if code:
        inv.out.fail(f"pod {namespace}/{name} terminated (Error)")
