"""Defaults the API server adds to Jobs and CronJobs (batch/v1 ``SetDefaults_*`` and the Job
strategy's selector generation), in place on an already copied object.

A Job without ``manualSelector: true`` gets a selector on its own uid and the four labels that
carry it on the pod template; its own labels, when the user gave none, are the template's
(batch/v1 defaulting copies them, and the server applies defaulting again on every read).
"""

from __future__ import annotations

from typing import Any

Obj = dict[str, Any]

CONTROLLER_UID = "batch.kubernetes.io/controller-uid"
JOB_NAME = "batch.kubernetes.io/job-name"
LEGACY_CONTROLLER_UID = "controller-uid"
LEGACY_JOB_NAME = "job-name"


def _dict(parent: Obj, key: str) -> Obj:
    value = parent.get(key)
    if value is None:
        value = parent[key] = {}
    return value if isinstance(value, dict) else {}


def job_spec(spec: Obj) -> None:
    """``SetDefaults_Job`` on a JobSpec: counts, back-off limit, modes."""
    if spec.get("completions") is None and spec.get("parallelism") is None:
        spec["completions"] = 1
        spec["parallelism"] = 1
    spec.setdefault("parallelism", 1)
    if spec.get("backoffLimit") is None and spec.get("backoffLimitPerIndex") is None:
        spec["backoffLimit"] = 6
    spec.setdefault("completionMode", "NonIndexed")
    spec.setdefault("suspend", False)
    if spec.get("podFailurePolicy") is not None:
        spec.setdefault("podReplacementPolicy", "Failed")
    else:
        spec.setdefault("podReplacementPolicy", "TerminatingOrFailed")
    policy = spec.get("podFailurePolicy")
    rules = policy.get("rules") if isinstance(policy, dict) else None
    for rule in rules if isinstance(rules, list) else []:
        patterns = rule.get("onPodConditions") if isinstance(rule, dict) else None
        for pattern in patterns if isinstance(patterns, list) else []:
            if isinstance(pattern, dict):
                pattern.setdefault("status", "True")


def generate_selector(job: Obj) -> None:
    """The Job strategy's ``generateSelector``: needs the uid, so it runs once one is assigned."""
    meta = _dict(job, "metadata")
    spec = _dict(job, "spec")
    uid = meta.get("uid")
    if not uid or spec.get("manualSelector") is True:
        return
    template = _dict(spec, "template")
    labels = _dict(_dict(template, "metadata"), "labels")
    name = str(meta.get("name", ""))
    for key, value in (
        (CONTROLLER_UID, uid),
        (JOB_NAME, name),
        (LEGACY_CONTROLLER_UID, uid),
        (LEGACY_JOB_NAME, name),
    ):
        labels.setdefault(key, value)
    if spec.get("selector") is None:
        spec["selector"] = {"matchLabels": {CONTROLLER_UID: uid}}


def default_job(obj: Obj, pod_spec_defaults: Any) -> None:
    """Defaults of a Job object (``pod_spec_defaults`` fills the template's PodSpec)."""
    spec = _dict(obj, "spec")
    job_spec(spec)
    template = _dict(spec, "template")
    # A stored template's ObjectMeta keeps its zero creationTimestamp, serialised as null.
    _dict(template, "metadata").setdefault("creationTimestamp", None)
    pod_spec_defaults(_dict(template, "spec"))
    generate_selector(obj)
    meta = _dict(obj, "metadata")
    labels = (_dict(template, "metadata")).get("labels")
    if not meta.get("labels") and isinstance(labels, dict) and labels:
        meta["labels"] = dict(labels)


def default_cron_job(obj: Obj, pod_spec_defaults: Any) -> None:
    """``SetDefaults_CronJob``; the job template gets PodSpec defaults only."""
    spec = _dict(obj, "spec")
    spec.setdefault("concurrencyPolicy", "Allow")
    spec.setdefault("suspend", False)
    spec.setdefault("successfulJobsHistoryLimit", 3)
    spec.setdefault("failedJobsHistoryLimit", 1)
    job_template = _dict(spec, "jobTemplate")
    _dict(job_template, "metadata").setdefault("creationTimestamp", None)
    template = _dict(_dict(job_template, "spec"), "template")
    _dict(template, "metadata").setdefault("creationTimestamp", None)
    pod_spec_defaults(_dict(template, "spec"))
