"""The real kubectl's watching commands on our API: ``get -w``, ``wait``, ``delete`` (waits)."""

from __future__ import annotations

import subprocess
import time
from pathlib import Path

import pytest

from tests.api_helpers import KUBECTL, served

pytestmark = pytest.mark.skipif(KUBECTL is None, reason="the real kubectl is not installed")

POD = {
    "apiVersion": "v1",
    "kind": "Pod",
    "metadata": {"name": "watched", "namespace": "default", "labels": {"app": "w"}},
    "spec": {"containers": [{"name": "c", "image": "nginx"}]},
}


def test_get_watch_wait_and_delete(tmp_path: Path) -> None:
    with served(tmp_path) as srv:
        assert KUBECTL is not None
        watcher = subprocess.Popen(
            [KUBECTL, "get", "pods", "-w", "--output-watch-events"],
            env=srv.kubectl_env(),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        try:
            time.sleep(2.0)
            srv.server.call(lambda: srv.session.cluster.create(POD))
            waiter = subprocess.Popen(
                [KUBECTL, "wait", "--for=condition=Ready", "pod/watched", "--timeout=30s"],
                env=srv.kubectl_env(),
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )
            deadline = time.monotonic() + 30
            while waiter.poll() is None and time.monotonic() < deadline:
                srv.advance(1.0)
                time.sleep(0.05)
            out, err = waiter.communicate(timeout=10)
            assert waiter.returncode == 0, err
            assert out == "pod/watched condition met\n"
        finally:
            time.sleep(0.5)
            watcher.terminate()
            watched, _ = watcher.communicate(timeout=10)
        lines = watched.splitlines()
        assert lines[0].split()[:2] == ["EVENT", "NAME"]
        assert any(line.startswith("ADDED") and "watched" in line for line in lines)
        assert any(line.startswith("MODIFIED") and "Running" in line for line in lines)
        deleter = subprocess.Popen(
            [KUBECTL, "delete", "pod", "watched"],
            env=srv.kubectl_env(),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        time.sleep(1.0)
        deadline = time.monotonic() + 30
        while deleter.poll() is None and time.monotonic() < deadline:
            srv.advance(1.0)
            time.sleep(0.05)
        out, err = deleter.communicate(timeout=10)
        assert deleter.returncode == 0, err
        assert out == 'pod "watched" deleted\n'
        assert srv.server.call(lambda: srv.session.cluster.get("Pod", "watched")) is None
