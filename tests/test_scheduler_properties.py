"""Property tests: random schedule/bind/remove sequences keep the accounting honest."""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from k8stui.engine.apimachinery.quantity import parse_cpu, parse_memory
from k8stui.engine.apimachinery.selectors import from_equality
from k8stui.engine.scheduler import Scheduler

HOST = "kubernetes.io/hostname"
ZONE = "topology.kubernetes.io/zone"

ops = st.lists(
    st.one_of(
        st.tuples(
            st.just("pod"),
            st.sampled_from(["0", "100m", "500m", "1", "1500m"]),
            st.sampled_from(["0", "64Mi", "512Mi", "1Gi"]),
            st.sampled_from(["web", "db", "solo"]),
            st.sampled_from([0, 0, 0, 80]),
        ),
        st.tuples(st.just("remove"), st.integers(0, 1000)),
        st.tuples(st.just("cordon"), st.integers(0, 5), st.booleans()),
        st.tuples(st.just("relabel"), st.integers(0, 1000), st.sampled_from(["web", "db"])),
    ),
    max_size=60,
)
node_shapes = st.lists(
    st.tuples(st.sampled_from(["1", "2", "4"]), st.sampled_from(["1Gi", "2Gi"]), st.integers(2, 6)),
    min_size=1,
    max_size=6,
)


def make_node(i: int, cpu: str, memory: str, pods: int, cordoned: bool = False) -> dict[str, Any]:
    name = f"worker-{i + 1}"
    return {
        "metadata": {"name": name, "labels": {HOST: name, ZONE: f"z{i % 2}"}},
        "spec": {"unschedulable": cordoned},
        "status": {"allocatable": {"cpu": cpu, "memory": memory, "pods": str(pods)}},
    }


def make_pod(n: int, cpu: str, memory: str, app: str, port: int) -> dict[str, Any]:
    container: dict[str, Any] = {
        "name": "c",
        "resources": {"requests": {"cpu": cpu, "memory": memory}},
    }
    if port:
        container["ports"] = [{"containerPort": 8080, "hostPort": port}]
    spec: dict[str, Any] = {"containers": [container]}
    if app == "solo":
        spec["affinity"] = {
            "podAntiAffinity": {
                "requiredDuringSchedulingIgnoredDuringExecution": [
                    {"labelSelector": {"matchLabels": {"app": "solo"}}, "topologyKey": HOST}
                ]
            }
        }
    return {
        "metadata": {
            "name": f"p{n}",
            "namespace": "default",
            "uid": f"u{n}",
            "labels": {"app": app},
        },
        "spec": spec,
    }


def run(
    shapes: list[tuple[str, str, int]], steps: list[tuple[Any, ...]]
) -> tuple[list[Any], Scheduler, dict[str, dict[str, Any]], list[dict[str, Any]]]:
    s = Scheduler()
    nodes = [make_node(i, *shape) for i, shape in enumerate(shapes)]
    for item in nodes:
        s.upsert_node(item)
    bound: dict[str, dict[str, Any]] = {}
    log: list[Any] = []
    for n, step in enumerate(steps):
        if step[0] == "pod":
            p = make_pod(n, *step[1:])
            result = s.schedule(p, [from_equality({"app": p["metadata"]["labels"]["app"]})])
            log.append((result.node, result.message, result.reasons))
            # small clusters are searched completely: schedule() and explain() must agree
            assert {k: v for k, v in s.explain(p).items() if v} == result.reasons
            assert (result.node is None) == bool(result.message)
            if result.node is not None:
                p["spec"]["nodeName"] = result.node
                s.add_pod(p)
                bound[p["metadata"]["uid"]] = p
        elif step[0] == "remove" and bound:
            uid = sorted(bound)[step[1] % len(bound)]
            s.remove_pod(bound.pop(uid))
        elif step[0] == "cordon" and step[1] < len(nodes):
            i = step[1]
            cpu, memory, pods = shapes[i]
            nodes[i] = make_node(i, cpu, memory, pods, cordoned=step[2])
            s.upsert_node(nodes[i])
        elif step[0] == "relabel" and bound:
            uid = sorted(bound)[step[1] % len(bound)]
            old = bound[uid]
            if old["metadata"]["labels"]["app"] != "solo":
                new = {**old, "metadata": {**old["metadata"], "labels": {"app": step[2]}}}
                s.update_pod(old, new)
                bound[uid] = new
    return log, s, bound, nodes


def pod_cpu(p: dict[str, Any]) -> int:
    return parse_cpu(p["spec"]["containers"][0]["resources"]["requests"]["cpu"])


def pod_memory(p: dict[str, Any]) -> int:
    return parse_memory(p["spec"]["containers"][0]["resources"]["requests"]["memory"])


@settings(max_examples=150, deadline=None)
@given(node_shapes, ops)
def test_no_node_is_overcommitted(shapes: list[tuple[str, str, int]], steps: list[Any]) -> None:
    _, s, bound, nodes = run(shapes, steps)
    for n in nodes:
        name = n["metadata"]["name"]
        mine = [p for p in bound.values() if p["spec"]["nodeName"] == name]
        alloc = n["status"]["allocatable"]
        assert sum(pod_cpu(p) for p in mine) <= parse_cpu(alloc["cpu"])
        assert sum(pod_memory(p) for p in mine) <= parse_memory(alloc["memory"])
        assert len(mine) <= int(alloc["pods"])
        ports = [
            c["ports"][0]["hostPort"] for p in mine for c in p["spec"]["containers"] if "ports" in c
        ]
        assert len(ports) == len(set(ports))
        assert sum(p["metadata"]["labels"]["app"] == "solo" for p in mine) <= 1
        # the incremental accounting equals a recount from scratch
        assert s.requested(name) == {
            "cpu": sum(pod_cpu(p) for p in mine),
            "memory": sum(pod_memory(p) for p in mine),
            "pods": len(mine),
        }


@settings(max_examples=60, deadline=None)
@given(node_shapes, ops)
def test_equal_inputs_give_equal_results(
    shapes: list[tuple[str, str, int]], steps: list[Any]
) -> None:
    first, *_ = run(shapes, steps)
    second, *_ = run(shapes, steps)
    assert first == second


@settings(max_examples=100, deadline=None)
@given(node_shapes, ops, st.sampled_from(["web", "db", "solo"]))
def test_incremental_state_matches_a_fresh_rebuild(
    shapes: list[tuple[str, str, int]], steps: list[Any], probe_app: str
) -> None:
    _, s, bound, nodes = run(shapes, steps)
    fresh = Scheduler()
    for item in nodes:
        fresh.upsert_node(item)
    for p in bound.values():
        fresh.add_pod(p)
    probe = make_pod(10_000, "100m", "64Mi", probe_app, 0)
    selectors = [from_equality({"app": probe_app})]
    # Under 100 nodes every node is examined, so the rotating start index cannot matter.
    a, b = s.schedule(probe, selectors), fresh.schedule(probe, selectors)
    assert (a.node, a.message, a.reasons) == (b.node, b.message, b.reasons)
    assert s.explain(probe) == fresh.explain(probe)
