"""check_object: kind resolution and the strict official-schema check, with exact texts."""

from __future__ import annotations

import time

import pytest

from k8stui.manifests import check_object, load_documents, warm_up


def check(text: str, filename: str = "pod.yaml") -> list[str]:
    result = load_documents(text, filename)
    assert result.errors == []
    return [str(e) for doc in result.documents for e in check_object(doc)]


POD = """\
apiVersion: v1
kind: Pod
metadata:
  name: kubia
spec:
  containers:
  - name: main
    image: luksa/kubia
"""


def test_valid_pod_has_no_errors() -> None:
    assert check(POD) == []


def test_unknown_field_uses_server_strict_decoding_text() -> None:
    text = POD.replace("    image: luksa/kubia\n", "    imagee: luksa/kubia\n")
    assert check(text) == [
        'pod.yaml:8:5: Pod in version "v1" cannot be handled as a Pod: strict decoding error: '
        'unknown field "spec.containers[0].imagee"'
    ]


def test_several_unknown_fields_are_comma_joined_in_file_order() -> None:
    text = POD + "  restartPolicyy: Never\n" + "status:\n  phasee: Running\n"
    text = text.replace("  name: kubia\n", "  name: kubia\n  labelz: {}\n")
    assert check(text) == [
        'pod.yaml:5:3: Pod in version "v1" cannot be handled as a Pod: strict decoding error: '
        'unknown field "metadata.labelz", unknown field "spec.restartPolicyy", '
        'unknown field "status.phasee"'
    ]


def test_deployment_unknown_field_names_version_without_group() -> None:
    text = (
        "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n"
        "  selector: {matchLabels: {app: web}}\n  template:\n    metadata: {labels: {app: web}}\n"
        "    spec:\n      containers:\n      - name: web\n        image: nginx\n"
        "        restartPolcy: Always\n"
    )
    assert check(text, "d.yaml") == [
        'd.yaml:13:9: Deployment in version "v1" cannot be handled as a Deployment: strict '
        'decoding error: unknown field "spec.template.spec.containers[0].restartPolcy"'
    ]


def test_type_errors_name_the_indexed_field_and_go_type() -> None:
    text = POD + "    ports:\n    - containerPort: eighty\n  replicas: 2\n"
    text = text.replace("  name: kubia\n", "  name: kubia\n  labels:\n    tier: 3\n")
    errors = check(text)
    assert errors == [
        'pod.yaml:6:5: Pod in version "v1" cannot be handled as a Pod: json: cannot unmarshal '
        "number into Go struct field ObjectMeta.metadata.labels of type string",
        'pod.yaml:12:7: Pod in version "v1" cannot be handled as a Pod: json: cannot unmarshal '
        "string into Go struct field ContainerPort.spec.containers.ports.containerPort of type int32",
        'pod.yaml:13:3: Pod in version "v1" cannot be handled as a Pod: strict decoding error: '
        'unknown field "spec.replicas"',
    ]


def test_object_and_list_type_errors() -> None:
    text = POD + "  volumes:\n    name: data\n"
    assert check(text) == [
        'pod.yaml:9:3: Pod in version "v1" cannot be handled as a Pod: json: cannot unmarshal '
        "object into Go struct field PodSpec.spec.volumes of type []v1.Volume"
    ]


def test_int_or_string_type_error() -> None:
    text = (
        "apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  ports:\n"
        "  - port: 80\n    targetPort: [8080]\n"
    )
    assert check(text, "svc.yaml") == [
        'svc.yaml:8:5: Service in version "v1" cannot be handled as a Service: json: cannot '
        "unmarshal array into Go struct field ServicePort.spec.ports.targetPort of type int32"
    ]


def test_int32_overflow() -> None:
    text = (
        "apiVersion: apps/v1\nkind: ReplicaSet\nmetadata:\n  name: r\nspec:\n"
        "  replicas: 99999999999\n  selector: {matchLabels: {a: b}}\n"
        "  template:\n    metadata: {labels: {a: b}}\n"
        "    spec: {containers: [{name: c, image: i}]}\n"
    )
    assert check(text, "rs.yaml") == [
        'rs.yaml:6:3: ReplicaSet in version "v1" cannot be handled as a ReplicaSet: json: cannot '
        "unmarshal number 99999999999 into Go struct field ReplicaSetSpec.spec.replicas of type int32"
    ]


def test_schema_required_fields_reported_at_the_parent() -> None:
    text = POD + "    ports:\n    - name: http\n"
    assert check(text) == [
        "pod.yaml:10:7: spec.containers[0].ports[0].containerPort: Required value"
    ]


def test_null_values_are_accepted_like_the_decoder() -> None:
    text = POD.replace("  name: kubia\n", "  name: kubia\n  creationTimestamp: null\n")
    assert check(text + "status: {}\n") == []


@pytest.mark.parametrize(
    ("api_version", "kind", "message"),
    [
        (
            "apps/v1beta2",
            "ReplicaSet",
            'no matches for kind "ReplicaSet" in version "apps/v1beta2". Hint: apps/v1beta2 '
            "ReplicaSet was removed in Kubernetes 1.16; use apiVersion: apps/v1.",
        ),
        (
            "extensions/v1beta1",
            "Deployment",
            'no matches for kind "Deployment" in version "extensions/v1beta1". Hint: '
            "extensions/v1beta1 Deployment was removed in Kubernetes 1.16; use apiVersion: apps/v1.",
        ),
        (
            "extensions/v1beta1",
            "Ingress",
            'no matches for kind "Ingress" in version "extensions/v1beta1". Hint: '
            "extensions/v1beta1 Ingress was removed in Kubernetes 1.22; use apiVersion: "
            "networking.k8s.io/v1.",
        ),
        (
            "batch/v1beta1",
            "CronJob",
            'no matches for kind "CronJob" in version "batch/v1beta1". Hint: batch/v1beta1 '
            "CronJob was removed in Kubernetes 1.25; use apiVersion: batch/v1.",
        ),
        (
            "policy/v1beta1",
            "PodSecurityPolicy",
            'no matches for kind "PodSecurityPolicy" in version "policy/v1beta1". Hint: '
            "PodSecurityPolicy was removed in Kubernetes 1.25; Pod Security Admission "
            "(pod-security.kubernetes.io/* namespace labels) replaced it.",
        ),
        ("v1", "Podd", 'no matches for kind "Podd" in version "v1". Hint: did you mean "Pod"?'),
        (
            "v1",
            "pod",
            'no matches for kind "pod" in version "v1". Hint: kinds are case-sensitive: did '
            'you mean "Pod"?',
        ),
        (
            "v1",
            "Deployment",
            'no matches for kind "Deployment" in version "v1". Hint: Deployment is served as '
            "apiVersion: apps/v1.",
        ),
        (
            "stable.example.com/v1",
            "CronTab",
            'no matches for kind "CronTab" in version "stable.example.com/v1". Hint: ensure CRDs '
            "are installed first (custom resources are not simulated in k8stui).",
        ),
        (
            "v1",
            "ResourceQuota",
            "ResourceQuota (v1) is a valid Kubernetes kind, but k8stui does not simulate it yet",
        ),
        (
            "networking.k8s.io/v1",
            "Ingress",
            "Ingress (networking.k8s.io/v1) is a valid Kubernetes kind, but k8stui does not "
            "simulate it yet",
        ),
        (
            "policy/v1",
            "PodDisruptionBudget",
            "PodDisruptionBudget (policy/v1) is a valid Kubernetes kind, but k8stui does not "
            "simulate it yet",
        ),
    ],
)
def test_kind_resolution(api_version: str, kind: str, message: str) -> None:
    text = f"apiVersion: {api_version}\nkind: {kind}\nmetadata:\n  name: x\n"
    assert check(text, "k.yaml") == [f"k.yaml:2:1: {message}"]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("kind: Pod\nmetadata: {name: x}\n", "error validating data: apiVersion not set"),
        ("apiVersion: v1\nmetadata: {name: x}\n", "error validating data: kind not set"),
        ("metadata: {name: x}\n", "error validating data: [apiVersion not set, kind not set]"),
        ("apiVersion: v1\nkind: 5\n", "error validating data: kind must be a string"),
    ],
)
def test_missing_api_version_or_kind(text: str, message: str) -> None:
    assert check(text, "m.yaml") == [f"m.yaml:1:1: {message}"]


@pytest.mark.parametrize(
    "kind_text",
    [
        "apiVersion: v1\nkind: Namespace\nmetadata: {name: dev}\n",
        "apiVersion: v1\nkind: Node\nmetadata: {name: worker-1}\n",
        "apiVersion: v1\nkind: Endpoints\nmetadata: {name: e}\nsubsets: []\n",
        "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\ndata: {a: b}\n",
        "apiVersion: v1\nkind: ReplicationController\nmetadata: {name: r}\nspec: {replicas: 1}\n",
    ],
)
def test_every_simulated_kind_has_a_schema(kind_text: str) -> None:
    assert check(kind_text) == []


def test_validators_are_cached_after_warm_up() -> None:
    warm_up()
    assert warm_up() < 0.05  # second call finds everything built
    [doc] = load_documents(POD).documents
    started = time.perf_counter()
    for _ in range(200):
        check_object(doc)
    assert (time.perf_counter() - started) / 200 < 0.005


def test_importing_the_package_does_not_load_schemas() -> None:
    import subprocess
    import sys

    code = (
        "import sys, k8stui.manifests; "
        "print('kubernetes_validate' in sys.modules, 'jsonschema' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False False"
