"""``kubectl set image|env|resources``: the same objects as the real kubectl (``--local``),
and the changes reach the cluster as rollouts."""

from __future__ import annotations

import shlex
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.console_helpers import ok, session

KUBECTL = shutil.which("kubectl")

WEB = """apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 2
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      initContainers:
      - {name: setup, image: busybox}
      containers:
      - name: nginx
        image: nginx
        env:
        - {name: KEEP, value: "1"}
        - {name: DROP, value: "2"}
      - {name: redis, image: redis, resources: {requests: {memory: 64Mi}}}
"""

LOCAL_FORMS = [
    "set image -f web.yaml nginx=nginx:1.27",
    "set image -f web.yaml *=busybox:1.37",
    "set image -f web.yaml setup=alpine nginx=nginx:alpine",
    "set env -f web.yaml A=1 KEEP=changed",
    "set env -f web.yaml DROP- -c nginx",
    "set env -f web.yaml B=x -c redis",
    "set resources -f web.yaml -c redis --limits=cpu=200m,memory=512Mi --requests=cpu=100m",
    "set resources -f web.yaml --requests=cpu=50m",
]


@pytest.mark.skipif(KUBECTL is None, reason="kubectl is not on PATH")
@pytest.mark.parametrize("form", LOCAL_FORMS)
def test_local_changes_match_kubectl(form: str, tmp_path: Path) -> None:
    (tmp_path / "web.yaml").write_text(WEB)
    args = [*shlex.split(form), "--local", "-o", "yaml"]
    real = subprocess.run(
        [str(KUBECTL), *args], capture_output=True, text=True, timeout=30, cwd=tmp_path
    )
    assert real.returncode == 0, real.stderr
    ours = ok(session({"web.yaml": WEB}), "kubectl " + shlex.join(args))
    assert _containers(yaml.safe_load(ours.stdout)) == _containers(yaml.safe_load(real.stdout))


def _containers(obj: dict[str, Any]) -> dict[str, list[dict[str, Any]]]:
    """What ``set`` changes. The real kubectl also round-trips the object through its Go
    types, which adds zero values (``resources: {}``, ``strategy: {}``, ``status: {}``);
    the simulator keeps the object as it was written, so those are left out here."""
    spec = obj["spec"]["template"]["spec"]
    return {
        group: [{k: v for k, v in c.items() if v != {}} for c in spec.get(group, [])]
        for group in ("initContainers", "containers")
    }


@pytest.mark.skipif(KUBECTL is None, reason="kubectl is not on PATH")
@pytest.mark.parametrize(
    "form", ["set image -f web.yaml nope=x", "set image -f web.yaml", "set image deploy/web a=b"]
)
def test_local_errors_match_kubectl(form: str, tmp_path: Path) -> None:
    (tmp_path / "web.yaml").write_text(WEB)
    args = [*shlex.split(form), "--local"]
    real = subprocess.run(
        [str(KUBECTL), *args], capture_output=True, text=True, timeout=30, cwd=tmp_path
    )
    ours = session({"web.yaml": WEB}).run("kubectl " + shlex.join(args))
    assert (ours.stderr, ours.exit_code) == (real.stderr, real.returncode)


def test_set_image_rolls_the_deployment_out() -> None:
    s = session({"web.yaml": WEB})
    ok(s, "kubectl apply -f web.yaml")
    s.cluster.advance(30)
    assert ok(s, "kubectl set image deployment/web nginx=nginx:1.27").stdout == (
        "deployment.apps/web image updated\n"
    )
    s.cluster.advance(60)
    images = ok(s, "kubectl get pods -o jsonpath={.items[*].spec.containers[0].image}").stdout
    assert images.split() == ["nginx:1.27", "nginx:1.27"]
    history = ok(s, "kubectl rollout history deployment/web").stdout
    assert "2         <none>" in history


def test_a_missing_container_is_named() -> None:
    s = session({"web.yaml": WEB})
    ok(s, "kubectl apply -f web.yaml")
    result = s.run("kubectl set image deployment/web nope=x")
    assert (result.exit_code, result.stderr) == (
        1,
        'error: unable to find container named "nope"\n',
    )
