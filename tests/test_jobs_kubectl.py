"""``kubectl create job|cronjob`` and the batch kinds through the console."""

from __future__ import annotations

import shlex
import shutil
import subprocess

import pytest
import yaml

from tests.console_helpers import ok, session

FORMS = [
    "create job pi --image=busybox",
    "create job pi --image=busybox -- sleep 5",
    "create job pi --image=busybox -n team",
    "create cronjob hello --image=busybox --schedule=*/1_*_*_*_*",
    "create cronjob hello --image=busybox --schedule=0_3_*_*_* --restart=Never -- date",
]
KUBECTL = shutil.which("kubectl")


@pytest.mark.skipif(KUBECTL is None, reason="kubectl is not on PATH")
@pytest.mark.parametrize("form", FORMS)
def test_same_object_as_kubectl(form: str) -> None:
    words = [w.replace("_", " ") for w in shlex.split(form)]
    at = words.index("--") if "--" in words else len(words)
    args = [*words[:at], "--dry-run=client", "-o", "yaml", *words[at:]]
    real = subprocess.run(
        [str(KUBECTL), *args], capture_output=True, text=True, timeout=30, check=True
    )
    ours = ok(session(), "kubectl " + shlex.join(args))
    assert yaml.safe_load(ours.stdout) == yaml.safe_load(real.stdout)


def test_create_job_from_cronjob_copies_the_template_and_points_at_the_cronjob() -> None:
    s = session()
    ok(s, "kubectl create cronjob hello --image=busybox --schedule='0 3 * * *' -- date")
    assert ok(s, "kubectl create job manual --from=cronjob/hello").stdout == (
        "job.batch/manual created\n"
    )
    job = s.cluster.get("Job", "manual")
    assert job["metadata"]["annotations"] == {"cronjob.kubernetes.io/instantiate": "manual"}
    (ref,) = job["metadata"]["ownerReferences"]
    cron_job = s.cluster.get("CronJob", "hello")
    assert ref == {
        "apiVersion": "batch/v1",
        "controller": True,
        "kind": "CronJob",
        "name": "hello",
        "uid": cron_job["metadata"]["uid"],
    }
    assert job["spec"]["template"]["spec"]["containers"][0]["command"] == ["date"]


def test_create_job_argument_errors() -> None:
    s = session()
    for line, text in [
        ("kubectl create job x", "error: either --image or --from must be specified\n"),
        (
            "kubectl create job x --image=busybox --from=cronjob/y",
            "error: either --image or --from must be specified\n",
        ),
        (
            "kubectl create job x --from=cronjob/nope",
            'Error from server (NotFound): cronjobs.batch "nope" not found\n',
        ),
        (
            "kubectl create cronjob x --image=busybox",
            'error: required flag(s) "schedule" not set\n',
        ),
    ]:
        result = s.run(line)
        assert (result.exit_code, result.stderr) == (1, text), line


def test_get_jobs_and_cronjobs_by_every_name_kubectl_accepts() -> None:
    s = session()
    ok(s, "kubectl create job pi --image=busybox")
    ok(s, "kubectl create cronjob hello --image=busybox --schedule='@hourly'")
    s.run("sim advance 10s")
    for word in ("jobs", "job", "job.batch", "jobs.batch"):
        assert ok(s, f"kubectl get {word} -o name").stdout == "job.batch/pi\n"
    for word in ("cronjobs", "cronjob", "cj", "cronjobs.batch"):
        assert ok(s, f"kubectl get {word} -o name").stdout == "cronjob.batch/hello\n"
    assert ok(s, "kubectl get cj").stdout.splitlines() == [
        "NAME    SCHEDULE   TIMEZONE   SUSPEND   ACTIVE   LAST SCHEDULE   AGE",
        "hello   @hourly    <none>     False     0        <none>          10s",
    ]
    assert ok(s, "kubectl delete job pi").stdout == 'job.batch "pi" deleted\n'


def test_logs_of_a_job_read_its_pod() -> None:
    """kubectl's ``SelectorsForObject`` covers Jobs (and StatefulSets, DaemonSets), not
    kinds without a pod selector."""
    s = session()
    ok(s, "kubectl create job batch --image=luksa/batch-job")
    ok(s, "sleep 10")
    assert ok(s, "kubectl logs job/batch").stdout == (
        "Wed Jan  1 00:00:01 UTC 2025 Batch job starting\n"
    )
    result = s.run("kubectl logs configmap/kube-root-ca.crt")
    assert result.exit_code == 1
    assert result.stderr == (
        "error: cannot get the logs from *v1.ConfigMap: selector for *v1.ConfigMap not implemented\n"
    )
