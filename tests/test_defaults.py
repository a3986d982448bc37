"""apply_defaults: what a 1.32 API server adds on create (defaulting + pod admission)."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest

from k8stui.engine.apiserver.defaults import apply_defaults, image_tag
from k8stui.manifests import load_documents

FIXTURES = Path(__file__).parent / "fixtures" / "kubectl"

DEFAULT_TOLERATIONS = [
    {
        "effect": "NoExecute",
        "key": "node.kubernetes.io/not-ready",
        "operator": "Exists",
        "tolerationSeconds": 300,
    },
    {
        "effect": "NoExecute",
        "key": "node.kubernetes.io/unreachable",
        "operator": "Exists",
        "tolerationSeconds": 300,
    },
]


def fixture(name: str) -> dict[str, Any]:
    [doc] = load_documents(FIXTURES.joinpath(name).read_bytes(), name).documents
    return doc.obj


def test_pod_defaults_match_a_real_server() -> None:
    obj = {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {"name": "nginx", "labels": {"run": "nginx"}},
        "spec": {
            "containers": [{"name": "nginx", "image": "nginx", "ports": [{"containerPort": 80}]}]
        },
    }
    assert apply_defaults(obj) == {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {"name": "nginx", "labels": {"run": "nginx"}, "namespace": "default"},
        "spec": {
            "containers": [
                {
                    "name": "nginx",
                    "image": "nginx",
                    "imagePullPolicy": "Always",
                    "ports": [{"containerPort": 80, "protocol": "TCP"}],
                    "resources": {},
                    "terminationMessagePath": "/dev/termination-log",
                    "terminationMessagePolicy": "File",
                }
            ],
            "dnsPolicy": "ClusterFirst",
            "enableServiceLinks": True,
            "preemptionPolicy": "PreemptLowerPriority",
            "priority": 0,
            "restartPolicy": "Always",
            "schedulerName": "default-scheduler",
            "securityContext": {},
            "serviceAccount": "default",
            "serviceAccountName": "default",
            "terminationGracePeriodSeconds": 30,
            "tolerations": DEFAULT_TOLERATIONS,
        },
    }


def test_returns_a_new_object() -> None:
    obj = {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "a"}, "spec": {"containers": []}}
    before = copy.deepcopy(obj)
    out = apply_defaults(obj)
    assert obj == before and out is not obj
    assert out["spec"] is not obj["spec"]


@pytest.mark.parametrize(
    ("image", "policy"),
    [
        ("nginx", "Always"),
        ("nginx:latest", "Always"),
        ("nginx:1.27", "IfNotPresent"),
        ("localhost:5000/kubia", "Always"),
        ("localhost:5000/kubia:v2", "IfNotPresent"),
        ("nginx@sha256:" + "a" * 64, "IfNotPresent"),
    ],
)
def test_image_pull_policy_by_tag(image: str, policy: str) -> None:
    obj = {
        "kind": "Pod",
        "metadata": {"name": "a"},
        "spec": {"containers": [{"name": "c", "image": image}]},
    }
    assert apply_defaults(obj)["spec"]["containers"][0]["imagePullPolicy"] == policy


def test_explicit_values_are_kept() -> None:
    obj = {
        "kind": "Pod",
        "metadata": {"name": "a", "namespace": "dev"},
        "spec": {
            "restartPolicy": "Never",
            "terminationGracePeriodSeconds": 5,
            "containers": [{"name": "c", "image": "x", "imagePullPolicy": "Never"}],
        },
    }
    out = apply_defaults(obj)
    assert out["metadata"]["namespace"] == "dev"
    assert out["spec"]["restartPolicy"] == "Never"
    assert out["spec"]["terminationGracePeriodSeconds"] == 5
    assert out["spec"]["containers"][0]["imagePullPolicy"] == "Never"


def test_default_tolerations_not_added_when_already_tolerated() -> None:
    own = {"key": "node.kubernetes.io/unreachable", "operator": "Exists", "effect": "NoExecute"}
    obj = {
        "kind": "Pod",
        "metadata": {"name": "a"},
        "spec": {"containers": [], "tolerations": [own]},
    }
    assert apply_defaults(obj)["spec"]["tolerations"] == [own, DEFAULT_TOLERATIONS[0]]
    wildcard = {"operator": "Exists"}
    obj["spec"]["tolerations"] = [wildcard]
    assert apply_defaults(obj)["spec"]["tolerations"] == [wildcard]


def test_defaulting_twice_is_stable() -> None:
    obj = {
        "kind": "Pod",
        "metadata": {"name": "a"},
        "spec": {"containers": [{"name": "c", "image": "x"}]},
    }
    once = apply_defaults(obj)
    assert apply_defaults(once) == once


def test_limits_become_requests_for_pods_only() -> None:
    resources = {"limits": {"cpu": "500m", "memory": "64Mi"}, "requests": {"cpu": "100m"}}
    pod = {
        "kind": "Pod",
        "metadata": {"name": "a"},
        "spec": {"containers": [{"name": "c", "image": "x", "resources": resources}]},
    }
    got = apply_defaults(pod)["spec"]["containers"][0]["resources"]
    assert got["requests"] == {"cpu": "100m", "memory": "64Mi"}
    rs = {
        "kind": "ReplicaSet",
        "metadata": {"name": "r"},
        "spec": {"template": {"spec": copy.deepcopy(pod["spec"])}},
    }
    tmpl = apply_defaults(rs)["spec"]["template"]["spec"]["containers"][0]["resources"]
    assert tmpl["requests"] == {"cpu": "100m"}


def test_probe_and_volume_defaults() -> None:
    ctr = {"name": "c", "image": "x", "livenessProbe": {"httpGet": {"path": "/", "port": 8080}}}
    volumes = [
        {"name": "s", "secret": {"secretName": "x"}},
        {"name": "h", "hostPath": {"path": "/x"}},
    ]
    obj = {
        "kind": "Pod",
        "metadata": {"name": "a"},
        "spec": {"containers": [ctr], "volumes": volumes},
    }
    out = apply_defaults(obj)["spec"]
    assert out["containers"][0]["livenessProbe"] == {
        "httpGet": {"path": "/", "port": 8080, "scheme": "HTTP"},
        "timeoutSeconds": 1,
        "periodSeconds": 10,
        "successThreshold": 1,
        "failureThreshold": 3,
    }
    assert out["volumes"][0]["secret"]["defaultMode"] == 420
    assert out["volumes"][1]["hostPath"]["type"] == ""


def test_deployment_from_kubectl_matches_a_real_server() -> None:
    out = apply_defaults(fixture("deployment-web.yaml"))
    spec = out["spec"]
    assert out["metadata"]["namespace"] == "default"
    assert spec["replicas"] == 3
    assert spec["strategy"] == {
        "type": "RollingUpdate",
        "rollingUpdate": {"maxUnavailable": "25%", "maxSurge": "25%"},
    }
    assert spec["revisionHistoryLimit"] == 10
    assert spec["progressDeadlineSeconds"] == 600
    assert "minReadySeconds" not in spec
    template = spec["template"]["spec"]
    assert template == {
        "containers": [
            {
                "image": "nginx:1.27",
                "name": "nginx",
                "ports": [{"containerPort": 80, "protocol": "TCP"}],
                "resources": {},
                "imagePullPolicy": "IfNotPresent",
                "terminationMessagePath": "/dev/termination-log",
                "terminationMessagePolicy": "File",
            }
        ],
        "restartPolicy": "Always",
        "terminationGracePeriodSeconds": 30,
        "dnsPolicy": "ClusterFirst",
        "securityContext": {},
        "schedulerName": "default-scheduler",
    }  # no admission fields (tolerations, serviceAccountName, priority) in templates


def test_deployment_recreate_strategy_gets_no_rolling_update() -> None:
    obj = {
        "kind": "Deployment",
        "metadata": {"name": "d"},
        "spec": {"strategy": {"type": "Recreate"}},
    }
    assert apply_defaults(obj)["spec"]["strategy"] == {"type": "Recreate"}


def test_replica_set_defaults() -> None:
    obj = {"apiVersion": "apps/v1", "kind": "ReplicaSet", "metadata": {"name": "r"}, "spec": {}}
    spec = apply_defaults(obj)["spec"]
    assert spec["replicas"] == 1
    assert "revisionHistoryLimit" not in spec and "strategy" not in spec


def test_replication_controller_takes_selector_and_labels_from_template() -> None:
    obj = {
        "apiVersion": "v1",
        "kind": "ReplicationController",
        "metadata": {"name": "kubia"},
        "spec": {
            "template": {"metadata": {"labels": {"app": "kubia"}}, "spec": {"containers": []}}
        },
    }
    out = apply_defaults(obj)
    assert out["spec"]["selector"] == {"app": "kubia"}
    assert out["metadata"]["labels"] == {"app": "kubia"}
    assert out["spec"]["replicas"] == 1
    out["spec"]["selector"]["app"] = "x"
    assert out["spec"]["template"]["metadata"]["labels"] == {"app": "kubia"}  # a copy


def test_service_defaults_cluster_ip() -> None:
    out = apply_defaults(fixture("service-clusterip.yaml"))
    assert out["spec"] == {
        "ports": [{"name": "80-8080", "port": 80, "protocol": "TCP", "targetPort": 8080}],
        "selector": {"app": "web"},
        "type": "ClusterIP",
        "sessionAffinity": "None",
        "internalTrafficPolicy": "Cluster",
        "ipFamilyPolicy": "SingleStack",
        "ipFamilies": ["IPv4"],
    }  # clusterIP/clusterIPs are allocated by the engine, not defaulted


def test_service_target_port_defaults_to_port() -> None:
    obj = {"kind": "Service", "metadata": {"name": "s"}, "spec": {"ports": [{"port": 80}]}}
    assert apply_defaults(obj)["spec"]["ports"] == [
        {"port": 80, "protocol": "TCP", "targetPort": 80}
    ]


def test_node_port_service() -> None:
    spec = apply_defaults(fixture("service-nodeport.yaml"))["spec"]
    assert spec["externalTrafficPolicy"] == "Cluster"
    assert spec["ports"][0]["nodePort"] == 30080


def test_headless_service_without_selector_requires_dual_stack() -> None:
    obj = {"kind": "Service", "metadata": {"name": "h"}, "spec": {"clusterIP": "None"}}
    spec = apply_defaults(obj)["spec"]
    assert spec["ipFamilyPolicy"] == "RequireDualStack"
    assert spec["ipFamilies"] == ["IPv4", "IPv6"]


def test_namespace_defaults() -> None:
    out = apply_defaults(fixture("namespace-dev.yaml"))
    assert "namespace" not in out["metadata"]
    assert out["metadata"]["labels"] == {"kubernetes.io/metadata.name": "dev"}
    assert out["spec"] == {"finalizers": ["kubernetes"]}
    assert out["status"] == {"phase": "Active"}


def test_image_tag_helper() -> None:
    assert image_tag("registry:5000/a/b") == "latest"
    assert image_tag("a/b:v1") == "v1"


def test_malformed_input_does_not_crash() -> None:
    for obj in (
        {"kind": "Pod", "spec": "nope"},
        {"kind": "Pod", "spec": {"containers": "x", "tolerations": 3}},
        {"kind": "Deployment", "spec": {"strategy": 5, "template": []}},
        {"kind": "Service", "spec": {"ports": [1, None]}},
        {"kind": "Pod", "metadata": None},
    ):
        apply_defaults(obj)
