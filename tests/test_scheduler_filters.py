"""Scheduler filter plugins: one behaviour and its exact reason string per test."""

from __future__ import annotations

from typing import Any

from k8stui.engine.scheduler import Scheduler

HOST = "kubernetes.io/hostname"
ZONE = "topology.kubernetes.io/zone"


def node(
    name: str,
    cpu: str = "2",
    memory: str = "4Gi",
    pods: str = "110",
    labels: dict[str, str] | None = None,
    taints: list[dict[str, str]] | None = None,
    unschedulable: bool = False,
) -> dict[str, Any]:
    return {
        "metadata": {"name": name, "labels": {HOST: name, **(labels or {})}},
        "spec": {"taints": taints or [], "unschedulable": unschedulable},
        "status": {"allocatable": {"cpu": cpu, "memory": memory, "pods": pods}},
    }


def pod(
    name: str,
    cpu: str | None = None,
    memory: str | None = None,
    labels: dict[str, str] | None = None,
    node_name: str | None = None,
    **spec: Any,
) -> dict[str, Any]:
    requests = {k: v for k, v in (("cpu", cpu), ("memory", memory)) if v is not None}
    body: dict[str, Any] = {
        "containers": [{"name": "main", "image": "kubia", "resources": {"requests": requests}}],
        **spec,
    }
    if node_name:
        body["nodeName"] = node_name
    return {
        "metadata": {
            "name": name,
            "namespace": "default",
            "uid": f"uid-{name}",
            "labels": labels or {},
        },
        "spec": body,
    }


def cluster(*nodes: dict[str, Any]) -> Scheduler:
    s = Scheduler()
    for n in nodes:
        s.upsert_node(n)
    return s


def bind(s: Scheduler, p: dict[str, Any], spread: Any = ()) -> str | None:
    """Schedule and bind like the engine does; return the node."""
    result = s.schedule(p, spread)
    if result.node is not None:
        p["spec"]["nodeName"] = result.node
        s.add_pod(p)
    return result.node


def reasons_of(s: Scheduler, p: dict[str, Any]) -> dict[str, list[str]]:
    return s.schedule(p).reasons


# ------------------------------------------------------------------ NodeUnschedulable


def test_cordoned_node_is_unschedulable() -> None:
    s = cluster(node("worker-1", unschedulable=True))
    assert reasons_of(s, pod("p")) == {"worker-1": ["node(s) were unschedulable"]}


def test_cordon_toleration_allows_the_node() -> None:
    s = cluster(node("worker-1", unschedulable=True))
    tol = [
        {"key": "node.kubernetes.io/unschedulable", "operator": "Exists", "effect": "NoSchedule"}
    ]
    assert s.schedule(pod("p", tolerations=tol)).node == "worker-1"


def test_node_name_mismatch() -> None:
    s = cluster(node("worker-1"), node("worker-2"))
    result = s.schedule(pod("p", node_name="worker-2"))
    assert result.node == "worker-2"
    assert result.reasons == {"worker-1": ["node(s) didn't match the requested node name"]}


# -------------------------------------------------------------------- TaintToleration

CONTROL_PLANE = {"key": "node-role.kubernetes.io/control-plane", "effect": "NoSchedule"}


def test_untolerated_taint_names_the_taint_with_empty_value() -> None:
    s = cluster(node("control-plane", taints=[CONTROL_PLANE]))
    assert reasons_of(s, pod("p")) == {
        "control-plane": ["node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }"]
    }


def test_first_untolerated_taint_is_reported() -> None:
    taints = [
        {"key": "a", "value": "1", "effect": "NoSchedule"},
        {"key": "b", "value": "2", "effect": "NoExecute"},
    ]
    s = cluster(node("worker-1", taints=taints))
    tol_a = [{"key": "a", "operator": "Equal", "value": "1", "effect": "NoSchedule"}]
    assert reasons_of(s, pod("p")) == {"worker-1": ["node(s) had untolerated taint {a: 1}"]}
    assert reasons_of(s, pod("q", tolerations=tol_a)) == {
        "worker-1": ["node(s) had untolerated taint {b: 2}"]
    }


def test_toleration_equal_needs_the_same_value() -> None:
    s = cluster(
        node("worker-1", taints=[{"key": "dedicated", "value": "gpu", "effect": "NoSchedule"}])
    )
    wrong = [{"key": "dedicated", "operator": "Equal", "value": "db", "effect": "NoSchedule"}]
    right = [{"key": "dedicated", "operator": "Equal", "value": "gpu"}]  # empty effect: all
    exists = [{"key": "dedicated", "operator": "Exists", "effect": "NoSchedule"}]
    assert s.schedule(pod("a", tolerations=wrong)).node is None
    assert s.schedule(pod("b", tolerations=right)).node == "worker-1"
    assert s.schedule(pod("c", tolerations=exists)).node == "worker-1"


def test_empty_key_exists_tolerates_everything() -> None:
    taints = [CONTROL_PLANE, {"key": "x", "value": "y", "effect": "NoExecute"}]
    s = cluster(node("worker-1", taints=taints))
    assert s.schedule(pod("p", tolerations=[{"operator": "Exists"}])).node == "worker-1"


def test_toleration_effect_must_match() -> None:
    s = cluster(node("worker-1", taints=[{"key": "k", "effect": "NoExecute"}]))
    tol = [{"key": "k", "operator": "Exists", "effect": "NoSchedule"}]
    assert s.schedule(pod("p", tolerations=tol)).node is None


def test_prefer_no_schedule_does_not_filter() -> None:
    s = cluster(node("worker-1", taints=[{"key": "k", "effect": "PreferNoSchedule"}]))
    assert s.schedule(pod("p")).node == "worker-1"


def test_condition_taints_block_scheduling() -> None:
    unreachable = [
        {"key": "node.kubernetes.io/unreachable", "effect": "NoExecute"},
        {"key": "node.kubernetes.io/unreachable", "effect": "NoSchedule"},
    ]
    s = cluster(node("worker-1", taints=unreachable))
    # The default NoExecute tolerations added by admission do not cover NoSchedule.
    tol = [
        {
            "key": "node.kubernetes.io/unreachable",
            "operator": "Exists",
            "effect": "NoExecute",
            "tolerationSeconds": 300,
        }
    ]
    assert reasons_of(s, pod("p", tolerations=tol)) == {
        "worker-1": ["node(s) had untolerated taint {node.kubernetes.io/unreachable: }"]
    }


# ----------------------------------------------------------------------- NodeAffinity

AFFINITY_REASON = "node(s) didn't match Pod's node affinity/selector"


def test_node_selector() -> None:
    s = cluster(node("worker-1"), node("worker-2", labels={"gpu": "true"}))
    result = s.schedule(pod("p", nodeSelector={"gpu": "true"}))
    assert result.node == "worker-2"
    assert result.reasons == {"worker-1": [AFFINITY_REASON]}


def required(*exprs: dict[str, Any]) -> dict[str, Any]:
    return {
        "nodeAffinity": {
            "requiredDuringSchedulingIgnoredDuringExecution": {
                "nodeSelectorTerms": [{"matchExpressions": list(exprs)}]
            }
        }
    }


def test_node_affinity_operators() -> None:
    s = cluster(
        node("worker-1", labels={"disk": "ssd"}),
        node("worker-2", labels={"disk": "hdd"}),
        node("worker-3"),
    )
    cases: dict[str, tuple[dict[str, Any], set[str]]] = {
        "in": ({"key": "disk", "operator": "In", "values": ["ssd"]}, {"worker-1"}),
        "notin": (
            {"key": "disk", "operator": "NotIn", "values": ["ssd"]},
            {"worker-2", "worker-3"},
        ),
        "exists": ({"key": "disk", "operator": "Exists"}, {"worker-1", "worker-2"}),
    }
    for name, (expr, fits) in cases.items():
        explained = s.explain(pod(name, affinity=required(expr)))
        assert {n for n, r in explained.items() if not r} == fits, name
        assert all(r == [AFFINITY_REASON] for n, r in explained.items() if n not in fits)


def test_node_selector_and_affinity_must_both_hold() -> None:
    s = cluster(
        node("worker-1", labels={"disk": "ssd"}),
        node("worker-2", labels={"disk": "ssd", "gpu": "1"}),
    )
    p = pod(
        "p",
        nodeSelector={"gpu": "1"},
        affinity=required({"key": "disk", "operator": "In", "values": ["ssd"]}),
    )
    assert s.schedule(p).node == "worker-2"


# -------------------------------------------------------------------------- NodePorts

PORTS_REASON = "node(s) didn't have free ports for the requested pod ports"


def port_pod(name: str, port: int, protocol: str = "TCP", ip: str | None = None) -> dict[str, Any]:
    p = pod(name)
    entry: dict[str, Any] = {"containerPort": 8080, "hostPort": port, "protocol": protocol}
    if ip:
        entry["hostIP"] = ip
    p["spec"]["containers"][0]["ports"] = [entry]
    return p


def test_host_port_conflict() -> None:
    s = cluster(node("worker-1"), node("worker-2"))
    assert bind(s, port_pod("a", 80)) == "worker-1"
    assert bind(s, port_pod("b", 80)) == "worker-2"
    result = s.schedule(port_pod("c", 80))
    assert result.node is None
    assert result.reasons == {"worker-1": [PORTS_REASON], "worker-2": [PORTS_REASON]}
    assert result.message == (
        "0/2 nodes are available: 2 " + PORTS_REASON + ". preemption: 0/2 nodes are available: "
        "2 No preemption victims found for incoming pod.."
    )


def test_host_port_protocol_and_address() -> None:
    s = cluster(node("worker-1"))
    assert bind(s, port_pod("a", 53, "UDP")) == "worker-1"
    assert bind(s, port_pod("b", 53, "TCP")) == "worker-1"
    assert bind(s, port_pod("c", 8000, ip="10.0.0.1")) == "worker-1"
    assert bind(s, port_pod("d", 8000, ip="10.0.0.2")) == "worker-1"
    assert s.schedule(port_pod("e", 8000)).node is None  # wildcard clashes with both
    assert s.schedule(port_pod("f", 53, "UDP")).node is None


def test_freed_port_is_reusable() -> None:
    s = cluster(node("worker-1"))
    first = port_pod("a", 80)
    bind(s, first)
    assert s.schedule(port_pod("b", 80)).node is None
    s.remove_pod(first)
    assert s.schedule(port_pod("b", 80)).node == "worker-1"


# ------------------------------------------------------------------- NodeResourcesFit


def test_insufficient_cpu_and_memory_are_separate_reasons() -> None:
    s = cluster(node("worker-1", cpu="1", memory="1Gi"))
    assert reasons_of(s, pod("p", cpu="2")) == {"worker-1": ["Insufficient cpu"]}
    assert reasons_of(s, pod("p", memory="2Gi")) == {"worker-1": ["Insufficient memory"]}
    result = s.schedule(pod("p", cpu="2", memory="2Gi"))
    assert result.reasons == {"worker-1": ["Insufficient cpu", "Insufficient memory"]}
    assert result.message.startswith(
        "0/1 nodes are available: 1 Insufficient cpu, 1 Insufficient memory. preemption: "
        "0/1 nodes are available: 1 No preemption victims found for incoming pod.."
    )


def test_requests_accumulate_and_are_freed() -> None:
    s = cluster(node("worker-1", cpu="1"))
    a = pod("a", cpu="600m")
    assert bind(s, a) == "worker-1"
    assert reasons_of(s, pod("b", cpu="500m")) == {"worker-1": ["Insufficient cpu"]}
    assert bind(s, pod("c", cpu="400m")) == "worker-1"  # exactly full is fine
    s.remove_pod(a)
    assert s.schedule(pod("b", cpu="500m")).node == "worker-1"


def test_terminal_pods_free_resources() -> None:
    s = cluster(node("worker-1", cpu="1"))
    a = pod("a", cpu="1")
    bind(s, a)
    done = {**a, "status": {"phase": "Succeeded"}}
    s.add_pod(done)
    assert s.schedule(pod("b", cpu="1")).node == "worker-1"


def test_terminating_pods_still_hold_resources() -> None:
    s = cluster(node("worker-1", cpu="1"))
    a = pod("a", cpu="1")
    bind(s, a)
    a["metadata"]["deletionTimestamp"] = "2025-01-01T00:00:30Z"
    s.update_pod(a, a)
    assert s.schedule(pod("b", cpu="1")).node is None


def test_too_many_pods() -> None:
    s = cluster(node("worker-1", pods="2"))
    bind(s, pod("a"))
    bind(s, pod("b"))
    assert reasons_of(s, pod("c")) == {"worker-1": ["Too many pods"]}


def test_too_many_pods_and_cpu_both_counted() -> None:
    s = cluster(node("worker-1", cpu="1", pods="1"))
    bind(s, pod("a", cpu="1"))
    assert reasons_of(s, pod("b", cpu="1")) == {"worker-1": ["Too many pods", "Insufficient cpu"]}


def test_containers_without_requests_count_zero_for_filtering() -> None:
    s = cluster(node("worker-1", cpu="1"))
    bind(s, pod("a", cpu="1"))
    assert s.schedule(pod("b")).node == "worker-1"


def test_pod_request_is_max_of_app_sum_and_init_peak_plus_overhead() -> None:
    s = cluster(node("worker-1", cpu="2"))
    p = pod("p", cpu="500m")
    p["spec"]["containers"].append({"name": "b", "resources": {"requests": {"cpu": "500m"}}})
    p["spec"]["initContainers"] = [{"name": "init", "resources": {"requests": {"cpu": "1500m"}}}]
    assert s.schedule(p).node == "worker-1"  # max(1000m, 1500m) = 1500m fits
    p["spec"]["overhead"] = {"cpu": "600m"}  # 2100m no longer fits
    assert reasons_of(s, p) == {"worker-1": ["Insufficient cpu"]}


def test_extended_resource() -> None:
    s = cluster(node("worker-1"))
    p = pod("p")
    p["spec"]["containers"][0]["resources"]["requests"]["nvidia.com/gpu"] = "1"
    assert reasons_of(s, p) == {"worker-1": ["Insufficient nvidia.com/gpu"]}


def test_first_failing_plugin_wins() -> None:
    s = cluster(node("worker-1", cpu="1", taints=[CONTROL_PLANE], unschedulable=True))
    assert reasons_of(s, pod("p", cpu="2")) == {"worker-1": ["node(s) were unschedulable"]}
    s.upsert_node(node("worker-1", cpu="1", taints=[CONTROL_PLANE]))
    assert reasons_of(s, pod("p", cpu="2")) == {
        "worker-1": ["node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }"]
    }


# -------------------------------------------------------------------- InterPodAffinity


def pod_affinity(kind: str, labels: dict[str, str], key: str = HOST) -> dict[str, Any]:
    return {
        kind: {
            "requiredDuringSchedulingIgnoredDuringExecution": [
                {"labelSelector": {"matchLabels": labels}, "topologyKey": key}
            ]
        }
    }


def test_pod_affinity_colocates_with_backend() -> None:
    s = cluster(node("worker-1"), node("worker-2"), node("worker-3"))
    s.add_pod(pod("backend", labels={"app": "backend"}, node_name="worker-2"))
    result = s.schedule(pod("front", affinity=pod_affinity("podAffinity", {"app": "backend"})))
    assert result.node == "worker-2"
    reason = ["node(s) didn't match pod affinity rules"]
    assert result.reasons == {"worker-1": reason, "worker-3": reason}


def test_pod_affinity_without_match_is_pending() -> None:
    s = cluster(node("worker-1"), node("worker-2"))
    result = s.schedule(pod("front", affinity=pod_affinity("podAffinity", {"app": "backend"})))
    assert result.message == (
        "0/2 nodes are available: 2 node(s) didn't match pod affinity rules. preemption: "
        "0/2 nodes are available: 2 Preemption is not helpful for scheduling.."
    )


def test_first_pod_matching_its_own_affinity_may_start_anywhere() -> None:
    s = cluster(node("worker-1"), node("worker-2"))
    aff = pod_affinity("podAffinity", {"app": "cache"})
    first = pod("c1", labels={"app": "cache"}, affinity=aff)
    where = bind(s, first)
    assert where == "worker-1"
    assert bind(s, pod("c2", labels={"app": "cache"}, affinity=aff)) == where


def test_anti_affinity_spreads_three_replicas_and_blocks_a_fourth() -> None:
    s = cluster(node("worker-1"), node("worker-2"), node("worker-3"))
    anti = pod_affinity("podAntiAffinity", {"app": "web"})
    placed = [bind(s, pod(f"web-{i}", labels={"app": "web"}, affinity=anti)) for i in range(3)]
    assert sorted(placed) == ["worker-1", "worker-2", "worker-3"]  # type: ignore[type-var]
    result = s.schedule(pod("web-3", labels={"app": "web"}, affinity=anti))
    assert result.node is None
    assert result.message == (
        "0/3 nodes are available: 3 node(s) didn't match pod anti-affinity rules. preemption: "
        "0/3 nodes are available: 3 No preemption victims found for incoming pod.."
    )


def test_existing_pods_anti_affinity_is_symmetric() -> None:
    s = cluster(node("worker-1"), node("worker-2"))
    loner = pod(
        "loner",
        labels={"app": "loner"},
        affinity=pod_affinity("podAntiAffinity", {"app": "noisy"}),
        node_name="worker-1",
    )
    s.add_pod(loner)
    result = s.schedule(pod("noisy", labels={"app": "noisy"}))
    assert result.node == "worker-2"
    assert result.reasons == {
        "worker-1": ["node(s) didn't satisfy existing pods anti-affinity rules"]
    }
    s.remove_pod(loner)
    assert s.schedule(pod("noisy", labels={"app": "noisy"})).reasons == {}


def test_anti_affinity_by_zone() -> None:
    s = cluster(
        node("worker-1", labels={ZONE: "a"}),
        node("worker-2", labels={ZONE: "a"}),
        node("worker-3", labels={ZONE: "b"}),
    )
    anti = pod_affinity("podAntiAffinity", {"app": "db"}, key=ZONE)
    assert bind(s, pod("db-0", labels={"app": "db"}, affinity=anti)) == "worker-1"
    assert bind(s, pod("db-1", labels={"app": "db"}, affinity=anti)) == "worker-3"
    result = s.schedule(pod("db-2", labels={"app": "db"}, affinity=anti))
    assert result.node is None
    assert sorted(result.reasons) == ["worker-1", "worker-2", "worker-3"]


def test_affinity_needs_the_topology_key_on_the_node() -> None:
    s = cluster(node("worker-1", labels={ZONE: "a"}), node("worker-2"))
    s.add_pod(pod("backend", labels={"app": "backend"}, node_name="worker-1"))
    aff = pod_affinity("podAffinity", {"app": "backend"}, key=ZONE)
    assert s.schedule(pod("front", affinity=aff)).node == "worker-1"


def test_affinity_namespaces_default_to_the_pods_own() -> None:
    s = cluster(node("worker-1"), node("worker-2"))
    other = pod("backend", labels={"app": "backend"}, node_name="worker-1")
    other["metadata"]["namespace"] = "other"
    s.add_pod(other)
    aff = pod_affinity("podAffinity", {"app": "backend"})
    assert s.schedule(pod("front", affinity=aff)).node is None
    aff["podAffinity"]["requiredDuringSchedulingIgnoredDuringExecution"][0]["namespaces"] = [
        "other"
    ]
    assert s.schedule(pod("front", affinity=aff)).node == "worker-1"


def test_label_update_changes_affinity() -> None:
    s = cluster(node("worker-1"), node("worker-2"))
    old = pod("backend", labels={"app": "backend"}, node_name="worker-2")
    s.add_pod(old)
    new = pod("backend", labels={"app": "retired"}, node_name="worker-2")
    s.update_pod(old, new)
    aff = pod_affinity("podAffinity", {"app": "backend"})
    assert s.schedule(pod("front", affinity=aff)).node is None


# ------------------------------------------------------------------- PodTopologySpread


def spread_pod(name: str, key: str = ZONE, skew: int = 1) -> dict[str, Any]:
    return pod(
        name,
        labels={"app": "web"},
        topologySpreadConstraints=[
            {
                "maxSkew": skew,
                "topologyKey": key,
                "whenUnsatisfiable": "DoNotSchedule",
                "labelSelector": {"matchLabels": {"app": "web"}},
            }
        ],
    )


def test_topology_spread_do_not_schedule() -> None:
    s = cluster(
        node("worker-1", labels={ZONE: "a"}),
        node("worker-2", labels={ZONE: "a"}),
        node("worker-3", labels={ZONE: "b"}),
    )
    s.add_pod(pod("w0", labels={"app": "web"}, node_name="worker-1"))
    result = s.schedule(spread_pod("w1"))
    assert result.node == "worker-3"
    reason = ["node(s) didn't match pod topology spread constraints"]
    assert result.reasons == {"worker-1": reason, "worker-2": reason}


def test_topology_spread_missing_label() -> None:
    s = cluster(node("worker-1", labels={ZONE: "a"}), node("worker-2"))
    result = s.schedule(spread_pod("w1"))
    assert result.node == "worker-1"
    assert result.reasons == {
        "worker-2": [
            "node(s) didn't match pod topology spread constraints (missing required label)"
        ]
    }


def test_topology_spread_ignores_pods_of_other_apps_and_terminating_pods() -> None:
    s = cluster(node("worker-1", labels={ZONE: "a"}), node("worker-2", labels={ZONE: "b"}))
    s.add_pod(pod("other", labels={"app": "db"}, node_name="worker-1"))
    leaving = pod("old-web", labels={"app": "web"}, node_name="worker-2")
    leaving["metadata"]["deletionTimestamp"] = "2025-01-01T00:00:30Z"
    s.add_pod(leaving)
    explained = s.explain(spread_pod("w1"))
    assert explained == {"worker-1": [], "worker-2": []}


# ---------------------------------------------------------------------------- explain


def test_explain_lists_every_node_and_does_not_bind() -> None:
    s = cluster(node("worker-1", cpu="1"), node("worker-2", cpu="4"))
    p = pod("p", cpu="2")
    assert s.explain(p) == {"worker-1": ["Insufficient cpu"], "worker-2": []}
    assert s.requested("worker-2") == {"cpu": 0, "memory": 0, "pods": 0}


def test_pods_reported_before_their_node_are_accounted() -> None:
    s = Scheduler()
    s.add_pod(pod("early", cpu="2", node_name="worker-1"))
    s.upsert_node(node("worker-1", cpu="2"))
    assert reasons_of(s, pod("p", cpu="1")) == {"worker-1": ["Insufficient cpu"]}
    s.remove_node("worker-1")
    assert s.schedule(pod("p")).message == "no nodes available to schedule pods"
