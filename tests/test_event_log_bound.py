"""The event log keeps its last LOG_KEEP lines and counts the rest (issue 13: a long run's
memory stays flat), without changing what followers, snapshots or fingerprints see."""

from __future__ import annotations

import json

import pytest

from k8stui.console.session import Session
from k8stui.engine import recorder
from k8stui.engine.cluster import Cluster, ClusterConfig
from k8stui.engine.nodes import default_nodes
from k8stui.kubectl.files import VirtualFiles

KEEP = 40


def _busy_cluster() -> tuple[Cluster, Session]:
    cluster = Cluster(ClusterConfig(seed=3, nodes=default_nodes(3)))
    session = Session(cluster, VirtualFiles())
    assert (
        session.run("kubectl create deployment web --image=nginx:1.27 --replicas=12").exit_code == 0
    )
    return cluster, session


def _full_log() -> list[str]:
    cluster, session = _busy_cluster()
    session.run("sleep 90")
    session.run("kubectl scale deployment web --replicas=2")
    session.run("sleep 60")
    return cluster.event_log()


@pytest.fixture
def small_log(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    full = _full_log()  # with the real bound, nothing of this short run is let go
    assert len(full) > 3 * KEEP
    monkeypatch.setattr(recorder, "LOG_KEEP", KEEP)
    return full


def test_the_log_keeps_the_tail_and_counts_every_line(small_log: list[str]) -> None:
    cluster, session = _busy_cluster()
    session.run("sleep 90")
    session.run("kubectl scale deployment web --replicas=2")
    session.run("sleep 60")
    kept = cluster.event_log()
    assert KEEP <= len(kept) < 2 * KEEP
    assert kept == small_log[-len(kept) :]
    assert cluster.event_count == len(small_log)


def test_a_follower_skips_lines_let_go_and_reads_the_rest(small_log: list[str]) -> None:
    cluster, session = _busy_cluster()
    seen = 0
    read: list[str] = []
    for line in ("sleep 90", "kubectl scale deployment web --replicas=2", "sleep 60"):
        session.run(line)
        new = cluster.event_log_since(seen)
        read += new
        assert cluster.event_log_since(cluster.event_count) == []
        seen = cluster.event_count
    assert read == [line for line in small_log if line in read]  # in order, no line twice
    assert read[-KEEP:] == small_log[-KEEP:]


def test_a_snapshot_carries_the_count_and_continues_identically(small_log: list[str]) -> None:
    cluster, session = _busy_cluster()
    session.run("sleep 90")
    restored = Cluster.restore(json.loads(json.dumps(cluster.snapshot())))
    assert restored.event_count == cluster.event_count
    for target in (cluster, restored):
        Session(target, VirtualFiles()).run("kubectl scale deployment web --replicas=2")
        Session(target, VirtualFiles()).run("sleep 60")
    assert restored.event_log() == cluster.event_log()
    assert restored.event_count == cluster.event_count == len(small_log)
