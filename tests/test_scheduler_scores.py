"""Scheduler scoring: spreading, preferences, tie-break and the adaptive node sampling."""

from __future__ import annotations

from collections import Counter
from typing import Any

from k8stui.engine.apimachinery.selectors import from_equality
from k8stui.engine.scheduler import Scheduler
from k8stui.engine.scheduler.node_info import NodeInfo, natural_key
from k8stui.engine.scheduler.podspec import pod_view
from k8stui.engine.scheduler.scores import balanced_allocation, default_normalize, least_allocated

HOST = "kubernetes.io/hostname"
ZONE = "topology.kubernetes.io/zone"


def node(
    name: str,
    cpu: str = "4",
    memory: str = "8Gi",
    labels: dict[str, str] | None = None,
    taints: list[dict[str, str]] | None = None,
    images: list[dict[str, Any]] | None = None,
) -> dict[str, Any]:
    return {
        "metadata": {"name": name, "labels": {HOST: name, **(labels or {})}},
        "spec": {"taints": taints or []},
        "status": {
            "allocatable": {"cpu": cpu, "memory": memory, "pods": "110"},
            "images": images or [],
        },
    }


def pod(
    name: str,
    cpu: str | None = "100m",
    memory: str | None = "128Mi",
    labels: dict[str, str] | None = None,
    image: str = "kubia",
    **spec: Any,
) -> dict[str, Any]:
    requests = {k: v for k, v in (("cpu", cpu), ("memory", memory)) if v is not None}
    return {
        "metadata": {
            "name": name,
            "namespace": "default",
            "uid": f"uid-{name}",
            "labels": labels or {},
        },
        "spec": {
            "containers": [{"name": "c", "image": image, "resources": {"requests": requests}}],
            **spec,
        },
    }


def cluster(*nodes: dict[str, Any], percentage: int | None = None) -> Scheduler:
    s = Scheduler(percentage)
    for n in nodes:
        s.upsert_node(n)
    return s


def bind(s: Scheduler, p: dict[str, Any], spread: Any = ()) -> str | None:
    result = s.schedule(p, spread)
    if result.node is not None:
        p["spec"]["nodeName"] = result.node
        s.add_pod(p)
    return result.node


def test_least_allocated_spreads_identical_pods() -> None:
    s = cluster(*(node(f"worker-{i}") for i in (1, 2, 3)))
    placed = [bind(s, pod(f"p{i}")) for i in range(9)]
    assert Counter(placed) == {"worker-1": 3, "worker-2": 3, "worker-3": 3}
    assert placed[:3] == ["worker-1", "worker-2", "worker-3"]


def test_least_allocated_prefers_the_emptier_node() -> None:
    s = cluster(node("worker-1"), node("worker-2"))
    s.add_pod(
        {
            **pod("busy", cpu="2", memory="4Gi"),
            "spec": {
                "nodeName": "worker-1",
                "containers": [
                    {"name": "c", "resources": {"requests": {"cpu": "2", "memory": "4Gi"}}}
                ],
            },
        }
    )
    assert s.schedule(pod("p")).node == "worker-2"


def test_tie_break_uses_natural_name_order() -> None:
    s = cluster(node("worker-10"), node("worker-2"), node("worker-1b"))
    assert natural_key("worker-2") < natural_key("worker-10")
    assert s.node_names() == ["worker-1b", "worker-2", "worker-10"]
    assert s.schedule(pod("p")).node == "worker-1b"
    s.remove_node("worker-1b")
    assert s.schedule(pod("p")).node == "worker-2"


def test_scores_match_upstream_arithmetic() -> None:
    info = NodeInfo("n")
    info.set_node(node("n", cpu="4", memory="8Gi"))
    view = pod_view(pod("p", cpu="1", memory="1Gi"))
    # cpu (4000-1000)*100/4000 = 75, memory (8-1)*100/8 = 87 -> (75+87)//2 = 81
    assert least_allocated(info, view) == 81
    # fractions 0.25 and 0.125 -> std 0.0625 -> int(93.75) = 93
    assert balanced_allocation(info, view) == 93
    # no requests: 100m / 200Mi defaults for LeastAllocated, BalancedAllocation skipped
    empty = pod_view(pod("e", cpu=None, memory=None))
    assert least_allocated(info, empty) == (3900 * 100 // 4000 + (8192 - 200) * 100 // 8192) // 2
    assert balanced_allocation(info, empty) == 0


def test_default_normalize() -> None:
    assert default_normalize([0, 1, 2]) == [0, 50, 100]
    assert default_normalize([0, 1, 2], reverse=True) == [100, 50, 0]
    assert default_normalize([0, 0], reverse=True) == [100, 100]


def test_prefer_no_schedule_taint_is_avoided() -> None:
    s = cluster(
        node("worker-1", taints=[{"key": "k", "effect": "PreferNoSchedule"}]), node("worker-2")
    )
    assert s.schedule(pod("p")).node == "worker-2"
    tolerate = [{"key": "k", "operator": "Exists", "effect": "PreferNoSchedule"}]
    assert s.schedule(pod("q", tolerations=tolerate)).node == "worker-1"


def test_preferred_node_affinity() -> None:
    s = cluster(node("worker-1"), node("worker-2", labels={"disk": "ssd"}))
    affinity = {
        "nodeAffinity": {
            "preferredDuringSchedulingIgnoredDuringExecution": [
                {
                    "weight": 50,
                    "preference": {
                        "matchExpressions": [{"key": "disk", "operator": "In", "values": ["ssd"]}]
                    },
                }
            ]
        }
    }
    assert s.schedule(pod("p", affinity=affinity)).node == "worker-2"


def test_preferred_pod_affinity_and_anti_affinity() -> None:
    s = cluster(node("worker-1"), node("worker-2"), node("worker-3"))
    s.add_pod(pod("cache", labels={"app": "cache"}, nodeName="worker-3"))

    def term(kind: str) -> dict[str, Any]:
        return {
            kind: {
                "preferredDuringSchedulingIgnoredDuringExecution": [
                    {
                        "weight": 100,
                        "podAffinityTerm": {
                            "labelSelector": {"matchLabels": {"app": "cache"}},
                            "topologyKey": HOST,
                        },
                    }
                ]
            }
        }

    assert s.schedule(pod("near", affinity=term("podAffinity"))).node == "worker-3"
    assert s.schedule(pod("far", affinity=term("podAntiAffinity"))).node == "worker-1"


def test_existing_pods_required_affinity_attracts_matching_pods() -> None:
    s = cluster(node("worker-1"), node("worker-2"))
    fan = pod(
        "fan",
        labels={"app": "fan"},
        nodeName="worker-2",
        affinity={
            "podAffinity": {
                "requiredDuringSchedulingIgnoredDuringExecution": [
                    {"labelSelector": {"matchLabels": {"app": "star"}}, "topologyKey": HOST}
                ]
            }
        },
    )
    s.add_pod(fan)
    assert s.schedule(pod("star", labels={"app": "star"})).node == "worker-2"


def test_image_locality() -> None:
    image = [
        {
            "names": ["docker.io/luksa/kubia:latest", "luksa/kubia:latest"],
            "sizeBytes": 600 * 1024 * 1024,
        }
    ]
    s = cluster(node("worker-1"), node("worker-2", images=image), node("worker-3"))
    assert s.schedule(pod("p", image="luksa/kubia")).node == "worker-2"
    assert s.schedule(pod("q", image="luksa/other")).node == "worker-1"


def test_system_default_spreading_by_hostname() -> None:
    # Huge nodes and tiny pods: resource scores stay equal, only spreading differs.
    big: dict[str, Any] = {"cpu": "1000", "memory": "1000Gi"}
    s = cluster(*(node(f"worker-{i}", **big) for i in (1, 2, 3)))
    plain = [bind(s, pod(f"solo-{i}", cpu="1m", memory="1Mi")) for i in range(3)]
    assert plain == ["worker-1"] * 3  # equal scores: the tie-break picks worker-1
    web = [from_equality({"app": "web"})]
    placed = [
        bind(s, pod(f"web-{i}", cpu="1m", memory="1Mi", labels={"app": "web"}), web)
        for i in range(6)
    ]
    assert Counter(placed) == {"worker-1": 2, "worker-2": 2, "worker-3": 2}


def test_system_default_spreading_by_zone() -> None:
    big: dict[str, Any] = {"cpu": "1000", "memory": "1000Gi"}
    s = cluster(
        node("worker-1", labels={ZONE: "a"}, **big),
        node("worker-2", labels={ZONE: "a"}, **big),
        node("worker-3", labels={ZONE: "b"}, **big),
    )
    web = [from_equality({"app": "web"})]
    placed = [
        bind(s, pod(f"web-{i}", cpu="1m", memory="1Mi", labels={"app": "web"}), web)
        for i in range(2)
    ]
    assert placed == ["worker-1", "worker-3"]  # zone b beats worker-2 in the crowded zone a


def test_soft_topology_spread_constraint() -> None:
    big: dict[str, Any] = {"cpu": "1000", "memory": "1000Gi"}
    s = cluster(
        node("worker-1", labels={ZONE: "a"}, **big), node("worker-2", labels={ZONE: "b"}, **big)
    )
    s.add_pod(pod("w0", labels={"app": "web"}, nodeName="worker-1"))
    constraint = [
        {
            "maxSkew": 1,
            "topologyKey": ZONE,
            "whenUnsatisfiable": "ScheduleAnyway",
            "labelSelector": {"matchLabels": {"app": "web"}},
        }
    ]
    p = pod(
        "w1", cpu="1m", memory="1Mi", labels={"app": "web"}, topologySpreadConstraints=constraint
    )
    assert s.schedule(p).node == "worker-2"


def test_adaptive_percentage_of_nodes_to_score() -> None:
    s = Scheduler()
    assert s.num_feasible_nodes_to_find(50) == 50
    assert s.num_feasible_nodes_to_find(100) == 100  # 42 % of 100 < 100 -> at least 100
    assert s.num_feasible_nodes_to_find(1000) == 420  # 50 - 1000/125 = 42 %
    assert s.num_feasible_nodes_to_find(6000) == 300  # floor of 5 %
    assert Scheduler(100).num_feasible_nodes_to_find(1000) == 1000
    assert Scheduler(10).num_feasible_nodes_to_find(5000) == 500


def test_rotating_start_index_samples_different_nodes() -> None:
    s = cluster(*(node(f"worker-{i}") for i in range(1, 201)), percentage=50)
    first = bind(s, pod("a"))
    second = bind(s, pod("b"))
    # 100 feasible nodes are examined per pod; the second search starts where the first ended.
    assert first == "worker-1"
    assert second == "worker-101"


def test_failed_search_examines_every_node() -> None:
    s = cluster(*(node(f"worker-{i}", cpu="1") for i in range(1, 301)))
    result = s.schedule(pod("big", cpu="2"))
    assert len(result.reasons) == 300
    assert result.message.startswith("0/300 nodes are available: 300 Insufficient cpu.")
