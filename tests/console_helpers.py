"""Shared builders for the console tests: a session over a fresh cluster and a folder."""

from __future__ import annotations

from k8stui.console.session import CommandResult, Session
from k8stui.engine.cluster import Cluster
from k8stui.kubectl.files import VirtualFiles

POD_YAML = """apiVersion: v1
kind: Pod
metadata:
  name: kubia
  labels:
    app: kubia
spec:
  containers:
  - name: kubia
    image: luksa/kubia
    ports:
    - containerPort: 8080
"""


def session(files: dict[str, str] | None = None, seed: int = 1) -> Session:
    """A session on a new default cluster with ``files`` as its folder."""
    return Session(Cluster(seed=seed), VirtualFiles(files or {}))


def ok(s: Session, line: str) -> CommandResult:
    """Run ``line`` and insist that it succeeded without an internal error."""
    result = s.run(line)
    assert result.exit_code == 0, (line, result)
    assert "internal" not in result.stderr
    return result
