"""``kubectl top`` over ``metrics.k8s.io`` and ``kubectl attach`` over WebSocket, real kubectl.

``top`` must print what the built-in ``top`` prints from the same usage model; ``attach``
shows the container's output from the moment it joins until the container ends.
"""

from __future__ import annotations

import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from k8stui.engine.apiserver.resources import METRICS
from k8stui.server.metrics import metrics_list
from tests.api_helpers import KUBECTL, Served, new_session, served

SETUP = (
    "kubectl run fort --image=luksa/fortune",
    "kubectl run web --image=luksa/kubia",
    "kubectl run bad --image=nope/nope",
)
TOP = (
    "top pod",
    "top pods fort",
    "top pod bad",
    "top pod nope",
    "top pod -l run=web",
    "top pod -l run=bad",
    "top pod -l run=zzz",
    "top pod --containers -A",
    "top node",
    "top node worker-1",
    "top node nope",
    "top node -l kubernetes.io/hostname=worker-2",
    "top node --sort-by=memory",
    "top node --sort-by=cpu --no-headers",
    "top pod --sort-by=bogus",
    "top pod --sum --containers",
    "top pod --sum --no-headers",
    "top pod --sort-by=memory --containers",
    # (kubectl sorts more than 12 rows with an unstable sort: ties may come in another order)
)

needs_kubectl = pytest.mark.skipif(KUBECTL is None, reason="the real kubectl is not installed")


@pytest.fixture(scope="module")
def srv(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    session = new_session()
    for line in SETUP:
        assert session.run(line).exit_code == 0
    session.cluster.advance(65)
    with served(tmp_path_factory.mktemp("top"), session) as running:
        yield running


@needs_kubectl
@pytest.mark.parametrize("line", TOP)
def test_top_matches_builtin(srv: Served, line: str) -> None:
    real = srv.kubectl(*line.split())
    mine = srv.server.call(lambda: srv.session.run("kubectl " + line))
    assert (mine.stdout, mine.stderr, mine.exit_code) == (
        real.stdout,
        real.stderr,
        real.returncode,
    )


@needs_kubectl
def test_api_resources_lists_the_metrics_group(srv: Served) -> None:
    real = srv.kubectl("api-resources", "--api-group=metrics.k8s.io", "-o", "name")
    assert real.stdout.split() == ["nodes.metrics.k8s.io", "pods.metrics.k8s.io"]


def test_metrics_samples_in_metrics_server_units() -> None:
    session = new_session()
    session.run("kubectl run fort --image=luksa/fortune")
    session.run("kubectl run bad --image=nope/nope")
    session.cluster.advance(30)
    pod_metrics, node_metrics = METRICS[1], METRICS[0]
    pods = metrics_list(session.cluster, pod_metrics, "default")
    assert [p["metadata"]["name"] for p in pods] == ["fort"]  # bad has nothing running
    usage = pods[0]["containers"][0]["usage"]
    assert usage["cpu"].endswith("n") and usage["memory"].endswith("Ki")
    nodes = metrics_list(session.cluster, node_metrics, None)
    assert {n["metadata"]["name"] for n in nodes} == {
        "control-plane",
        "worker-1",
        "worker-2",
        "worker-3",
    }
    session.run("sim crash-node worker-1")
    nodes = metrics_list(session.cluster, node_metrics, None)
    assert "worker-1" not in {n["metadata"]["name"] for n in nodes}
    top = session.run("kubectl top node").stdout.splitlines()
    assert top[-1].split()[0:2] == ["worker-1", "<unknown>"]  # listed after the measured ones


@needs_kubectl
@pytest.mark.parametrize("version", ["1.32", "1.28"], ids=["websocket", "spdy"])
def test_attach_streams_new_output_until_the_container_ends(tmp_path: Path, version: str) -> None:
    session = new_session()
    line = (
        "kubectl run job1 --image=busybox --restart=Never -- "
        "sh -c 'echo one; sleep 5; echo two; sleep 5; echo three'"
    )
    assert session.run(line).exit_code == 0
    session.cluster.advance(3)
    with served(tmp_path, session, kube_version=version) as running:
        proc = subprocess.Popen(
            [str(KUBECTL), "attach", "job1"],
            env=running.kubectl_env(),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        assert proc.stderr is not None
        # kubectl prints this once the stream is up; only then may the clock move.
        assert "If you don't see a command prompt" in proc.stderr.readline()
        time.sleep(0.5)
        for _ in range(40):
            if proc.poll() is not None:
                break
            running.advance(1)
            time.sleep(0.05)
        out, err = proc.communicate(timeout=30)
        after = running.kubectl("attach", "job1")
    assert proc.returncode == 0, err
    # "one" was written before the attach, so it is not shown
    assert out == "two\nthree\n"
    assert after.returncode == 1
    assert after.stderr == (
        "error: cannot attach a container in a completed pod; current phase is Succeeded\n"
    )


@needs_kubectl
def test_attach_errors(srv: Served) -> None:
    missing = srv.kubectl("attach", "nope")
    assert (missing.returncode, missing.stderr) == (
        1,
        'Error from server (NotFound): pods "nope" not found\n',
    )
    wrong = srv.kubectl("attach", "fort", "-c", "x")
    assert (
        wrong.stderr == "error: cannot attach to the container: container x not found in pod fort\n"
    )
