"""-o yaml / json / name / jsonpath, compared with real kubectl 1.32 text where possible."""

from __future__ import annotations

import json
import shutil
import subprocess
from typing import Any

import pytest
import yaml

from k8stui.kubectl.output import JSONPathError, jsonpath, to_json, to_name, to_yaml

KUBIA_YAML = """\
apiVersion: apps/v1
kind: Deployment
metadata:
  creationTimestamp: null
  labels:
    app: kubia
  name: kubia
spec:
  replicas: 1
  selector:
    matchLabels:
      app: kubia
  strategy: {}
  template:
    metadata:
      creationTimestamp: null
      labels:
        app: kubia
    spec:
      containers:
      - image: luksa/kubia
        name: kubia
        resources: {}
status: {}
"""

# The same object in kubectl's typed field order (kind first), as `-o json` of the dry run gives.
KUBIA: dict[str, Any] = {
    "kind": "Deployment",
    "apiVersion": "apps/v1",
    "metadata": {"name": "kubia", "creationTimestamp": None, "labels": {"app": "kubia"}},
    "spec": {
        "replicas": 1,
        "selector": {"matchLabels": {"app": "kubia"}},
        "template": {
            "metadata": {"creationTimestamp": None, "labels": {"app": "kubia"}},
            "spec": {"containers": [{"name": "kubia", "image": "luksa/kubia", "resources": {}}]},
        },
        "strategy": {},
    },
    "status": {},
}


def _kubectl(*args: str) -> str:
    result = subprocess.run(
        ["kubectl", *args], capture_output=True, text=True, check=True, timeout=20
    )
    return result.stdout


def test_yaml_matches_kubectl_dry_run_text() -> None:
    assert to_yaml(KUBIA) == KUBIA_YAML
    assert yaml.safe_load(to_yaml(KUBIA)) == KUBIA


@pytest.mark.skipif(shutil.which("kubectl") is None, reason="needs a kubectl client on PATH")
def test_yaml_matches_real_kubectl() -> None:
    args = ["create", "deployment", "kubia", "--image=luksa/kubia", "--dry-run=client"]
    real_yaml = _kubectl(*args, "-o", "yaml")
    real_obj = json.loads(_kubectl(*args, "-o", "json"))
    assert yaml.safe_load(real_yaml) == real_obj
    assert to_yaml(real_obj) == real_yaml
    service_args = ["create", "service", "nodeport", "web", "--tcp=80:8080", "--dry-run=client"]
    assert to_yaml(json.loads(_kubectl(*service_args, "-o", "json"))) == _kubectl(
        *service_args, "-o", "yaml"
    )


def test_yaml_scalar_styles() -> None:
    obj = {
        "annotations": {
            "deployment.kubernetes.io/revision": "1",
            "empty": "",
            "flag": "true",
            "n": "x",
        },
        "creationTimestamp": "2025-01-01T00:00:12Z",
        "message": "containers with unready status: [kubia]",
        "reason": "a: b",
        "star": "*",
        "script": "echo hi\nsleep 1\n",
        "ratio": 0.5,
        "items": [[1, 2], {}, []],
    }
    assert to_yaml(obj) == (
        "annotations:\n"
        '  deployment.kubernetes.io/revision: "1"\n'
        '  empty: ""\n'
        '  flag: "true"\n'
        '  "n": x\n'
        'creationTimestamp: "2025-01-01T00:00:12Z"\n'
        "items:\n"
        "- - 1\n"
        "  - 2\n"
        "- {}\n"
        "- []\n"
        "message: 'containers with unready status: [kubia]'\n"
        "ratio: 0.5\n"
        "reason: 'a: b'\n"
        "script: |\n"
        "  echo hi\n"
        "  sleep 1\n"
        "star: '*'\n"
    )


def test_yaml_folds_long_strings_like_libyaml() -> None:
    message = (
        "0/3 nodes are available: 1 node(s) had untolerated taint "
        "{node-role.kubernetes.io/control-plane: }, 2 Insufficient cpu."
    )
    assert to_yaml({"status": {"message": message}}) == (
        "status:\n"
        "  message: '0/3 nodes are available: 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane:\n"
        "    }, 2 Insufficient cpu.'\n"
    )


def test_yaml_key_order_is_go_yaml_natural_order() -> None:
    assert to_yaml({"b10": 1, "b9": 2, "a": 3, "B": 4}) == "B: 4\na: 3\nb9: 2\nb10: 1\n"


def test_json_like_kubectl_get() -> None:
    text = to_json(
        {
            "kind": "Pod",
            "apiVersion": "v1",
            "metadata": {"name": "x", "labels": {}},
            "note": "<none> & co",
            "n": 2.0,
        }
    )
    assert text == (
        "{\n"
        '    "apiVersion": "v1",\n'
        '    "kind": "Pod",\n'
        '    "metadata": {\n'
        '        "labels": {},\n'
        '        "name": "x"\n'
        "    },\n"
        '    "n": 2,\n'
        '    "note": "\\u003cnone\\u003e \\u0026 co"\n'
        "}\n"
    )


def test_names() -> None:
    assert to_name({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "x"}}) == "pod/x\n"
    assert (
        to_name({"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "x"}})
        == "deployment.apps/x\n"
    )
    assert (
        to_name({"apiVersion": "v1", "kind": "ReplicationController", "metadata": {"name": "x"}})
        == "replicationcontroller/x\n"
    )
    assert (
        to_name({"apiVersion": "v1", "kind": "Service", "metadata": {"name": "x"}}) == "service/x\n"
    )
    listed = {"apiVersion": "v1", "kind": "List", "items": [
        {"apiVersion": "apps/v1", "kind": "ReplicaSet", "metadata": {"name": "a"}},
        {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "b"}},
    ]}  # fmt: skip
    assert to_name(listed) == "replicaset.apps/a\npod/b\n"


def _pod(name: str, node: str, ip: str) -> dict[str, Any]:
    return {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {"name": name, "labels": {"app": "kubia"}},
        "spec": {"nodeName": node},
        "status": {
            "podIP": ip,
            "conditions": [
                {"type": "Initialized", "status": "True"},
                {"type": "Ready", "status": "False"},
            ],
        },
    }


PODS = {"apiVersion": "v1", "kind": "List", "metadata": {"resourceVersion": ""}, "items": [
    _pod("kubia-5k788", "node01", "10.244.1.5"),
    _pod("kubia-7qcm2", "node02", "10.244.2.4"),
]}  # fmt: skip


@pytest.mark.parametrize(
    ("template", "expected"),
    [
        ("{.items[0].metadata.name}", "kubia-5k788"),
        ("{.items[*].metadata.name}", "kubia-5k788 kubia-7qcm2"),
        ("{.items[0].status.podIP}", "10.244.1.5"),
        ("{.items[-1].spec.nodeName}", "node02"),
        ("{.items[0:1].metadata.name}", "kubia-5k788"),
        ("{.items[0,1].status.podIP}", "10.244.1.5 10.244.2.4"),
        ("{.items[0].metadata.labels['app']}", "kubia"),
        ("{.items[0].metadata.labels}", '{"app":"kubia"}'),
        (
            '{range .items[*]}{.metadata.name}{"\\t"}{.spec.nodeName}{"\\n"}{end}',
            "kubia-5k788\tnode01\nkubia-7qcm2\tnode02\n",
        ),
        ('{.items[0].status.conditions[?(@.type=="Ready")].status}', "False"),
        ("{.items[?(@.spec.nodeName!='node01')].metadata.name}", "kubia-7qcm2"),
        ("{.items[?(@.status.podIP)].metadata.name}", "kubia-5k788 kubia-7qcm2"),
        ("{..nodeName}", "node01 node02"),
        ("{.items[0].missing.field}", ""),
        ("names: {.items[*].metadata.name}!", "names: kubia-5k788 kubia-7qcm2!"),
        ("{.kind}", "List"),
    ],
)
def test_jsonpath(template: str, expected: str) -> None:
    assert jsonpath(PODS, template) == expected


def test_jsonpath_single_object() -> None:
    assert jsonpath(PODS["items"][0], "{.metadata.name}") == "kubia-5k788"


@pytest.mark.parametrize(
    ("template", "message"),
    [
        ("{.metadata.name", "error parsing jsonpath {.metadata.name, unclosed action"),
        (
            "{.items[0]!}",
            "error parsing jsonpath {.items[0]!}, unrecognized character in action: U+0021 '!'",
        ),
        ("{.items[x]}", "error parsing jsonpath {.items[x]}, invalid array index x"),
        ("{.items[0}", "error parsing jsonpath {.items[0}, unterminated array"),
        # only single quotes make a dict key inside brackets
        (
            '{.metadata.labels["app"]}',
            'error parsing jsonpath {.metadata.labels["app"]}, invalid array index "app"',
        ),
    ],
)
def test_jsonpath_parse_errors(template: str, message: str) -> None:
    with pytest.raises(JSONPathError) as info:
        jsonpath(PODS, template)
    assert str(info.value) == message


def test_jsonpath_execution_error_is_worded_like_kubectl() -> None:
    small = {"kind": "List", "items": [{"a": 1}]}
    with pytest.raises(JSONPathError) as info:
        jsonpath(small, "{.items[5].a}")
    assert str(info.value) == (
        'error executing jsonpath "{.items[5].a}": Error executing template: array index out of bounds: '
        "index 5, length 1. Printing more information for debugging the template:\n"
        "\ttemplate was:\n\t\t{.items[5].a}\n"
        '\tobject given to jsonpath engine was:\n\t\tmap[string]interface {}{"items":[]interface {}{map[string]interface {}{"a":1}}, "kind":"List"}\n\n\n'
    )
    with pytest.raises(
        JSONPathError, match="map\\[string\\]interface \\{\\} is not array or slice"
    ):
        jsonpath(small, "{.items[0][0]}")
