"""The scheduler inside the running cluster: messages, placement, retries (§3)."""

from __future__ import annotations

from helpers import container, pod, pods_of, rc

from k8stui.engine.cluster import Cluster
from k8stui.engine.nodes import NodeSpec, Taint


def _big(name: str, cpu: str = "3") -> dict[str, object]:
    return pod(name, container("app", "nginx:1.27", resources={"requests": {"cpu": cpu}}))


def test_unschedulable_pod_gets_the_upstream_message_and_stays_pending() -> None:
    c = Cluster(seed=1)
    c.create(_big("huge"))
    c.advance(1)
    obj = c.get("Pod", "huge")
    message = (
        "0/4 nodes are available: 1 node(s) had untolerated taint "
        "{node-role.kubernetes.io/control-plane: }, 3 Insufficient cpu. preemption: 0/4 nodes are "
        "available: 1 Preemption is not helpful for scheduling, 3 No preemption victims found for "
        "incoming pod.."
    )
    (cond,) = obj["status"]["conditions"]
    assert (cond["type"], cond["status"], cond["reason"], cond["message"]) == (
        "PodScheduled",
        "False",
        "Unschedulable",
        message,
    )
    (event,) = c.events(obj)
    assert (event["type"], event["reason"], event["message"]) == (
        "Warning",
        "FailedScheduling",
        message,
    )
    assert event["source"] == {"component": "default-scheduler"}


def test_pending_pod_is_scheduled_when_a_big_enough_node_joins() -> None:
    c = Cluster(seed=1)
    c.create(_big("huge"))
    c.advance(1)
    c.add_node(NodeSpec(name="worker-big", cpu="8", memory="16Gi"))
    c.advance(3)
    assert c.get("Pod", "huge")["spec"]["nodeName"] == "worker-big"


def test_pending_pod_is_scheduled_when_room_frees_up() -> None:
    c = Cluster(seed=1, nodes=[NodeSpec(name="only", cpu="2", memory="4Gi")])
    c.create(_big("first", "1500m"))
    c.create(_big("second", "1500m"))
    c.advance(5)
    assert not c.get("Pod", "second")["spec"].get("nodeName")
    c.delete("Pod", "first")
    c.advance(5)
    assert c.get("Pod", "second")["spec"]["nodeName"] == "only"


def test_node_selector_places_pods_on_matching_nodes_only() -> None:
    nodes = [
        NodeSpec(name="ssd-1", labels={"disk": "ssd"}),
        NodeSpec(name="hdd-1"),
        NodeSpec(name="hdd-2"),
    ]
    c = Cluster(seed=2, nodes=nodes)
    c.create(
        rc(
            "fast",
            3,
            {"app": "fast"},
            container("fast", "luksa/kubia"),
            nodeSelector={"disk": "ssd"},
        )
    )
    c.advance(30)
    assert {p["spec"]["nodeName"] for p in pods_of(c, "fast-")} == {"ssd-1"}


def test_tainted_node_only_takes_tolerating_pods() -> None:
    nodes = [
        NodeSpec(name="gpu-1", taints=[Taint(key="dedicated", value="gpu")]),
        NodeSpec(name="plain-1"),
    ]
    c = Cluster(seed=2, nodes=nodes)
    c.create(
        pod("a", container("a", "nginx:1.27"), nodeSelector={"kubernetes.io/hostname": "gpu-1"})
    )
    tolerant = [{"key": "dedicated", "operator": "Equal", "value": "gpu", "effect": "NoSchedule"}]
    c.create(
        pod(
            "b",
            container("b", "nginx:1.27"),
            nodeSelector={"kubernetes.io/hostname": "gpu-1"},
            tolerations=tolerant,
        )
    )
    c.advance(5)
    assert not c.get("Pod", "a")["spec"].get("nodeName")
    assert c.get("Pod", "b")["spec"]["nodeName"] == "gpu-1"
    message = c.events(c.get("Pod", "a"))[-1]["message"]
    assert message.startswith(
        "0/2 nodes are available: 1 node(s) didn't match Pod's node affinity/selector, 1 node(s) had untolerated taint {dedicated: gpu}."
    )


def test_pod_affinity_co_locates_and_anti_affinity_spreads() -> None:
    c = Cluster(seed=3)
    c.create(pod("backend", container("b", "redis:7.4"), labels={"app": "backend"}))
    c.advance(5)
    backend_node = c.get("Pod", "backend")["spec"]["nodeName"]
    term = {
        "labelSelector": {"matchLabels": {"app": "backend"}},
        "topologyKey": "kubernetes.io/hostname",
    }
    affinity = {"podAffinity": {"requiredDuringSchedulingIgnoredDuringExecution": [term]}}
    c.create(
        rc(
            "frontend",
            3,
            {"app": "frontend"},
            container("frontend", "luksa/kubia"),
            affinity=affinity,
        )
    )
    c.advance(10)
    assert {p["spec"]["nodeName"] for p in pods_of(c, "frontend-")} == {backend_node}

    spread_term = {
        "labelSelector": {"matchLabels": {"app": "web"}},
        "topologyKey": "kubernetes.io/hostname",
    }
    anti = {"podAntiAffinity": {"requiredDuringSchedulingIgnoredDuringExecution": [spread_term]}}
    c.create(rc("web", 4, {"app": "web"}, container("web", "nginx:1.27"), affinity=anti))
    c.advance(10)
    placed = [p["spec"].get("nodeName") for p in pods_of(c, "web-")]
    assert len({n for n in placed if n}) == 3 and placed.count(None) == 1
    pending = next(p for p in pods_of(c, "web-") if not p["spec"].get("nodeName"))
    assert "3 node(s) didn't match pod anti-affinity rules" in c.events(pending)[-1]["message"]


def test_replicas_spread_across_nodes_by_default() -> None:
    c = Cluster(seed=4)
    c.create(rc("kubia", 3, {"app": "kubia"}, container("kubia", "luksa/kubia")))
    c.advance(10)
    assert len({p["spec"]["nodeName"] for p in pods_of(c, "kubia-")}) == 3


def test_cordoned_node_gets_no_new_pods() -> None:
    c = Cluster(seed=4)
    for name in ("worker-1", "worker-2"):
        node = c.get("Node", name)
        c.replace({**node, "spec": {**node["spec"], "unschedulable": True}})
    c.create(rc("kubia", 3, {"app": "kubia"}, container("kubia", "luksa/kubia")))
    c.advance(10)
    assert {p["spec"]["nodeName"] for p in pods_of(c, "kubia-")} == {"worker-3"}
    taints = c.get("Node", "worker-1")["spec"]["taints"]
    assert [(t["key"], t["effect"]) for t in taints] == [
        ("node.kubernetes.io/unschedulable", "NoSchedule")
    ]
