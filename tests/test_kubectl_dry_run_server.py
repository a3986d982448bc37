"""``--dry-run=server`` on ``run``, ``create <generator>`` and ``expose``, and the errors a
generator wraps: the object goes to the API server with ``dryRun=All``, kubectl prints the
server's answer (defaulted) with `` (server dry run)``, and nothing is stored.

Expected texts are the real kubectl 1.32's against ``k8stui serve`` in the same state.
"""

from __future__ import annotations

import pytest

from k8stui.console.session import Session
from tests.api_helpers import new_session

DEPLOYMENT_YAML = """\
apiVersion: apps/v1
kind: Deployment
metadata:
  creationTimestamp: null
  labels:
    app: d1
  name: d1
  namespace: default
spec:
  progressDeadlineSeconds: 600
  replicas: 1
  revisionHistoryLimit: 10
  selector:
    matchLabels:
      app: d1
  strategy:
    rollingUpdate:
      maxSurge: 25%
      maxUnavailable: 25%
    type: RollingUpdate
  template:
    metadata:
      creationTimestamp: null
      labels:
        app: d1
    spec:
      containers:
      - image: nginx
        imagePullPolicy: Always
        name: nginx
        resources: {}
        terminationMessagePath: /dev/termination-log
        terminationMessagePolicy: File
      dnsPolicy: ClusterFirst
      restartPolicy: Always
      schedulerName: default-scheduler
      securityContext: {}
      terminationGracePeriodSeconds: 30
status: {}
"""


@pytest.fixture
def session() -> Session:
    return new_session()


def test_create_deployment_prints_the_servers_defaulted_object(session: Session) -> None:
    result = session.run("kubectl create deployment d1 --image=nginx --dry-run=server -o yaml")
    assert (result.stdout, result.stderr, result.exit_code) == (DEPLOYMENT_YAML, "", 0)
    assert session.cluster.get("Deployment", "d1", "default") is None


@pytest.mark.parametrize(
    ("line", "stdout"),
    [
        ("kubectl run web --image=nginx --dry-run=server", "pod/web created (server dry run)\n"),
        (
            "kubectl run web --image=nginx --dry-run=server -o jsonpath={.status}",
            '{"phase":"Pending","qosClass":"BestEffort"}',
        ),
        (
            "kubectl create deployment d1 --image=nginx --dry-run=server",
            "deployment.apps/d1 created (server dry run)\n",
        ),
        (
            "kubectl create job j1 --image=busybox --dry-run=server -o jsonpath={.spec.completions}",
            "1",
        ),
        (
            "kubectl create configmap c1 --from-literal=a=b --dry-run=server -o jsonpath={.metadata.namespace}",
            "default",
        ),
        (
            "kubectl create service nodeport np --tcp=80:80 --dry-run=server",
            "service/np created (server dry run)\n",
        ),
    ],
)
def test_generators_go_to_the_server(session: Session, line: str, stdout: str) -> None:
    before = session.run("kubectl get all,cm -o name").stdout
    result = session.run(line)
    assert (result.stdout, result.stderr, result.exit_code) == (stdout, "", 0)
    assert session.run("kubectl get all,cm -o name").stdout == before


def test_expose_dry_run_server_gets_the_service_defaults(session: Session) -> None:
    assert session.run("kubectl create deployment d1 --image=nginx").exit_code == 0
    line = "kubectl expose deploy d1 --port=80 --dry-run=server"
    assert session.run(line).stdout == "service/d1 exposed (server dry run)\n"
    shown = session.run(line + " -o jsonpath={.spec.type}/{.spec.sessionAffinity}/{.status}").stdout
    assert shown == 'ClusterIP/None/{"loadBalancer":{}}'
    missing = session.run("kubectl get svc d1")
    assert missing.stderr == 'Error from server (NotFound): services "d1" not found\n'


@pytest.mark.parametrize(
    ("setup", "line", "stderr"),
    [
        (
            "kubectl create deployment d1 --image=nginx",
            "kubectl create deployment d1 --image=nginx --dry-run=server",
            'error: failed to create deployment: deployments.apps "d1" already exists\n',
        ),
        (
            "kubectl create deployment d1 --image=nginx",
            "kubectl create deployment d1 --image=nginx",
            'error: failed to create deployment: deployments.apps "d1" already exists\n',
        ),
        (
            "kubectl create configmap c1 --from-literal=a=b",
            "kubectl create configmap c1 --from-literal=a=b",
            'error: failed to create configmap: configmaps "c1" already exists\n',
        ),
        (
            "kubectl create secret generic s1 --from-literal=a=b",
            "kubectl create secret docker-registry s1 --docker-username=a --docker-password=b",
            'error: failed to create secret secrets "s1" already exists\n',
        ),
        (
            "kubectl create sa sa1",
            "kubectl create sa sa1 --dry-run=server",
            'error: failed to create serviceaccount: serviceaccounts "sa1" already exists\n',
        ),
        (
            "kubectl create job j1 --image=busybox",
            "kubectl create job j1 --image=busybox --dry-run=server",
            'error: failed to create job: jobs.batch "j1" already exists\n',
        ),
        (
            "kubectl create service nodeport d9 --tcp=80:80",
            "kubectl create service externalname d9 --external-name=a.b",
            'error: failed to create ExternalName service: services "d9" already exists\n',
        ),
        (
            "kubectl run p1 --image=nginx",
            "kubectl run p1 --image=nginx --dry-run=server",
            'Error from server (AlreadyExists): pods "p1" already exists\n',
        ),
        (
            "kubectl create namespace n1",
            "kubectl create namespace n1",
            'Error from server (AlreadyExists): namespaces "n1" already exists\n',
        ),
    ],
)
def test_generator_errors_are_wrapped_as_kubectl_does(
    session: Session, setup: str, line: str, stderr: str
) -> None:
    assert session.run(setup).exit_code == 0
    result = session.run(line)
    assert (result.stdout, result.stderr, result.exit_code) == ("", stderr, 1)


def test_generator_names_the_missing_namespace(session: Session) -> None:
    result = session.run("kubectl create configmap c1 --from-literal=a=b -n nosuchns")
    assert result.stderr == 'error: failed to create configmap: namespaces "nosuchns" not found\n'
