"""The sim-to-wall time map: ages a client computes from moved timestamps match sim ages."""

from __future__ import annotations

from datetime import datetime

from hypothesis import given
from hypothesis import strategies as st

from k8stui.engine.clock import to_timestamp
from k8stui.kubectl.duration import human_duration
from k8stui.server.timeshift import TimeMap, shift, shift_stamp, unshift


@given(
    created_ms=st.integers(0, 10**9),
    age_ms=st.integers(0, 10**8),
    wall=st.floats(1.7e9, 1.9e9),
    latency=st.floats(0, 0.9),
)
def test_client_age_equals_sim_age(
    created_ms: int, age_ms: int, wall: float, latency: float
) -> None:
    now_ms = created_ms + age_ms
    created = to_timestamp(created_ms)
    delta = TimeMap(lambda: now_ms, lambda: wall).delta()
    moved = datetime.fromisoformat(shift_stamp(created, delta).replace("Z", "+00:00"))
    client_age = wall + latency - moved.timestamp()
    sim_age = (now_ms - (created_ms // 1000) * 1000) / 1000
    assert human_duration(client_age) == human_duration(sim_age)


def test_only_time_keys_move_and_bodies_come_back() -> None:
    obj = {
        "metadata": {"creationTimestamp": "2025-01-01T00:00:10Z", "name": "2025-01-01T00:00:10Z"},
        "status": {"conditions": [{"lastTransitionTime": "2025-01-01T00:00:11Z"}]},
    }
    moved = shift(obj, 3600.25)
    assert moved["metadata"]["name"] == "2025-01-01T00:00:10Z"
    assert moved["metadata"]["creationTimestamp"] == "2025-01-01T01:00:10.250000Z"
    assert unshift(moved, 3600.25) == obj
