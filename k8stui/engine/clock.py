"""Simulated time: conversions between sim milliseconds and Kubernetes timestamps.

Sim time is an integer count of milliseconds since the cluster started; sim time 0 is
rendered as ``SIM_EPOCH`` so that timestamps look like a real cluster's.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from functools import lru_cache

SIM_EPOCH = datetime(2025, 1, 1, tzinfo=UTC)

MS = 1
SECOND = 1000
MINUTE = 60 * SECOND


def to_timestamp(ms: int) -> str:
    """Render sim time as an RFC 3339 timestamp with whole seconds (as the API server does)."""
    return _stamp(ms // 1000)


@lru_cache(maxsize=8192)
def _stamp(whole_seconds: int) -> str:
    return (SIM_EPOCH + timedelta(seconds=whole_seconds)).strftime("%Y-%m-%dT%H:%M:%SZ")


def from_timestamp(text: str) -> int:
    """Parse an RFC 3339 timestamp back into sim milliseconds (may be negative)."""
    parsed = datetime.fromisoformat(text.replace("Z", "+00:00"))
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return int((parsed - SIM_EPOCH).total_seconds() * 1000)


def to_datetime(ms: int) -> datetime:
    """Sim time as an aware ``datetime``."""
    return SIM_EPOCH + timedelta(milliseconds=ms)


def seconds(value: float) -> int:
    """Seconds to sim milliseconds."""
    return round(value * 1000)
