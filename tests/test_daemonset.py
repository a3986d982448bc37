"""DaemonSets: one pod per eligible node, updates, drain, validation and the kubectl texts."""

from __future__ import annotations

from typing import Any

import pytest
from console_helpers import ok, session
from helpers import container

from k8stui.engine.cluster import Cluster
from k8stui.engine.errors import ApiError
from k8stui.engine.faults import Fault
from k8stui.engine.nodes import NodeSpec

Obj = dict[str, Any]


def daemon_set(name: str = "agent", image: str = "nginx:1.27", **spec: Any) -> Obj:
    """A DaemonSet with label app=<name> and no tolerations of its own."""
    return {
        "apiVersion": "apps/v1",
        "kind": "DaemonSet",
        "metadata": {"name": name},
        "spec": {
            "selector": {"matchLabels": {"app": name}},
            "template": {
                "metadata": {"labels": {"app": name}},
                "spec": {"containers": [container(name, image)]},
            },
            **spec,
        },
    }


def pods_of(c: Cluster, name: str = "agent", namespace: str = "default") -> list[Obj]:
    return [
        p
        for p in c.list("Pod", namespace)
        if (p["metadata"].get("labels") or {}).get("app") == name
        and not p["metadata"].get("deletionTimestamp")
    ]


def nodes_of(pods: list[Obj]) -> list[str]:
    return sorted(p["spec"].get("nodeName") or "" for p in pods)


def ready(pod: Obj) -> bool:
    return any(
        c["type"] == "Ready" and c["status"] == "True"
        for c in (pod.get("status") or {}).get("conditions") or []
    )


def test_one_pod_per_schedulable_worker_pinned_by_node_name() -> None:
    c = Cluster(seed=3)
    c.create(daemon_set())
    c.advance(20)
    pods = pods_of(c)
    # The control-plane taint is not tolerated: only the workers get a pod.
    assert nodes_of(pods) == ["worker-1", "worker-2", "worker-3"]
    assert all(ready(p) for p in pods)
    pod = next(p for p in pods if p["spec"]["nodeName"] == "worker-2")
    assert pod["spec"]["affinity"] == {
        "nodeAffinity": {
            "requiredDuringSchedulingIgnoredDuringExecution": {
                "nodeSelectorTerms": [
                    {
                        "matchFields": [
                            {"key": "metadata.name", "operator": "In", "values": ["worker-2"]}
                        ]
                    }
                ]
            }
        }
    }
    assert [(t["key"], t["effect"]) for t in pod["spec"]["tolerations"]] == [
        ("node.kubernetes.io/not-ready", "NoExecute"),
        ("node.kubernetes.io/unreachable", "NoExecute"),
        ("node.kubernetes.io/disk-pressure", "NoSchedule"),
        ("node.kubernetes.io/memory-pressure", "NoSchedule"),
        ("node.kubernetes.io/pid-pressure", "NoSchedule"),
        ("node.kubernetes.io/unschedulable", "NoSchedule"),
    ]
    assert all("tolerationSeconds" not in t for t in pod["spec"]["tolerations"])
    labels = pod["metadata"]["labels"]
    assert (
        labels["pod-template-generation"] == "1" and len(labels["controller-revision-hash"]) == 10
    )
    status = c.get("DaemonSet", "agent")["status"]
    assert status == {
        "currentNumberScheduled": 3,
        "desiredNumberScheduled": 3,
        "numberAvailable": 3,
        "numberMisscheduled": 0,
        "numberReady": 3,
        "observedGeneration": 1,
        "updatedNumberScheduled": 3,
    }
    scheduled = [e for e in c.events(pod) if e["reason"] == "Scheduled"]
    assert (
        scheduled[0]["message"]
        == f"Successfully assigned default/{pod['metadata']['name']} to worker-2"
    )


def test_nodes_joining_cordoned_tainted_and_crashing() -> None:
    c = Cluster(seed=4)
    c.create(daemon_set())
    c.advance(20)
    c.add_node(NodeSpec(name="worker-4"))
    c.advance(20)
    assert nodes_of(pods_of(c)) == ["worker-1", "worker-2", "worker-3", "worker-4"]
    # Cordoning changes nothing: daemon pods tolerate node.kubernetes.io/unschedulable.
    ok_result = c.patch("Node", "worker-1", {"spec": {"unschedulable": True}}, "")
    assert ok_result.obj["spec"]["unschedulable"] is True
    before = {p["metadata"]["name"] for p in pods_of(c)}
    # A NoSchedule taint keeps the running pod; a NoExecute taint removes it.
    c.patch("Node", "worker-2", {"spec": {"taints": [{"key": "gpu", "effect": "NoSchedule"}]}}, "")
    c.patch("Node", "worker-3", {"spec": {"taints": [{"key": "gpu", "effect": "NoExecute"}]}}, "")
    c.advance(40)
    after = pods_of(c)
    assert nodes_of(after) == ["worker-1", "worker-2", "worker-4"]
    assert {p["metadata"]["name"] for p in after} <= before
    assert c.get("DaemonSet", "agent")["status"]["desiredNumberScheduled"] == 2
    # A crashed node keeps its daemon pod (never evicted), unready.
    c.inject(Fault(kind="crash-node", target="worker-4"))
    c.advance(400)
    on_4 = [p for p in pods_of(c) if p["spec"]["nodeName"] == "worker-4"]
    assert len(on_4) == 1 and not ready(on_4[0])
    assert c.get("DaemonSet", "agent")["status"]["numberReady"] == 1


def test_a_deleted_daemon_pod_is_replaced_on_its_node() -> None:
    c = Cluster(seed=5)
    c.create(daemon_set())
    c.advance(20)
    victim = next(p for p in pods_of(c) if p["spec"]["nodeName"] == "worker-1")
    c.delete("Pod", victim["metadata"]["name"])
    c.advance(40)
    on_1 = [p for p in pods_of(c) if p["spec"]["nodeName"] == "worker-1"]
    assert len(on_1) == 1 and on_1[0]["metadata"]["name"] != victim["metadata"]["name"]
    assert ready(on_1[0])


def _new_image(c: Cluster, image: str) -> None:
    ds = c.get("DaemonSet", "agent")
    template = ds["spec"]["template"]
    spec = {
        **template["spec"],
        "containers": [{**template["spec"]["containers"][0], "image": image}],
    }
    c.replace({**ds, "spec": {**ds["spec"], "template": {**template, "spec": spec}}})


def test_rolling_update_replaces_one_node_at_a_time() -> None:
    c = Cluster(seed=6)
    c.create(daemon_set())
    c.advance(20)
    _new_image(c, "nginx:alpine")
    worst = 3
    for _ in range(120):
        c.advance(1)
        serving = {p["spec"]["nodeName"] for p in pods_of(c) if ready(p)}
        worst = min(worst, len(serving))
    pods = pods_of(c)
    assert worst == 2  # maxUnavailable 1: never two nodes down at once
    assert {p["spec"]["containers"][0]["image"] for p in pods} == {"nginx:alpine"}
    assert {p["metadata"]["labels"]["pod-template-generation"] for p in pods} == {"2"}
    assert c.get("DaemonSet", "agent")["status"]["updatedNumberScheduled"] == 3


def test_surge_starts_the_new_pod_before_the_old_one_goes() -> None:
    c = Cluster(seed=6)
    strategy = {"type": "RollingUpdate", "rollingUpdate": {"maxSurge": 1, "maxUnavailable": 0}}
    c.create(daemon_set(updateStrategy=strategy))
    c.advance(20)
    _new_image(c, "nginx:alpine")
    doubled = False
    for _ in range(120):
        c.advance(1)
        serving = {p["spec"]["nodeName"] for p in pods_of(c) if ready(p)}
        assert len(serving) == 3
        doubled |= len(pods_of(c)) == 4
    assert doubled
    assert {p["spec"]["containers"][0]["image"] for p in pods_of(c)} == {"nginx:alpine"}


def test_on_delete_waits_for_the_pods_to_be_deleted() -> None:
    c = Cluster(seed=7)
    c.create(daemon_set(updateStrategy={"type": "OnDelete"}))
    c.advance(20)
    _new_image(c, "nginx:alpine")
    c.advance(60)
    assert {p["spec"]["containers"][0]["image"] for p in pods_of(c)} == {"nginx:1.27"}
    victim = next(p for p in pods_of(c) if p["spec"]["nodeName"] == "worker-3")
    c.delete("Pod", victim["metadata"]["name"])
    c.advance(40)
    images = {p["spec"]["nodeName"]: p["spec"]["containers"][0]["image"] for p in pods_of(c)}
    assert images == {
        "worker-1": "nginx:1.27",
        "worker-2": "nginx:1.27",
        "worker-3": "nginx:alpine",
    }
    assert c.get("DaemonSet", "agent")["status"]["updatedNumberScheduled"] == 1


def test_defaults_and_validation() -> None:
    c = Cluster(seed=1)
    stored = c.create(daemon_set()).obj
    assert stored["spec"]["updateStrategy"] == {
        "type": "RollingUpdate",
        "rollingUpdate": {"maxUnavailable": 1, "maxSurge": 0},
    }
    assert stored["spec"]["revisionHistoryLimit"] == 10
    no_selector = daemon_set("x")
    del no_selector["spec"]["selector"]
    with pytest.raises(ApiError) as err:
        c.create(no_selector)
    assert err.value.message.startswith('The DaemonSet "x" is invalid:')
    assert "spec.selector: Required value" in err.value.message
    bad = daemon_set("y", updateStrategy={"type": "Sometimes"})
    with pytest.raises(ApiError) as err:
        c.create(bad)
    assert err.value.message == (
        'The DaemonSet "y" is invalid: spec.updateStrategy: Unsupported value: '
        'apps.DaemonSetUpdateStrategy{Type:"Sometimes", '
        "RollingUpdate:(*apps.RollingUpdateDaemonSet)(nil)}: "
        'supported values: "RollingUpdate", "OnDelete"'
    )


def test_get_ds_all_namespaces_and_describe() -> None:
    s = session()
    table = ok(s, "kubectl get ds -A").stdout
    assert table == (
        "NAMESPACE     NAME         DESIRED   CURRENT   READY   UP-TO-DATE   AVAILABLE   "
        "NODE SELECTOR            AGE\n"
        "kube-system   kindnet      4         4         4       4            4           "
        "<none>                   4m55s\n"
        "kube-system   kube-proxy   4         4         4       4            4           "
        "kubernetes.io/os=linux   4m55s\n"
    )
    text = ok(s, "kubectl describe ds kube-proxy -n kube-system").stdout
    assert text.startswith(
        "Name:           kube-proxy\n"
        "Selector:       k8s-app=kube-proxy\n"
        "Node-Selector:  kubernetes.io/os=linux\n"
        "Labels:         k8s-app=kube-proxy\n"
    )
    assert (
        "Desired Number of Nodes Scheduled: 4\n"
        "Current Number of Nodes Scheduled: 4\n"
        "Number of Nodes Scheduled with Up-to-date Pods: 4\n"
        "Number of Nodes Scheduled with Available Pods: 4\n"
        "Number of Nodes Misscheduled: 0\n"
        "Pods Status:  4 Running / 0 Waiting / 0 Succeeded / 0 Failed\n"
    ) in text
    assert "daemonset-controller  Created pod: kube-proxy-" in text


def test_drain_refuses_daemon_pods_unless_ignored() -> None:
    s = session()
    daemons = sorted(
        p["metadata"]["name"]
        for p in s.cluster.list("Pod", "kube-system")
        if p["spec"].get("nodeName") == "worker-1"
    )
    names = ", ".join(f"kube-system/{n}" for n in daemons)
    refused = s.run("kubectl drain worker-1")
    assert refused.exit_code == 1
    assert refused.stdout == "node/worker-1 cordoned\n"
    assert refused.stderr == (
        'error: unable to drain node "worker-1" due to error: cannot delete DaemonSet-managed '
        f"Pods (use --ignore-daemonsets to ignore): {names}, continuing command...\n"
        "There are pending nodes to be drained:\n worker-1\n"
        f"cannot delete DaemonSet-managed Pods (use --ignore-daemonsets to ignore): {names}\n"
    )
    drained = ok(s, "kubectl drain worker-1 --ignore-daemonsets")
    assert drained.stdout == "node/worker-1 already cordoned\nnode/worker-1 drained\n"
    assert drained.stderr == f"Warning: ignoring DaemonSet-managed Pods: {names}\n"
    # The daemon pods stay where they are.
    assert (
        sorted(
            p["metadata"]["name"]
            for p in s.cluster.list("Pod", "kube-system")
            if p["spec"].get("nodeName") == "worker-1"
        )
        == daemons
    )


def test_with_the_scheduler_down_a_new_node_gets_no_daemon_pod() -> None:
    c = Cluster(seed=2)
    c.stop_component("scheduler")
    c.add_node(NodeSpec(name="worker-4"))
    c.advance(30)
    waiting = [
        p
        for p in c.list("Pod", "kube-system")
        if p["metadata"]["name"].startswith(("kube-proxy-", "kindnet-"))
        and not p["spec"].get("nodeName")
    ]
    assert len(waiting) == 2
    assert all(p["status"]["phase"] == "Pending" and not c.events(p) for p in waiting)
    c.start_component("scheduler")
    c.advance(10)
    on_4 = [p for p in c.list("Pod", "kube-system") if p["spec"].get("nodeName") == "worker-4"]
    assert len(on_4) == 2 and all(ready(p) for p in on_4)
