"""CronJobs: schedule parsing and next-run times (robfig/cron rules), and the controller."""

from __future__ import annotations

from typing import Any
from zoneinfo import ZoneInfo

import pytest

from k8stui.engine import errors
from k8stui.engine.apimachinery import cron
from k8stui.engine.clock import from_timestamp, to_timestamp
from k8stui.engine.cluster import Cluster
from k8stui.kubectl.describe import describe
from k8stui.kubectl.live_view import LiveView

Obj = dict[str, Any]
UTC = ZoneInfo("UTC")
NEW_YORK = ZoneInfo("America/New_York")


def cron_job(name: str, schedule: str, image: str = "busybox", **spec: Any) -> Obj:
    return {
        "apiVersion": "batch/v1",
        "kind": "CronJob",
        "metadata": {"name": name},
        "spec": {
            "schedule": schedule,
            "jobTemplate": {
                "spec": {
                    "template": {
                        "spec": {
                            "restartPolicy": "OnFailure",
                            "containers": [{"name": "main", "image": image}],
                        }
                    }
                }
            },
            **spec,
        },
    }


def runs(schedule: str, tz: ZoneInfo, start: str, count: int) -> list[str]:
    at = from_timestamp(start)
    out = []
    for _ in range(count):
        at = cron.next_after(schedule, tz, at)
        out.append(cron.format_in_zone(at, tz))
    return out


@pytest.mark.parametrize(
    ("schedule", "expected"),
    [
        ("*/15 * * * *", ["2025-01-01T00:15:00Z", "2025-01-01T00:30:00Z", "2025-01-01T00:45:00Z"]),
        ("5/20 * * * *", ["2025-01-01T00:05:00Z", "2025-01-01T00:25:00Z", "2025-01-01T00:45:00Z"]),
        (
            "0 9-17/4 * * *",
            ["2025-01-01T09:00:00Z", "2025-01-01T13:00:00Z", "2025-01-01T17:00:00Z"],
        ),
        (
            "0 0 * JAN,MAR SUN",
            ["2025-01-05T00:00:00Z", "2025-01-12T00:00:00Z", "2025-01-19T00:00:00Z"],
        ),
        # Both day fields restricted: a day matches either (the 1st, or any Monday).
        ("0 0 1 * MON", ["2025-01-06T00:00:00Z", "2025-01-13T00:00:00Z", "2025-01-20T00:00:00Z"]),
        ("@hourly", ["2025-01-01T01:00:00Z", "2025-01-01T02:00:00Z", "2025-01-01T03:00:00Z"]),
        ("@monthly", ["2025-02-01T00:00:00Z", "2025-03-01T00:00:00Z", "2025-04-01T00:00:00Z"]),
    ],
)
def test_next_runs(schedule: str, expected: list[str]) -> None:
    assert runs(schedule, UTC, "2025-01-01T00:00:00Z", 3) == expected


def test_a_time_skipped_by_spring_forward_does_not_run_that_day() -> None:
    # 02:30 does not exist in New York on 2025-03-09; robfig/cron moves on to the next day.
    assert runs("30 2 * * *", NEW_YORK, "2025-03-08T00:00:00Z", 3) == [
        "2025-03-08T02:30:00-05:00",
        "2025-03-10T02:30:00-04:00",
        "2025-03-11T02:30:00-04:00",
    ]


def test_a_time_repeated_by_fall_back_runs_twice() -> None:
    assert runs("30 1 * * *", NEW_YORK, "2025-11-01T12:00:00Z", 3) == [
        "2025-11-02T01:30:00-04:00",
        "2025-11-02T01:30:00-05:00",
        "2025-11-03T01:30:00-05:00",
    ]


@pytest.mark.parametrize(
    ("schedule", "text"),
    [
        ("bad", "expected exactly 5 fields, found 1: [bad]"),
        ("* * * * * *", "expected exactly 5 fields, found 6: [* * * * * *]"),
        ("61 * * * *", "end of range (61) above maximum (59): 61"),
        ("0 0 0 * *", "beginning of range (0) below minimum (1): 0"),
        ("5-1 * * * *", "beginning of range (5) beyond end of range (1): 5-1"),
        ("*/0 * * * *", "step of range should be a positive number: */0"),
        ("x * * * *", 'failed to parse int from x: strconv.Atoi: parsing "x": invalid syntax'),
        ("@fortnightly", "unrecognized descriptor: @fortnightly"),
    ],
)
def test_schedule_errors_use_robfig_texts(schedule: str, text: str) -> None:
    with pytest.raises(errors.ApiError) as caught:
        Cluster(seed=1).create(cron_job("c", schedule))
    assert caught.value.message == (
        f'The CronJob "c" is invalid: spec.schedule: Invalid value: "{schedule}": {text}'
    )


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        (
            {"timeZone": "Mars/Olympus"},
            'spec.timeZone: Invalid value: "Mars/Olympus": unknown time zone Mars/Olympus',
        ),
        (
            {"schedule": "TZ=UTC 0 * * * *"},
            'spec.schedule: Invalid value: "TZ=UTC 0 * * * *": cannot use TZ or CRON_TZ in '
            "schedule, use timeZone field instead",
        ),
        (
            {"concurrencyPolicy": "Never"},
            'spec.concurrencyPolicy: Unsupported value: "Never": supported values: "Allow", '
            '"Forbid", "Replace"',
        ),
        (
            {"startingDeadlineSeconds": -5},
            "spec.startingDeadlineSeconds: Invalid value: -5: must be greater than or equal to 0",
        ),
    ],
)
def test_cronjob_validation_texts(spec: Obj, message: str) -> None:
    manifest = cron_job("c", "0 * * * *")
    manifest["spec"].update(spec)
    with pytest.raises(errors.ApiError) as caught:
        Cluster(seed=1).create(manifest)
    assert caught.value.message == f'The CronJob "c" is invalid: {message}'


def test_name_longer_than_52_characters_is_refused() -> None:
    name = "c" * 53
    with pytest.raises(errors.ApiError) as caught:
        Cluster(seed=1).create(cron_job(name, "0 * * * *"))
    assert caught.value.message == (
        f'The CronJob "{name}" is invalid: metadata.name: Invalid value: "{name}": '
        "must be no more than 52 characters"
    )


def test_jobs_start_on_the_minute_and_history_keeps_three() -> None:
    cluster = Cluster(seed=1)
    stored = cluster.create(cron_job("tick", "*/1 * * * *")).obj
    assert stored["spec"]["concurrencyPolicy"] == "Allow"
    assert stored["spec"]["successfulJobsHistoryLimit"] == 3
    assert stored["spec"]["failedJobsHistoryLimit"] == 1
    cluster.advance(6 * 60 + 30)
    jobs = cluster.list("Job")
    minutes = [cron.unix_minutes(m * 60_000) for m in (4, 5, 6)]
    assert [j["metadata"]["name"] for j in jobs] == [f"tick-{m}" for m in minutes]
    scheduled = [
        j["metadata"]["annotations"]["batch.kubernetes.io/cronjob-scheduled-timestamp"]
        for j in jobs
    ]
    assert scheduled == ["2025-01-01T00:04:00Z", "2025-01-01T00:05:00Z", "2025-01-01T00:06:00Z"]
    status = cluster.get("CronJob", "tick")["status"]
    assert status["lastScheduleTime"] == "2025-01-01T00:06:00Z"
    assert "active" not in status
    events = [
        line.split("cronjob/tick: ", 1)[1]
        for line in cluster.event_log()
        if "cronjob/tick:" in line
    ]
    first = f"tick-{cron.unix_minutes(60_000)}"
    assert events[:2] == [f"Created job {first}", f"Saw completed job: {first}, status: Complete"]
    assert f"Deleted job {first}" in events
    # The pods of deleted Jobs went with them.
    assert len([p for p in cluster.list("Pod") if p["metadata"]["name"].startswith("tick-")]) == 3


def test_time_zone_schedule_across_daylight_saving() -> None:
    cluster = Cluster(seed=1)
    cluster.create(
        cron_job(
            "night",
            "30 2 * * *",
            timeZone="America/New_York",
            successfulJobsHistoryLimit=100,
        )
    )
    cluster.advance(from_timestamp("2025-03-11T12:00:00Z") / 1000)
    stamps = [
        j["metadata"]["annotations"]["batch.kubernetes.io/cronjob-scheduled-timestamp"]
        for j in cluster.list("Job")
    ]
    assert stamps[-4:] == [
        "2025-03-07T02:30:00-05:00",
        "2025-03-08T02:30:00-05:00",
        "2025-03-10T02:30:00-04:00",
        "2025-03-11T02:30:00-04:00",
    ]
    assert len(stamps) == 31 + 28 + 11 - 1  # every day but 2025-03-09


def test_forbid_skips_while_a_job_runs_and_starts_late_without_a_deadline() -> None:
    cluster = Cluster(seed=1)
    cluster.create(
        cron_job("slow", "*/1 * * * *", image="luksa/batch-job", concurrencyPolicy="Forbid")
    )
    cluster.advance(150)
    assert len(cluster.list("Job")) == 1  # the 00:02 run waits for the first job
    events = [
        line.split("cronjob/slow: ", 1)[1]
        for line in cluster.event_log()
        if "cronjob/slow:" in line
    ]
    assert (
        "Not starting job because prior execution is running and concurrency policy is Forbid"
        in events
    )
    cluster.advance(60)
    # The first job finished after 2 minutes: the missed 00:03 run starts at once.
    names = [j["metadata"]["name"] for j in cluster.list("Job")]
    assert names[-1] == f"slow-{cron.unix_minutes(3 * 60_000)}"


def test_replace_deletes_the_running_job() -> None:
    cluster = Cluster(seed=1)
    cluster.create(
        cron_job("swap", "*/1 * * * *", image="luksa/batch-job", concurrencyPolicy="Replace")
    )
    cluster.advance(130)
    names = [j["metadata"]["name"] for j in cluster.list("Job")]
    assert names == [f"swap-{cron.unix_minutes(2 * 60_000)}"]
    events = [
        line.split("cronjob/swap: ", 1)[1]
        for line in cluster.event_log()
        if "cronjob/swap:" in line
    ]
    assert f"Deleted job swap-{cron.unix_minutes(60_000)}" in events


def test_a_job_deleted_while_active_is_reported_missing() -> None:
    cluster = Cluster(seed=1)
    cluster.create(cron_job("gone", "*/5 * * * *", image="luksa/batch-job"))
    cluster.advance(310)
    job = f"gone-{cron.unix_minutes(5 * 60_000)}"
    assert [ref["name"] for ref in cluster.get("CronJob", "gone")["status"]["active"]] == [job]
    cluster.delete("Job", job)
    cluster.advance(1)
    assert "active" not in cluster.get("CronJob", "gone")["status"]
    events = [
        line.split("cronjob/gone: ", 1)[1]
        for line in cluster.event_log()
        if "cronjob/gone:" in line
    ]
    assert events[-1] == f"Active job went missing: {job}"


def test_a_job_made_by_hand_from_the_cronjob_is_seen_but_not_adopted() -> None:
    """``kubectl create job --from=cronjob/...`` points its Job at the CronJob as controller;
    upstream warns about it on every sync and leaves it out of ``status.active``."""
    cluster = Cluster(seed=1)
    cj = cluster.create(cron_job("hand", "0 * * * *", image="luksa/batch-job")).obj
    template = cj["spec"]["jobTemplate"]["spec"]
    cluster.create(
        {
            "apiVersion": "batch/v1",
            "kind": "Job",
            "metadata": {
                "name": "manual",
                "annotations": {"cronjob.kubernetes.io/instantiate": "manual"},
                "ownerReferences": [
                    {
                        "apiVersion": "batch/v1",
                        "kind": "CronJob",
                        "name": "hand",
                        "uid": cj["metadata"]["uid"],
                        "controller": True,
                    }
                ],
            },
            "spec": template,
        }
    )
    cluster.advance(5)
    assert "active" not in cluster.get("CronJob", "hand").get("status", {})
    warnings = [
        line.split("cronjob/hand: ", 1)[1]
        for line in cluster.event_log()
        if "Warning UnexpectedJob cronjob/hand:" in line
    ]
    assert warnings == ["Saw a job that the controller did not create or forgot: manual"]


def test_allow_runs_jobs_side_by_side() -> None:
    cluster = Cluster(seed=1)
    cluster.create(cron_job("many", "*/1 * * * *", image="luksa/batch-job"))
    cluster.advance(130)
    assert len(cluster.get("CronJob", "many")["status"]["active"]) == 2


def test_starting_deadline_misses_runs_while_suspended() -> None:
    cluster = Cluster(seed=1)
    cluster.create(cron_job("late", "0 * * * *", suspend=True, startingDeadlineSeconds=60))
    cluster.advance(3600 + 120)
    assert cluster.list("Job") == []
    cluster.patch("CronJob", "late", {"spec": {"suspend": False}})
    assert cluster.list("Job") == []  # 01:00 is more than 60 s ago
    cluster.advance(3600)
    assert [j["metadata"]["name"] for j in cluster.list("Job")] == [
        f"late-{cron.unix_minutes(2 * 3_600_000)}"
    ]


def test_describe_cronjob_layout() -> None:
    cluster = Cluster(seed=1)
    cluster.create(cron_job("tick", "*/5 * * * *"))
    cluster.advance(301)
    text = describe("CronJob", cluster.get("CronJob", "tick"), LiveView(cluster))
    lines = text.splitlines()
    assert lines[:10] == [
        "Name:                          tick",
        "Namespace:                     default",
        "Labels:                        <none>",
        "Annotations:                   <none>",
        "Schedule:                      */5 * * * *",
        "Concurrency Policy:            Allow",
        "Suspend:                       False",
        "Successful Job History Limit:  3",
        "Failed Job History Limit:      1",
        "Starting Deadline Seconds:     <unset>",
    ]
    assert f"Last Schedule Time:  {'Wed, 01 Jan 2025 00:05:00 +0000'}" in text
    assert f"Active Jobs:         tick-{cron.unix_minutes(300_000)}" in text
    assert to_timestamp(300_000) == cluster.get("CronJob", "tick")["status"]["lastScheduleTime"]
