"""The simulated etcd: versions, generations, notifications (issue: engine core §2.1)."""

from __future__ import annotations

import random

import pytest

from k8stui.engine.clock import to_timestamp
from k8stui.engine.context import Clock
from k8stui.engine.store import Conflict, NotFound, Store


def _store() -> tuple[Store, Clock, list[tuple[str, object, object]]]:
    clock = Clock(5000)
    store = Store(clock, random.Random(1))
    seen: list[tuple[str, object, object]] = []
    store.watch(lambda kind, new, old: seen.append((kind, new, old)))
    return store, clock, seen


def test_create_assigns_uid_version_timestamp_and_generation() -> None:
    store, _clock, seen = _store()
    obj = store.create({"kind": "Deployment", "metadata": {"name": "web"}, "spec": {"replicas": 1}})
    meta = obj["metadata"]
    assert meta["namespace"] == "default"
    assert meta["resourceVersion"] == "1" and store.revision == 1
    assert meta["creationTimestamp"] == to_timestamp(5000) == "2025-01-01T00:00:05Z"
    assert meta["generation"] == 1
    assert len(meta["uid"]) == 36
    assert seen == [("Deployment", obj, None)]


def test_update_bumps_version_and_generation_only_for_spec_changes() -> None:
    store, _clock, seen = _store()
    obj = store.create({"kind": "Deployment", "metadata": {"name": "web"}, "spec": {"replicas": 1}})
    status_only = store.update({**obj, "status": {"replicas": 1}})
    assert status_only["metadata"]["generation"] == 1
    assert status_only["metadata"]["resourceVersion"] == "2"
    scaled = store.update({**status_only, "spec": {"replicas": 3}})
    assert scaled["metadata"]["generation"] == 2
    assert seen[-1] == ("Deployment", scaled, status_only)


def test_conflicts_missing_objects_and_counts() -> None:
    store, _clock, _seen = _store()
    store.create({"kind": "Pod", "metadata": {"name": "a"}, "spec": {"nodeName": "n1"}})
    store.create({"kind": "Node", "metadata": {"name": "n1"}})
    with pytest.raises(Conflict):
        store.create({"kind": "Pod", "metadata": {"name": "a"}})
    with pytest.raises(NotFound):
        store.delete("Pod", "default", "missing")
    assert store.count() == 2 and store.count("Pod") == 1
    assert [p["metadata"]["name"] for p in store.pods_on_node("n1")] == ["a"]
    store.delete("Pod", "default", "a")
    assert store.pods_on_node("n1") == [] and store.revision == 3
