"""A smoke set with every kubectl the dispatcher bundles (1.27-1.33), picked by ``/version``."""

from __future__ import annotations

import shutil
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from k8stui.server.state import KUBE_VERSIONS
from tests.api_helpers import KUBECTL, served

FIXTURES = Path(__file__).parent / "fixtures" / "api_differential"
pytestmark = pytest.mark.skipif(KUBECTL is None, reason="the real kubectl is not installed")

# (command words, text that must be in stdout)
SMOKE: list[tuple[list[str], str]] = [
    (["get", "nodes"], "worker-1"),
    (["get", "pods", "-A", "-o", "wide"], "kube-system"),
    # kubectl 1.27 and 1.28 validate against /openapi/v2 in protobuf, which is not served
    # (docs/api.md); --validate=false keeps the same command working with every version.
    (["apply", "-f", "deploy.yaml", "--validate=false"], "deployment.apps/web created"),
    (["run", "solo", "--image=nginx"], "pod/solo created"),
    (["create", "deployment", "gen", "--image=nginx"], "deployment.apps/gen created"),
    (["get", "deploy", "web", "-o", "jsonpath={.spec.replicas}"], "2"),
    (["scale", "deployment", "web", "--replicas=3"], "deployment.apps/web scaled"),
    (["label", "pod", "solo", "tier=x"], "pod/solo labeled"),
    (["describe", "deployment", "web"], "Replicas:"),
    (["delete", "deployment", "gen"], 'deployment.apps "gen" deleted'),
]


def _smoke(version: str, tmp: Path) -> list[str]:
    work = tmp / version
    shutil.copytree(FIXTURES, work)
    problems = []
    with served(tmp / f"srv-{version}", kube_version=version) as srv:
        for words, wanted in SMOKE:
            result = srv.kubectl(*words, cwd=work)
            if result.returncode != 0 or wanted not in result.stdout:
                problems.append(
                    f"kubectl {version} {' '.join(words)}: rc={result.returncode} "
                    f"out={result.stdout!r} err={result.stderr!r}"
                )
        version_out = srv.kubectl("version").stdout
        if KUBE_VERSIONS[version] not in version_out.split("Server Version:")[-1]:
            problems.append(f"{version}: {version_out!r}")
    return problems


def test_smoke_with_every_bundled_kubectl(tmp_path: Path) -> None:
    with ThreadPoolExecutor(max_workers=4) as pool:
        results = list(pool.map(lambda v: _smoke(v, tmp_path), sorted(KUBE_VERSIONS)))
    problems = [p for found in results for p in found]
    assert not problems, "\n".join(problems)
