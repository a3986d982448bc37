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


def _transition(old: list[Obj], type_: str, ok: bool, now: str) -> str:
    for cond in old:
        if cond.get("type") == type_ and (cond.get("status") == "True") == ok:
            return str(cond.get("lastTransitionTime") or now)
    return now


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
    old_conds = old.get("conditions") or []
    now = to_timestamp(now_ms)
    spec = pod.get("spec") or {}
    specs = spec.get("containers") or []
    statuses = [container_status(c, prt["containers"][c["name"]], pod, image_ids) for c in specs]
    stages = [prt["containers"][c["name"]]["stage"] for c in specs]
    unready = [s["name"] for s in statuses if not s["ready"]]
    all_ready = not unready and bool(statuses)
    phase = _phase(spec, prt, stages)
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


def _phase(spec: Obj, prt: Obj, stages: list[str]) -> str:
    if stages and all(s == EXITED for s in stages):
        codes = [
            prt["containers"][c["name"]]["term"].get("exitCode", 0) for c in spec["containers"]
        ]
        return "Succeeded" if all(code == 0 for code in codes) else "Failed"
    started = all(prt["containers"][c["name"]].get("ever_started") for c in spec["containers"])
    if started and any(s in (RUNNING, CRASH_BACKOFF, PENDING, PULLING) for s in stages):
        return "Running"
    return "Pending"
