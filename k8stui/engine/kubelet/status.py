"""The pod status a kubelet reports, built from its runtime view of the pod's containers.

The runtime state is plain data (see ``kubelet.py``); this module only renders it into the
``status`` block of the Pod object: phase, conditions, container statuses and QoS class.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from k8stui.engine.apimachinery.quantity import parse_cpu, parse_memory
from k8stui.engine.clock import to_timestamp
from k8stui.engine.images.model import ImageRef, ImageRefError

Obj = dict[str, Any]

# Stages of a container in the kubelet's runtime state.
PENDING = "pending"  # waiting to be pulled / created
PULLING = "pulling"
PULL_FAILED = "pull_failed"  # ErrImagePull, before the next sync turns it into a back-off
PULL_BACKOFF = "pull_backoff"
RUNNING = "running"
CRASH_BACKOFF = "crash_backoff"
EXITED = "exited"  # terminated and not going to be restarted


def qos_class(pod: Obj) -> str:
    """Guaranteed, Burstable or BestEffort from the containers' requests and limits."""
    containers = (pod.get("spec") or {}).get("containers") or []
    any_set = False
    guaranteed = True
    for c in containers:
        res = c.get("resources") or {}
        req, lim = res.get("requests") or {}, res.get("limits") or {}
        if req or lim:
            any_set = True
        for name in ("cpu", "memory"):
            limit = lim.get(name)
            request = req.get(name, limit)
            if limit is None:
                guaranteed = False
                continue
            parse = parse_cpu if name == "cpu" else parse_memory
            if parse(request) != parse(limit):
                guaranteed = False
    if not any_set:
        return "BestEffort"
    return "Guaranteed" if guaranteed else "Burstable"


@lru_cache(maxsize=4096)
def _condition(type_: str, ok: bool, since: str, reason: str = "", message: str = "") -> Obj:
    """A pod condition, shared by every pod (and status write) with the same one: pods of a
    ReplicaSet change state in step, and five conditions per write were ~1.5 KB per pod.
    Sound because stored objects are replaced, never changed in place."""
    cond: Obj = {
        "type": type_,
        "status": "True" if ok else "False",
        "lastProbeTime": None,
        "lastTransitionTime": since,
    }
    if not ok and reason:
        cond["reason"] = reason
        if message:
            cond["message"] = message
    return cond


# Parts many container statuses hold alike, shared like the conditions above.
_NO_STATE: Obj = {}


@lru_cache(maxsize=1024)
def _running(started_at: str) -> Obj:
    """``state`` of a container running since ``started_at``."""
    return {"running": {"startedAt": started_at}}


@lru_cache(maxsize=8192)  # Kubernetes' limit is 5,000 nodes
def _host_ips(ip: str) -> list[Obj]:
    """``status.hostIPs`` of every pod on the node at ``ip``."""
    return [{"ip": ip}]


def _transitions(old: list[Obj]) -> dict[tuple[str, bool], Any]:
    """(type, is True) -> lastTransitionTime of the first old condition of each, so a
    condition that keeps its status keeps its time (one pass for all five)."""
    since: dict[tuple[str, bool], Any] = {}
    for cond in old:
        type_ = cond.get("type")
        if type(type_) is str:  # (no other type can equal a condition type the kubelet asks)
            since.setdefault((type_, cond.get("status") == "True"), cond.get("lastTransitionTime"))
    return since


def _transition(since: dict[tuple[str, bool], Any], type_: str, ok: bool, now: str) -> str:
    return str(since.get((type_, ok)) or now)


@lru_cache(maxsize=1024)
def runtime_image(ref: str) -> str:
    """``busybox`` -> ``docker.io/library/busybox:latest``, as the CRI reports images."""
    try:
        return ImageRef.parse(ref).canonical
    except ImageRefError:
        return ref


def container_status(spec: Obj, crt: Obj, pod: Obj, image_ids: dict[str, str]) -> Obj:
    """One entry of ``status.containerStatuses``."""
    stage = crt["stage"]
    status: Obj = {
        "name": spec.get("name"),
        # Once containerd runs the container it reports the normalised reference.
        "image": runtime_image(str(spec.get("image")))
        if crt.get("container_id")
        else spec.get("image"),
        "imageID": image_ids.get(crt.get("image_id", ""), ""),
        "ready": bool(crt.get("ready")) and stage == RUNNING,
        "restartCount": int(crt.get("restarts", 0)),
        "started": stage == RUNNING,
        "lastState": _NO_STATE,
        "state": _NO_STATE,
    }
    if crt.get("container_id"):
        status["containerID"] = f"containerd://{crt['container_id']}"
    if crt.get("last"):
        status["lastState"] = {"terminated": dict(crt["last"])}
    if stage == RUNNING:
        status["state"] = _running(to_timestamp(crt["started_ms"]))
    elif stage == EXITED:
        status["state"] = {"terminated": dict(crt["term"])}
    else:
        waiting: Obj = {"reason": crt.get("reason") or "ContainerCreating"}
        if crt.get("message"):
            waiting["message"] = crt["message"]
        status["state"] = {"waiting": waiting}
    return status


def build_status(pod: Obj, prt: Obj, now_ms: int, image_ids: dict[str, str]) -> Obj:
    """The full ``status`` block for a pod the kubelet is running."""
    old = pod.get("status") or {}
    old_conds = _transitions(old.get("conditions") or [])
    now = to_timestamp(now_ms)
    spec = pod.get("spec") or {}
    specs = spec.get("containers") or []
    by_name = prt["containers"]
    runtime = [by_name[c["name"]] for c in specs]
    statuses = [
        container_status(c, crt, pod, image_ids) for c, crt in zip(specs, runtime, strict=True)
    ]
    unready = [s["name"] for s in statuses if not s["ready"]]
    all_ready = not unready and bool(statuses)
    phase = _phase(runtime)
    sandbox = bool(prt.get("ip"))
    msg = f"containers with unready status: [{' '.join(unready)}]"
    # A finished pod is not ready, for the reason PodCompleted (since: as if it were).
    done = phase in ("Succeeded", "Failed")
    ready, why, msg = (
        (False, "PodCompleted", "") if done else (all_ready, "ContainersNotReady", msg)
    )
    conditions = [
        _condition(
            "PodReadyToStartContainers",
            sandbox,
            _transition(old_conds, "PodReadyToStartContainers", sandbox, now),
        ),
        _condition("Initialized", True, _transition(old_conds, "Initialized", True, now)),
        _condition("Ready", ready, _transition(old_conds, "Ready", all_ready, now), why, msg),
        _condition(
            "ContainersReady",
            ready,
            _transition(old_conds, "ContainersReady", all_ready, now),
            why,
            msg,
        ),
        _condition("PodScheduled", True, _transition(old_conds, "PodScheduled", True, now)),
    ]
    status: Obj = {
        "phase": phase,
        "conditions": conditions,
        "hostIP": prt["host_ip"],
        "hostIPs": _host_ips(prt["host_ip"]),
        "startTime": to_timestamp(prt["start_ms"]),
        "containerStatuses": statuses,
        "qosClass": qos_class(pod),
    }
    if sandbox:
        status["podIP"] = prt["ip"]
        status["podIPs"] = [{"ip": prt["ip"]}]
    return status


_LIVE_STAGES = frozenset({RUNNING, CRASH_BACKOFF, PENDING, PULLING})


def _phase(runtime: list[Obj]) -> str:
    """The phase from the runtime state of the pod's containers, in spec order."""
    if not runtime:
        return "Pending"
    exited = True
    started = True
    live = False
    for crt in runtime:
        stage = crt["stage"]
        if stage != EXITED:
            exited = False
        if stage in _LIVE_STAGES:
            live = True
        if not crt.get("ever_started"):
            started = False
    if exited:
        codes = [crt["term"].get("exitCode", 0) for crt in runtime]
        return "Succeeded" if all(code == 0 for code in codes) else "Failed"
    return "Running" if started and live else "Pending"
