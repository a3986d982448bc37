"""FailedScheduling texts, reproduced from real cluster setups.

Note on the "mixed" example of k8s-behaviour.md §3.4 (``... 5 No preemption victims found
...``): upstream marks TaintToleration failures UnschedulableAndUnresolvable, so real
1.2x/1.3x events read ``2 Preemption is not helpful for scheduling, 3 No preemption victims
found for incoming pod.`` for that setup (e.g. "1 node(s) had untolerated taint
{node-role.kubernetes.io/control-plane: }, 3 Insufficient memory. preemption: 0/4 nodes are
available: 1 Preemption is not helpful for scheduling, 3 No preemption victims found for
incoming pod."). We reproduce the upstream behaviour; the filter half is as in §3.4.
"""

from __future__ import annotations

from typing import Any

from k8stui.engine.scheduler import Scheduler
from k8stui.engine.scheduler.messages import fit_error, histogram


def node(name: str, cpu: str = "2", taints: list[dict[str, str]] | None = None) -> dict[str, Any]:
    return {
        "metadata": {"name": name, "labels": {"kubernetes.io/hostname": name}},
        "spec": {"taints": taints or []},
        "status": {"allocatable": {"cpu": cpu, "memory": "8Gi", "pods": "110"}},
    }


def pod(name: str, cpu: str) -> dict[str, Any]:
    return {
        "metadata": {"name": name, "namespace": "default", "uid": name},
        "spec": {"containers": [{"name": "c", "resources": {"requests": {"cpu": cpu}}}]},
    }


def cluster(*nodes: dict[str, Any]) -> Scheduler:
    s = Scheduler()
    for n in nodes:
        s.upsert_node(n)
    return s


def test_three_workers_too_small() -> None:
    s = cluster(*(node(f"worker-{i}") for i in (1, 2, 3)))
    result = s.schedule(pod("big", "3"))
    assert result.node is None
    assert result.message == (
        "0/3 nodes are available: 3 Insufficient cpu. preemption: 0/3 nodes are available: "
        "3 No preemption victims found for incoming pod.."
    )


def test_control_plane_only_cluster() -> None:
    s = cluster(
        node(
            "control-plane",
            taints=[{"key": "node-role.kubernetes.io/control-plane", "effect": "NoSchedule"}],
        )
    )
    assert s.schedule(pod("p", "100m")).message == (
        "0/1 nodes are available: 1 node(s) had untolerated taint "
        "{node-role.kubernetes.io/control-plane: }. preemption: 0/1 nodes are available: "
        "1 Preemption is not helpful for scheduling.."
    )


def test_mixed_taints_and_cpu() -> None:
    gpu = [{"key": "dedicated", "value": "gpu", "effect": "NoSchedule"}]
    s = cluster(
        node("gpu-1", cpu="8", taints=gpu),
        node("gpu-2", cpu="8", taints=gpu),
        *(node(f"worker-{i}") for i in (1, 2, 3)),
    )
    assert s.schedule(pod("p", "4")).message == (
        "0/5 nodes are available: 2 node(s) had untolerated taint {dedicated: gpu}, "
        "3 Insufficient cpu. preemption: 0/5 nodes are available: "
        "2 Preemption is not helpful for scheduling, "
        "3 No preemption victims found for incoming pod.."
    )


def test_histogram_sorts_whole_strings_so_10_comes_before_2() -> None:
    cordoned = [{"key": "k", "value": "v", "effect": "NoExecute"}]
    s = cluster(
        *(node(f"worker-{i}") for i in range(1, 11)),
        node("tainted-1", cpu="8", taints=cordoned),
        node("tainted-2", cpu="8", taints=cordoned),
    )
    assert s.schedule(pod("p", "3")).message == (
        "0/12 nodes are available: 10 Insufficient cpu, 2 node(s) had untolerated taint {k: v}. "
        "preemption: 0/12 nodes are available: 10 No preemption victims found for incoming pod, "
        "2 Preemption is not helpful for scheduling.."
    )


def test_histogram_counts_each_reason() -> None:
    assert histogram(["b", "a", "b"]) == "1 a, 2 b"


def test_fit_error_with_no_nodes() -> None:
    assert fit_error(0, {}) == "no nodes available to schedule pods"
    assert Scheduler().schedule(pod("p", "1")).message == "no nodes available to schedule pods"


def test_success_has_empty_message() -> None:
    s = cluster(node("worker-1"))
    result = s.schedule(pod("p", "1"))
    assert (result.node, result.message, result.reasons) == ("worker-1", "", {})


def test_message_is_stable_across_retries() -> None:
    s = cluster(*(node(f"worker-{i}") for i in range(1, 4)))
    first = s.schedule(pod("big", "3")).message
    assert all(s.schedule(pod("big", "3")).message == first for _ in range(3))
