"""``kubectl kustomize`` and ``apply -k``: the real kubectl's offline output on small fixtures
equals ours byte for byte; bad kustomizations get clear, located errors; paths stay inside."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from k8stui.console.session import Session
from k8stui.engine.cluster import Cluster
from k8stui.kubectl.files import RealFiles, VirtualFiles
from k8stui.kubectl.kustomize_generators import name_hash
from tests.api_helpers import KUBECTL
from tests.console_helpers import ok

FIXTURES = Path(__file__).parent / "fixtures" / "kustomize"
CASES = sorted(p.name for p in FIXTURES.iterdir() if p.is_dir())


@pytest.mark.skipif(KUBECTL is None, reason="the real kubectl is not installed")
@pytest.mark.parametrize("case", CASES)
def test_output_matches_the_real_kubectl(case: str) -> None:
    assert KUBECTL is not None
    real = subprocess.run(
        [KUBECTL, "kustomize", case], cwd=FIXTURES, capture_output=True, text=True, timeout=60
    )
    assert real.returncode == 0, real.stderr
    ours = Session(Cluster(seed=1), RealFiles(FIXTURES)).run(f"kubectl kustomize {case}")
    assert ours.exit_code == 0, ours.stderr
    assert ours.stdout == real.stdout
    assert ours.stderr == real.stderr  # kustomize's deprecation warnings


def test_generated_names_carry_kustomizes_hash_and_references_follow() -> None:
    cm = {"kind": "ConfigMap", "data": {"colour": "blue", "size": "L"}}
    assert name_hash(cm) == "847k82d9d6"
    s = Session(Cluster(seed=1), RealFiles(FIXTURES))
    ok(s, "kubectl create namespace prod")
    assert ok(s, "kubectl apply -k overlay").stdout == (
        "configmap/prod-settings-v1-847k82d9d6 created\n"
        "secret/prod-creds-v1-bf5fk5d75b created\n"
        "service/prod-web-v1 created\n"
        "deployment.apps/prod-web-v1 created\n"
    )
    deploy = s.cluster.get("Deployment", "prod-web-v1", "prod")
    assert deploy is not None
    container = deploy["spec"]["template"]["spec"]["containers"][0]
    assert container["envFrom"][0]["configMapRef"]["name"] == "prod-settings-v1-847k82d9d6"
    assert container["image"] == "registry.example/nginx:1.27"
    assert deploy["spec"]["replicas"] == 3


def _session(files: dict[str, str]) -> Session:
    return Session(Cluster(seed=1), VirtualFiles(files))


CM = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n"


def test_apply_k_applies_in_kustomize_order_into_the_namespace() -> None:
    s = _session(
        {
            "app/kustomization.yaml": "resources:\n- cm.yaml\nnamePrefix: x-\n",
            "app/cm.yaml": CM,
        }
    )
    assert ok(s, "kubectl apply -k app").stdout == "configmap/x-c created\n"
    assert ok(s, "kubectl apply -k app").stdout == "configmap/x-c unchanged\n"
    assert s.cluster.get("ConfigMap", "x-c", "default") is not None


@pytest.mark.parametrize(
    ("files", "message"),
    [
        (
            {"k/kustomization.yaml": "resources: []\nfoo: bar\n"},
            'error: k/kustomization.yaml: invalid Kustomization: json: unknown field "foo"\n',
        ),
        (
            {"k/kustomization.yaml": "replacements: []\n"},
            "error: k/kustomization.yaml: 'replacements' is not simulated by k8stui's kustomize\n",
        ),
        (
            {"k/kustomization.yaml": "resources:\n- ../secret.yaml\n", "secret.yaml": CM},
            "error: k/kustomization.yaml: security; file '../secret.yaml' is not in or below 'k'\n",
        ),
        (
            {"k/kustomization.yaml": "configMapGenerator:\n- name: g\n  files:\n  - /etc/passwd\n"},
            "error: k/kustomization.yaml: security; file '/etc/passwd' is not in or below 'k'\n",
        ),
        (
            {"k/kustomization.yaml": "resources:\n- ../k\n"},
            "error: k: the kustomization includes itself (through k)\n",
        ),
        (
            {"k/kustomization.yaml": "resources:\n- gone.yaml\n"},
            "error: k/kustomization.yaml: resource 'gone.yaml' does not exist\n",
        ),
        (
            {"k/kustomization.yaml": "resources:\n- https://example.com/x.yaml\n"},
            "error: k/kustomization.yaml: remote resource 'https://example.com/x.yaml': the "
            "simulated cluster has no network\n",
        ),
        (
            {"k/kustomization.yaml": "resources: [\n"},
            None,
        ),
        (
            {"k/other.yaml": CM},
            "error: unable to find one of 'kustomization.yaml', 'kustomization.yml' or "
            "'Kustomization' in directory 'k'\n",
        ),
    ],
)
def test_bad_kustomizations_are_refused_clearly(files: dict[str, str], message: str | None) -> None:
    result = _session(files).run("kubectl kustomize k")
    assert result.exit_code == 1 and result.stdout == ""
    if message is None:
        assert result.stderr.startswith("error: k/kustomization.yaml:2: error converting YAML")
    else:
        assert result.stderr == message
    assert "internal" not in result.stderr


def test_patches_target_json_and_strategic() -> None:
    s = _session(
        {
            "k/kustomization.yaml": (
                "resources:\n- cm.yaml\npatches:\n- target:\n    kind: ConfigMap\n    name: c\n"
                "  patch: |-\n    - op: add\n      path: /data\n      value: {a: b}\n"
                "- patch: |-\n    apiVersion: v1\n    kind: ConfigMap\n    metadata:\n"
                "      name: c\n      labels:\n        l: v\n"
            ),
            "k/cm.yaml": CM,
        }
    )
    out = ok(s, "kubectl kustomize k").stdout
    assert out == (
        "apiVersion: v1\ndata:\n  a: b\nkind: ConfigMap\nmetadata:\n  labels:\n    l: v\n"
        "  name: c\n"
    )
