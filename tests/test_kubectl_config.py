"""``kubectl config`` and ``kubectl version`` in the built-in kubectl.

The real kubectl reads a kubeconfig offline, so the oracle test writes the session's
kubeconfig (``config view --raw``) to a file and runs the same lines through both.
"""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.console_helpers import ok, session

KUBECTL = shutil.which("kubectl")

SCRIPT = [
    "config view",
    "config get-contexts",
    "config current-context",
    "config set-context --current --namespace=team",
    "config get-contexts",
    "config view --minify",
    "config view --minify -o json",
    "config view -o jsonpath={.contexts[0].context.namespace}",
    "config set-context other --namespace=z",
    "config get-contexts",
    "config get-contexts -o name",
    "config get-contexts nope",
    "config use-context nope",
    "config use-context other",
    "config view --minify",
    "config use k8stui",
    "config current-context",
]


@pytest.mark.skipif(KUBECTL is None, reason="kubectl is not on PATH")
def test_config_lines_print_what_kubectl_prints(tmp_path: Path) -> None:
    s = session()
    kubeconfig = tmp_path / "config"
    kubeconfig.write_text(ok(s, "kubectl config view --raw").stdout)
    env = {**os.environ, "KUBECONFIG": str(kubeconfig)}
    for line in SCRIPT:
        real = subprocess.run(
            [str(KUBECTL), *shlex.split(line)], capture_output=True, text=True, env=env, timeout=30
        )
        ours = s.run("kubectl " + line)
        assert (ours.stdout, ours.stderr, ours.exit_code) == (
            real.stdout,
            real.stderr,
            real.returncode,
        ), line


def test_the_context_namespace_applies_to_later_commands() -> None:
    s = session()
    ok(s, "kubectl create namespace team")
    ok(s, "kubectl config set-context --current --namespace=team")
    ok(s, "kubectl run web --image=nginx")
    ok(s, "kubectl create deployment api --image=nginx")
    assert s.cluster.get("Pod", "web", "team") is not None
    assert s.cluster.get("Deployment", "api", "team") is not None
    assert (
        ok(s, "kubectl get pods -n default").stderr == "No resources found in default namespace.\n"
    )
    assert "web" in ok(s, "kubectl get pods").stdout


def test_version_names_client_and_server() -> None:
    out = ok(session(), "kubectl version").stdout
    assert out == "Client Version: v1.32.0\nKustomize Version: v5.5.0\nServer Version: v1.32.0\n"
    assert "serverVersion" not in ok(session(), "kubectl version --client -o json").stdout
