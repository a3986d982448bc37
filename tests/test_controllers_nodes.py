"""Node failure, eviction and recovery at the 1.32 default timings (reference §1.4)."""

from __future__ import annotations

from helpers import container, log_lines, pod, pods_of, rc, ready, service

from k8stui.engine.cluster import Cluster
from k8stui.engine.faults import Fault
from k8stui.engine.nodes import condition


def _cluster_with_rc() -> Cluster:
    c = Cluster(seed=7)
    c.create(
        rc(
            "kubia",
            3,
            {"app": "kubia"},
            container("kubia", "luksa/kubia", ports=[{"containerPort": 8080}]),
        )
    )
    c.create(service("kubia", {"app": "kubia"}))
    c.advance(30)
    return c


def _victim(c: Cluster) -> tuple[str, str]:
    p = pods_of(c, "kubia-")[0]
    return p["metadata"]["name"], p["spec"]["nodeName"]


def test_node_crash_timeline_at_default_timings() -> None:
    c = _cluster_with_rc()
    name, node = _victim(c)
    crash_at = c.now
    c.inject(Fault(kind="crash-node", target=node))

    # t ≈ 40 s: nothing visible yet.
    c.advance(40)
    assert condition(c.get("Node", node), "Ready")["status"] == "True"
    assert ready(c.get("Pod", name))

    # t ≈ 60 s: NotReady (last heartbeat at the crash + 50 s grace, next 5 s tick).
    c.advance(20)
    cond = condition(c.get("Node", node), "Ready")
    assert (cond["status"], cond["reason"], cond["message"]) == (
        "Unknown",
        "NodeStatusUnknown",
        "Kubelet stopped posting node status.",
    )
    assert log_lines(c, f"NodeNotReady node/{node}: Node {node} status is now: NodeNotReady")
    assert log_lines(c, f"Warning NodeNotReady pod/{name}: Node is not ready")
    victim = c.get("Pod", name)
    assert victim["status"]["phase"] == "Running" and not ready(victim)
    assert (
        victim["status"]["containerStatuses"][0]["ready"] is True
    )  # the kubelet is dead: nobody updates it
    taints = {(t["key"], t["effect"]) for t in c.get("Node", node)["spec"]["taints"]}
    assert taints == {
        ("node.kubernetes.io/unreachable", "NoSchedule"),
        ("node.kubernetes.io/unreachable", "NoExecute"),
    }
    assert c.get("ReplicationController", "kubia")["status"]["readyReplicas"] == 2
    assert len(pods_of(c, "kubia-")) == 3  # not replaced yet
    endpoints = c.get("Endpoints", "kubia")
    assert victim["status"]["podIP"] not in [
        a["ip"] for s in endpoints["subsets"] for a in s.get("addresses", [])
    ]

    # t ≈ 6 min: evicted, Terminating forever on the dead node, replaced elsewhere.
    c.advance(300)
    victim = c.get("Pod", name)
    assert victim["metadata"].get("deletionTimestamp")
    assert next(x for x in victim["status"]["conditions"] if x["type"] == "DisruptionTarget")[
        "reason"
    ] == ("DeletionByTaintManager")
    evicted = log_lines(
        c, f"TaintManagerEviction pod/{name}: Marking for deletion Pod default/{name}"
    )
    assert evicted and 340 <= float(evicted[0].split()[0]) - crash_at <= 360
    live = [p for p in pods_of(c, "kubia-") if not p["metadata"].get("deletionTimestamp")]
    assert len(live) == 3 and all(p["spec"]["nodeName"] != node for p in live)
    c.advance(600)
    assert c.get("Pod", name) is not None  # still Terminating: only its kubelet can finish it

    # After recovery the kubelet completes the deletion and the node is healthy again.
    c.inject(Fault(kind="recover-node", target=node))
    c.advance(10)
    assert c.get("Pod", name) is None
    assert condition(c.get("Node", node), "Ready")["status"] == "True"
    assert "taints" not in c.get("Node", node)["spec"]


def test_node_that_returns_before_eviction_keeps_its_pods_and_cancels_the_deletion() -> None:
    c = _cluster_with_rc()
    name, node = _victim(c)
    c.inject(Fault(kind="crash-node", target=node))
    c.advance(120)
    c.inject(Fault(kind="recover-node", target=node))
    c.advance(60)
    assert log_lines(
        c, f"TaintManagerEviction pod/{name}: Cancelling deletion of Pod default/{name}"
    )
    assert not log_lines(c, "Marking for deletion")
    assert len(pods_of(c, "kubia-")) == 3
    back = c.get("Pod", name)
    assert ready(back) and back["status"]["containerStatuses"][0]["restartCount"] == 1
    assert (
        not log_lines(c, "SuccessfulCreate replicationcontroller/kubia: Created pod")
        or len(log_lines(c, "SuccessfulCreate replicationcontroller/kubia")) == 3
    )


def test_bare_pods_on_a_dead_node_are_not_replaced() -> None:
    c = Cluster(seed=3)
    c.create(pod("lonely", container("lonely", "nginx:1.27"), nodeName="worker-2"))
    c.advance(10)
    c.inject(Fault(kind="crash-node", target="worker-2"))
    c.advance(400)
    assert c.get("Pod", "lonely")["metadata"].get("deletionTimestamp")
    assert [p["metadata"]["name"] for p in c.list("Pod")] == ["lonely"]


def test_deleting_the_node_object_lets_pod_gc_remove_its_pods() -> None:
    c = _cluster_with_rc()
    name, node = _victim(c)
    c.inject(Fault(kind="crash-node", target=node))
    c.advance(400)
    c.inject(Fault(kind="delete-node", target=node))
    c.advance(61)
    assert c.get("Pod", name) is None
    assert log_lines(
        c, f"RemovingNode node/{node}: Node {node} event: Removing Node {node} from Controller"
    )


def test_partitioned_node_pods_stop_answering_but_keep_running() -> None:
    c = _cluster_with_rc()
    name, node = _victim(c)
    ip = c.get("Pod", name)["status"]["podIP"]
    assert c.request(ip, 8080).ok
    c.inject(Fault(kind="partition-node", target=node))
    failed = c.request(ip, 8080)
    assert not failed.ok and failed.exit_code == 28
    assert (
        failed.error == f"Failed to connect to {ip} port 8080 after 10000 ms: Timeout was reached"
    )
    c.advance(70)
    assert condition(c.get("Node", node), "Ready")["status"] == "Unknown"
    c.inject(Fault(kind="heal-node", target=node))
    c.advance(5)
    assert c.request(ip, 8080).ok
    assert c.get("Pod", name)["status"]["containerStatuses"][0]["restartCount"] == 0


def test_service_request_fails_over_after_a_node_crash() -> None:
    c = _cluster_with_rc()
    _name, node = _victim(c)
    c.inject(Fault(kind="crash-node", target=node))
    c.advance(61)  # endpoints dropped the dead node's pod
    answers = [c.request("kubia") for _ in range(30)]
    assert all(a.ok for a in answers)
    assert all(c.get("Pod", a.pod.split("/")[1])["spec"]["nodeName"] != node for a in answers)


def test_shorter_default_toleration_seconds_evict_sooner() -> None:
    from k8stui.engine.cluster import ClusterConfig
    from k8stui.engine.timings import Timings

    c = Cluster(ClusterConfig(seed=7, timings=Timings(default_toleration_seconds=30)))
    c.create(pod("web", container("web", "nginx:1.27")))
    c.advance(10)
    tolerations = c.get("Pod", "web")["spec"]["tolerations"]
    assert {t["tolerationSeconds"] for t in tolerations} == {30}
    node = c.get("Pod", "web")["spec"]["nodeName"]
    c.inject(Fault(kind="crash-node", target=node))
    c.advance(100)
    assert c.get("Pod", "web")["metadata"].get("deletionTimestamp")


def test_evictions_pause_when_most_of_a_small_cluster_is_down() -> None:
    c = Cluster(seed=7)
    c.create(rc("kubia", 3, {"app": "kubia"}, container("kubia", "luksa/kubia")))
    # The workers joined a second apart, so their leases renew at :0, :1 and :2; crashing
    # just after all three renewed makes one monitor pass see them all go silent.
    c.advance(33)
    for node in ("worker-1", "worker-2", "worker-3"):
        c.inject(Fault(kind="crash-node", target=node))
    c.advance(600)
    # 3 of 4 nodes NotReady (>= 55 %) in a cluster of <= 50 nodes: nobody is evicted.
    assert not log_lines(c, "Marking for deletion")
    assert all(not p["metadata"].get("deletionTimestamp") for p in pods_of(c, "kubia-"))


def test_a_fully_down_zone_is_still_evicted_when_other_zones_are_healthy() -> None:
    from k8stui.engine.nodes import NodeSpec

    nodes = [NodeSpec(name=f"{z}-{i}", zone=z) for z in ("a", "b") for i in (1, 2)]
    c = Cluster(seed=7, nodes=nodes)
    c.create(rc("kubia", 4, {"app": "kubia"}, container("kubia", "luksa/kubia")))
    c.advance(30)
    c.inject(Fault(kind="crash-node", target="a-1"))
    c.inject(Fault(kind="crash-node", target="a-2"))
    c.advance(400)
    assert log_lines(c, "Marking for deletion")
