"""Rules for CronJobs (upstream ``ValidateCronJobCreate`` / ``validateCronJobSpec``)."""

from __future__ import annotations

from k8stui.engine.apimachinery.cron import schedule_error, zone
from k8stui.engine.apiserver.validation.field_checks import (
    Obj,
    as_dict,
    check_enum,
    check_nonnegative,
    validate_labels,
)
from k8stui.engine.apiserver.validation.field_errors import INVALID, REQUIRED, FieldError
from k8stui.engine.apiserver.validation.job_rules import check_job_spec

# A CronJob's Jobs are named <cronjob>-<unix minutes>: 11 characters are kept for the suffix.
MAX_NAME = 52


def check_cron_job(obj: Obj, errs: list[FieldError]) -> None:
    """CronJob rules: name length, schedule, time zone, policies, and the job template."""
    name = as_dict(obj.get("metadata")).get("name")
    if isinstance(name, str) and len(name) > MAX_NAME:
        errs.append(
            FieldError(
                "metadata.name", INVALID, name, f"must be no more than {MAX_NAME} characters"
            )
        )
    spec = as_dict(obj.get("spec"))
    schedule = spec.get("schedule")
    if not schedule:
        errs.append(FieldError("spec.schedule", REQUIRED))
    elif isinstance(schedule, str):
        if "TZ" in schedule:
            errs.append(
                FieldError(
                    "spec.schedule",
                    INVALID,
                    schedule,
                    "cannot use TZ or CRON_TZ in schedule, use timeZone field instead",
                )
            )
        else:
            problem = schedule_error(schedule)
            if problem is not None:
                errs.append(FieldError("spec.schedule", INVALID, schedule, problem))
    time_zone = spec.get("timeZone")
    if isinstance(time_zone, str):
        if not time_zone:
            problem = "timeZone must be nil or non-empty string"
        elif time_zone.lower() == "local":
            problem = "timeZone must be an explicit time zone as defined in https://www.iana.org/time-zones"
        else:
            problem = "" if zone(time_zone) is not None else f"unknown time zone {time_zone}"
        if problem:
            errs.append(FieldError("spec.timeZone", INVALID, time_zone, problem))
    check_enum(
        errs,
        "spec.concurrencyPolicy",
        spec.get("concurrencyPolicy"),
        ["Allow", "Forbid", "Replace"],
    )
    for field in (
        "startingDeadlineSeconds",
        "successfulJobsHistoryLimit",
        "failedJobsHistoryLimit",
    ):
        check_nonnegative(errs, f"spec.{field}", spec.get(field))
    template = as_dict(spec.get("jobTemplate"))
    errs += validate_labels(
        as_dict(template.get("metadata")).get("labels"), "spec.jobTemplate.metadata.labels"
    )
    check_job_spec(errs, template.get("spec"), "spec.jobTemplate.spec")
