"""A run's waits requeued in one pass (``requeue_run``) leave the queue exactly as taking
them one by one and pushing each again would: order, sequences, keys, size, snapshot."""

from __future__ import annotations

import json
import random

from k8stui.engine.queue import EventQueue, Payload

Wait = tuple[int, str, Payload]


def _herd(names: str) -> EventQueue:
    q = EventQueue()
    q.push(3, "other", {"n": 0})
    for name in names:
        q.push_once_run(10, "wait", f"w/{name}/10", {"name": name})
    q.push_once(12, "wait", "w/c/12", {"name": "c"})  # c already waits at 12 too
    q.push(12, "other", {"n": 1})
    return q


def _one_by_one(q: EventQueue, waits: list[Wait]) -> None:
    """Each runs (its key released), then all push their waits again."""
    for _ in waits:
        assert q.pop_due(10) is not None
    q.bulk_done += len(waits)  # (what requeue_run counts)
    for at, key, payload in waits:
        q.push_once_run(at, "wait", key, payload)


def _requeued(q: EventQueue, waits: list[Wait]) -> None:
    q.requeue_run("wait", waits)


def _state(q: EventQueue) -> tuple[object, ...]:
    order = []
    copy = EventQueue()
    copy.load_json(json.loads(json.dumps(q.to_json())))
    snapshot = q.to_json()
    while (item := q.pop_due(10**9)) is not None:
        order.append(item)
    restored = []
    while (item := copy.pop_due(10**9)) is not None:
        restored.append(item)
    assert restored == order
    return snapshot, order, q.bulk_done


def test_requeue_in_one_pass_matches_one_by_one() -> None:
    for at_of in ({}, {"c": 11}, {"c": 12, "d": 11}):
        states = []
        for move in (_one_by_one, _requeued):
            q = _herd("abcdef")
            assert q.pop_due(3) is not None
            assert q.pop_due(10) is not None  # "a" ran (the herd's first takes the tokens)
            assert q.pop_due(10) is not None  # "b" found no token: the rest wait too
            q.push_once_run(12, "wait", "w/b/12", {"name": "b"})
            rest = q.rest_of_run("wait")
            assert [p["name"] for _s, p in rest] == list("cdef")
            waits = []
            for _seq, p in rest[:3]:  # "f" does not wait: it stays in its run
                at = at_of.get(p["name"], 12)
                waits.append((at, f"w/{p['name']}/{at}", {"name": p["name"]}))
            move(q, waits)
            assert len(q) == (6 if at_of.get("c", 12) == 12 else 7)
            assert q.push_once(12, "wait", "w/d/12", {}) == (at_of.get("d", 12) != 12)
            states.append(_state(q))
        assert states[0] == states[1]


def test_random_herds_requeue_the_same() -> None:
    rng = random.Random(17)
    for _ in range(200):
        names = [f"r{i}" for i in range(rng.randint(2, 12))]
        seed = rng.random()
        states = []
        for move in (_one_by_one, _requeued):
            rng_case = random.Random(seed)
            q = EventQueue()
            for name in names:
                q.push_once_run(10, "wait", f"w/{name}/10", {"name": name})
            for name in names[: rng_case.randint(0, 3)]:
                q.push_once(rng_case.choice([11, 12, 13]), "wait", f"w/{name}/12", {"x": 1})
            assert q.pop_due(10) is not None
            if rng_case.random() < 0.7:  # the one that ran waits again
                q.push_once_run(12, "wait", f"w/{names[0]}/12", {"name": names[0]})
            if rng_case.random() < 0.3:  # something else was pushed since
                q.push(12, "other", {})
            rest = q.rest_of_run("wait")
            count = rng_case.randint(0, len(rest))
            waits = []
            for _seq, p in rest[:count]:
                at = rng_case.choice([11, 12, 12, 12, 13])
                waits.append((at, f"w/{p['name']}/{at}", {"name": p["name"]}))
            move(q, waits)
            states.append((len(q), _state(q)))
        assert states[0] == states[1]
