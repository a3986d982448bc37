"""READY / STATUS / RESTARTS rules of ``kubectl get pods`` (reference §2.4), one test per rule."""

from __future__ import annotations

from typing import Any

from k8stui.engine.clock import to_timestamp
from k8stui.kubectl.pod_status import PodCells, pod_cells

NOW = 1_000_000


def pod(
    statuses: list[dict[str, Any]],
    *,
    phase: str = "Running",
    containers: int | None = None,
    init: list[dict[str, Any]] | None = None,
    init_statuses: list[dict[str, Any]] | None = None,
    conditions: list[dict[str, Any]] | None = None,
    **status: Any,
) -> dict[str, Any]:
    count = len(statuses) if containers is None else containers
    return {
        "metadata": {"name": "p", "creationTimestamp": to_timestamp(0)},
        "spec": {
            "containers": [{"name": f"c{i}"} for i in range(count)],
            "initContainers": init or [],
        },
        "status": {
            "phase": phase,
            "containerStatuses": statuses,
            "initContainerStatuses": init_statuses or [],
            "conditions": conditions or [],
            **status,
        },
    }


def running(ready: bool = True, restarts: int = 0, **extra: Any) -> dict[str, Any]:
    return {"ready": ready, "restartCount": restarts, "state": {"running": {}}, **extra}


def waiting(reason: str, restarts: int = 0, **extra: Any) -> dict[str, Any]:
    return {
        "ready": False,
        "restartCount": restarts,
        "state": {"waiting": {"reason": reason}},
        **extra,
    }


def terminated(reason: str = "", exit_code: int = 0, signal: int = 0) -> dict[str, Any]:
    done: dict[str, Any] = {"exitCode": exit_code}
    if reason:
        done["reason"] = reason
    if signal:
        done["signal"] = signal
    return {"ready": False, "restartCount": 0, "state": {"terminated": done}}


def cells(obj: dict[str, Any]) -> PodCells:
    return pod_cells(obj, NOW)


def test_running_ready() -> None:
    assert cells(pod([running()])) == PodCells("1/1", "Running", "0")


def test_status_reason_wins_over_phase() -> None:
    assert cells(pod([], phase="Failed", containers=1, reason="Evicted")).status == "Evicted"


def test_scheduling_gated() -> None:
    gated = [{"type": "PodScheduled", "status": "False", "reason": "SchedulingGated"}]
    assert (
        cells(pod([], phase="Pending", containers=1, conditions=gated)).status == "SchedulingGated"
    )


def test_pending_without_statuses() -> None:
    assert cells(pod([], phase="Pending", containers=2)) == PodCells("0/2", "Pending", "0")


def test_container_creating() -> None:
    assert cells(pod([waiting("ContainerCreating")], phase="Pending")).status == "ContainerCreating"


def test_image_pull_errors() -> None:
    assert cells(pod([waiting("ErrImagePull")], phase="Pending")).status == "ErrImagePull"
    assert cells(pod([waiting("ImagePullBackOff")], phase="Pending")).status == "ImagePullBackOff"


def test_crash_loop_with_restart_age() -> None:
    last = {
        "terminated": {
            "exitCode": 137,
            "reason": "OOMKilled",
            "finishedAt": to_timestamp(NOW - 12_000),
        }
    }
    result = cells(pod([waiting("CrashLoopBackOff", restarts=3, lastState=last)]))
    assert result == PodCells("0/1", "CrashLoopBackOff", "3 (12s ago)")


def test_terminated_reasons() -> None:
    assert cells(pod([terminated("Completed")], phase="Succeeded")).status == "Completed"
    assert cells(pod([terminated("Error", 1)], phase="Failed")).status == "Error"
    assert cells(pod([terminated("OOMKilled", 137)])).status == "OOMKilled"
    assert cells(pod([terminated(exit_code=2)])).status == "ExitCode:2"
    assert cells(pod([terminated(exit_code=143, signal=15)])).status == "Signal:15"


def test_first_container_with_a_reason_wins() -> None:
    # Containers are examined last to first, so c0's reason is applied last.
    both = pod([waiting("CrashLoopBackOff"), waiting("ImagePullBackOff")])
    assert cells(both).status == "CrashLoopBackOff"
    mixed = pod([running(), waiting("CrashLoopBackOff", restarts=1)])
    assert cells(mixed).ready == "1/2"
    assert cells(mixed).status == "CrashLoopBackOff"


def test_completed_with_running_container_is_running_or_not_ready() -> None:
    ready = [{"type": "Ready", "status": "True"}]
    assert cells(pod([terminated("Completed"), running()], conditions=ready)).status == "Running"
    assert cells(pod([terminated("Completed"), running()])).status == "NotReady"


def test_running_but_not_ready_counts_zero() -> None:
    assert cells(pod([running(ready=False)])) == PodCells("0/1", "Running", "0")


def test_init_container_states() -> None:
    init = [{"name": "i0"}, {"name": "i1"}]
    done = {
        "name": "i0",
        "restartCount": 0,
        "state": {"terminated": {"exitCode": 0, "reason": "Completed"}},
    }
    base = {"phase": "Pending", "containers": 1, "init": init}
    assert cells(pod([], init_statuses=[], **base)).status == "Pending"
    pending = {"name": "i0", "restartCount": 0, "state": {"waiting": {"reason": "PodInitializing"}}}
    assert cells(pod([], init_statuses=[pending], **base)).status == "Init:0/2"
    running_init = {"name": "i1", "restartCount": 0, "state": {"running": {}}}
    assert cells(pod([], init_statuses=[done, running_init], **base)).status == "Init:1/2"
    crash = {"name": "i0", "restartCount": 4, "state": {"waiting": {"reason": "CrashLoopBackOff"}}}
    assert cells(pod([], init_statuses=[crash], **base)) == PodCells(
        "0/1", "Init:CrashLoopBackOff", "4"
    )
    failed = {
        "name": "i0",
        "restartCount": 0,
        "state": {"terminated": {"exitCode": 1, "reason": "Error"}},
    }
    assert cells(pod([], init_statuses=[failed], **base)).status == "Init:Error"
    exit_code = {"name": "i0", "restartCount": 0, "state": {"terminated": {"exitCode": 3}}}
    assert cells(pod([], init_statuses=[exit_code], **base)).status == "Init:ExitCode:3"
    signal = {
        "name": "i0",
        "restartCount": 0,
        "state": {"terminated": {"exitCode": 9, "signal": 9}},
    }
    assert cells(pod([], init_statuses=[signal], **base)).status == "Init:Signal:9"


def test_sidecar_counts_toward_total_and_ready() -> None:
    init = [{"name": "proxy", "restartPolicy": "Always"}]
    sidecar = {
        "name": "proxy",
        "ready": True,
        "started": True,
        "restartCount": 1,
        "state": {"running": {}},
    }
    obj = pod([running()], init=init, init_statuses=[sidecar])
    assert cells(obj) == PodCells("2/2", "Running", "1")


def test_terminating_and_unknown() -> None:
    deleting = pod([running()])
    deleting["metadata"]["deletionTimestamp"] = to_timestamp(NOW)
    assert cells(deleting).status == "Terminating"
    lost = pod([running()], reason="NodeLost")
    lost["metadata"]["deletionTimestamp"] = to_timestamp(NOW)
    assert cells(lost).status == "Unknown"
    finished = pod([terminated("Completed")], phase="Succeeded")
    finished["metadata"]["deletionTimestamp"] = to_timestamp(NOW)
    assert cells(finished).status == "Completed"


def test_dead_node_pod_still_shows_running() -> None:
    # §1.4: only the pod Ready condition flips; the container status still says ready+running.
    conditions = [{"type": "Ready", "status": "False"}]
    assert cells(pod([running()], conditions=conditions)) == PodCells("1/1", "Running", "0")


def test_restarts_without_finish_time_have_no_age() -> None:
    assert cells(pod([running(restarts=2)])).restarts == "2"
