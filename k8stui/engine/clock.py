"""Simulated time: conversions between sim milliseconds and Kubernetes timestamps.

Sim time is an integer count of milliseconds since the cluster started; sim time 0 is
rendered as ``SIM_EPOCH`` so that timestamps look like a real cluster's.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from functools import lru_cache

SIM_EPOCH = datetime(2025, 1, 1, tzinfo=UTC)
LATEST = datetime(9999, 12, 31, 23, 59, 59, tzinfo=UTC)
"""The last second an RFC 3339 timestamp can show (years have four digits)."""
MAX_MS = int((LATEST - SIM_EPOCH).total_seconds()) * 1000
"""The latest sim time: the clock never moves past it, and later deadlines are never due."""
MAX_DURATION_MS = (2**63 - 1) // 1_000_000
"""Go's longest ``time.Duration`` (2562047h47m16.854775807s), in whole milliseconds."""

MS = 1
SECOND = 1000
MINUTE = 60 * SECOND


def to_timestamp(ms: int) -> str:
    """Render sim time as an RFC 3339 timestamp with whole seconds (as the API server does).

    Times past :data:`MAX_MS` (a deadline an absurd grace period puts beyond year 9999)
    show as the latest representable second rather than overflowing.
    """
    return _stamp(min(ms, MAX_MS) // 1000)


# Writes stamp the current second again and again; a small cache covers that without
# growing with a long run's every distinct second (8192 entries were ~2 MB).
@lru_cache(maxsize=1024)
def _stamp(whole_seconds: int) -> str:
    return (SIM_EPOCH + timedelta(seconds=whole_seconds)).strftime("%Y-%m-%dT%H:%M:%SZ")


def from_timestamp(text: str) -> int:
    """Parse an RFC 3339 timestamp back into sim milliseconds (may be negative)."""
    parsed = datetime.fromisoformat(text.replace("Z", "+00:00"))
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return int((parsed - SIM_EPOCH).total_seconds() * 1000)


def to_datetime(ms: int) -> datetime:
    """Sim time as an aware ``datetime`` (clamped to :data:`LATEST`)."""
    return SIM_EPOCH + timedelta(milliseconds=min(ms, MAX_MS))


def seconds(value: float) -> int:
    """Seconds to sim milliseconds."""
    return round(value * 1000)


class ClockError(ValueError):
    """A duration or time the simulated clock cannot represent (the message says why)."""


def go_duration_text(ms: int) -> str:
    """A duration the way Go prints it, for limits (``2562047h47m16.854s``)."""
    hours, rest = divmod(ms, 3_600_000)
    minutes, rest = divmod(rest, 60_000)
    secs, millis = divmod(rest, 1000)
    frac = f".{millis:03d}".rstrip("0").rstrip(".")
    return f"{hours}h{minutes}m{secs}{frac}s"


def checked_duration_ms(seconds: float, now_ms: int | None = None) -> int:
    """``seconds`` as sim ms, refusing what Kubernetes could not hold either.

    Negative, infinite and NaN durations and those longer than Go's ``time.Duration``
    (about 292 years) raise ClockError; so does one that would carry the clock (from
    ``now_ms``, when given) past the last second a timestamp can show.
    """
    if seconds != seconds or seconds in (float("inf"), float("-inf")):
        raise ClockError(f"a duration must be a finite number of seconds, not {seconds}")
    if seconds < 0:
        raise ClockError("cannot go back in time")
    if seconds * 1000 > MAX_DURATION_MS:
        raise ClockError(
            f"a duration is at most {go_duration_text(MAX_DURATION_MS)} (Go's time.Duration)"
        )
    ms = round(seconds * 1000)
    if now_ms is not None and now_ms + ms > MAX_MS:
        raise ClockError(f"the simulated clock cannot pass {LATEST:%Y-%m-%dT%H:%M:%SZ}")
    return ms
