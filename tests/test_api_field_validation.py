"""``fieldValidation=Warn`` drops unknown fields and says so; server-side apply ownership.

The real kubectl prints the ``Warning`` header; the stored object must not keep the fields.
A server-side apply whose metadata holds only a name shares the fields it sets with their
other managers, and each manager that applies is recorded even when nothing else changes.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from k8stui.server.rest import warning_header
from k8stui.server.validation import check_fields
from tests.api_helpers import KUBECTL, Served, served

needs_kubectl = pytest.mark.skipif(KUBECTL is None, reason="the real kubectl is not installed")
POD = """apiVersion: v1
kind: Pod
metadata:
  name: fv
spec:
  bogus: 1
  containers:
  - name: c
    image: nginx
    extra: x
"""
CONFIG_MAP = """apiVersion: v1
kind: ConfigMap
metadata:
  name: cm1
data:
  a: "1"
"""


def _pod() -> dict[str, object]:
    return {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {"name": "fv"},
        "spec": {"bogus": 1, "containers": [{"name": "c", "image": "nginx", "extra": "x"}]},
    }


def test_warn_and_ignore_drop_unknown_fields() -> None:
    for mode, warned in (("Warn", True), ("", True), ("Ignore", False)):
        pod = _pod()
        warnings = check_fields(pod, mode)
        expected = ['unknown field "spec.containers[0].extra"', 'unknown field "spec.bogus"']
        assert warnings == (expected if warned else [])
        assert pod["spec"] == {"containers": [{"name": "c", "image": "nginx"}]}


def test_warning_header_quotes_the_text() -> None:
    header = warning_header(['unknown field "spec.bogus"', "a\\b"])
    assert header == {"Warning": '299 - "unknown field \\"spec.bogus\\"", 299 - "a\\\\b"'}


@pytest.fixture(scope="module")
def srv(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    work = tmp_path_factory.mktemp("fv")
    (work / "pod.yaml").write_text(POD)
    (work / "cm.yaml").write_text(CONFIG_MAP)
    with served(work / "srv") as running:
        yield running


def _work(srv: Served) -> Path:
    return srv.kubeconfig.parent.parent


@needs_kubectl
def test_real_apply_with_validate_warn(srv: Served) -> None:
    result = srv.kubectl("apply", "-f", "pod.yaml", "--validate=warn", cwd=_work(srv))
    assert (result.returncode, result.stdout) == (0, "pod/fv created\n")
    assert result.stderr == (
        'Warning: unknown field "spec.containers[0].extra"\nWarning: unknown field "spec.bogus"\n'
    )
    stored = srv.kubectl("get", "pod", "fv", "-o", "jsonpath={.spec.bogus}|{.spec.containers[0]}")
    assert stored.stdout.startswith("|") and "extra" not in stored.stdout


@needs_kubectl
def test_real_server_side_apply_records_every_manager(srv: Served) -> None:
    work = _work(srv)
    assert srv.kubectl("apply", "-f", "cm.yaml", cwd=work).returncode == 0
    for extra in ([], [], ["--field-manager=m2"]):
        result = srv.kubectl("apply", "--server-side", "-f", "cm.yaml", *extra, cwd=work)
        assert (result.returncode, result.stderr) == (0, ""), result.stderr
        assert result.stdout == "configmap/cm1 serverside-applied\n"
    managers = srv.kubectl(
        "get", "cm", "cm1", "-o", "jsonpath={.metadata.managedFields[*].manager}"
    )
    assert managers.stdout.split() == [
        "kubectl-client-side-apply",
        "kubectl-last-applied",
        "kubectl",
        "m2",
    ]
    version = srv.kubectl("get", "cm", "cm1", "-o", "jsonpath={.metadata.resourceVersion}")
    again = srv.kubectl("apply", "--server-side", "-f", "cm.yaml", "--field-manager=m2", cwd=work)
    assert again.returncode == 0
    after = srv.kubectl("get", "cm", "cm1", "-o", "jsonpath={.metadata.resourceVersion}")
    assert after.stdout == version.stdout  # a repeated apply is a no-op
