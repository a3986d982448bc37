"""The Job controller (upstream ``pkg/controller/job/job_controller.go``, 1.32 behaviour).

It runs a Job's pods to completion: at most ``parallelism`` active pods, never more than the
remaining ``completions``; failed pods are replaced after the pod-failure back-off (10 s
doubling per consecutive failure, capped at 6 min); ``backoffLimit``, ``activeDeadlineSeconds``
and ``podFailurePolicy`` fail the Job; ``suspend`` deletes its active pods. Outcomes are
counted once per pod (upstream tracks them with a finalizer), so a finished pod that is later
deleted still counts. The terminal condition (Complete / Failed) is written once no pod of the
Job is still terminating, after the interim SuccessCriteriaMet / FailureTarget condition.
"""

from __future__ import annotations

from typing import Any

from k8stui.engine import errors
from k8stui.engine.apiserver.server import ApiServer
from k8stui.engine.clock import from_timestamp, to_timestamp
from k8stui.engine.context import EngineContext
from k8stui.engine.controllers import job_pods
from k8stui.engine.controllers.job_pods import (
    COMPLETE,
    FAILED,
    FAILURE_TARGET,
    SUCCESS_CRITERIA_MET,
    condition,
    has_condition,
    is_finished,
)
from k8stui.engine.controllers.podutil import controller_ref, is_active, is_ready, key

Obj = dict[str, Any]
SOURCE = "job-controller"
BACKOFF_BASE_MS = 10_000
BACKOFF_MAX_MS = 360_000
MSG_BACKOFF = "Job has reached the specified backoff limit"
MSG_DEADLINE = "Job was active longer than specified deadline"
MSG_COMPLETE = "Reached expected number of succeeded pods"


class JobController:
    """Reconciles every Job; state is the per-Job record of counted pod outcomes."""

    def __init__(self, ctx: EngineContext, api: ApiServer) -> None:
        self.ctx = ctx
        self.api = api
        # job uid -> pod uid -> outcome ("s" succeeded, "f" failed, "i" ignored by policy,
        # "x" deleted by this controller); plus the back-off record of each job.
        self.outcomes: dict[str, dict[str, str]] = {}
        self.backoff: dict[str, dict[str, int]] = {}
        self.owned: dict[str, dict[tuple[str, str], None]] = {}
        ctx.queue.register("job.sync", self._on_sync)
        ctx.store.watch(self._on_change, ("Pod", "Job"))

    # -- watching -------------------------------------------------------------------------
    def _on_change(self, kind: str, new: Obj | None, old: Obj | None) -> None:
        obj = new or old
        assert obj is not None
        if kind == "Job":
            uid = obj["metadata"].get("uid", "")
            if new is None:
                for table in (self.outcomes, self.backoff, self.owned):
                    table.pop(uid, None)
                return
            if old is None or new.get("spec") != old.get("spec"):
                self._enqueue(*key(new))
            return
        ref = controller_ref(obj)
        if ref is None or ref.get("kind") != "Job":
            return
        job_uid = str(ref.get("uid"))
        ns = obj["metadata"].get("namespace", "default")
        job = self.ctx.store.get("Job", ns, str(ref.get("name")))
        if job is None or job["metadata"].get("uid") != job_uid:
            return  # the Job is gone (its pods are being collected): nothing to track
        bucket = self.owned.setdefault(job_uid, {})
        if new is None:
            bucket.pop(key(obj), None)
            outcomes = self.outcomes.setdefault(job_uid, {})
            uid = obj["metadata"]["uid"]
            # A pod that disappears before it succeeded counts as failed (finalizer tracking).
            if uid not in outcomes and (obj.get("status") or {}).get("phase") != "Succeeded":
                outcomes[uid] = "f"
                self._note_failure(job_uid, self.ctx.now)
        else:
            bucket[key(new)] = None
        self._enqueue(ns, str(ref.get("name")))

    def _enqueue(self, ns: str, name: str, at_ms: int | None = None) -> None:
        when = self.ctx.now if at_ms is None else at_ms
        self.ctx.queue.push_once(
            when, "job.sync", f"job/{ns}/{name}/{when}", {"ns": ns, "name": name}
        )

    def _note_failure(self, job_uid: str, at_ms: int) -> None:
        record = self.backoff.setdefault(job_uid, {"n": 0, "t": 0})
        record["n"] += 1
        record["t"] = max(record["t"], at_ms)

    # -- reconcile ------------------------------------------------------------------------
    def _on_sync(self, p: Obj) -> None:
        job = self.ctx.store.get("Job", p["ns"], p["name"])
        if job is None or job["metadata"].get("deletionTimestamp") or is_finished(job):
            return
        uid = job["metadata"]["uid"]
        spec = job.get("spec") or {}
        status: Obj = dict(job.get("status") or {})
        now = self.ctx.now
        pods = self._pods(job)
        new_failures = self._record_outcomes(job, pods)
        if spec.get("suspend"):
            self._suspend(job, status, pods)
            return
        self._resume(job, status)
        outcomes = self.outcomes.get(uid, {})
        succeeded = job_pods.succeeded_count(spec, outcomes)
        failed = sum(1 for v in outcomes.values() if v == "f")
        active = [pod for pod in pods if is_active(pod)]
        finishing = _finishing(status)
        if finishing is None:
            finishing = self._decide_failure(job, status, active, new_failures, failed)
        if finishing is None and job_pods.completions_reached(spec, succeeded, len(active)):
            finishing = (SUCCESS_CRITERIA_MET, "CompletionsReached", MSG_COMPLETE)
            status["conditions"] = [
                *(status.get("conditions") or []),
                condition(SUCCESS_CRITERIA_MET, "CompletionsReached", MSG_COMPLETE, now),
            ]
        if finishing is not None:
            self._delete_pods(job, active)
            active = []
        else:
            active = self._manage_pods(job, active, succeeded)
        terminating = []
        for pod in pods:  # re-read: pods deleted above now carry a deletionTimestamp
            current = self.ctx.store.get("Pod", *key(pod))
            phase = ((current or {}).get("status") or {}).get("phase")
            deleting = current is not None and current["metadata"].get("deletionTimestamp")
            if deleting and phase not in ("Succeeded", "Failed"):
                terminating.append(current)
        status.update(
            active=len(active),
            ready=sum(1 for pod in active if is_ready(pod)),
            terminating=len(terminating),
            succeeded=succeeded,
            failed=failed,
            uncountedTerminatedPods={},
        )
        if spec.get("completionMode") == "Indexed":
            status["completedIndexes"] = job_pods.completed_indexes(outcomes)
        if finishing is not None and not terminating:
            self._finish(job, status, finishing)
        self._write_status(job, status)

    def _pods(self, job: Obj) -> list[Obj]:
        pods = []
        for k in sorted(self.owned.get(job["metadata"]["uid"], {})):
            pod = self.ctx.store.get("Pod", *k)
            if pod is not None:
                pods.append(pod)
        return pods

    def _record_outcomes(self, job: Obj, pods: list[Obj]) -> list[Obj]:
        """Count newly finished pods; returns the pods that newly failed (oldest first)."""
        uid = job["metadata"]["uid"]
        outcomes = self.outcomes.setdefault(uid, {})
        finished = [
            pod
            for pod in pods
            if (pod.get("status") or {}).get("phase") in ("Succeeded", "Failed")
            and pod["metadata"]["uid"] not in outcomes
        ]
        finished.sort(key=lambda pod: (job_pods.finish_ms(pod, self.ctx.now), key(pod)))
        failed: list[Obj] = []
        for pod in finished:
            pod_uid = pod["metadata"]["uid"]
            if pod["status"]["phase"] == "Succeeded":
                outcomes[pod_uid] = job_pods.outcome_for(pod)
                self.backoff[uid] = {"n": 0, "t": 0}
                continue
            action = job_pods.failure_policy_action(job, pod)
            if action is not None and action[0] == "Ignore":
                outcomes[pod_uid] = "i"
                continue
            outcomes[pod_uid] = "f"
            self._note_failure(uid, job_pods.finish_ms(pod, self.ctx.now))
            failed.append(pod)
        return failed

    def _decide_failure(
        self, job: Obj, status: Obj, active: list[Obj], new_failures: list[Obj], failed: int
    ) -> tuple[str, str, str] | None:
        spec = job.get("spec") or {}
        now = self.ctx.now
        reason = message = ""
        for pod in new_failures:
            action = job_pods.failure_policy_action(job, pod)
            if action is not None and action[0] == "FailJob":
                reason, message = "PodFailurePolicy", action[1]
                break
        limit = int(spec.get("backoffLimit", 6))
        policy = ((spec.get("template") or {}).get("spec") or {}).get("restartPolicy")
        if not reason and policy == "OnFailure":
            restarts = job_pods.restart_count(active)
            if (restarts > 0 if limit == 0 else restarts >= limit) and restarts:
                reason, message = "BackoffLimitExceeded", MSG_BACKOFF
        if not reason and failed > limit:
            reason, message = "BackoffLimitExceeded", MSG_BACKOFF
        deadline = spec.get("activeDeadlineSeconds")
        start = status.get("startTime")
        if not reason and deadline is not None and start:
            due = from_timestamp(start) + int(deadline) * 1000
            if now >= due:
                reason, message = "DeadlineExceeded", MSG_DEADLINE
            else:
                self._enqueue(*key(job), at_ms=due)
        if not reason:
            return None
        status["conditions"] = [
            *(status.get("conditions") or []),
            condition(FAILURE_TARGET, reason, message, now),
        ]
        return (FAILURE_TARGET, reason, message)

    def _manage_pods(self, job: Obj, active: list[Obj], succeeded: int) -> list[Obj]:
        spec = job.get("spec") or {}
        outcomes = self.outcomes.get(job["metadata"]["uid"], {})
        want = job_pods.wanted_active(spec, succeeded, len(active))
        if len(active) > want:
            surplus = sorted(active, key=job_pods.deletion_order)[: len(active) - want]
            self._delete_pods(job, surplus)
            return [pod for pod in active if pod not in surplus]
        if len(active) == want:
            return active
        record = self.backoff.get(job["metadata"]["uid"])
        if record and record["n"] > 0:
            delay = min(BACKOFF_BASE_MS * 2 ** (record["n"] - 1), BACKOFF_MAX_MS)
            due = record["t"] + delay
            if due > self.ctx.now:
                self._enqueue(*key(job), at_ms=due)
                return active
        indexes = job_pods.pending_indexes(spec, active, outcomes)
        for n in range(want - len(active)):
            if indexes is not None and n >= len(indexes):
                break
            index = indexes[n] if indexes is not None else None
            created = self._create_pod(job, index)
            if created is None:
                break
            active.append(created)
        return active

    def _create_pod(self, job: Obj, index: int | None) -> Obj | None:
        pod = job_pods.pod_from_template(job, index)
        try:
            created = self.api.create(pod).obj
        except errors.ApiError as exc:
            self.ctx.recorder.emit(
                job, "Warning", "FailedCreate", f"Error creating: {exc.message}", SOURCE
            )
            return None
        name = created["metadata"]["name"]
        self.ctx.recorder.emit(job, "Normal", "SuccessfulCreate", f"Created pod: {name}", SOURCE)
        self.ctx.activity.add(
            self.ctx.now, "controller-manager", f"job {job['metadata']['name']}: created pod {name}"
        )
        return created

    def _delete_pods(self, job: Obj, pods: list[Obj]) -> None:
        outcomes = self.outcomes.setdefault(job["metadata"]["uid"], {})
        for pod in pods:
            if pod["metadata"].get("deletionTimestamp"):
                continue
            outcomes[pod["metadata"]["uid"]] = "x"
            try:
                self.api.delete("Pod", *key(pod))
            except errors.ApiError:
                continue
            name = pod["metadata"]["name"]
            self.ctx.recorder.emit(
                job, "Normal", "SuccessfulDelete", f"Deleted pod: {name}", SOURCE
            )

    def _suspend(self, job: Obj, status: Obj, pods: list[Obj]) -> None:
        active = [pod for pod in pods if is_active(pod)]
        self._delete_pods(job, active)
        conditions = [c for c in status.get("conditions") or [] if c.get("type") != "Suspended"]
        if not has_condition(job, "Suspended"):
            conditions.append(condition("Suspended", "JobSuspended", "Job suspended", self.ctx.now))
            self.ctx.recorder.emit(job, "Normal", "Suspended", "Job suspended", SOURCE)
            status["conditions"] = conditions
        status.update(active=0, ready=0)
        self._write_status(job, status)

    def _resume(self, job: Obj, status: Obj) -> None:
        now = self.ctx.now
        if has_condition(job, "Suspended"):
            status["conditions"] = [
                condition("Suspended", "JobResumed", "Job resumed", now, "False")
                if c.get("type") == "Suspended"
                else c
                for c in status.get("conditions") or []
            ]
            status["startTime"] = to_timestamp(now)
            self.ctx.recorder.emit(job, "Normal", "Resumed", "Job resumed", SOURCE)
        status.setdefault("startTime", to_timestamp(now))

    def _finish(self, job: Obj, status: Obj, finishing: tuple[str, str, str]) -> None:
        now = self.ctx.now
        kind, reason, message = finishing
        final = COMPLETE if kind == SUCCESS_CRITERIA_MET else FAILED
        status["conditions"] = [
            *(status.get("conditions") or []),
            condition(final, reason, message, now),
        ]
        if final == COMPLETE:
            status["completionTime"] = to_timestamp(now)
            self.ctx.recorder.emit(job, "Normal", "Completed", "Job completed", SOURCE)
        else:
            self.ctx.recorder.emit(job, "Warning", reason, message, SOURCE)
        self.ctx.activity.add(
            self.ctx.now, "controller-manager", f"job {job['metadata']['name']}: {final.lower()}"
        )

    def _write_status(self, job: Obj, status: Obj) -> None:
        current = self.ctx.store.get("Job", *key(job))
        if current is None:
            return
        # active, succeeded and failed are omitempty counters; ready and terminating are
        # pointers, printed even when 0.
        status = {
            k: v
            for k, v in status.items()
            if v not in (None, "") and not (k in ("active", "succeeded", "failed") and v == 0)
        }
        if status != (current.get("status") or {}):
            self.api.update_status({**current, "status": status})

    def to_json(self) -> dict[str, Any]:
        """Counted outcomes and back-off records (the pod index is rebuilt)."""
        return {"outcomes": self.outcomes, "backoff": self.backoff}

    def load_json(self, data: dict[str, Any]) -> None:
        """Restore from :meth:`to_json`."""
        self.outcomes = {k: dict(v) for k, v in data.get("outcomes", {}).items()}
        self.backoff = {k: dict(v) for k, v in data.get("backoff", {}).items()}
        self.owned = {}
        for pod in self.ctx.store.iter_kind("Pod"):
            ref = controller_ref(pod)
            if ref is not None and ref.get("kind") == "Job":
                self.owned.setdefault(str(ref.get("uid")), {})[key(pod)] = None


def _finishing(status: Obj) -> tuple[str, str, str] | None:
    for cond in status.get("conditions") or []:
        if (
            cond.get("type") in (FAILURE_TARGET, SUCCESS_CRITERIA_MET)
            and cond.get("status") == "True"
        ):
            return (str(cond["type"]), str(cond.get("reason", "")), str(cond.get("message", "")))
    return None
