"""What the Job controller computes from a Job and its pods (pure functions).

Counting rules from upstream ``job_controller.go``: how many pods should be active, which
completion indexes are still pending, when the completions are reached, which pod-failure
policy rule a failed pod matches, and how a pod is built from the Job's template.
"""

from __future__ import annotations

from typing import Any

from k8stui.engine.clock import from_timestamp, to_timestamp
from k8stui.engine.controllers.podutil import is_ready, owner_ref

Obj = dict[str, Any]
COMPLETE = "Complete"
FAILED = "Failed"
FAILURE_TARGET = "FailureTarget"
SUCCESS_CRITERIA_MET = "SuccessCriteriaMet"
INDEX_KEY = "batch.kubernetes.io/job-completion-index"


def condition(type_: str, reason: str, message: str, now_ms: int, status: str = "True") -> Obj:
    """A JobCondition as the controller writes it."""
    stamp = to_timestamp(now_ms)
    return {
        "type": type_,
        "status": status,
        "lastProbeTime": stamp,
        "lastTransitionTime": stamp,
        "reason": reason,
        "message": message,
    }


def has_condition(job: Obj, type_: str) -> bool:
    """The Job carries condition ``type_`` with status True."""
    return any(
        c.get("type") == type_ and c.get("status") == "True"
        for c in (job.get("status") or {}).get("conditions") or []
    )


def is_finished(job: Obj) -> bool:
    """Complete or Failed (upstream ``IsJobFinished``)."""
    return has_condition(job, COMPLETE) or has_condition(job, FAILED)


def finished_at(job: Obj) -> int | None:
    """Sim ms of the Complete/Failed condition's transition, or None."""
    for c in (job.get("status") or {}).get("conditions") or []:
        if c.get("type") in (COMPLETE, FAILED) and c.get("status") == "True":
            return from_timestamp(str(c.get("lastTransitionTime")))
    return None


def pod_index(pod: Obj) -> int | None:
    """The completion index of an Indexed Job's pod."""
    value = ((pod.get("metadata") or {}).get("annotations") or {}).get(INDEX_KEY)
    return int(value) if isinstance(value, str) and value.isdigit() else None


def outcome_for(pod: Obj) -> str:
    """The outcome record of a succeeded pod: ``s`` plus its index when it has one."""
    index = pod_index(pod)
    return "s" if index is None else f"s{index}"


def _succeeded_indexes(outcomes: dict[str, str]) -> set[int]:
    return {int(v[1:]) for v in outcomes.values() if v.startswith("s") and v[1:].isdigit()}


def succeeded_count(spec: Obj, outcomes: dict[str, str]) -> int:
    """``status.succeeded``: succeeded pods, or succeeded indexes for an Indexed Job."""
    if spec.get("completionMode") == "Indexed":
        return len(_succeeded_indexes(outcomes))
    return sum(1 for v in outcomes.values() if v.startswith("s"))


def completions_reached(spec: Obj, succeeded: int, active: int) -> bool:
    """Upstream: enough successes (any one without ``completions``) and nothing active."""
    completions = spec.get("completions")
    if completions is None:
        return succeeded > 0 and active == 0
    return succeeded >= int(completions) and active == 0


def wanted_active(spec: Obj, succeeded: int, active: int) -> int:
    """How many pods should be active now."""
    parallelism = int(spec.get("parallelism", 1))
    completions = spec.get("completions")
    if completions is None:
        return active if succeeded > 0 else parallelism
    return max(0, min(int(completions) - succeeded, parallelism))


def pending_indexes(spec: Obj, active: list[Obj], outcomes: dict[str, str]) -> list[int] | None:
    """Indexes nobody has completed or is working on (None for a NonIndexed Job)."""
    if spec.get("completionMode") != "Indexed":
        return None
    taken = _succeeded_indexes(outcomes) | {i for i in map(pod_index, active) if i is not None}
    return [i for i in range(int(spec.get("completions") or 0)) if i not in taken]


def completed_indexes(outcomes: dict[str, str]) -> str:
    """``status.completedIndexes``: sorted intervals such as ``0-2,5``."""
    parts: list[str] = []
    run: list[int] = []
    for i in sorted(_succeeded_indexes(outcomes)):
        if run and i != run[-1] + 1:
            parts.append(_interval(run))
            run = []
        run.append(i)
    if run:
        parts.append(_interval(run))
    return ",".join(parts)


def _interval(run: list[int]) -> str:
    return str(run[0]) if len(run) == 1 else f"{run[0]}-{run[-1]}"


def finish_ms(pod: Obj, default: int) -> int:
    """When the pod's last container finished (its failure time for the back-off)."""
    times = [
        from_timestamp(str(term["finishedAt"]))
        for cs in (pod.get("status") or {}).get("containerStatuses") or []
        if (term := (cs.get("state") or {}).get("terminated")) and term.get("finishedAt")
    ]
    return max(times) if times else default


def restart_count(active: list[Obj]) -> int:
    """Container restarts of running and pending pods (``restartPolicy: OnFailure`` retries)."""
    total = 0
    for pod in active:
        status = pod.get("status") or {}
        if status.get("phase", "Pending") not in ("Running", "Pending"):
            continue
        for group in ("initContainerStatuses", "containerStatuses"):
            total += sum(int(cs.get("restartCount", 0)) for cs in status.get(group) or [])
    return total


def deletion_order(pod: Obj) -> tuple[Any, ...]:
    """Surplus pods go first when unready, then unscheduled, then newest."""
    created = from_timestamp(pod["metadata"].get("creationTimestamp", "2025-01-01T00:00:00Z"))
    return (is_ready(pod), bool(pod["spec"].get("nodeName")), -created, pod["metadata"]["name"])


def failure_policy_action(job: Obj, pod: Obj) -> tuple[str, str] | None:
    """The action of the first ``podFailurePolicy`` rule a failed pod matches, and its message."""
    policy = (job.get("spec") or {}).get("podFailurePolicy") or {}
    meta = pod["metadata"]
    who = f"{meta.get('namespace', 'default')}/{meta['name']}"
    status = pod.get("status") or {}
    for index, rule in enumerate(policy.get("rules") or []):
        action = str(rule.get("action", ""))
        codes = rule.get("onExitCodes")
        if codes is not None:
            wanted = set(codes.get("values") or [])
            for cs in status.get("containerStatuses") or []:
                if codes.get("containerName") and cs.get("name") != codes["containerName"]:
                    continue
                term = (cs.get("state") or {}).get("terminated") or {}
                code = term.get("exitCode")
                if code in (None, 0):
                    continue
                hit = code in wanted if codes.get("operator") == "In" else code not in wanted
                if hit:
                    return action, (
                        f"Container {cs.get('name')} for pod {who} failed with exit code {code} "
                        f"matching {action} rule at index {index}"
                    )
        for pattern in rule.get("onPodConditions") or []:
            for cond in status.get("conditions") or []:
                if cond.get("type") == pattern.get("type") and cond.get("status") == pattern.get(
                    "status", "True"
                ):
                    return action, (
                        f"Pod {who} has condition {cond.get('type')} matching {action} rule at "
                        f"index {index}"
                    )
    return None


def pod_from_template(job: Obj, index: int | None) -> Obj:
    """The pod the controller posts for the Job (with its completion index if Indexed)."""
    spec = job.get("spec") or {}
    template = spec.get("template") or {}
    tmeta = template.get("metadata") or {}
    name = job["metadata"]["name"]
    meta: Obj = {
        "generateName": f"{name}-" if index is None else f"{name}-{index}-",
        "namespace": job["metadata"].get("namespace", "default"),
        "ownerReferences": [owner_ref(job)],
    }
    labels = dict(tmeta.get("labels") or {})
    annotations = dict(tmeta.get("annotations") or {})
    pod_spec = dict(template.get("spec") or {})
    if index is not None:
        labels[INDEX_KEY] = annotations[INDEX_KEY] = str(index)
        pod_spec.setdefault("hostname", f"{name}-{index}")
        env_var = {
            "name": "JOB_COMPLETION_INDEX",
            "valueFrom": {
                "fieldRef": {
                    "apiVersion": "v1",
                    "fieldPath": f"metadata.annotations['{INDEX_KEY}']",
                }
            },
        }
        for group in ("initContainers", "containers"):
            if pod_spec.get(group):
                pod_spec[group] = [
                    {**c, "env": [*(c.get("env") or []), env_var]} for c in pod_spec[group]
                ]
    if labels:
        meta["labels"] = labels
    if annotations:
        meta["annotations"] = annotations
    return {"apiVersion": "v1", "kind": "Pod", "metadata": meta, "spec": pod_spec}
