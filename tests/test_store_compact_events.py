"""Events of the recorder's shape are stored compactly and read back exactly as written."""

from __future__ import annotations

import json
import random
from typing import Any

import pytest

from k8stui.engine.context import Clock
from k8stui.engine.event_form import freeze, thaw
from k8stui.engine.recorder import EventRecorder
from k8stui.engine.store import Store

Obj = dict[str, Any]


def _recorded() -> tuple[Store, EventRecorder, Clock, list[tuple[str, Any, Any]]]:
    clock = Clock(5000)
    store = Store(clock, random.Random(1))
    seen: list[tuple[str, Any, Any]] = []
    store.observe(lambda kind, new, old: seen.append((kind, new, old)))
    recorder = EventRecorder(store, clock)
    pod = store.create({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "web"}})
    recorder.emit(pod, "Normal", "Scheduled", "Successfully assigned", "default-scheduler")
    recorder.emit(pod, "Normal", "Pulled", "Image present", "kubelet", host="node-1")
    clock.now_ms += 1500
    recorder.emit(pod, "Normal", "Pulled", "Image present", "kubelet", host="node-1")
    return store, recorder, clock, seen


def _text(obj: Any) -> str:
    return json.dumps(obj)  # (not sort_keys: key order is part of what must hold)


def test_every_read_gives_the_event_written_in_its_key_order() -> None:
    store, _recorder, _clock, seen = _recorded()
    written = {new["metadata"]["name"]: new for kind, new, _old in seen if kind == "Event"}
    assert len(written) == 2
    listed = store.list("Event")
    assert _text(listed) == _text(list(written.values()))
    assert _text(list(store.iter_kind("Event"))) == _text(listed)
    assert _text(store.list("Event", "default")) == _text(listed)
    assert store.list("Event", "other") == []
    assert _text(store.to_json()["objects"]["Event"]) == _text(listed)
    for name, event in written.items():
        assert _text(store.get("Event", "default", name)) == _text(event)
    assert all(type(v) is tuple for v in store._objects["Event"].values())


def test_update_and_delete_hand_back_the_old_version_as_written() -> None:
    store, _recorder, _clock, seen = _recorded()
    kind, new, old = seen[-1]  # the aggregated Pulled: count 2
    assert kind == "Event" and new["count"] == 2 and old["count"] == 1
    first = next(n for k, n, o in seen if k == "Event" and o is None and n["reason"] == "Pulled")
    assert _text(old) == _text(first)
    name = new["metadata"]["name"]
    gone = store.delete("Event", "default", name)
    assert _text(gone) == _text(new)
    assert seen[-1] == ("Event", None, gone)
    assert store.get("Event", "default", name) is None


def test_snapshot_round_trip_keeps_every_byte() -> None:
    store, _recorder, clock, _seen = _recorded()
    data = json.loads(json.dumps(store.to_json()))
    restored = Store(clock, random.Random(2))
    restored.load_json(data)
    assert _text(restored.to_json()) == _text(store.to_json())
    assert all(type(v) is tuple for v in restored._objects["Event"].values())


def _standard(store: Store) -> Obj:
    event = store.list("Event")[0]
    return {**event, "metadata": dict(event["metadata"])}


@pytest.mark.parametrize(
    "change",
    [
        lambda e: e.update(series={"count": 2}),  # a field the recorder does not write
        lambda e: e.pop("eventTime"),
        lambda e: e["metadata"].update(labels={"a": "b"}),
        lambda e: e["metadata"].update(uid=e["metadata"]["uid"].upper()),
        lambda e: e["metadata"].update(uid="not-a-uid"),
        lambda e: e["metadata"].update(uid=12),
    ],
)
def test_other_shapes_are_kept_as_written(change: Any) -> None:
    store, _recorder, _clock, _seen = _recorded()
    event = _standard(store)
    change(event)
    event["metadata"]["name"] = "custom"
    created = store.create(event)
    assert _text(store.get("Event", "default", "custom")) == _text(created)
    assert type(store._objects["Event"][("default", "custom")]) is dict


@pytest.mark.parametrize("version", ["007", "+7", " 7", "7_0", "٣", "x", "", 7])
def test_only_canonical_versions_and_uids_are_held_as_numbers(version: Any) -> None:
    store, _recorder, _clock, _seen = _recorded()
    event = _standard(store)
    event["metadata"]["resourceVersion"] = version
    assert freeze(event) is None
    event["metadata"]["resourceVersion"] = "70"
    frozen = freeze(event)
    assert frozen is not None and _text(thaw(frozen)) == _text(event)


def test_key_order_matters() -> None:
    store, _recorder, _clock, _seen = _recorded()
    event = _standard(store)
    reordered = {"kind": event["kind"], **event}
    assert freeze(reordered) is None
    meta = event["metadata"]
    assert freeze({**event, "metadata": {"namespace": meta["namespace"], **meta}}) is None


def _recording(observed: bool) -> tuple[Store, random.Random]:
    """Events recorded, aggregated and expired, with or without an observer of the store."""
    clock = Clock(5000)
    rng = random.Random(3)
    store = Store(clock, rng)
    if observed:
        store.observe(lambda kind, new, old: None)
    recorder = EventRecorder(store, clock)
    pods = [
        store.create({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": f"web-{i}"}})
        for i in range(3)
    ]
    for step in range(6):
        for pod in pods:
            recorder.emit(pod, "Normal", "Pulled", f"Image {step % 2}", "kubelet", host="n1")
            recorder.emit(pod, "Warning", "BackOff", "Back-off", "kubelet", field_path="spec.c")
        clock.now_ms += 20 * 60 * 1000  # 20 min: the first ones expire after an hour
    return store, rng


def test_events_kept_straight_away_equal_those_kept_through_the_dict() -> None:
    # With an observer every Event goes through the dict the observer is handed; without
    # one the store keeps the compact form straight away. Both must give the same store.
    direct, direct_rng = _recording(observed=False)
    through, through_rng = _recording(observed=True)
    assert direct.count("Event") > 0
    assert _text(direct.to_json()) == _text(through.to_json())
    assert direct.revision == through.revision
    assert direct_rng.random() == through_rng.random()  # the same uids were drawn
    assert all(type(v) is tuple for v in direct._objects["Event"].values())
