"""``kubectl create ... --dry-run=client -o yaml``: k8stui builds the same object as kubectl.

The real kubectl (1.32) works offline for these generators; the test is skipped without it.
"""

from __future__ import annotations

import shlex
import shutil
import subprocess

import pytest
import yaml

from tests.console_helpers import ok, session

FORMS = [
    "create deployment web --image=nginx",
    "create deployment web --image=luksa/kubia:v1 --replicas=3 --port=8080",
    "create deployment web --image=busybox -- sleep 3600",
    "create deployment web --image=nginx --image=redis",
    "create deployment web --image=nginx -n team",
    "create service clusterip web --tcp=80:8080",
    "create service clusterip web --tcp=80,443:8443",
    "create service clusterip web --clusterip=None",
    "create service nodeport web --tcp=80:8080 --node-port=30080",
    "create service nodeport web --tcp=5678:8080",
    "create namespace team",
]

KUBECTL = shutil.which("kubectl")


@pytest.mark.skipif(KUBECTL is None, reason="kubectl is not on PATH")
@pytest.mark.parametrize("form", FORMS)
def test_same_object_as_kubectl(form: str) -> None:
    words = shlex.split(form)
    # The flags go before a "--" that starts the container command.
    at = words.index("--") if "--" in words else len(words)
    args = [*words[:at], "--dry-run=client", "-o", "yaml", *words[at:]]
    real = subprocess.run(
        [str(KUBECTL), *args], capture_output=True, text=True, timeout=30, check=True
    )
    ours = ok(session(), "kubectl " + shlex.join(args))
    assert yaml.safe_load(ours.stdout) == yaml.safe_load(real.stdout)
