"""``kubectl describe job`` and ``describe cronjob`` (kubectl ``describeJob`` / ``describeCronJob``)."""

from __future__ import annotations

from typing import Any

from k8stui.kubectl.describe_common import (
    DescribeWriter,
    Obj,
    controller_line,
    describe_events,
    describe_header,
    format_rfc1123z,
    text,
)
from k8stui.kubectl.describe_containers import describe_pod_template
from k8stui.kubectl.duration import human_duration, timestamp_ms
from k8stui.kubectl.selector_text import selector_string
from k8stui.kubectl.view import ClusterView


def _bool(value: Any) -> str:
    return "<unset>" if value is None else ("true" if value else "false")


def _cap_indexes(indexes: str, soft_limit: int = 50) -> str:
    """``capIndexesListOrNone``: the list up to the first comma after 50 characters."""
    if not indexes:
        return "<none>"
    cut = indexes.find(",", soft_limit)
    return indexes if cut < 0 else indexes[: cut + 1] + "..."


def describe_job(job: Obj, view: ClusterView) -> str:
    """The ``kubectl describe job`` text."""
    meta = job.get("metadata") or {}
    spec = job.get("spec") or {}
    status = job.get("status") or {}
    w = DescribeWriter()
    describe_header(w, meta, f"Selector:\t{selector_string(spec.get('selector'))}")
    controller_line(w, job)
    if spec.get("parallelism") is not None:
        w.write(0, f"Parallelism:\t{spec['parallelism']}\n")
    completions = spec.get("completions")
    w.write(0, f"Completions:\t{'<unset>' if completions is None else completions}\n")
    if spec.get("completionMode") is not None:
        w.write(0, f"Completion Mode:\t{spec['completionMode']}\n")
    if spec.get("suspend") is not None:
        w.write(0, f"Suspend:\t{_bool(spec['suspend'])}\n")
    if spec.get("backoffLimit") is not None:
        w.write(0, f"Backoff Limit:\t{spec['backoffLimit']}\n")
    if spec.get("ttlSecondsAfterFinished") is not None:
        w.write(0, f"TTL Seconds After Finished:\t{spec['ttlSecondsAfterFinished']}\n")
    start, done = status.get("startTime"), status.get("completionTime")
    if start:
        w.write(0, f"Start Time:\t{format_rfc1123z(start)}\n")
    if done:
        w.write(0, f"Completed At:\t{format_rfc1123z(done)}\n")
    if start and done:
        seconds = (timestamp_ms(done) - timestamp_ms(start)) / 1000
        w.write(0, f"Duration:\t{human_duration(seconds)}\n")
    if spec.get("activeDeadlineSeconds") is not None:
        w.write(0, f"Active Deadline Seconds:\t{spec['activeDeadlineSeconds']}s\n")
    counts = [int(status.get(k) or 0) for k in ("active", "succeeded", "failed")]
    if status.get("ready") is None:
        w.write(
            0,
            f"Pods Statuses:\t{counts[0]} Active / {counts[1]} Succeeded / {counts[2]} Failed\n",
        )
    else:
        w.write(
            0,
            f"Pods Statuses:\t{counts[0]} Active ({status['ready']} Ready) / {counts[1]} "
            f"Succeeded / {counts[2]} Failed\n",
        )
    if spec.get("completionMode") == "Indexed":
        w.write(
            0, f"Completed Indexes:\t{_cap_indexes(str(status.get('completedIndexes') or ''))}\n"
        )
    describe_pod_template(w, spec.get("template"))
    describe_events(w, view.events_for(job), view.now_ms)
    return w.result()


def describe_cron_job(cron_job: Obj, view: ClusterView) -> str:
    """The ``kubectl describe cronjob`` text."""
    meta = cron_job.get("metadata") or {}
    spec = cron_job.get("spec") or {}
    status = cron_job.get("status") or {}
    w = DescribeWriter()
    describe_header(w, meta)
    w.write(0, f"Schedule:\t{text(spec.get('schedule'))}\n")
    w.write(0, f"Concurrency Policy:\t{text(spec.get('concurrencyPolicy'))}\n")
    suspend = spec.get("suspend")
    w.write(0, f"Suspend:\t{'<unset>' if suspend is None else ('True' if suspend else 'False')}\n")
    for title, field in (
        ("Successful Job History Limit", "successfulJobsHistoryLimit"),
        ("Failed Job History Limit", "failedJobsHistoryLimit"),
    ):
        value = spec.get(field)
        w.write(0, f"{title}:\t{'<unset>' if value is None else value}\n")
    deadline = spec.get("startingDeadlineSeconds")
    w.write(0, f"Starting Deadline Seconds:\t{'<unset>' if deadline is None else f'{deadline}s'}\n")
    job_spec = (spec.get("jobTemplate") or {}).get("spec") or {}
    selector = job_spec.get("selector")
    w.write(0, f"Selector:\t{'<unset>' if selector is None else selector_string(selector)}\n")
    for title, field in (("Parallelism", "parallelism"), ("Completions", "completions")):
        value = job_spec.get(field)
        w.write(0, f"{title}:\t{'<unset>' if value is None else value}\n")
    if job_spec.get("activeDeadlineSeconds") is not None:
        w.write(0, f"Active Deadline Seconds:\t{job_spec['activeDeadlineSeconds']}s\n")
    describe_pod_template(w, job_spec.get("template"))
    last = status.get("lastScheduleTime")
    w.write(0, f"Last Schedule Time:\t{format_rfc1123z(last) if last else '<unset>'}\n")
    active = [text(ref.get("name")) for ref in status.get("active") or []]
    w.write(0, f"Active Jobs:\t{', '.join(active) if active else '<none>'}\n")
    describe_events(w, view.events_for(cron_job), view.now_ms)
    return w.result()
