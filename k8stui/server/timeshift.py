"""Sim time onto the wall clock, so ages kubectl computes itself match the simulated clock.

kubectl renders some ages on the client (``describe`` Start Time and event ages, ``logs
--since``) by subtracting a timestamp from *its* wall clock. So at the moment of each answer
every timestamp is moved by ``D = wall - floor(sim) - LEAD`` seconds (with a fraction):
"wall now" minus a moved timestamp is then ``floor(sim) - T + LEAD + latency``, which
truncates to the same whole seconds as the built-in ``sim - T`` for any answer read within
``1 - LEAD`` seconds. Ages agree at any speed and while paused (D grows with the wall
clock). Moved timestamps carry microseconds (Go's RFC 3339 parser reads them); timestamps
in request bodies are moved back by the current D and rounded to whole seconds.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

from k8stui.engine.clock import SIM_EPOCH

TIME_KEYS = frozenset(
    {
        "creationTimestamp",
        "deletionTimestamp",
        "startTime",
        "startedAt",
        "finishedAt",
        "lastTransitionTime",
        "lastProbeTime",
        "lastHeartbeatTime",
        "lastUpdateTime",
        "firstTimestamp",
        "lastTimestamp",
        "eventTime",
        "renewTime",
        "acquireTime",
        "time",
        "lastScheduleTime",
        "completionTime",
        "timestamp",  # metrics.k8s.io samples
    }
)
_STAMP = re.compile(r"^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(\.\d+)?Z$")
_EPOCH_S = int(SIM_EPOCH.timestamp())
LEAD = 0.05
"""Seconds past the whole sim second that the client's clock reads at the answer."""


class TimeMap:
    """The shift between sim time and the wall clock at the moment of an answer."""

    def __init__(self, sim_now_ms: Callable[[], int], wall: Callable[[], float] = time.time):
        self._sim_now_ms = sim_now_ms
        self._wall = wall

    def delta(self) -> float:
        """Seconds to add to a sim timestamp (rendered from SIM_EPOCH) for the client."""
        sim = _EPOCH_S + self._sim_now_ms() // 1000
        return self._wall() - sim - LEAD


def shift_stamp(text: str, delta: float) -> str:
    """One RFC 3339 timestamp moved by ``delta`` seconds, written with microseconds."""
    match = _STAMP.match(text)
    if match is None:
        return text
    moved = datetime.strptime(match.group(1), "%Y-%m-%dT%H:%M:%S").replace(tzinfo=UTC)
    fraction = float(match.group(2) or 0)
    moved += timedelta(seconds=fraction + delta)
    return moved.strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def unshift_stamp(text: str, delta: float) -> str:
    """A client's timestamp moved back by ``delta`` to sim time, in whole seconds."""
    match = _STAMP.match(text)
    if match is None:
        return text
    moved = datetime.strptime(match.group(1), "%Y-%m-%dT%H:%M:%S").replace(tzinfo=UTC)
    seconds = round(float(match.group(2) or 0) - delta)
    return (moved + timedelta(seconds=seconds)).strftime("%Y-%m-%dT%H:%M:%SZ")


def shift(value: Any, delta: float) -> Any:
    """A copy of ``value`` with every timestamp under a known time key moved by ``delta``."""
    return _shift(value, delta, {}, shift_stamp)


def unshift(value: Any, delta: float) -> Any:
    """A copy of a request body with its timestamps moved back to sim time."""
    return _shift(value, delta, {}, unshift_stamp)


def _shift(
    value: Any, delta: float, memo: dict[str, str], move: Callable[[str, float], str]
) -> Any:
    if isinstance(value, dict):
        out = {}
        for key, item in value.items():
            if key in TIME_KEYS and isinstance(item, str):
                moved = memo.get(item)
                if moved is None:
                    moved = memo[item] = move(item, delta)
                out[key] = moved
            elif isinstance(item, (dict, list)):
                out[key] = _shift(item, delta, memo, move)
            else:
                out[key] = item
        return out
    if isinstance(value, list):
        return [
            _shift(item, delta, memo, move) if isinstance(item, (dict, list)) else item
            for item in value
        ]
    return value
