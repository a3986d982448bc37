"""Pods of one workload hold their equal parts once (API server, kubelet status, scheduler
views), and sharing never merges parts a reader could tell apart."""

from __future__ import annotations

import json
from typing import Any

from helpers import container, deployment, pod

from k8stui.engine.apiserver.shared_parts import LONGEST, SharedParts
from k8stui.engine.cluster import Cluster
from k8stui.engine.scheduler.podspec import pod_view

Obj = dict[str, Any]


def _running_pods(c: Cluster, prefix: str) -> list[Obj]:
    return [p for p in c.list("Pod", "default") if p["metadata"]["name"].startswith(prefix)]


def test_pods_of_one_deployment_share_their_template_parts() -> None:
    c = Cluster(seed=3)
    dep = deployment("web", 4, image="nginx:1.27")
    ctr = dep["spec"]["template"]["spec"]["containers"][0]
    ctr["resources"] = {"requests": {"cpu": "100m", "memory": "64Mi"}}
    ctr["ports"] = [{"containerPort": 80}]
    c.create(dep)
    c.advance(60)
    pods = _running_pods(c, "web-")
    assert len(pods) == 4 and all(p["status"]["phase"] == "Running" for p in pods)
    first, *others = pods
    for other in others:
        assert other["metadata"]["labels"] is first["metadata"]["labels"]
        assert other["metadata"]["ownerReferences"] is first["metadata"]["ownerReferences"]
        assert other["spec"]["tolerations"] is first["spec"]["tolerations"]
        assert other["spec"]["securityContext"] is first["spec"]["securityContext"]
        ours, theirs = other["spec"]["containers"][0], first["spec"]["containers"][0]
        assert ours["resources"] is theirs["resources"] and ours["ports"] is theirs["ports"]
        # The service-account mount names each pod's own volume: never shared.
        assert ours["volumeMounts"] != theirs["volumeMounts"]
        assert other["metadata"]["name"] != first["metadata"]["name"]
    by_node: dict[str, list[Obj]] = {}
    for p in pods:
        by_node.setdefault(p["spec"]["nodeName"], []).append(p)
    for group in by_node.values():
        assert all(p["status"]["hostIPs"] is group[0]["status"]["hostIPs"] for p in group)


def test_a_shared_part_changes_for_one_pod_only() -> None:
    c = Cluster(seed=3)
    c.create(deployment("web", 3, image="nginx:1.27"))
    c.advance(30)
    pods = _running_pods(c, "web-")
    name = pods[0]["metadata"]["name"]
    c.patch("Pod", name, {"metadata": {"labels": {"extra": "yes"}}})
    after = {p["metadata"]["name"]: p["metadata"]["labels"] for p in _running_pods(c, "web-")}
    assert after[name]["extra"] == "yes"
    assert all("extra" not in labels for n, labels in after.items() if n != name)
    rs = c.get("ReplicaSet", pods[0]["metadata"]["ownerReferences"][0]["name"])
    assert rs is not None
    template_labels = rs["spec"]["template"]["metadata"]["labels"]
    assert template_labels == {k: v for k, v in after[name].items() if k != "extra"}


def test_parts_equal_in_python_but_not_as_written_stay_apart() -> None:
    shared = SharedParts()
    pods: list[Obj] = [
        {"metadata": {"annotations": {"a": "1"}}, "spec": {"nodeSelector": {"x": "1"}}},
        {"metadata": {}, "spec": {"overhead": {"cpu": 1}}},
        {"metadata": {}, "spec": {"overhead": {"cpu": 1.0}}},
        {"metadata": {}, "spec": {"overhead": {"cpu": True}}},
        {"metadata": {}, "spec": {"tolerations": [{"key": "a", "operator": "Exists"}]}},
        {"metadata": {}, "spec": {"tolerations": [{"operator": "Exists", "key": "a"}]}},
        {"metadata": {}, "spec": {"tolerations": ({"key": "a", "operator": "Exists"},)}},
    ]
    written = [json.dumps(p) for p in pods]
    for p in pods:
        shared.share_pod(p)
    assert [json.dumps(p) for p in pods] == written
    overheads = [p["spec"]["overhead"]["cpu"] for p in pods[1:4]]
    assert [type(v) for v in overheads] == [int, float, bool]
    assert type(pods[6]["spec"]["tolerations"]) is tuple


def test_only_short_parts_are_remembered() -> None:
    shared = SharedParts()
    big = {"k": "v" * LONGEST}
    one = {"metadata": {"annotations": dict(big)}, "spec": {}}
    two = {"metadata": {"annotations": dict(big)}, "spec": {}}
    shared.share_pod(one)
    shared.share_pod(two)
    assert one["metadata"]["annotations"] == two["metadata"]["annotations"]
    assert one["metadata"]["annotations"] is not two["metadata"]["annotations"]


def test_views_of_one_workloads_pods_share_their_digests() -> None:
    a = pod("a", container("app", "nginx:1.27"), tolerations=[{"key": "k", "operator": "Exists"}])
    b = pod("b", container("app", "nginx:1.27"), tolerations=[{"key": "k", "operator": "Exists"}])
    other = pod(
        "c", container("app", "nginx:1.27"), tolerations=[{"key": "j", "operator": "Exists"}]
    )
    va, vb, vc = pod_view(a), pod_view(b), pod_view(other)
    assert va.tolerations is vb.tolerations and va.local_key[0] is vb.local_key[0]
    assert vc.tolerations != va.tolerations and vc.local_key != va.local_key
    assert [t.key for t in vc.tolerations] == ["j"]
