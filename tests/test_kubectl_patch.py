"""``kubectl patch``: live objects through the API, and ``--local`` against the real kubectl.

The oracle is the real kubectl patching files offline (``patch --local -f FILE -o json``).
It round-trips objects through Go structs, which adds zero values our output does not carry:
before comparing, exactly these are removed from both sides: empty maps (``resources: {}``,
``status: {}``, ``strategy: {}``) and ``creationTimestamp: null``. Nothing else is normalised.

Failures compare stderr and the exit code. The exceptions (exit code only) are JSON patch
``remove``/``move`` of a missing path, which kubectl's client library words differently from
the API server (whose text we print), and the map an unknown ``$patch`` directive quotes.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from k8stui.kubectl.commands.main import run_kubectl
from k8stui.kubectl.commands.patch import decode_patch
from tests.console_helpers import ok, session

KUBECTL = shutil.which("kubectl")
needs_kubectl = pytest.mark.skipif(KUBECTL is None, reason="kubectl is not on PATH")

DEPLOY = """apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  labels: {app: web, tier: front}
  annotations: {note: one}
spec:
  replicas: 2
  selector: {matchLabels: {app: web}}
  strategy:
    type: RollingUpdate
    rollingUpdate: {maxSurge: 1, maxUnavailable: 0}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
      - name: web
        image: nginx:1.25
        args: [a, b]
        env: [{name: A, value: "1"}, {name: B, value: "2"}]
        ports: [{containerPort: 80, name: http}, {containerPort: 443, name: https}]
        volumeMounts: [{name: data, mountPath: /data}]
      - name: log
        image: busybox
      volumes:
      - name: data
        emptyDir: {}
      - name: conf
        configMap: {name: conf}
      tolerations: [{key: a, operator: Exists}]
"""

SUCCESSES: list[tuple[str, str]] = [
    ("strategic", '{"spec":{"replicas":5}}'),
    ("strategic", '{"spec":{"template":{"spec":{"containers":[{"name":"side","image":"x"}]}}}}'),
    (
        "strategic",
        '{"spec":{"template":{"spec":{"containers":[{"name":"web","image":"nginx:2"}]}}}}',
    ),
    (
        "strategic",
        '{"spec":{"template":{"spec":{"containers":[{"name":"web","env":[{"name":"C","value":"3"},{"name":"A","value":"9"}]}]}}}}',
    ),
    (
        "strategic",
        '{"spec":{"template":{"spec":{"containers":[{"name":"web","ports":[{"containerPort":8080}]}]}}}}',
    ),
    (
        "strategic",
        '{"spec":{"template":{"spec":{"containers":[{"name":"log","$patch":"delete"}]}}}}',
    ),
    (
        "strategic",
        '{"spec":{"template":{"spec":{"volumes":[{"name":"conf","$patch":"delete"},{"name":"new","emptyDir":{}}]}}}}',
    ),
    (
        "strategic",
        '{"spec":{"template":{"spec":{"containers":[{"name":"only","image":"x"},{"$patch":"replace"}]}}}}',
    ),
    ("strategic", '{"metadata":{"labels":{"$patch":"replace","new":"yes"}}}'),
    ("strategic", '{"metadata":{"annotations":{"$patch":"delete"}}}'),
    ("strategic", '{"spec":{"strategy":{"$retainKeys":["type"],"type":"Recreate"}}}'),
    (
        "strategic",
        '{"spec":{"template":{"spec":{"tolerations":[{"key":"b","operator":"Exists"}]}}}}',
    ),
    ("strategic", '{"metadata":{"labels":{"tier":null}}}'),
    ("strategic", "spec:\n  replicas: 7\n  paused: true\n"),
    ("strategic", '{"spec":{"replicas":2}}'),
    ("merge", '{"spec":{"template":{"spec":{"containers":[{"name":"only","image":"x"}]}}}}'),
    ("merge", '{"metadata":{"labels":{"tier":null,"x":"y"}}}'),
    ("json", '[{"op":"add","path":"/metadata/labels/extra","value":"v"}]'),
    ("json", '[{"op":"remove","path":"/spec/template/spec/containers/1"}]'),
    ("json", '[{"op":"replace","path":"/spec/template/spec/containers/0/image","value":"x"}]'),
    (
        "json",
        '[{"op":"test","path":"/spec/replicas","value":2},{"op":"add","path":"/spec/paused","value":true}]',
    ),
    ("json", '[{"op":"copy","from":"/metadata/labels","path":"/metadata/annotations"}]'),
    ("json", '[{"op":"move","from":"/metadata/annotations/note","path":"/metadata/labels/note"}]'),
]

FAILURES: list[tuple[str, str, bool]] = [  # type, patch, compare stderr
    ("strategic", "{bad", True),
    ("strategic", "a: [", True),
    ("strategic", "- a\nb: 1", True),
    ("strategic", "a: b: c", True),
    ("strategic", "[1]", True),
    ("strategic", '{"spec":{"template":{"spec":{"containers":[{"image":"x"}]}}}}', True),
    # The engine leaves ``$patch`` out of the map it quotes; the real kubectl 1.32 keeps it
    # (``map[$patch:merge]``). The engine's tests pin its text, so only the code is compared.
    ("strategic", '{"metadata":{"$patch":"merge"}}', False),
    ("json", '{"a":1}', True),
    ("json", '[{"op":"add","path":"/a/b","value":1}]', True),
    ("json", '[{"op":"test","path":"/spec/replicas","value":3}]', True),
    ("json", '[{"op":"bogus","path":"/x"}]', True),
    ("json", '[{"op":"remove","path":"/x"}]', False),
    ("json", '[{"op":"move","from":"/q","path":"/x"}]', False),
]


def _drop_zero_values(value: Any) -> Any:
    """Without the empty maps and null ``creationTimestamp`` Go's structs add."""
    if isinstance(value, dict):
        kept = {}
        for key, item in value.items():
            if key == "creationTimestamp" and item is None:
                continue
            cleaned = _drop_zero_values(item)
            if cleaned == {}:
                continue
            kept[key] = cleaned
        return kept
    if isinstance(value, list):
        return [_drop_zero_values(item) for item in value]
    return value


def _real(tmp_path: Path, patch_type: str, patch: str) -> subprocess.CompletedProcess[str]:
    (tmp_path / "d.yaml").write_text(DEPLOY)
    assert KUBECTL is not None
    return subprocess.run(
        [
            KUBECTL,
            "patch",
            "--local",
            "-f",
            "d.yaml",
            "--type",
            patch_type,
            "-p",
            patch,
            "-o",
            "json",
        ],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def _ours(patch_type: str, patch: str) -> tuple[int, str, str]:
    s = session({"d.yaml": DEPLOY})
    argv = ["patch", "--local", "-f", "d.yaml", "--type", patch_type, "-p", patch, "-o", "json"]
    result = run_kubectl(s.cluster, s.files, argv)
    return result.code, "".join(result.stdout), "".join(result.stderr)


@needs_kubectl
@pytest.mark.parametrize(("patch_type", "patch"), SUCCESSES)
def test_local_patch_prints_what_the_real_kubectl_prints(
    tmp_path: Path, patch_type: str, patch: str
) -> None:
    real = _real(tmp_path, patch_type, patch)
    assert real.returncode == 0, real.stderr
    code, stdout, stderr = _ours(patch_type, patch)
    assert (code, stderr) == (0, "")
    assert _drop_zero_values(json.loads(stdout)) == _drop_zero_values(json.loads(real.stdout))


@needs_kubectl
@pytest.mark.parametrize(("patch_type", "patch", "same_text"), FAILURES)
def test_local_patch_failures_match_the_real_kubectl(
    tmp_path: Path, patch_type: str, patch: str, same_text: bool
) -> None:
    real = _real(tmp_path, patch_type, patch)
    code, stdout, stderr = _ours(patch_type, patch)
    assert (code, stdout) == (real.returncode, real.stdout) == (1, "")
    if same_text:
        assert stderr == real.stderr


def test_patch_goes_through_the_api_with_kubectl_texts() -> None:
    s = session({"d.yaml": DEPLOY})
    ok(s, "kubectl apply -f d.yaml")
    before = s.cluster.get("Deployment", "web", "default")["metadata"]["resourceVersion"]
    line = """kubectl patch deploy web -p '{"spec":{"replicas":3}}'"""
    assert ok(s, line).stdout == "deployment.apps/web patched\n"
    live = s.cluster.get("Deployment", "web", "default")
    assert live["spec"]["replicas"] == 3
    assert live["metadata"]["resourceVersion"] != before
    assert ok(s, line).stdout == "deployment.apps/web patched (no change)\n"
    invalid = s.run("""kubectl patch deployment/web -p '{"spec":{"replicas":-1}}'""")
    assert (invalid.exit_code, invalid.stderr) == (
        1,
        'The Deployment "web" is invalid: spec.replicas: Invalid value: -1: '
        "must be greater than or equal to 0\n",
    )
    failed = s.run("""kubectl patch deploy web --type json -p '[{"op":"remove","path":"/x"}]'""")
    assert (failed.exit_code, failed.stderr) == (
        1,
        "The request is invalid: the server rejected our request due to an error in our request\n",
    )
    key = s.run(
        """kubectl patch deploy web -p '{"spec":{"template":{"spec":{"containers":[{"image":"x"}]}}}}'"""
    )
    assert (
        key.stderr
        == "Error from server: map: map[image:x] does not contain declared merge key: name\n"
    )


def test_patch_dry_run_and_scale_subresource() -> None:
    s = session({"d.yaml": DEPLOY})
    ok(s, "kubectl apply -f d.yaml")
    dry = ok(s, """kubectl patch deploy web --dry-run=client -p '{"spec":{"replicas":9}}'""")
    assert dry.stdout == "deployment.apps/web patched (dry run)\n"
    assert s.cluster.get("Deployment", "web", "default")["spec"]["replicas"] == 2
    scaled = ok(
        s,
        """kubectl patch deploy web --subresource scale --type merge -p '{"spec":{"replicas":4}}'""",
    )
    assert scaled.stdout == "deployment.apps/web patched\n"
    assert s.cluster.get("Deployment", "web", "default")["spec"]["replicas"] == 4


def test_patch_file_and_flag_errors() -> None:
    s = session({"d.yaml": DEPLOY, "p.yaml": "metadata:\n  labels:\n    from: file\n"})
    ok(s, "kubectl apply -f d.yaml")
    assert ok(s, "kubectl patch deploy web --patch-file p.yaml").stdout == (
        "deployment.apps/web patched\n"
    )
    assert s.cluster.get("Deployment", "web", "default")["metadata"]["labels"]["from"] == "file"
    missing = s.run("kubectl patch deploy web")
    assert missing.stderr == (
        "error: must specify --patch or --patch-file containing the contents of the patch\n"
    )
    bad_type = s.run("kubectl patch deploy web -p '{}' --type foo")
    assert bad_type.stderr == 'error: --type must be one of [json merge strategic], not "foo"\n'
    both = s.run("kubectl patch deploy web --local -p '{}'")
    assert both.stderr == "error: cannot specify --local and server resources\n"


def test_json_text_passes_through_undecoded() -> None:
    assert decode_patch('{"a": 1}') == {"a": 1}
    assert decode_patch("a: 1") == {"a": 1}
