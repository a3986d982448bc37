"""Which pod and container ``exec`` and ``logs`` take, and what they say about it.

Every expected text is the real kubectl 1.32's against ``k8stui serve`` in the same seeded
state (checked with the differential harness's machinery).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from k8stui.console.session import Session
from tests.api_helpers import new_session

MULTI = """\
apiVersion: v1
kind: Pod
metadata:
  name: multi
  labels:
    app: multi
spec:
  initContainers:
  - name: init
    image: busybox
    command: ["sh", "-c", "echo init"]
  containers:
  - name: app
    image: nginx
  - name: side
    image: busybox
    command: ["sh", "-c", "sleep 3600"]
"""

MISSING_DEFAULT = """\
apiVersion: v1
kind: Pod
metadata:
  name: ann
  annotations:
    kubectl.kubernetes.io/default-container: gone
spec:
  containers:
  - name: app
    image: nginx
  - name: side
    image: busybox
    command: ["sh", "-c", "sleep 3600"]
"""


def _ok(session: Session, line: str) -> None:
    result = session.run(line)
    assert result.exit_code == 0, result.stderr


@pytest.fixture(scope="module")
def scaled() -> Session:
    """Seed 1: one ``web`` pod 80 s old, three 20 s old; by name another one comes first."""
    session = new_session(seed=1)
    _ok(session, "kubectl create deployment web --image=nginx")
    session.run("sim advance 60s")
    _ok(session, "kubectl scale deployment web --replicas=4")
    session.run("sim advance 20s")
    _ok(session, "kubectl expose deployment web --port=80")
    return session


def _oldest(session: Session) -> str:
    names = session.run(
        "kubectl get pods -l app=web --sort-by=.metadata.creationTimestamp -o name"
    ).stdout.split()
    assert names[0] != sorted(names)[0], "the scenario must tell ranking from name order"
    return names[0].removeprefix("pod/")


@pytest.mark.parametrize("target", ["deploy/web", "svc/web", "rs/web-6dc5cd68db"])
def test_logs_of_a_controller_takes_the_longest_ready_pod(scaled: Session, target: str) -> None:
    oldest = _oldest(scaled)
    result = scaled.run(f"kubectl logs {target} --tail=1")
    assert result.stderr == f"Found 4 pods, using pod/{oldest}\n"
    assert result.stdout == "/docker-entrypoint.sh: Configuration complete; ready for start up\n"


@pytest.mark.parametrize("target", ["deploy/web", "svc/web", "rs/web-6dc5cd68db"])
def test_exec_in_a_controller_takes_the_same_pod_silently(scaled: Session, target: str) -> None:
    result = scaled.run(f"kubectl exec {target} -- hostname")
    assert (result.stdout, result.stderr) == (_oldest(scaled) + "\n", "")


@pytest.fixture(scope="module")
def multi(tmp_path_factory: pytest.TempPathFactory) -> Session:
    work: Path = tmp_path_factory.mktemp("pods")
    (work / "multi.yaml").write_text(MULTI)
    (work / "ann.yaml").write_text(MISSING_DEFAULT)
    session = new_session(cwd=str(work))
    _ok(session, "kubectl create -f multi.yaml")
    _ok(session, "kubectl create -f ann.yaml")
    _ok(session, "kubectl create deployment multi --image=nginx --image=busybox")
    session.run("sim advance 60s")
    return session


@pytest.mark.parametrize(
    ("line", "stderr", "code"),
    [
        (
            "kubectl exec multi -c nosuch -- ls",
            "Error from server (BadRequest): container nosuch is not valid for pod multi\n",
            1,
        ),
        (
            "kubectl exec deploy/multi -c nosuch -- hostname",
            "Error from server (BadRequest): container nosuch is not valid for pod multi\n",
            1,
        ),
        ("kubectl logs multi -c nosuch", "error: container nosuch is not valid for pod multi\n", 1),
        (
            "kubectl logs deploy/multi -c nosuch",
            "Found 2 pods, using pod/multi\nerror: container nosuch is not valid for pod multi\n",
            1,
        ),
        (
            "kubectl exec multi -- hostname",
            'Defaulted container "app" out of: app, side, init (init)\n',
            0,
        ),
        (
            "kubectl logs deploy/multi --tail=1",
            'Found 2 pods, using pod/multi\nDefaulted container "app" out of: app, side, init (init)\n',
            0,
        ),
        ("kubectl exec ann -- hostname", 'Defaulted container "app" out of: app, side\n', 0),
        (
            "kubectl logs ann --tail=1",
            'Default container name "gone" not found in pod ann\n'
            'Defaulted container "app" out of: app, side\n',
            0,
        ),
        (
            "kubectl logs multi --all-containers -c app",
            "error: --all-containers=true should not be specified with container name app\n",
            1,
        ),
        (
            "kubectl logs nope --all-containers -c x",
            'error: error from server (NotFound): pods "nope" not found in namespace "default"\n',
            1,
        ),
        (
            "kubectl logs -l app=nothing --all-containers -c x",
            "No resources found in default namespace.\n"
            "error: --all-containers=true should not be specified with container name x\n",
            1,
        ),
        (
            "kubectl exec cm/kube-root-ca.crt -- ls",
            "error: cannot attach to *v1.ConfigMap: selector for *v1.ConfigMap not implemented\n",
            1,
        ),
        (
            "kubectl logs cm/kube-root-ca.crt",
            "error: cannot get the logs from *v1.ConfigMap: selector for *v1.ConfigMap not implemented\n",
            1,
        ),
    ],
)
def test_container_choice_messages(multi: Session, line: str, stderr: str, code: int) -> None:
    result = multi.run(line)
    assert (result.stderr, result.exit_code) == (stderr, code)
