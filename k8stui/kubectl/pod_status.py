"""The READY / STATUS / RESTARTS cells of ``kubectl get pods`` (``printPod``, reference §2.4).

The rules are applied in the printer's order; the comments name the step of §2.4 they implement.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from k8stui.kubectl.duration import human_duration, timestamp_ms

# node.NodeUnreachablePodReason: only the legacy node-lifecycle path sets it.
_NODE_LOST = "NodeLost"


@dataclass(frozen=True)
class PodCells:
    """The three derived cells of a pod row."""

    ready: str
    status: str
    restarts: str


def _condition_true(pod: dict[str, Any], kind: str) -> bool:
    for condition in (pod.get("status") or {}).get("conditions") or []:
        if condition.get("type") == kind:
            return bool(condition.get("status") == "True")
    return False


def _is_sidecar(container: dict[str, Any] | None) -> bool:
    return bool(container) and (container or {}).get("restartPolicy") == "Always"


def _finished_ms(status: dict[str, Any]) -> int | None:
    terminated = (status.get("lastState") or {}).get("terminated")
    if not terminated or not terminated.get("finishedAt"):
        return None
    try:
        return timestamp_ms(terminated["finishedAt"])
    except ValueError:
        return None


def _later(current: int | None, candidate: int | None) -> int | None:
    if candidate is None:
        return current
    if current is None or candidate > current:
        return candidate
    return current


def pod_cells(pod: dict[str, Any], now_ms: int) -> PodCells:
    """Compute READY, STATUS and RESTARTS for one pod exactly as the server printer does."""
    spec = pod.get("spec") or {}
    status = pod.get("status") or {}
    metadata = pod.get("metadata") or {}
    init_specs = spec.get("initContainers") or []

    # 1. TOTAL counts app containers plus sidecars (restartable init containers).
    total = len(spec.get("containers") or []) + sum(1 for c in init_specs if _is_sidecar(c))
    ready = 0
    restarts = 0
    sidecar_restarts = 0
    last_restart: int | None = None
    last_sidecar_restart: int | None = None

    # 2. STATUS starts as status.reason, else the phase; scheduling gates override it.
    phase = status.get("phase") or ""
    reason = status.get("reason") or phase
    for condition in status.get("conditions") or []:
        if condition.get("type") == "PodScheduled" and condition.get("reason") == "SchedulingGated":
            reason = "SchedulingGated"

    # 3. Init containers, in order; the first one not done decides STATUS.
    init_by_name = {c.get("name"): c for c in init_specs}
    initializing = False
    for index, container in enumerate(status.get("initContainerStatuses") or []):
        restarts += int(container.get("restartCount") or 0)
        finished = _finished_ms(container)
        last_restart = _later(last_restart, finished)
        sidecar = _is_sidecar(init_by_name.get(container.get("name")))
        if sidecar:
            sidecar_restarts += int(container.get("restartCount") or 0)
            last_sidecar_restart = _later(last_sidecar_restart, finished)
        state = container.get("state") or {}
        terminated = state.get("terminated")
        waiting = state.get("waiting")
        if terminated and int(terminated.get("exitCode") or 0) == 0:
            continue
        if sidecar and container.get("started"):
            if container.get("ready"):
                ready += 1
            continue
        if terminated:
            if terminated.get("reason"):
                reason = "Init:" + terminated["reason"]
            elif terminated.get("signal"):
                reason = f"Init:Signal:{terminated['signal']}"
            else:
                reason = f"Init:ExitCode:{terminated.get('exitCode', 0)}"
        elif waiting and waiting.get("reason") and waiting["reason"] != "PodInitializing":
            reason = "Init:" + waiting["reason"]
        else:
            reason = f"Init:{index}/{len(init_specs)}"
        initializing = True
        break

    # 4. App containers from the last to the first, so the first one with a reason wins.
    if not initializing or _condition_true(pod, "Initialized"):
        restarts = sidecar_restarts
        last_restart = last_sidecar_restart
        has_running = False
        for container in reversed(status.get("containerStatuses") or []):
            restarts += int(container.get("restartCount") or 0)
            last_restart = _later(last_restart, _finished_ms(container))
            state = container.get("state") or {}
            waiting = state.get("waiting")
            terminated = state.get("terminated")
            if waiting and waiting.get("reason"):
                reason = waiting["reason"]
            elif terminated and terminated.get("reason"):
                reason = terminated["reason"]
            elif terminated:
                if terminated.get("signal"):
                    reason = f"Signal:{terminated['signal']}"
                else:
                    reason = f"ExitCode:{terminated.get('exitCode', 0)}"
            elif container.get("ready") and state.get("running") is not None:
                has_running = True
                ready += 1
        # 5. A "Completed" pod that still runs something is Running or NotReady.
        if reason == "Completed" and has_running:
            reason = "Running" if _condition_true(pod, "Ready") else "NotReady"

    # 6. Deletion: Unknown for NodeLost pods, Terminating unless already terminal.
    if metadata.get("deletionTimestamp"):
        if status.get("reason") == _NODE_LOST:
            reason = "Unknown"
        elif phase not in ("Succeeded", "Failed"):
            reason = "Terminating"

    # 7. RESTARTS with the age of the latest restart.
    restarts_cell = str(restarts)
    if restarts != 0 and last_restart is not None:
        restarts_cell = f"{restarts} ({human_duration((now_ms - last_restart) / 1000)} ago)"
    return PodCells(f"{ready}/{total}", reason, restarts_cell)
