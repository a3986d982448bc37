"""Many ReplicaSets waiting on the controller manager's rate limit (a herd) run exactly as
they would one sync at a time: the engine takes their waits in bulk only as a shortcut."""

from __future__ import annotations

import json

import pytest
from helpers import deployment

from k8stui.engine.cluster import Cluster, ClusterConfig
from k8stui.engine.queue import EventQueue
from k8stui.engine.timings import Timings

DEPLOYMENTS = 30
REPLICAS = 10


def _herd(seed: int = 7) -> Cluster:
    """30 Deployments of 10 created at once: 300 pods against a client of 20/s, burst 30."""
    c = Cluster(seed=seed)
    for i in range(DEPLOYMENTS):
        c.create(deployment(f"web-{i:02d}", REPLICAS, "nginx:1.27"))
    return c


def _default_pods(c: Cluster) -> int:
    return len(c.list("Pod", "default"))


def test_the_herd_waits_on_the_rate_limit() -> None:
    c = _herd()
    assert 0 < _default_pods(c) < DEPLOYMENTS * REPLICAS
    c.advance(60)
    assert _default_pods(c) == DEPLOYMENTS * REPLICAS


def test_bulk_and_budgeted_runs_give_the_same_log_and_state() -> None:
    # A budget makes the engine take work one entry at a time (no bulk).
    whole, framed = _herd(), _herd()
    done = whole.advance(40)
    target = framed.now_ms + 40_000
    framed_done = 0
    while True:
        step = framed.advance_to_ms(target, max_work=7)
        framed_done += step
        if framed.now_ms == target and step < 7:
            break
    assert whole.event_log() == framed.event_log()
    assert whole.snapshot_json() == framed.snapshot_json()
    assert done == framed_done


def test_a_snapshot_in_the_middle_of_the_herd_continues_the_same() -> None:
    c = _herd()
    c.advance(5)  # some ReplicaSets created their pods, the rest are still waiting
    data = json.loads(c.snapshot_json())
    restored = Cluster.restore(data)
    assert restored.snapshot_json() == c.snapshot_json()
    c.advance(60)
    restored.advance(60)
    assert restored.event_log() == c.event_log()
    assert restored.snapshot_json() == c.snapshot_json()


def test_runs_keep_each_entry_its_place() -> None:
    q = EventQueue()
    q.push(5, "other", {"n": 0})
    assert q.push_once_run(10, "wait", "a", {"n": 1})
    assert q.push_once_run(10, "wait", "b", {"n": 2})
    assert not q.push_once_run(10, "wait", "b", {"n": 99})  # already waiting
    q.push(10, "other", {"n": 3})
    assert q.push_once_run(10, "wait", "c", {"n": 4})  # after another push: a new run
    q.push(7, "other", {"n": 5})
    assert len(q) == 6
    heap = q.to_json()["heap"]
    assert [(at, seq, p["n"]) for at, seq, _a, p in heap] == [
        (5, 1, 0),
        (7, 6, 5),
        (10, 2, 1),
        (10, 3, 2),
        (10, 4, 3),
        (10, 5, 4),
    ]
    order = []
    while (item := q.pop_due(100)) is not None:
        order.append(item[2]["n"])
    assert order == [0, 5, 1, 2, 3, 4]
    assert len(q) == 0
    assert q.push_once_run(20, "wait", "a", {"n": 6})  # its key was released when it ran


def test_a_restored_queue_pops_like_the_original() -> None:
    q = EventQueue()
    for name in "abcd":
        q.push_once_run(10, "wait", name, {"name": name})
    assert q.pop_due(10) is not None  # "a" runs; b, c, d are left in its run
    copy = EventQueue()
    copy.load_json(json.loads(json.dumps(q.to_json())))
    assert copy.to_json() == q.to_json()
    left = [q.pop_due(10), q.pop_due(10), q.pop_due(10), q.pop_due(10)]
    assert left == [copy.pop_due(10) for _ in range(4)]
    assert [item[2]["name"] for item in left if item] == ["b", "c", "d"]


def _big_herd() -> Cluster:
    """60 Deployments of 6 created at once: a herd of fifty-odd ReplicaSets that all wait
    for the same six tokens, moved whole from refill to refill."""
    c = Cluster(seed=11)
    for i in range(60):
        c.create(deployment(f"app-{i:02d}", 6, "nginx:1.27"))
    return c


def _disturb(c: Cluster) -> None:
    """Changes that take members out of the herd: a scale, a template change, a delete."""
    c.scale("Deployment", "app-40", 9)
    c.patch("Deployment", "app-45", {"spec": {"template": {"metadata": {"labels": {"v": "2"}}}}})
    c.delete("Deployment", "app-50")


def test_a_herd_moved_whole_runs_as_one_sync_at_a_time(monkeypatch: pytest.MonkeyPatch) -> None:
    moved = []
    real_move = EventQueue.move_herd

    def spy(self: EventQueue, action: str, at_ms: int) -> bool:
        done = real_move(self, action, at_ms)
        moved.append(done)
        return done

    monkeypatch.setattr(EventQueue, "move_herd", spy)
    whole, framed = _big_herd(), _big_herd()
    start = whole.now_ms
    whole.advance(4)
    _disturb(whole)
    whole.advance(40)
    assert sum(moved) > 10  # the whole-herd moves did happen
    moves = len(moved)
    _framed_to(framed, start + 4_000)
    _disturb(framed)
    _framed_to(framed, start + 44_000)
    assert len(moved) == moves  # (one entry at a time: no bulk, no herd)
    assert whole.event_log() == framed.event_log()
    assert whole.snapshot_json() == framed.snapshot_json()


def _framed_to(c: Cluster, target_ms: int) -> None:
    """Advance under a work budget (one entry at a time, as a game frame does)."""
    while True:
        step = c.advance_to_ms(target_ms, max_work=5)
        if c.now_ms == target_ms and step < 5:
            return


def test_a_restored_cluster_lists_each_nodes_images_in_the_order_it_got_them() -> None:
    # A snapshot's text sorts keys; each node's images must still come back in the order the
    # node pulled them, or the first refresh of a node's status.images after the restore
    # writes them reordered (an extra Node write that shifts every resourceVersion after it).
    c = Cluster(ClusterConfig(seed=5, timings=Timings(kube_api_qps=100, kube_api_burst=100)))
    for i, image in enumerate(["redis:7.4", "nginx:1.27", "luksa/kubia:v1"] * 10):
        c.create(deployment(f"app-{i:02d}", 8, image))
    c.advance(3)  # the herd still waits; nodes have pulled some images, not in name order
    restored = Cluster.restore(json.loads(c.snapshot_json()))
    c.advance(60)
    restored.advance(60)
    assert restored.event_log() == c.event_log()
    same = restored.snapshot_json() == c.snapshot_json()  # (a diff of the texts takes minutes)
    assert same
