"""Jobs: the job controller's upstream rules, with the texts kubectl shows for them."""

from __future__ import annotations

import itertools
from pathlib import Path
from typing import Any

import pytest

from k8stui.engine import errors
from k8stui.engine.clock import from_timestamp
from k8stui.engine.cluster import Cluster
from k8stui.kubectl.describe import describe
from k8stui.kubectl.live_view import LiveView
from k8stui.kubectl.printers import build_table
from k8stui.kubectl.table import render_table
from k8stui.manifests import load_documents

Obj = dict[str, Any]
CORPUS = (
    Path(__file__).resolve().parent.parent.parent
    / "shared"
    / "corpus"
    / "kubernetes-in-action"
    / "Chapter04"
)
needs_corpus = pytest.mark.skipif(not CORPUS.is_dir(), reason="../shared/corpus is absent")


def job(name: str, image: str = "luksa/batch-job", policy: str = "OnFailure", **spec: Any) -> Obj:
    """A Job manifest running one container of ``image``."""
    return {
        "apiVersion": "batch/v1",
        "kind": "Job",
        "metadata": {"name": name},
        "spec": {
            "template": {
                "spec": {
                    "restartPolicy": policy,
                    "containers": [{"name": "main", "image": image}],
                }
            },
            **spec,
        },
    }


def corpus_job(name: str) -> Obj:
    doc = load_documents((CORPUS / name).read_bytes(), name).documents[0]
    return doc.obj


def pods_of(cluster: Cluster, name: str) -> list[Obj]:
    return [
        p
        for p in cluster.list("Pod")
        if (p["metadata"].get("labels") or {}).get("batch.kubernetes.io/job-name") == name
    ]


def table(cluster: Cluster, kind: str, wide: bool = False) -> str:
    view = LiveView(cluster)
    return render_table(build_table(kind, cluster.list(kind), view), wide=wide)


def job_log(cluster: Cluster, name: str) -> list[str]:
    return [
        line.split(f"job/{name}: ", 1)[1]
        for line in cluster.event_log()
        if f" job/{name}: " in line
    ]


@needs_corpus
def test_the_books_batch_job_runs_to_completion_and_its_pod_shows_completed() -> None:
    cluster = Cluster(seed=1)
    cluster.create(corpus_job("batch-job.yaml"))
    cluster.advance(30)
    assert table(cluster, "Job").splitlines() == [
        "NAME        STATUS    COMPLETIONS   DURATION   AGE",
        "batch-job   Running   0/1           30s        30s",
    ]
    cluster.advance(100)
    (pod,) = pods_of(cluster, "batch-job")
    assert pod["status"]["phase"] == "Succeeded"
    lines = table(cluster, "Pod").splitlines()
    row = next(line for line in lines if line.startswith(pod["metadata"]["name"]))
    assert row.split()[1:5] == ["0/1", "Completed", "0", "2m10s"]
    status = cluster.get("Job", "batch-job")["status"]
    done = from_timestamp(status["completionTime"]) - from_timestamp(status["startTime"])
    assert table(cluster, "Job").splitlines()[1].split() == [
        "batch-job",
        "Complete",
        "1/1",
        f"{done // 60000}m{done % 60000 // 1000}s",
        "2m10s",
    ]
    assert [c["type"] for c in status["conditions"]] == ["SuccessCriteriaMet", "Complete"]
    assert status["conditions"][1]["reason"] == "CompletionsReached"
    assert job_log(cluster, "batch-job") == [
        f"Created pod: {pod['metadata']['name']}",
        "Job completed",
    ]
    text = describe("Job", cluster.get("Job", "batch-job"), LiveView(cluster))
    assert "Pods Statuses:    0 Active (0 Ready) / 1 Succeeded / 0 Failed\n" in text
    assert "Completion Mode:  NonIndexed\n" in text
    assert "Suspend:          false\n" in text
    assert "Backoff Limit:    6\n" in text
    assert "  Normal  Completed         " in text and "job-controller  Job completed" in text


def test_defaults_selector_and_labels_follow_the_api_server() -> None:
    cluster = Cluster(seed=1)
    stored = cluster.create(job("pi")).obj
    uid = stored["metadata"]["uid"]
    spec = stored["spec"]
    assert spec["completions"] == 1 and spec["parallelism"] == 1
    assert spec["backoffLimit"] == 6 and spec["completionMode"] == "NonIndexed"
    assert spec["suspend"] is False and spec["podReplacementPolicy"] == "TerminatingOrFailed"
    assert spec["selector"] == {"matchLabels": {"batch.kubernetes.io/controller-uid": uid}}
    expected = {
        "batch.kubernetes.io/controller-uid": uid,
        "batch.kubernetes.io/job-name": "pi",
        "controller-uid": uid,
        "job-name": "pi",
    }
    assert spec["template"]["metadata"]["labels"] == expected
    assert stored["metadata"]["labels"] == expected


def test_parallelism_alone_leaves_completions_unset_and_prints_of() -> None:
    cluster = Cluster(seed=1)
    stored = cluster.create(job("queue", parallelism=2)).obj
    assert "completions" not in stored["spec"]
    cluster.advance(5)
    assert len(pods_of(cluster, "queue")) == 2
    assert table(cluster, "Job").splitlines()[1].split()[2:5] == ["0/1", "of", "2"]


def test_failed_pods_are_replaced_after_a_doubling_back_off_until_the_limit() -> None:
    cluster = Cluster(seed=1)
    failed_at: dict[str, int] = {}

    def watch(kind: str, new: Obj | None, old: Obj | None) -> None:
        if new is None or old is None:
            return
        if new["status"].get("phase") == "Failed" and old["status"].get("phase") != "Failed":
            failed_at[new["metadata"]["name"]] = cluster.now_ms

    cluster.ctx.store.watch(watch, ("Pod",))
    cluster.create(job("crash", image="k8stui/crasher", policy="Never", backoffLimit=3))
    cluster.advance(400)
    pods = sorted(pods_of(cluster, "crash"), key=lambda p: p["metadata"]["creationTimestamp"])
    assert len(pods) == 4
    gaps = []
    for before, after in itertools.pairwise(pods):
        finished = before["status"]["containerStatuses"][0]["state"]["terminated"]["finishedAt"]
        gaps.append(
            from_timestamp(after["metadata"]["creationTimestamp"]) - from_timestamp(finished)
        )
    assert gaps == [10_000, 20_000, 40_000]
    status = cluster.get("Job", "crash")["status"]
    assert status["failed"] == 4
    assert [(c["type"], c["reason"]) for c in status["conditions"]] == [
        ("FailureTarget", "BackoffLimitExceeded"),
        ("Failed", "BackoffLimitExceeded"),
    ]
    assert "completionTime" not in status
    assert job_log(cluster, "crash")[-1] == "Job has reached the specified backoff limit"
    assert table(cluster, "Job").splitlines()[1].split()[:3] == ["crash", "Failed", "0/1"]


def test_back_off_is_capped_at_six_minutes() -> None:
    cluster = Cluster(seed=1)
    cluster.create(job("crash", image="k8stui/crasher", policy="Never", backoffLimit=8))
    cluster.advance(3600)
    pods = sorted(pods_of(cluster, "crash"), key=lambda p: p["metadata"]["creationTimestamp"])
    gaps = []
    for before, after in itertools.pairwise(pods):
        finished = before["status"]["containerStatuses"][0]["state"]["terminated"]["finishedAt"]
        gaps.append(
            from_timestamp(after["metadata"]["creationTimestamp"]) - from_timestamp(finished)
        )
    assert gaps == [10_000, 20_000, 40_000, 80_000, 160_000, 320_000, 360_000, 360_000]


def test_on_failure_restarts_count_against_the_back_off_limit() -> None:
    cluster = Cluster(seed=1)
    cluster.create(job("crash", image="k8stui/crasher", policy="OnFailure", backoffLimit=2))
    cluster.advance(300)
    pods = pods_of(cluster, "crash")
    # The container restarted in place: one pod, deleted when the Job failed.
    assert len({p["metadata"]["uid"] for p in pods}) <= 1
    status = cluster.get("Job", "crash")["status"]
    assert status["conditions"][-1]["type"] == "Failed"
    assert status["conditions"][-1]["reason"] == "BackoffLimitExceeded"


@needs_corpus
def test_active_deadline_fails_the_job_and_kills_its_pod() -> None:
    cluster = Cluster(seed=1)
    manifest = corpus_job("time-limited-batch-job.yaml")
    assert manifest["spec"]["activeDeadlineSeconds"] == 30
    cluster.create(manifest)
    name = manifest["metadata"]["name"]
    cluster.advance(30)
    status = cluster.get("Job", name)["status"]
    assert [c["type"] for c in status["conditions"]] == ["FailureTarget"]
    assert status["conditions"][0]["reason"] == "DeadlineExceeded"
    assert table(cluster, "Job").splitlines()[1].split()[1] == "FailureTarget"
    cluster.advance(40)
    status = cluster.get("Job", name)["status"]
    assert [c["type"] for c in status["conditions"]] == ["FailureTarget", "Failed"]
    assert status["conditions"][1]["message"] == "Job was active longer than specified deadline"
    assert pods_of(cluster, name) == []
    log = job_log(cluster, name)
    assert log[-1] == "Job was active longer than specified deadline"
    assert log[-2].startswith("Deleted pod: ")


@needs_corpus
def test_completions_run_at_most_parallelism_at_a_time() -> None:
    cluster = Cluster(seed=1)
    cluster.create(corpus_job("multi-completion-parallel-batch-job.yaml"))
    peak = 0
    for _ in range(80):
        cluster.advance(10)
        active = [
            p
            for p in pods_of(cluster, "multi-completion-batch-job")
            if p["status"].get("phase") in ("Pending", "Running")
        ]
        peak = max(peak, len(active))
    assert peak == 2
    status = cluster.get("Job", "multi-completion-batch-job")["status"]
    assert status["succeeded"] == 5
    assert len(pods_of(cluster, "multi-completion-batch-job")) == 5


def test_indexed_job_names_pods_by_index_and_reports_completed_indexes() -> None:
    cluster = Cluster(seed=1)
    cluster.create(job("idx", completions=3, parallelism=3, completionMode="Indexed"))
    cluster.advance(5)
    pods = sorted(pods_of(cluster, "idx"), key=lambda p: p["metadata"]["name"])
    assert [p["metadata"]["name"][:6] for p in pods] == ["idx-0-", "idx-1-", "idx-2-"]
    assert [p["spec"]["hostname"] for p in pods] == ["idx-0", "idx-1", "idx-2"]
    index_key = "batch.kubernetes.io/job-completion-index"
    assert [p["metadata"]["annotations"][index_key] for p in pods] == ["0", "1", "2"]
    env = pods[1]["spec"]["containers"][0]["env"][-1]
    assert env["name"] == "JOB_COMPLETION_INDEX"
    assert env["valueFrom"]["fieldRef"]["fieldPath"] == f"metadata.annotations['{index_key}']"
    cluster.advance(200)
    status = cluster.get("Job", "idx")["status"]
    assert status["completedIndexes"] == "0-2" and status["succeeded"] == 3
    text = describe("Job", cluster.get("Job", "idx"), LiveView(cluster))
    assert "Completed Indexes:  0-2\n" in text


def test_suspended_job_starts_nothing_until_resumed() -> None:
    cluster = Cluster(seed=1)
    cluster.create(job("later", suspend=True))
    cluster.advance(10)
    assert pods_of(cluster, "later") == []
    status = cluster.get("Job", "later")["status"]
    assert "startTime" not in status
    assert table(cluster, "Job").splitlines()[1].split()[:4] == ["later", "Suspended", "0/1", "10s"]
    cluster.patch("Job", "later", {"spec": {"suspend": False}})
    cluster.advance(1)
    assert len(pods_of(cluster, "later")) == 1
    suspended = next(c for c in cluster.get("Job", "later")["status"]["conditions"])
    assert (suspended["type"], suspended["status"], suspended["reason"]) == (
        "Suspended",
        "False",
        "JobResumed",
    )
    assert job_log(cluster, "later")[:2] == ["Job suspended", "Job resumed"]


def test_pod_failure_policy_fail_job_and_ignore() -> None:
    cluster = Cluster(seed=1)
    rules = [{"action": "FailJob", "onExitCodes": {"operator": "In", "values": [1]}}]
    cluster.create(
        job("strict", image="k8stui/crasher", policy="Never", podFailurePolicy={"rules": rules})
    )
    cluster.advance(30)
    status = cluster.get("Job", "strict")["status"]
    failed = status["conditions"][-1]
    (pod,) = pods_of(cluster, "strict")
    assert (failed["type"], failed["reason"]) == ("Failed", "PodFailurePolicy")
    assert failed["message"] == (
        f"Container main for pod default/{pod['metadata']['name']} failed with exit code 1 "
        "matching FailJob rule at index 0"
    )
    ignore = [{"action": "Ignore", "onExitCodes": {"operator": "In", "values": [1]}}]
    cluster.create(
        job(
            "lenient",
            image="k8stui/crasher",
            policy="Never",
            backoffLimit=0,
            podFailurePolicy={"rules": ignore},
        )
    )
    cluster.advance(60)
    status = cluster.get("Job", "lenient")["status"]
    assert "failed" not in status and "conditions" not in status
    assert len(pods_of(cluster, "lenient")) >= 3  # ignored failures are replaced at once


def test_ttl_after_finished_deletes_the_job_and_its_pods() -> None:
    cluster = Cluster(seed=1)
    cluster.create(job("short", image="busybox", ttlSecondsAfterFinished=100))
    cluster.advance(30)
    assert cluster.get("Job", "short")["status"]["conditions"][-1]["type"] == "Complete"
    assert pods_of(cluster, "short")
    cluster.advance(100)
    assert cluster.get("Job", "short") is None
    assert pods_of(cluster, "short") == []


def test_deleting_a_job_collects_its_pods() -> None:
    cluster = Cluster(seed=1)
    cluster.create(job("gone", parallelism=2, completions=4))
    cluster.advance(5)
    assert len(pods_of(cluster, "gone")) == 2
    cluster.delete("Job", "gone")
    cluster.advance(40)
    assert pods_of(cluster, "gone") == []


def test_a_pod_deleted_by_hand_is_replaced_and_counted_as_failed() -> None:
    cluster = Cluster(seed=1)
    cluster.create(job("replace"))
    cluster.advance(5)
    (pod,) = pods_of(cluster, "replace")
    cluster.delete("Pod", pod["metadata"]["name"])
    names = {p["metadata"]["name"] for p in pods_of(cluster, "replace")}
    assert len(names) == 2  # the terminating pod and its replacement
    cluster.advance(60)
    assert cluster.get("Job", "replace")["status"]["failed"] == 1


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            {"restartPolicy": "Always"},
            'The Job "bad" is invalid: spec.template.spec.restartPolicy: Unsupported value: '
            '"Always": supported values: "OnFailure", "Never"',
        ),
        (
            {"restartPolicy": None},
            'The Job "bad" is invalid: spec.template.spec.restartPolicy: Unsupported value: '
            '"Always": supported values: "OnFailure", "Never"',
        ),
    ],
)
def test_restart_policy_must_be_never_or_on_failure(change: Obj, message: str) -> None:
    manifest = job("bad")
    pod_spec = manifest["spec"]["template"]["spec"]
    for field, value in change.items():
        if value is None:
            pod_spec.pop(field)
        else:
            pod_spec[field] = value
    with pytest.raises(errors.ApiError) as caught:
        Cluster(seed=1).create(manifest)
    assert caught.value.message == message


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        (
            {"backoffLimit": -1},
            "spec.backoffLimit: Invalid value: -1: must be greater than or equal to 0",
        ),
        (
            {"completionMode": "Indexed", "parallelism": 2},
            "spec.completions: Required value: when completion mode is Indexed",
        ),
        (
            {"completionMode": "Sometimes"},
            'spec.completionMode: Unsupported value: "Sometimes": supported values: "NonIndexed", "Indexed"',
        ),
        (
            {"activeDeadlineSeconds": 0},
            "spec.activeDeadlineSeconds: Invalid value: 0: must be greater than 0",
        ),
        ({"manualSelector": True}, "spec.selector: Required value"),
    ],
)
def test_job_spec_validation_texts(spec: Obj, message: str) -> None:
    with pytest.raises(errors.ApiError) as caught:
        Cluster(seed=1).create(job("bad", **spec))
    assert caught.value.message == f'The Job "bad" is invalid: {message}'


def test_completions_are_immutable() -> None:
    cluster = Cluster(seed=1)
    cluster.create(job("fixed", completions=2))
    with pytest.raises(errors.ApiError) as caught:
        cluster.patch("Job", "fixed", {"spec": {"completions": 3}})
    assert caught.value.message == (
        'The Job "fixed" is invalid: spec.completions: Invalid value: 3: field is immutable'
    )
