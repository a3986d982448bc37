"""Commands and flags kubectl has but k8stui does not simulate say so, in one line."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

from tests.console_helpers import session
from tests.upstream_kubectl_help import collect

TABLE = (
    Path(__file__).resolve().parent.parent / "k8stui" / "kubectl" / "data" / "upstream_flags.json"
)
KUBECTL = shutil.which("kubectl")


@pytest.mark.slow
@pytest.mark.skipif(KUBECTL is None, reason="kubectl is not on PATH")
def test_the_table_is_kubectls_help() -> None:
    """The table matches the installed kubectl (``K8STUI_UPDATE_GOLDEN=1`` rewrites it)."""
    found = collect(str(KUBECTL))
    if os.environ.get("K8STUI_UPDATE_GOLDEN"):
        TABLE.write_text(json.dumps(found, indent=1, sort_keys=True) + "\n")
    assert json.loads(TABLE.read_text()) == found


@pytest.mark.parametrize(
    ("line", "message"),
    [
        (
            "kubectl get --raw=/api",
            'error: flag --raw of "kubectl get" is not simulated by k8stui',
        ),
        (
            "kubectl apply -f x.yaml --subresource=status",
            'error: flag --subresource of "kubectl apply" is not simulated by k8stui',
        ),
        (
            "kubectl get pods --context=other",
            'error: flag --context of "kubectl get" is not simulated by k8stui',
        ),
        (
            "kubectl create quota q --hard=pods=1",
            'error: "kubectl create quota" is not simulated by k8stui (ResourceQuota objects are not simulated)',
        ),
        (
            "kubectl autoscale deployment web --max=3",
            'error: "kubectl autoscale" is not simulated by k8stui (HorizontalPodAutoscaler objects are not simulated)',
        ),
        (
            "kubectl kustomize . --enable-helm",
            'error: flag --enable-helm of "kubectl kustomize" is not simulated by k8stui',
        ),
    ],
)
def test_real_but_unsimulated_is_named(line: str, message: str) -> None:
    result = session().run(line)
    assert (result.exit_code, result.stderr) == (1, message + "\n")


def test_flags_kubectl_lacks_stay_unknown() -> None:
    result = session().run("kubectl get pods --frobnicate")
    assert result.stderr.startswith("Error: unknown flag: --frobnicate\n")
