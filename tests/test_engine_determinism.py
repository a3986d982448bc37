"""Determinism: same seed + same inputs at the same sim times => the same event log (§10)."""

from __future__ import annotations

import json

from helpers import container, deployment, pod, rc, service
from hypothesis import given
from hypothesis import strategies as st

from k8stui.engine import errors
from k8stui.engine.cluster import Cluster
from k8stui.engine.faults import Fault

IMAGES = [
    "luksa/kubia",
    "nginx:1.27",
    "busybox",
    "k8stui/crasher",
    "k8stui/memhog",
    "nope/missing:1",
]
NODES = ["worker-1", "worker-2", "worker-3"]

action = st.one_of(
    st.tuples(st.just("pod"), st.integers(0, 5), st.sampled_from(IMAGES)),
    st.tuples(st.just("rc"), st.integers(0, 2), st.integers(0, 5)),
    st.tuples(st.just("deploy"), st.integers(0, 1), st.integers(0, 4)),
    st.tuples(st.just("scale"), st.integers(0, 2), st.integers(0, 6)),
    st.tuples(st.just("delete"), st.integers(0, 5), st.booleans()),
    st.tuples(
        st.just("fault"),
        st.sampled_from(["crash-node", "recover-node", "partition-node", "heal-node"]),
        st.sampled_from(NODES),
    ),
    st.tuples(st.just("advance"), st.integers(0, 400), st.just(0)),
    st.tuples(st.just("request"), st.integers(0, 2), st.just(0)),
)


def run(seed: int, actions: list[tuple[object, ...]], cluster: Cluster | None = None) -> Cluster:
    c = cluster or Cluster(seed=seed)
    for act in actions:
        kind = act[0]
        try:
            if kind == "pod":
                c.create(pod(f"p{act[1]}", container("c", str(act[2]))))
            elif kind == "rc":
                c.create(
                    rc(
                        f"rc{act[1]}",
                        int(act[2]),
                        {"app": f"rc{act[1]}"},
                        container("c", "luksa/kubia"),
                    )
                )
                c.create(service(f"rc{act[1]}", {"app": f"rc{act[1]}"}))
            elif kind == "deploy":
                c.create(deployment(f"d{act[1]}", int(act[2])))
            elif kind == "scale":
                c.scale("ReplicationController", f"rc{act[1]}", int(act[2]))
            elif kind == "delete":
                c.delete(
                    "Pod", f"p{act[1]}", force=bool(act[2]), grace_period=0 if act[2] else None
                )
            elif kind == "fault":
                c.inject(Fault(kind=act[1], target=str(act[2])))  # type: ignore[arg-type]
            elif kind == "advance":
                c.advance(int(act[1]))  # type: ignore[call-overload]
            elif kind == "request":
                c.request(f"rc{act[1]}")
        except errors.ApiError:
            pass
    c.advance(120)
    return c


@given(seed=st.integers(0, 2**16), actions=st.lists(action, max_size=14))
def test_same_seed_and_inputs_give_a_byte_identical_event_log(
    seed: int, actions: list[tuple[object, ...]]
) -> None:
    first = run(seed, actions)
    second = run(seed, actions)
    assert first.event_log() == second.event_log()
    assert first.snapshot_json() == second.snapshot_json()


@given(
    seed=st.integers(0, 2**16),
    before=st.lists(action, max_size=8),
    after=st.lists(action, max_size=8),
)
def test_snapshot_and_restore_continue_identically(
    seed: int, before: list[tuple[object, ...]], after: list[tuple[object, ...]]
) -> None:
    original = run(seed, before)
    data = json.loads(json.dumps(original.snapshot()))  # must survive a trip through JSON
    restored = Cluster.restore(data)
    assert restored.snapshot_json() == original.snapshot_json()
    run(seed, after, original)
    run(seed, after, restored)
    assert restored.event_log() == original.event_log()
    assert restored.snapshot_json() == original.snapshot_json()


def test_different_seeds_give_different_names() -> None:
    names = set()
    for seed in (1, 2):
        c = run(seed, [("rc", 0, 3)])
        names.add(tuple(sorted(p["metadata"]["name"] for p in c.list("Pod"))))
    assert len(names) == 2


def test_idle_time_costs_no_work() -> None:
    c = Cluster(seed=1)
    # CoreDNS's rollout (created 295 s before the player arrives) still has its progress
    # deadline checks queued; once they ran, nothing else is due.
    c.advance(310)
    assert c.next_event_time() is None
    # An idle hour processes nothing, yet leases read as renewed.
    assert c.advance(3600) == 0
    lease = c.get("Lease", "worker-1", "kube-node-lease")
    assert (
        lease["spec"]["renewTime"] == "2025-01-01T01:05:10.000000Z"
    )  # renewed every 10 s since worker-1 joined at t=-270 s
