"""Event expiry: each Event lives the event TTL after its *last* write, whatever the queue
holds, and snapshots keep one expiry per Event with its last due time."""

from __future__ import annotations

import random

from k8stui.engine.recorder import EVENT_TTL_MS, EventRecorder
from k8stui.engine.store import Obj, Store


class Clock:
    def __init__(self) -> None:
        self.ms = 0

    def __call__(self) -> int:
        return self.ms


def _setup() -> tuple[Clock, Store, EventRecorder, list[str]]:
    clock = Clock()
    store = Store(clock, random.Random(1))
    recorder = EventRecorder(store, clock)
    deleted: list[str] = []

    def observe(kind: str, new: Obj | None, old: Obj | None) -> None:
        if kind == "Event" and new is None and old is not None:
            deleted.append(old["reason"])

    store.observe(observe)
    return clock, store, recorder, deleted


def _pod(name: str) -> Obj:
    return {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {"name": name, "namespace": "default", "uid": f"uid-{name}"},
    }


def _reasons(store: Store) -> list[str]:
    return sorted(e["reason"] for e in store.iter_kind("Event"))


def test_an_event_written_again_expires_a_ttl_after_its_last_write() -> None:
    clock, store, rec, deleted = _setup()
    a, b = _pod("a"), _pod("b")
    rec.emit(a, "Warning", "BackOff", "Back-off restarting", "kubelet", host="n1")
    clock.ms = 1_000
    rec.emit(b, "Normal", "Started", "Started container", "kubelet", host="n1")
    clock.ms = 2_000
    rec.emit(a, "Warning", "BackOff", "Back-off restarting", "kubelet", host="n1")
    events = list(store.iter_kind("Event"))
    assert len(events) == 2 and max(e["count"] for e in events) == 2
    # The first write's TTL has run out, not the second's: BackOff stays, Started goes.
    clock.ms = EVENT_TTL_MS + 1_500
    rec.expire(clock.ms)
    assert _reasons(store) == ["BackOff"]
    clock.ms = EVENT_TTL_MS + 2_000
    rec.expire(clock.ms)
    assert _reasons(store) == [] and deleted == ["Started", "BackOff"]
    assert rec.events_for(a) == [] and rec.events_for(b) == []


def test_events_go_in_the_order_of_their_last_writes_within_one_instant() -> None:
    _clock, _store, rec, deleted = _setup()
    a, b = _pod("a"), _pod("b")
    rec.emit(a, "Normal", "Pulled", "Pulled", "kubelet")
    rec.emit(b, "Normal", "Created", "Created", "kubelet")
    rec.emit(a, "Normal", "Pulled", "Pulled", "kubelet")
    rec.expire(EVENT_TTL_MS)
    assert deleted == ["Created", "Pulled"]


def test_a_snapshot_keeps_one_expiry_per_event_with_its_last_due_time() -> None:
    clock, store, rec, _ = _setup()
    a, b = _pod("a"), _pod("b")
    rec.emit(a, "Warning", "BackOff", "Back-off", "kubelet")
    clock.ms = 500
    rec.emit(b, "Normal", "Started", "Started", "kubelet")
    clock.ms = 900
    rec.emit(a, "Warning", "BackOff", "Back-off", "kubelet")
    rec.emit(a, "Warning", "BackOff", "Back-off", "kubelet")
    data = rec.to_json()
    dues = [(entry[2][2], entry[1]) for entry in data["expiry"]]
    assert dues == [("Started", 500 + EVENT_TTL_MS), ("BackOff", 900 + EVENT_TTL_MS)]
    assert all(entry[3] == entry[2][0] for entry in data["expiry"])

    # Restored into a fresh store holding the same Events, it expires them just the same.
    clock2 = Clock()
    clock2.ms = clock.ms
    store2 = Store(clock2, random.Random(1))
    for event in store.iter_kind("Event"):
        store2.create(dict(event))
    rec2 = EventRecorder(store2, clock2)
    rec2.load_json(data)
    assert rec2.to_json() == data
    for restored_store, recorder in ((store, rec), (store2, rec2)):
        recorder.expire(600 + EVENT_TTL_MS)
        assert _reasons(restored_store) == ["BackOff"]
        recorder.expire(900 + EVENT_TTL_MS)
        assert _reasons(restored_store) == []


def test_an_event_deleted_by_hand_starts_a_new_one_that_the_old_due_time_spares() -> None:
    clock, store, rec, _ = _setup()
    a = _pod("a")
    rec.emit(a, "Warning", "BackOff", "Back-off", "kubelet")
    rec.emit(a, "Warning", "BackOff", "Back-off", "kubelet")
    (first,) = store.iter_kind("Event")
    store.delete("Event", "default", first["metadata"]["name"])
    clock.ms = 10_000
    rec.emit(a, "Warning", "BackOff", "Back-off", "kubelet")
    (second,) = store.iter_kind("Event")
    assert second["count"] == 1 and second["metadata"]["name"] != first["metadata"]["name"]
    rec.expire(EVENT_TTL_MS)
    assert [e["metadata"]["name"] for e in rec.events_for(a)] == [second["metadata"]["name"]]
    # It aggregates again, and goes a TTL after that.
    clock.ms = 20_000
    rec.emit(a, "Warning", "BackOff", "Back-off", "kubelet")
    assert [e["count"] for e in store.iter_kind("Event")] == [2]
    rec.expire(10_000 + EVENT_TTL_MS)
    assert _reasons(store) == ["BackOff"]
    rec.expire(20_000 + EVENT_TTL_MS)
    assert _reasons(store) == [] and rec.events_for(a) == []


def test_a_snapshot_with_a_malformed_series_still_expires() -> None:
    _clock, store, rec, _ = _setup()
    rec.emit(_pod("a"), "Normal", "Pulled", "Pulled", "kubelet")
    data = rec.to_json()
    data["expiry"][0][2] = []
    rec.load_json(data)
    rec.expire(EVENT_TTL_MS)
    assert _reasons(store) == []
