"""Server-side table rows for Jobs and CronJobs (``printJob`` / ``printCronJob`` in printers.go)."""

from __future__ import annotations

from typing import Any

from k8stui.kubectl.duration import human_duration, since, timestamp_ms
from k8stui.kubectl.selector_text import container_cells, format_label_selector
from k8stui.kubectl.table import ColumnDefinition

Obj = dict[str, Any]

_NAME = ColumnDefinition("Name", description="Name must be unique within a namespace.")
_AGE = ColumnDefinition("Age", description="CreationTimestamp of the object.")
_CONTAINERS = ColumnDefinition(
    "Containers", priority=1, description="Names of each container in the template."
)
_IMAGES = ColumnDefinition(
    "Images", priority=1, description="Images referenced by each container in the template."
)
_SELECTOR = ColumnDefinition("Selector", priority=1, description="Label selector.")

JOB_COLUMNS = [
    _NAME,
    ColumnDefinition("Status", description="Status of the job."),
    ColumnDefinition("Completions", description="The number of pods which reached Succeeded."),
    ColumnDefinition("Duration", description="Time required to complete the job."),
    _AGE,
    _CONTAINERS,
    _IMAGES,
    _SELECTOR,
]

CRON_JOB_COLUMNS = [
    _NAME,
    ColumnDefinition("Schedule", description="The schedule in Cron format."),
    ColumnDefinition("Timezone", description="The time zone name for the given schedule."),
    ColumnDefinition("Suspend", "boolean", description="Suspend subsequent executions."),
    ColumnDefinition("Active", "integer", description="Pointers to running jobs."),
    ColumnDefinition("Last Schedule", description="When the job was last scheduled."),
    _AGE,
    _CONTAINERS,
    _IMAGES,
    _SELECTOR,
]


def _has(obj: Obj, type_: str) -> bool:
    return any(
        c.get("type") == type_ and c.get("status") == "True"
        for c in (obj.get("status") or {}).get("conditions") or []
    )


def job_status_word(job: Obj) -> str:
    """The STATUS cell: Complete, Failed, Terminating, Suspended, FailureTarget or Running."""
    if _has(job, "Complete"):
        return "Complete"
    if _has(job, "Failed"):
        return "Failed"
    if (job.get("metadata") or {}).get("deletionTimestamp"):
        return "Terminating"
    if _has(job, "Suspended"):
        return "Suspended"
    if _has(job, "FailureTarget"):
        return "FailureTarget"
    return "Running"


def job_completions(job: Obj) -> str:
    """The COMPLETIONS cell: ``1/3``, or ``0/1 of 2`` for a work queue with parallelism."""
    spec = job.get("spec") or {}
    succeeded = int((job.get("status") or {}).get("succeeded") or 0)
    if spec.get("completions") is not None:
        return f"{succeeded}/{spec['completions']}"
    parallelism = int(spec.get("parallelism") or 0)
    return f"{succeeded}/1 of {parallelism}" if parallelism > 1 else f"{succeeded}/1"


def job_duration(job: Obj, now_ms: int) -> str:
    """The DURATION cell: start to completion, or start to now while running."""
    status = job.get("status") or {}
    start = status.get("startTime")
    if not start:
        return ""
    end = status.get("completionTime")
    end_ms = timestamp_ms(end) if end else now_ms
    return human_duration((end_ms - timestamp_ms(start)) / 1000)


def job_row(job: Obj, now_ms: int) -> list[Any]:
    """One ``kubectl get jobs`` row (wide cells included)."""
    spec = job.get("spec") or {}
    names, images = container_cells(spec.get("template"))
    return [
        (job.get("metadata") or {}).get("name", ""),
        job_status_word(job),
        job_completions(job),
        job_duration(job, now_ms),
        since((job.get("metadata") or {}).get("creationTimestamp"), now_ms),
        names,
        images,
        format_label_selector(spec.get("selector")),
    ]


def cron_job_row(cron_job: Obj, now_ms: int) -> list[Any]:
    """One ``kubectl get cronjobs`` row (wide cells included)."""
    spec = cron_job.get("spec") or {}
    status = cron_job.get("status") or {}
    job_spec = (spec.get("jobTemplate") or {}).get("spec") or {}
    names, images = container_cells(job_spec.get("template"))
    last = status.get("lastScheduleTime")
    suspend = spec.get("suspend")
    return [
        (cron_job.get("metadata") or {}).get("name", ""),
        spec.get("schedule", ""),
        spec.get("timeZone") or "<none>",
        "<unset>" if suspend is None else ("True" if suspend else "False"),
        len(status.get("active") or []),
        since(last, now_ms) if last else "<none>",
        since((cron_job.get("metadata") or {}).get("creationTimestamp"), now_ms),
        names,
        images,
        format_label_selector(job_spec.get("selector")),
    ]
