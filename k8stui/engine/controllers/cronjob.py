"""The CronJob controller (upstream ``pkg/controller/cronjob/cronjob_controllerv2.go``).

Each sync: forget finished Jobs from ``status.active`` (``SawCompletedJob``) and deleted ones
(``MissingJob``), warn about unfinished Jobs it controls but does not list (``UnexpectedJob``:
made by hand from it, never adopted), delete finished
Jobs beyond the history limits (oldest first), then, unless suspended, find the most recent
unmet schedule time since ``lastScheduleTime`` (or creation), bounded by
``startingDeadlineSeconds``, and start a Job for it subject to ``concurrencyPolicy``. Jobs are
named ``<cronjob>-<scheduled time in Unix minutes>`` and the next sync is queued at the next
schedule time, so an idle CronJob costs one queue entry per run.
"""

from __future__ import annotations

from typing import Any

from k8stui.engine import errors
from k8stui.engine.apimachinery import cron
from k8stui.engine.apiserver.server import ApiServer
from k8stui.engine.clock import from_timestamp, to_datetime, to_timestamp
from k8stui.engine.context import EngineContext
from k8stui.engine.controllers.job_pods import finished_at, has_condition
from k8stui.engine.controllers.podutil import controller_ref, key, owner_ref

Obj = dict[str, Any]
SOURCE = "cronjob-controller"
SCHEDULED_AT = "batch.kubernetes.io/cronjob-scheduled-timestamp"
MISSED_LIMIT = 100
COUNT_LIMIT = 100_000  # missed times are counted up to here for the warning


class CronJobController:
    """Starts Jobs on schedule and keeps the CronJob's history trimmed."""

    def __init__(self, ctx: EngineContext, api: ApiServer) -> None:
        self.ctx = ctx
        self.api = api
        self._creating: tuple[str, str] | None = None  # the Job a sync is creating
        ctx.queue.register("cronjob.sync", self._on_sync)
        ctx.store.watch(self._on_change, ("Job", "CronJob"))

    def _on_change(self, kind: str, new: Obj | None, old: Obj | None) -> None:
        obj = new or old
        assert obj is not None
        if kind == "CronJob":
            if new is not None and (old is None or new.get("spec") != old.get("spec")):
                self._enqueue(*key(new))
            return
        ref = controller_ref(obj)
        if ref is None or ref.get("kind") != "CronJob":
            return
        if old is None and key(obj) == self._creating:
            return  # the sync creating this Job records it in status.active itself
        if new is None:
            # A finished Job already woke the sync when it finished; trimming the history
            # deletes finished Jobs, and waking for each would be a sync with nothing to do.
            wake = finished_at(obj) is None
        else:
            wake = old is None or finished_at(new) != finished_at(old)
        if wake:
            self._enqueue(obj["metadata"].get("namespace", "default"), str(ref.get("name")))

    def _enqueue(self, ns: str, name: str, at_ms: int | None = None) -> None:
        when = self.ctx.now if at_ms is None else at_ms
        self.ctx.queue.push_once(
            when, "cronjob.sync", f"cj/{ns}/{name}/{when}", {"ns": ns, "name": name}
        )

    # -- reconcile ------------------------------------------------------------------------
    def _on_sync(self, p: Obj) -> None:
        cj = self.ctx.store.get("CronJob", p["ns"], p["name"])
        if cj is None or cj["metadata"].get("deletionTimestamp"):
            return
        status: Obj = dict(cj.get("status") or {})
        jobs = self.ctx.store.owned(cj["metadata"]["uid"], "Job")
        jobs = [j for j in jobs if (controller_ref(j) or {}).get("uid") == cj["metadata"]["uid"]]
        self._track_active(cj, status, jobs)
        self._trim_history(cj, jobs)
        spec = cj.get("spec") or {}
        if not spec.get("suspend"):
            self._schedule(cj, status)
        status = {k: v for k, v in status.items() if v not in (None, [])}
        current = self.ctx.store.get("CronJob", *key(cj))
        if current is not None and status != (current.get("status") or {}):
            self.api.update_status({**current, "status": status})

    def _track_active(self, cj: Obj, status: Obj, jobs: list[Obj]) -> None:
        names = {j["metadata"]["name"]: j for j in jobs}
        active: list[Obj] = []
        for ref in status.get("active") or []:
            job = names.get(ref.get("name"))
            if job is None:  # deleted by someone else
                self.ctx.recorder.emit(
                    cj,
                    "Normal",
                    "MissingJob",
                    f"Active job went missing: {ref.get('name')}",
                    SOURCE,
                )
                continue
            done = finished_at(job)
            if done is None:
                active.append(ref)
                continue
            word = "Complete" if has_condition(job, "Complete") else "Failed"
            self.ctx.recorder.emit(
                cj,
                "Normal",
                "SawCompletedJob",
                f"Saw completed job: {job['metadata']['name']}, status: {word}",
                SOURCE,
            )
            if word == "Complete":
                last = status.get("lastSuccessfulTime")
                if last is None or from_timestamp(last) < done:
                    status["lastSuccessfulTime"] = to_timestamp(done)
        listed = {ref.get("name") for ref in status.get("active") or []}
        for job in jobs:  # e.g. `kubectl create job --from=cronjob/...`: seen, not adopted
            if finished_at(job) is None and job["metadata"]["name"] not in listed:
                self.ctx.recorder.emit(
                    cj,
                    "Warning",
                    "UnexpectedJob",
                    f"Saw a job that the controller did not create or forgot: "
                    f"{job['metadata']['name']}",
                    SOURCE,
                )
        status["active"] = active

    def _trim_history(self, cj: Obj, jobs: list[Obj]) -> None:
        spec = cj.get("spec") or {}
        for word, limit_field in (
            ("Complete", "successfulJobsHistoryLimit"),
            ("Failed", "failedJobsHistoryLimit"),
        ):
            limit = spec.get(limit_field)
            if limit is None:
                continue
            finished = [j for j in jobs if has_condition(j, word)]
            finished.sort(key=lambda j: (_start_ms(j), j["metadata"]["name"]))
            for job in finished[: max(0, len(finished) - int(limit))]:
                try:
                    self.api.delete("Job", *key(job))
                except errors.ApiError:
                    continue
                self.ctx.recorder.emit(
                    cj,
                    "Normal",
                    "SuccessfulDelete",
                    f"Deleted job {job['metadata']['name']}",
                    SOURCE,
                )

    def _schedule(self, cj: Obj, status: Obj) -> None:
        spec = cj.get("spec") or {}
        tz = cron.zone(spec.get("timeZone"))
        schedule = str(spec.get("schedule", ""))
        problem = cron.schedule_error(schedule)
        if tz is None:
            zone_name = spec.get("timeZone")
            self.ctx.recorder.emit(
                cj,
                "Warning",
                "UnknownTimeZone",
                f'invalid timeZone: "{zone_name}": unknown time zone {zone_name}',
                SOURCE,
            )
            return
        if problem is not None:
            self.ctx.recorder.emit(
                cj,
                "Warning",
                "UnparseableSchedule",
                f'unparseable schedule: "{schedule}" : {problem}',
                SOURCE,
            )
            return
        now = self.ctx.now
        last = status.get("lastScheduleTime")
        earliest = (
            from_timestamp(last) if last else from_timestamp(cj["metadata"]["creationTimestamp"])
        )
        deadline = spec.get("startingDeadlineSeconds")
        if deadline is not None:
            earliest = max(earliest, now - int(deadline) * 1000)
        first = cron.next_after(schedule, tz, earliest)
        if first > now:  # nothing missed: sleep until the next run
            self._enqueue(*key(cj), at_ms=first)
            return
        missed = [first, *cron.times_between(schedule, tz, first, now, COUNT_LIMIT)]
        self._enqueue(*key(cj), at_ms=cron.next_after(schedule, tz, missed[-1]))
        if len(missed) > MISSED_LIMIT:
            self.ctx.recorder.emit(
                cj,
                "Warning",
                "TooManyMissedTimes",
                f"too many missed start times: {len(missed)}. Set or decrease "
                ".spec.startingDeadlineSeconds or check clock skew",
                SOURCE,
            )
        scheduled = missed[-1]
        if deadline is not None and scheduled + int(deadline) * 1000 < now:
            self.ctx.recorder.emit(
                cj,
                "Warning",
                "MissSchedule",
                f"Missed scheduled time to start a job: {_rfc1123z(scheduled)}",
                SOURCE,
            )
            return
        job_name = f"{cj['metadata']['name']}-{cron.unix_minutes(scheduled)}"
        active = status.get("active") or []
        if any(ref.get("name") == job_name for ref in active):
            return
        policy = spec.get("concurrencyPolicy", "Allow")
        if policy == "Forbid" and active:
            self.ctx.recorder.emit(
                cj,
                "Normal",
                "JobAlreadyActive",
                "Not starting job because prior execution is running and concurrency policy is "
                "Forbid",
                SOURCE,
            )
            return
        if policy == "Replace":
            for ref in active:
                try:
                    self.api.delete("Job", cj["metadata"].get("namespace", "default"), ref["name"])
                except errors.ApiError:
                    continue
                self.ctx.recorder.emit(
                    cj, "Normal", "SuccessfulDelete", f"Deleted job {ref['name']}", SOURCE
                )
            status["active"] = active = []
        job = self._job_for(cj, job_name, scheduled, tz)
        self._creating = key(job)
        try:
            created = self.api.create(job).obj
        except errors.ApiError as exc:
            if exc.reason != "AlreadyExists":
                self.ctx.recorder.emit(
                    cj, "Warning", "FailedCreate", f"Error creating job: {exc.message}", SOURCE
                )
                return
            status["lastScheduleTime"] = to_timestamp(scheduled)
            return
        finally:
            self._creating = None
        self.ctx.recorder.emit(cj, "Normal", "SuccessfulCreate", f"Created job {job_name}", SOURCE)
        self.ctx.activity.add(
            now, "controller-manager", f"cronjob {cj['metadata']['name']}: created job {job_name}"
        )
        status["active"] = [*active, _object_ref(created)]
        status["lastScheduleTime"] = to_timestamp(scheduled)

    @staticmethod
    def _job_for(cj: Obj, name: str, scheduled: int, tz: Any) -> Obj:
        template = (cj.get("spec") or {}).get("jobTemplate") or {}
        tmeta = template.get("metadata") or {}
        annotations = {
            **(tmeta.get("annotations") or {}),
            SCHEDULED_AT: cron.format_in_zone(scheduled, tz),
        }
        meta: Obj = {
            "name": name,
            "namespace": cj["metadata"].get("namespace", "default"),
            "annotations": annotations,
            "ownerReferences": [owner_ref(cj)],
        }
        if tmeta.get("labels"):
            meta["labels"] = dict(tmeta["labels"])
        return {
            "apiVersion": "batch/v1",
            "kind": "Job",
            "metadata": meta,
            "spec": template.get("spec") or {},
        }

    def to_json(self) -> dict[str, Any]:
        """No state beyond the store and the queue."""
        return {}

    def load_json(self, _data: dict[str, Any]) -> None:
        """Nothing to restore."""


def _object_ref(job: Obj) -> Obj:
    meta = job["metadata"]
    return {
        "apiVersion": "batch/v1",
        "kind": "Job",
        "name": meta["name"],
        "namespace": meta.get("namespace", "default"),
        "resourceVersion": meta.get("resourceVersion", ""),
        "uid": meta.get("uid", ""),
    }


def _start_ms(job: Obj) -> int:
    start = (job.get("status") or {}).get("startTime") or job["metadata"].get("creationTimestamp")
    return from_timestamp(str(start))


def _rfc1123z(ms: int) -> str:
    return to_datetime(ms).strftime("%a, %d %b %Y %H:%M:%S %z")
