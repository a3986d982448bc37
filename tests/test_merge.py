"""JSON merge patch (RFC 7386) and kubectl client-side apply three-way merge."""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest

from k8stui.engine.apiserver.merge import (
    LAST_APPLIED,
    json_merge_patch,
    last_applied_json,
    three_way_merge,
)

# The examples of RFC 7386, appendix A.
RFC_CASES = [
    ({"a": "b"}, {"a": "c"}, {"a": "c"}),
    ({"a": "b"}, {"b": "c"}, {"a": "b", "b": "c"}),
    ({"a": "b"}, {"a": None}, {}),
    ({"a": "b", "b": "c"}, {"a": None}, {"b": "c"}),
    ({"a": ["b"]}, {"a": "c"}, {"a": "c"}),
    ({"a": "c"}, {"a": ["b"]}, {"a": ["b"]}),
    ({"a": {"b": "c"}}, {"a": {"b": "d", "c": None}}, {"a": {"b": "d"}}),
    ({"a": [{"b": "c"}]}, {"a": [1]}, {"a": [1]}),
    (["a", "b"], ["c", "d"], ["c", "d"]),
    ({"a": "b"}, ["c"], ["c"]),
    ({"a": "foo"}, None, None),
    ({"a": "foo"}, "bar", "bar"),
    ({"e": None}, {"a": 1}, {"e": None, "a": 1}),
    ([1, 2], {"a": "b", "c": None}, {"a": "b"}),
    ({}, {"a": {"bb": {"ccc": None}}}, {"a": {"bb": {}}}),
]


@pytest.mark.parametrize(("target", "patch", "result"), RFC_CASES)
def test_json_merge_patch_rfc7386_examples(target: Any, patch: Any, result: Any) -> None:
    before = copy.deepcopy(target)
    assert json_merge_patch(target, patch) == result
    assert target == before  # inputs untouched


def deployment(image: str = "nginx:1.26", **spec: Any) -> dict[str, Any]:
    return {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": {"name": "web", "labels": {"app": "web"}},
        "spec": {
            "replicas": 3,
            "selector": {"matchLabels": {"app": "web"}},
            "template": {
                "metadata": {"labels": {"app": "web"}},
                "spec": {
                    "containers": [
                        {"name": "web", "image": image, "ports": [{"containerPort": 80}]}
                    ]
                },
            },
            **spec,
        },
    }


def live_from(config: dict[str, Any]) -> dict[str, Any]:
    """What the server stores: the config plus defaults and fields written by others."""
    live = copy.deepcopy(config)
    live["metadata"]["uid"] = "1234"
    live["spec"]["revisionHistoryLimit"] = 10
    ctr = live["spec"]["template"]["spec"]["containers"][0]
    ctr["imagePullPolicy"] = "IfNotPresent"
    ctr["ports"][0]["protocol"] = "TCP"
    live["status"] = {"replicas": 3}
    return live


def test_new_values_overwrite_and_server_fields_are_kept() -> None:
    old = deployment()
    live = live_from(old)
    merged = three_way_merge(old, live, deployment(image="nginx:1.27"))
    ctr = merged["spec"]["template"]["spec"]["containers"][0]
    assert ctr["image"] == "nginx:1.27"
    assert ctr["imagePullPolicy"] == "IfNotPresent"
    assert ctr["ports"] == [{"containerPort": 80, "protocol": "TCP"}]
    assert merged["metadata"]["uid"] == "1234" and merged["status"] == {"replicas": 3}
    assert merged["spec"]["revisionHistoryLimit"] == 10


def test_field_removed_from_config_is_deleted() -> None:
    old = deployment(minReadySeconds=5)
    live = live_from(old)
    merged = three_way_merge(old, live, deployment())
    assert "minReadySeconds" not in merged["spec"]


def test_field_set_by_someone_else_survives_when_never_applied() -> None:
    old = deployment()
    live = live_from(old)
    live["metadata"]["labels"]["owner"] = "ops"  # kubectl label, not in any config
    merged = three_way_merge(old, live, deployment())
    assert merged["metadata"]["labels"] == {"app": "web", "owner": "ops"}


def test_scaled_replicas_are_reset_only_when_config_sets_them() -> None:
    old = deployment()
    live = live_from(old)
    live["spec"]["replicas"] = 5  # kubectl scale
    assert three_way_merge(old, live, deployment())["spec"]["replicas"] == 3
    no_replicas = deployment()
    del no_replicas["spec"]["replicas"]
    # replicas was in last-applied and is gone from the new config: deleted (then defaulted)
    assert "replicas" not in three_way_merge(old, live, no_replicas)["spec"]
    assert three_way_merge(no_replicas, live, no_replicas)["spec"]["replicas"] == 5


def test_containers_merge_by_name() -> None:
    old = deployment()
    live = live_from(old)
    live["spec"]["template"]["spec"]["containers"].append({"name": "injected", "image": "proxy"})
    new = deployment(image="nginx:1.27")
    new["spec"]["template"]["spec"]["containers"].append({"name": "log", "image": "busybox"})
    names = [
        (c["name"], c["image"])
        for c in three_way_merge(old, live, new)["spec"]["template"]["spec"]["containers"]
    ]
    assert names == [("web", "nginx:1.27"), ("log", "busybox"), ("injected", "proxy")]


def test_container_removed_from_config_is_deleted() -> None:
    old = deployment()
    old["spec"]["template"]["spec"]["containers"].append({"name": "log", "image": "busybox"})
    live = live_from(old)
    merged = three_way_merge(old, live, deployment())
    assert [c["name"] for c in merged["spec"]["template"]["spec"]["containers"]] == ["web"]


def test_service_ports_merge_by_port_and_keep_allocated_node_ports() -> None:
    config = {
        "kind": "Service",
        "metadata": {"name": "s"},
        "spec": {"type": "NodePort", "ports": [{"port": 80}]},
    }
    live = copy.deepcopy(config)
    live["spec"]["ports"][0].update(nodePort=31234, protocol="TCP", targetPort=80)
    live["spec"]["clusterIP"] = "10.96.0.10"
    new = copy.deepcopy(config)
    new["spec"]["ports"][0]["targetPort"] = 8080
    merged = three_way_merge(config, live, new)
    assert merged["spec"]["ports"] == [
        {"port": 80, "nodePort": 31234, "protocol": "TCP", "targetPort": 8080}
    ]
    assert merged["spec"]["clusterIP"] == "10.96.0.10"


def test_tolerations_and_args_are_replaced() -> None:
    config = {
        "kind": "Pod",
        "metadata": {"name": "p"},
        "spec": {"tolerations": [{"key": "a", "operator": "Exists"}]},
    }
    live = copy.deepcopy(config)
    live["spec"]["tolerations"].append(
        {"key": "node.kubernetes.io/unreachable", "operator": "Exists"}
    )
    new = {
        "kind": "Pod",
        "metadata": {"name": "p"},
        "spec": {"tolerations": [{"key": "b", "operator": "Exists"}]},
    }
    assert three_way_merge(config, live, new)["spec"]["tolerations"] == [
        {"key": "b", "operator": "Exists"}
    ]


def test_null_in_config_deletes() -> None:
    live = {"kind": "Pod", "metadata": {"name": "p", "labels": {"a": "1", "b": "2"}}}
    new = {"kind": "Pod", "metadata": {"name": "p", "labels": {"a": None}}}
    assert three_way_merge(None, live, new)["metadata"]["labels"] == {"b": "2"}


def test_without_last_applied_nothing_is_deleted() -> None:
    live = live_from(deployment(minReadySeconds=5))
    merged = three_way_merge(None, live, deployment())
    assert merged["spec"]["minReadySeconds"] == 5


def test_inputs_are_not_modified() -> None:
    old, new = deployment(), deployment(image="x")
    live = live_from(old)
    snapshot = copy.deepcopy((old, live, new))
    three_way_merge(old, live, new)
    assert (old, live, new) == snapshot


def test_last_applied_json_like_kubectl() -> None:
    obj = {
        "kind": "Pod",
        "apiVersion": "v1",
        "metadata": {"name": "p", "annotations": {LAST_APPLIED: "old", "note": "<b>&"}},
        "spec": {"containers": [{"name": "c", "image": "x"}]},
        "status": {"phase": "Running"},
    }
    text = last_applied_json(obj)
    assert text == (
        '{"apiVersion":"v1","kind":"Pod","metadata":{"annotations":{"note":"\\u003cb\\u003e'
        '\\u0026"},"name":"p"},"spec":{"containers":[{"image":"x","name":"c"}]}}\n'
    )
    assert json.loads(text)["metadata"]["annotations"] == {"note": "<b>&"}
    assert obj["metadata"]["annotations"][LAST_APPLIED] == "old"  # input untouched


def test_last_applied_keeps_an_empty_annotations_map() -> None:
    text = last_applied_json({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "dev"}})
    assert (
        text
        == '{"apiVersion":"v1","kind":"Namespace","metadata":{"annotations":{},"name":"dev"}}\n'
    )
