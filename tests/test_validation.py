"""API-server semantic validation: exact field-error texts, located in the manifest."""

from __future__ import annotations

from typing import Any

import pytest

from k8stui.engine.apiserver.defaults import apply_defaults
from k8stui.engine.apiserver.validation import (
    FieldError,
    format_invalid,
    go_value,
    validate_object,
    validate_update,
    warnings,
)
from k8stui.manifests import load_documents


def located(text: str, filename: str = "pod.yaml", defaulted: bool = False) -> list[str]:
    """Validate the single object in ``text``; each error as ``file:line:col: error``."""
    [doc] = load_documents(text, filename).documents
    obj = apply_defaults(doc.obj) if defaulted else doc.obj
    return [str(doc.locate(e.path, str(e))) for e in validate_object(obj)]


def pod(containers: str = "  - name: main\n    image: nginx\n", extra: str = "") -> str:
    return (
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  containers:\n"
        + containers
        + extra
    )


def test_valid_pod_before_and_after_defaults() -> None:
    assert located(pod()) == []
    assert located(pod(), defaulted=True) == []


def test_image_required() -> None:
    assert located(pod("  - name: main\n")) == [
        "pod.yaml:7:5: spec.containers[0].image: Required value"
    ]


def test_containers_required() -> None:
    text = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: kuard\nspec:\n  restartPolicy: Always\n"
    assert located(text) == ["pod.yaml:5:1: spec.containers: Required value"]
    [doc] = load_documents(text).documents
    errors = validate_object(doc.obj)
    assert format_invalid("Pod", "kuard", errors) == (
        'The Pod "kuard" is invalid: spec.containers: Required value'
    )


def test_bad_pod_name() -> None:
    text = pod().replace("name: web", "name: Bad_Name")
    assert located(text) == [
        'pod.yaml:4:3: metadata.name: Invalid value: "Bad_Name": a lowercase RFC 1123 subdomain '
        "must consist of lower case alphanumeric characters, '-' or '.', and must start and end "
        "with an alphanumeric character (e.g. 'example.com', regex used for validation is "
        "'[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')"
    ]


def test_name_required() -> None:
    text = "apiVersion: v1\nkind: Pod\nmetadata:\n  labels: {a: b}\nspec:\n  containers:\n"
    text += "  - name: main\n    image: nginx\n"
    assert located(text) == [
        "pod.yaml:3:1: metadata.name: Required value: name or generateName is required"
    ]


def test_generate_name_is_enough_and_checked_as_a_prefix() -> None:
    text = pod().replace("  name: web\n", "  generateName: web-\n")
    assert located(text) == []
    bad = pod().replace("  name: web\n", "  generateName: Web-\n")
    assert located(bad)[0].startswith(
        'pod.yaml:4:3: metadata.generateName: Invalid value: "Web-": a lowercase RFC 1123'
    )


def test_container_name_rules() -> None:
    containers = (
        "  - name: Main\n    image: a\n  - image: b\n  - name: side\n    image: c\n"
        "  - name: side\n    image: d\n"
    )
    assert located(pod(containers)) == [
        'pod.yaml:7:5: spec.containers[0].name: Invalid value: "Main": a lowercase RFC 1123 '
        "label must consist of lower case alphanumeric characters or '-', and must start and "
        "end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for "
        "validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')",
        "pod.yaml:9:5: spec.containers[1].name: Required value",
        'pod.yaml:12:5: spec.containers[3].name: Duplicate value: "side"',
    ]


def test_restart_policy_enum_on_pods() -> None:
    assert located(pod(extra="  restartPolicy: Sometimes\n")) == [
        'pod.yaml:9:3: spec.restartPolicy: Unsupported value: "Sometimes": supported values: '
        '"Always", "OnFailure", "Never"'
    ]


def test_pull_policy_and_protocol_enums() -> None:
    containers = (
        "  - name: main\n    image: nginx\n    imagePullPolicy: Sometimes\n"
        "    ports:\n    - containerPort: 80\n      protocol: HTTP\n"
    )
    assert located(pod(containers)) == [
        'pod.yaml:12:7: spec.containers[0].ports[0].protocol: Unsupported value: "HTTP": '
        'supported values: "SCTP", "TCP", "UDP"',
        'pod.yaml:9:5: spec.containers[0].imagePullPolicy: Unsupported value: "Sometimes": '
        'supported values: "Always", "IfNotPresent", "Never"',
    ]


@pytest.mark.parametrize("port", [0, 70000, -1])
def test_container_port_range(port: int) -> None:
    containers = f"  - name: main\n    image: nginx\n    ports:\n    - containerPort: {port}\n"
    expected = (
        "pod.yaml:10:7: spec.containers[0].ports[0].containerPort: Required value"
        if port == 0
        else f"pod.yaml:10:7: spec.containers[0].ports[0].containerPort: Invalid value: {port}: "
        "must be between 1 and 65535, inclusive"
    )
    assert located(pod(containers)) == [expected]


def test_port_names() -> None:
    containers = (
        "  - name: main\n    image: nginx\n    ports:\n    - containerPort: 80\n"
        "      name: http\n    - containerPort: 81\n      name: http\n"
        "    - containerPort: 82\n      name: 8080\n"
    )
    text = pod(containers).replace("name: 8080", 'name: "8080"')
    assert located(text) == [
        'pod.yaml:13:7: spec.containers[0].ports[1].name: Duplicate value: "http"',
        'pod.yaml:15:7: spec.containers[0].ports[2].name: Invalid value: "8080": must contain at '
        "least one letter (a-z)",
    ]


def test_label_rules() -> None:
    text = pod().replace(
        "  name: web\n", "  name: web\n  labels:\n    app: -bad\n    a/b/c: x\n    ok: fine\n"
    )
    assert located(text) == [
        'pod.yaml:5:3: metadata.labels: Invalid value: "-bad": a valid label must be an empty '
        "string or consist of alphanumeric characters, '-', '_' or '.', and must start and end "
        "with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex "
        "used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')",
        'pod.yaml:5:3: metadata.labels: Invalid value: "a/b/c": a qualified name must consist '
        "of alphanumeric characters, '-', '_' or '.', and must start and end with an "
        "alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for "
        "validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]') with an optional DNS "
        "subdomain prefix and '/' (e.g. 'example.com/MyName')",
    ]


def test_label_value_too_long() -> None:
    value = "v" * 64
    text = pod().replace("  name: web\n", f"  name: web\n  labels:\n    app: {value}\n")
    assert located(text) == [
        f'pod.yaml:5:3: metadata.labels: Invalid value: "{value}": must be no more than 63 '
        "characters"
    ]


def test_volume_mount_must_name_a_volume() -> None:
    containers = (
        "  - name: main\n    image: nginx\n    volumeMounts:\n    - name: data\n"
        "      mountPath: /data\n"
    )
    assert located(pod(containers)) == [
        'pod.yaml:10:7: spec.containers[0].volumeMounts[0].name: Not found: "data"'
    ]


def test_requests_over_limits() -> None:
    containers = (
        "  - name: main\n    image: nginx\n    resources:\n      requests: {cpu: '2'}\n"
        "      limits: {cpu: '1'}\n"
    )
    assert located(pod(containers)) == [
        'pod.yaml:10:18: spec.containers[0].resources.requests[cpu]: Invalid value: "2": must be '
        "less than or equal to cpu limit of 1"
    ]


def test_tolerations() -> None:
    extra = (
        "  tolerations:\n  - key: a\n    operator: Exists\n    value: b\n"
        "  - key: c\n    effect: NoSchedule\n    tolerationSeconds: 5\n"
        "  - key: d\n    operator: Maybe\n"
    )
    assert located(pod(extra=extra)) == [
        'pod.yaml:11:5: spec.tolerations[0].operator: Invalid value: core.Toleration{Key:"a", '
        'Operator:"Exists", Value:"b", Effect:"", TolerationSeconds:(*int64)(nil)}: value must '
        "be empty when `operator` is 'Exists'",
        'pod.yaml:14:5: spec.tolerations[1].effect: Invalid value: "NoSchedule": effect must be '
        "'NoExecute' when `tolerationSeconds` is set",
        'pod.yaml:17:5: spec.tolerations[2].operator: Unsupported value: "Maybe": supported '
        'values: "Equal", "Exists"',
    ]


RS = """\
apiVersion: apps/v1
kind: {kind}
metadata:
  name: web
spec:
  replicas: 3
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: {label}
    spec:
      containers:
      - name: web
        image: nginx
"""


@pytest.mark.parametrize("kind", ["ReplicaSet", "Deployment"])
def test_controller_is_valid(kind: str) -> None:
    assert located(RS.format(kind=kind, label="web")) == []
    assert located(RS.format(kind=kind, label="web"), defaulted=True) == []


@pytest.mark.parametrize("kind", ["ReplicaSet", "Deployment"])
def test_selector_must_match_template_labels(kind: str) -> None:
    assert located(RS.format(kind=kind, label="api"), "d.yaml") == [
        'd.yaml:12:7: spec.template.metadata.labels: Invalid value: map[string]string{"app":'
        '"api"}: `selector` does not match template `labels`'
    ]


def test_selector_required_gives_both_errors_in_multiline_form() -> None:
    text = RS.format(kind="Deployment", label="web").replace(
        "  selector:\n    matchLabels:\n      app: web\n", ""
    )
    [doc] = load_documents(text).documents
    errors = validate_object(doc.obj)
    assert format_invalid("Deployment", "web", errors) == (
        'The Deployment "web" is invalid:\n'
        "* spec.selector: Required value\n"
        '* spec.template.metadata.labels: Invalid value: map[string]string{"app":"web"}: '
        "`selector` does not match template `labels`"
    )


def test_template_restart_policy_must_be_always() -> None:
    text = RS.format(kind="ReplicaSet", label="web") + "      restartPolicy: Never\n"
    assert located(text, "rs.yaml") == [
        'rs.yaml:18:7: spec.template.spec.restartPolicy: Unsupported value: "Never": supported '
        'values: "Always"'
    ]


def test_negative_replicas() -> None:
    text = RS.format(kind="ReplicaSet", label="web").replace("replicas: 3", "replicas: -1")
    assert located(text, "rs.yaml") == [
        "rs.yaml:6:3: spec.replicas: Invalid value: -1: must be greater than or equal to 0"
    ]


def test_empty_selector() -> None:
    text = RS.format(kind="Deployment", label="web").replace(
        "  selector:\n    matchLabels:\n      app: web\n", "  selector: {}\n"
    )
    assert located(text, "d.yaml") == [
        "d.yaml:7:3: spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]"
        "string(nil), MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: empty selector is "
        "invalid for deployment"
    ]


def test_match_expressions() -> None:
    text = RS.format(kind="ReplicaSet", label="web").replace(
        "    matchLabels:\n      app: web\n",
        "    matchExpressions:\n    - {key: app, operator: In, values: [web]}\n"
        "    - {key: tier, operator: Exists, values: [x]}\n    - {key: z, operator: Near}\n",
    )
    assert located(text, "rs.yaml") == [
        "rs.yaml:10:37: spec.selector.matchExpressions[1].values: Forbidden: may not be "
        "specified when `operator` is 'Exists' or 'DoesNotExist'",
        'rs.yaml:11:16: spec.selector.matchExpressions[2].operator: Invalid value: "Near": not a '
        "valid selector operator",
        # "tier Exists" cannot match a template that has no tier label.
        'rs.yaml:14:7: spec.template.metadata.labels: Invalid value: map[string]string{"app":'
        '"web"}: `selector` does not match template `labels`',
    ]


def test_deployment_strategy_rules() -> None:
    base = RS.format(kind="Deployment", label="web")
    both_zero = base + "  strategy:\n    rollingUpdate: {maxSurge: 0, maxUnavailable: 0}\n"
    assert located(both_zero, "d.yaml", defaulted=True) == [
        "d.yaml:19:34: spec.strategy.rollingUpdate.maxUnavailable: Invalid value: "
        'intstr.IntOrString{Type:0, IntVal:0, StrVal:""}: may not be 0 when `maxSurge` is 0'
    ]
    recreate = base + "  strategy:\n    type: Recreate\n    rollingUpdate: {maxSurge: 1}\n"
    assert located(recreate, "d.yaml") == [
        "d.yaml:20:5: spec.strategy.rollingUpdate: Forbidden: may not be specified when "
        "strategy `type` is 'Recreate'"
    ]
    deadline = base + "  minReadySeconds: 30\n  progressDeadlineSeconds: 10\n"
    assert located(deadline, "d.yaml") == [
        "d.yaml:19:3: spec.progressDeadlineSeconds: Invalid value: 10: must be greater than "
        "minReadySeconds"
    ]


RC = """\
apiVersion: v1
kind: ReplicationController
metadata:
  name: kubia
spec:
  replicas: 3
{selector}  template:
    metadata:
      labels:
        app: kubia
    spec:
      containers:
      - name: kubia
        image: luksa/kubia
"""


def test_replication_controller_selector_defaults_from_template() -> None:
    assert located(RC.format(selector="")) == []
    assert located(RC.format(selector=""), defaulted=True) == []


def test_replication_controller_selector_mismatch() -> None:
    text = RC.format(selector="  selector:\n    app: other\n")
    assert located(text, "rc.yaml") == [
        'rc.yaml:11:7: spec.template.metadata.labels: Invalid value: map[string]string{"app":'
        '"kubia"}: `selector` does not match template `labels`'
    ]


def test_replication_controller_active_deadline_forbidden() -> None:
    text = RC.format(selector="") + "      activeDeadlineSeconds: 5\n"
    assert located(text, "rc.yaml") == [
        "rc.yaml:15:7: spec.template.spec.activeDeadlineSeconds: Forbidden: "
        "activeDeadlineSeconds in ReplicationController is not Supported"
    ]


SVC = """\
apiVersion: v1
kind: Service
metadata:
  name: {name}
spec:
{spec}"""


def test_service_name_is_a_dns1035_label() -> None:
    text = SVC.format(name="1web", spec="  ports:\n  - port: 80\n")
    assert located(text, "svc.yaml") == [
        'svc.yaml:4:3: metadata.name: Invalid value: "1web": a DNS-1035 label must consist of '
        "lower case alphanumeric characters or '-', start with an alphabetic character, and end "
        "with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for "
        "validation is '[a-z]([-a-z0-9]*[a-z0-9])?')"
    ]


def test_service_ports_rules() -> None:
    assert located(SVC.format(name="web", spec="  selector: {app: web}\n"), "s.yaml") == [
        "s.yaml:5:1: spec.ports: Required value"
    ]
    spec = "  ports:\n  - port: 80\n    name: http\n  - port: 80\n  - port: 70000\n    name: http\n"
    assert located(SVC.format(name="web", spec=spec), "s.yaml") == [
        "s.yaml:9:5: spec.ports[1].name: Required value",
        's.yaml:9:5: spec.ports[1]: Duplicate value: core.ServicePort{Name:"", Protocol:"TCP", '
        "AppProtocol:(*string)(nil), Port:80, TargetPort:intstr.IntOrString{Type:0, IntVal:0, "
        'StrVal:""}, NodePort:0}',
        's.yaml:11:5: spec.ports[2].name: Duplicate value: "http"',
        "s.yaml:10:5: spec.ports[2].port: Invalid value: 70000: must be between 1 and 65535, "
        "inclusive",
    ]


def test_service_type_and_node_port() -> None:
    spec = "  type: Cluster\n  ports:\n  - port: 80\n"
    assert located(SVC.format(name="web", spec=spec), "s.yaml") == [
        's.yaml:6:3: spec.type: Unsupported value: "Cluster": supported values: "ClusterIP", '
        '"ExternalName", "LoadBalancer", "NodePort"'
    ]
    spec = "  ports:\n  - port: 80\n    nodePort: 30080\n"
    assert located(SVC.format(name="web", spec=spec), "s.yaml") == [
        "s.yaml:8:5: spec.ports[0].nodePort: Forbidden: may not be used when `type` is 'ClusterIP'"
    ]
    spec = "  type: NodePort\n  ports:\n  - port: 80\n    nodePort: 80\n"
    assert located(SVC.format(name="web", spec=spec), "s.yaml") == [
        "s.yaml:9:5: spec.ports[0].nodePort: Invalid value: 80: provided port is not in the "
        "valid range. The range of valid ports is 30000-32767"
    ]


def test_namespace_name_is_a_label() -> None:
    text = "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: team.a\n"
    assert located(text, "ns.yaml") == [
        'ns.yaml:4:3: metadata.name: Invalid value: "team.a": a lowercase RFC 1123 label must '
        "consist of lower case alphanumeric characters or '-', and must start and end with an "
        "alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is "
        "'[a-z0-9]([-a-z0-9]*[a-z0-9])?')"
    ]


def test_config_map_keys() -> None:
    text = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\ndata:\n  bad key: x\n"
    assert located(text, "cm.yaml") == [
        'cm.yaml:6:3: data[bad key]: Invalid value: "bad key": a valid config key must consist '
        "of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or "
        "'key-name', regex used for validation is '[-._a-zA-Z0-9]+')"
    ]


def test_unsimulated_kinds_pass_through() -> None:
    assert validate_object({"kind": "Event", "metadata": {}}) == []


# -- updates -----------------------------------------------------------------------------------


def live_pod() -> dict[str, Any]:
    [doc] = load_documents(pod()).documents
    return apply_defaults(doc.obj)


def test_pod_image_update_allowed() -> None:
    old = live_pod()
    new = apply_defaults({**old, "spec": {**old["spec"]}})
    new["spec"]["containers"] = [{**old["spec"]["containers"][0], "image": "nginx:1.27"}]
    assert validate_update(old, new) == []


def test_pod_other_update_forbidden() -> None:
    old = live_pod()
    new = apply_defaults(old)
    new["spec"]["containers"][0]["ports"] = [{"containerPort": 80, "protocol": "TCP"}]
    errors = validate_update(old, new)
    assert format_invalid("Pod", "web", errors) == (
        'The Pod "web" is invalid: spec: Forbidden: pod updates may not change fields other than '
        "`spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,"
        "`spec.tolerations` (only additions to existing tolerations),"
        "`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously "
        "negative)"
    )


def test_pod_update_may_add_tolerations_but_not_remove() -> None:
    old = live_pod()
    added = apply_defaults(old)
    added["spec"]["tolerations"].append({"key": "x", "operator": "Exists"})
    assert validate_update(old, added) == []
    removed = apply_defaults(old)
    removed["spec"]["tolerations"] = removed["spec"]["tolerations"][:1]
    assert [e.path for e in validate_update(old, removed)] == ["spec"]


def test_selector_is_immutable() -> None:
    [doc] = load_documents(RS.format(kind="Deployment", label="web")).documents
    old = apply_defaults(doc.obj)
    new = apply_defaults(doc.obj)
    new["spec"]["selector"] = {"matchLabels": {"app": "web", "tier": "front"}}
    assert [str(e) for e in validate_update(old, new)] == [
        'spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string{"app":'
        '"web", "tier":"front"}, MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: field is '
        "immutable"
    ]
    assert validate_update(old, apply_defaults(doc.obj)) == []


# -- warnings and formatting -------------------------------------------------------------------


def test_duplicate_port_warning() -> None:
    containers = (
        "  - name: a\n    image: x\n    ports:\n    - containerPort: 80\n"
        "  - name: b\n    image: y\n    ports:\n    - containerPort: 80\n"
    )
    [doc] = load_documents(pod(containers)).documents
    assert warnings(doc.obj) == [
        "spec.containers[1].ports[0]: duplicate port definition with spec.containers[0].ports[0]"
    ]
    assert warnings(apply_defaults(doc.obj)) == warnings(doc.obj)


def test_overlapping_port_warning_in_template() -> None:
    obj = {
        "kind": "Deployment",
        "spec": {
            "template": {
                "spec": {
                    "containers": [
                        {"name": "a", "ports": [{"containerPort": 80, "hostPort": 8080}]},
                        {"name": "b", "ports": [{"containerPort": 80}]},
                    ]
                }
            }
        },
    }
    assert warnings(obj) == [
        "spec.template.spec.containers[1].ports[0]: overlapping port definition with "
        "spec.template.spec.containers[0].ports[0]"
    ]


def test_field_error_rendering() -> None:
    assert str(FieldError("spec.containers[0].image", "Required value")) == (
        "spec.containers[0].image: Required value"
    )
    assert str(FieldError("spec.replicas", "Invalid value", 2, "too many")) == (
        "spec.replicas: Invalid value: 2: too many"
    )
    assert str(FieldError("spec", "Forbidden", detail="nope")) == "spec: Forbidden: nope"
    assert go_value({"b": "2", "a": "1"}) == 'map[string]string{"a":"1", "b":"2"}'
    assert go_value(True) == "true" and go_value('say "hi"') == '"say \\"hi\\""'


def test_format_invalid_single_and_multi() -> None:
    one = [FieldError("spec.containers[0].image", "Required value")]
    assert format_invalid("Pod", "x", one) == (
        'The Pod "x" is invalid: spec.containers[0].image: Required value'
    )
    two = [*one, FieldError("spec.containers[1].image", "Required value")]
    assert format_invalid("Pod", "x", two) == (
        'The Pod "x" is invalid:\n* spec.containers[0].image: Required value\n'
        "* spec.containers[1].image: Required value"
    )
