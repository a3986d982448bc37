"""The scheduler's caches and fast paths give the same answers as computing from scratch.

- the system-default spreading fast path equals the general PodTopologySpread score;
- image pulls (``status.images`` changes) invalidate exactly what ImageLocality needs;
- node status writes that change nothing relevant are no-ops.
"""

from __future__ import annotations

import copy
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from k8stui.engine.apimachinery.selectors import Selector, from_label_selector
from k8stui.engine.scheduler import Scheduler, default_spread
from k8stui.engine.scheduler.default_spread import (
    Feasible,
    add_default_spread,
    best_default_spread,
)
from k8stui.engine.scheduler.framework import TIE
from k8stui.engine.scheduler.local_cache import ShapeTable
from k8stui.engine.scheduler.podspec import PodView, pod_view
from k8stui.engine.scheduler.scores import WEIGHT_SPREAD
from k8stui.engine.scheduler.topology import (
    default_spread_plan,
    spread_groups,
    topology_spread_scores,
)

HOST = "kubernetes.io/hostname"
ZONE = "topology.kubernetes.io/zone"
MIB = 1024 * 1024


def make_node(
    i: int, zone: str | None = "z", images: tuple[tuple[str, int], ...] = ()
) -> dict[str, Any]:
    labels = {HOST: f"n-{i}"}
    if zone is not None:
        labels[ZONE] = f"{zone}{i % 3}"
    return {
        "metadata": {"name": f"n-{i}", "labels": labels},
        "spec": {},
        "status": {
            "allocatable": {"cpu": "8", "memory": "16Gi", "pods": "110"},
            "images": [{"names": [name], "sizeBytes": size} for name, size in images],
        },
    }


def make_pod(n: int, app: str, image: str = "nginx:1.27", node: str = "") -> dict[str, Any]:
    spec: dict[str, Any] = {
        "containers": [{"name": "c", "image": image, "resources": {"requests": {"cpu": "100m"}}}]
    }
    if node:
        spec["nodeName"] = node
    return {
        "metadata": {
            "name": f"p{n}",
            "namespace": "default",
            "uid": f"u{n}",
            "labels": {"app": app},
        },
        "spec": spec,
    }


def rs_selector(app: str) -> list[Selector]:
    return [from_label_selector({"matchLabels": {"app": app}})]


def spread_cluster(n_nodes: int, bound: list[tuple[int, str]], zoneless: set[int]) -> Scheduler:
    """Nodes in three zones (but ``zoneless``), pods of apps a and b bound, ranks fresh."""
    s = Scheduler()
    for i in range(n_nodes):
        s.upsert_node(make_node(i, None if i in zoneless else "z"))
    for n, (i, app) in enumerate(bound):
        s.add_pod(make_pod(n, app, node=f"n-{i % n_nodes}"))
    s.explain(make_pod(-1, "a"))  # refreshes ranks
    return s


def incoming_a(s: Scheduler) -> tuple[PodView, list[Any], tuple[int, int]]:
    """A new pod of app a: its view, the pod groups its default spreading counts, offsets."""
    view = pod_view(make_pod(10_000, "a"))
    plan = default_spread_plan(view, rs_selector("a"))
    assert plan is not None
    selector, offsets = plan
    return view, list(spread_groups(s._index, view, selector)), offsets


@settings(max_examples=120, deadline=None)
@given(
    st.integers(2, 40),
    st.lists(st.tuples(st.integers(0, 39), st.sampled_from(["a", "b"])), max_size=60),
    st.sets(st.integers(0, 39)),
    st.integers(0, 39),
    st.sampled_from([0, 4, 10**9]),
)
def test_default_spread_fast_path_equals_general_score(
    n_nodes: int,
    bound: list[tuple[int, str]],
    zoneless: set[int],
    first: int,
    dense_ratio: int,
) -> None:
    s = spread_cluster(n_nodes, bound, zoneless)
    order = s._order
    start = first % n_nodes
    windows = [
        Feasible(order[start:] + order[:start], start),  # consecutive ranks, wrapping
        Feasible(order[::2], None),  # gaps: positions must be looked up
    ]
    view, groups, offsets = incoming_a(s)
    saved = default_spread.DENSE_RATIO
    default_spread.DENSE_RATIO = dense_ratio
    try:
        for window in windows:
            if not window.nodes:
                continue
            base = list(range(len(window.nodes)))
            fast = add_default_spread(
                base,
                WEIGHT_SPREAD * TIE,
                window,
                s._classes,
                groups,
                s._nodes,
                s._node_labels,
                offsets,
            )
            general = topology_spread_scores(
                view, window.nodes, s._nodes, s._node_labels, s._index, rs_selector("a")
            )
            assert general is not None
            assert fast == [b + WEIGHT_SPREAD * TIE * g for b, g in zip(base, general, strict=True)]
    finally:
        default_spread.DENSE_RATIO = saved


@settings(max_examples=120, deadline=None)
@given(
    st.integers(2, 40),
    st.lists(st.tuples(st.integers(0, 39), st.sampled_from(["a", "b"])), max_size=60),
    st.sets(st.integers(0, 39)),
    st.integers(0, 39),
    st.integers(1, 40),
    st.lists(st.integers(0, 3), min_size=40, max_size=40),
)
def test_best_default_spread_is_the_highest_total(
    n_nodes: int,
    bound: list[tuple[int, str]],
    zoneless: set[int],
    first: int,
    size: int,
    scores: list[int],
) -> None:
    """The best total found class by class equals the highest of the per-node totals, for
    any window of consecutive ranks (wrapping) and any cached keys, whether holders of
    matching pods score high or low (few distinct scores make them often the best of
    their class); its low bits name the node."""
    s = spread_cluster(n_nodes, bound, zoneless)
    order = s._order
    start, size = first % n_nodes, min(size, n_nodes)
    window = Feasible((order[start:] + order[:start])[:size], start)
    ranked = [scores[rank] * TIE - rank for rank in range(n_nodes)]
    keys: list[int | None] = list(ranked)  # (a shape table's list type)
    view, groups, offsets = incoming_a(s)
    facts = (window, s._classes, groups, s._nodes, s._node_labels, offsets)
    saved = default_spread.DENSE_RATIO
    default_spread.DENSE_RATIO = 0  # never hand over to the per-node path
    try:
        best = best_default_spread(keys, WEIGHT_SPREAD * TIE, *facts)
    finally:
        default_spread.DENSE_RATIO = saved
    window_keys = [ranked[info.rank] for info in window.nodes]
    general = topology_spread_scores(
        view, window.nodes, s._nodes, s._node_labels, s._index, rs_selector("a")
    )
    assert general is not None
    totals = [k + WEIGHT_SPREAD * TIE * g for k, g in zip(window_keys, general, strict=True)]
    assert best == max(totals)
    assert order[-best % TIE] is window.nodes[totals.index(best)]


def assert_cache_is_current(s: Scheduler, views: dict[Any, PodView]) -> None:
    """Every cached node-local entry equals what computing it now gives."""
    for key, table in s._local._tables.items():
        probe = ShapeTable(len(s._order), table.images, table.n_containers)
        for rank, entry in enumerate(table.entries):
            if entry is not None:
                assert entry == s._entry(s._order[rank], views[key], probe)
                assert table.keys[rank] == entry[0]


def fresh_copy(nodes: dict[int, dict[str, Any]], pods: list[dict[str, Any]]) -> Scheduler:
    fresh = Scheduler(100)
    for item in nodes.values():
        fresh.upsert_node(item)
    for p in pods:
        fresh.add_pod(p)
    return fresh


@settings(max_examples=60, deadline=None)
@given(
    st.integers(2, 6),
    st.lists(
        st.tuples(
            st.sampled_from(["pod", "pod", "pull", "pull", "drop", "resize"]),
            st.integers(0, 11),
            st.sampled_from(["nginx:1.27", "redis:7.4"]),
            st.sampled_from([30 * MIB, 300 * MIB, 900 * MIB]),
        ),
        max_size=40,
    ),
)
def test_image_pulls_keep_scores_equal_to_a_rebuild(
    n_nodes: int, steps: list[tuple[str, int, str, int]]
) -> None:
    s = Scheduler(100)
    nodes = {i: make_node(i) for i in range(n_nodes)}
    for item in nodes.values():
        s.upsert_node(item)
    pods: list[dict[str, Any]] = []
    views: dict[Any, PodView] = {}
    for n, (op, i, image, size) in enumerate(steps):
        if op == "pod":
            p = make_pod(n, f"app{i % 3}", image)
            view = pod_view(p)
            views[view.local_key] = view
            result = s.schedule(p, rs_selector(f"app{i % 3}"))
            probe = fresh_copy(nodes, pods).schedule(p, rs_selector(f"app{i % 3}"))
            assert (result.node, result.reasons) == (probe.node, probe.reasons)
            if result.node is not None:
                p["spec"]["nodeName"] = result.node
                s.add_pod(p)
                pods.append(p)
            continue
        node = copy.deepcopy(nodes[i % n_nodes])
        images = node["status"]["images"]
        held = [entry for entry in images if image in entry["names"]]
        if op == "pull" and not held:
            images.append({"names": [image], "sizeBytes": size})
        elif op == "drop" and held:
            images.remove(held[0])
        elif op == "resize" and held:
            held[0]["sizeBytes"] = size
        nodes[i % n_nodes] = node
        s.upsert_node(node)
        assert_cache_is_current(s, views)


def test_two_image_pods_follow_each_image_count() -> None:
    s = Scheduler()
    for i in range(4):
        s.upsert_node(make_node(i, images=(("a:1", 900 * MIB),) if i < 2 else ()))
    p = make_pod(1, "x", "a:1")
    p["spec"]["containers"].append({"name": "d", "image": "b:1"})
    first = s.schedule(p, ())
    grown = make_node(2, images=(("a:1", 900 * MIB), ("b:1", 900 * MIB)))
    s.upsert_node(grown)
    fresh = Scheduler()
    for i in range(4):
        fresh.upsert_node(
            grown if i == 2 else make_node(i, images=(("a:1", 900 * MIB),) if i < 2 else ())
        )
    assert first.node is not None
    assert s.schedule(p, ()).node == fresh.schedule(p, ()).node


@pytest.mark.parametrize("n_nodes", [5, 150])
def test_irrelevant_node_writes_change_nothing(n_nodes: int) -> None:
    s = Scheduler()
    for i in range(n_nodes):
        s.upsert_node(make_node(i))
    p = make_pod(1, "web")
    before = s.explain(p)
    table = s._local.table(pod_view(p))
    cached = list(table.entries)
    noisy = make_node(0)
    noisy["status"]["conditions"] = [{"type": "Ready", "status": "True"}]
    noisy["metadata"]["resourceVersion"] = "42"
    s.upsert_node(noisy)
    assert table.entries == cached  # nothing was invalidated
    assert s.explain(p) == before
    cordoned = copy.deepcopy(noisy)
    cordoned["spec"]["unschedulable"] = True
    s.upsert_node(cordoned)
    assert s.explain(p)["n-0"] == ["node(s) were unschedulable"]


def test_a_pull_elsewhere_rescores_the_other_holders() -> None:
    s = Scheduler()
    nodes = [make_node(i) for i in range(4)]
    for item in nodes:
        s.upsert_node(item)
    p = make_pod(1, "a", "nginx:1.27")
    view = pod_view(p)
    for i in (0, 1):
        nodes[i]["status"]["images"].append({"names": ["nginx:1.27"], "sizeBytes": 900 * MIB})
        s.upsert_node(copy.deepcopy(nodes[i]))
        s.schedule(p, ())  # fills the cache; n-0's ImageLocality depends on n-1's pull
        assert_cache_is_current(s, {view.local_key: view})
