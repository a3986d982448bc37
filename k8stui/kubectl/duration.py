"""Time rendering shared by ``get`` and ``describe``.

``human_duration`` is a port of apimachinery's ``duration.HumanDuration`` (reference §6.2); the
other helpers reproduce kubectl's ``translateTimestampSince``, the describe events "Age" cell and
Go's ``time.RFC1123Z`` layout.
"""

from __future__ import annotations

import math
from functools import lru_cache
from typing import Any

from k8stui.engine.clock import from_timestamp, to_datetime

_DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
# What Go prints for a zero time.Time formatted as RFC1123Z (kubectl shows it for unset times).
ZERO_TIME_RFC1123Z = "Mon, 01 Jan 0001 00:00:00 +0000"


def human_duration(seconds: float) -> str:
    """Render a duration the way ``kubectl get`` renders AGE (``119s``, ``2m10s``, ``3h30m``)."""
    whole = math.trunc(seconds)  # Go's int(d.Seconds()) truncates toward zero
    if whole < -1:
        return "<invalid>"
    if whole < 0:
        return "0s"
    if whole < 120:
        return f"{whole}s"
    minutes = whole // 60
    if minutes < 10:
        secs = whole % 60
        return f"{minutes}m" if secs == 0 else f"{minutes}m{secs}s"
    if minutes < 180:
        return f"{minutes}m"
    hours = whole // 3600
    if hours < 8:
        mins = minutes % 60
        return f"{hours}h" if mins == 0 else f"{hours}h{mins}m"
    if hours < 48:
        return f"{hours}h"
    if hours < 24 * 8:
        rem = hours % 24
        return f"{hours // 24}d" if rem == 0 else f"{hours // 24}d{rem}h"
    if hours < 24 * 365 * 2:
        return f"{hours // 24}d"
    if hours < 24 * 365 * 8:
        days = (hours // 24) % 365
        years = hours // 24 // 365
        return f"{years}y" if days == 0 else f"{years}y{days}d"
    return f"{hours // 24 // 365}y"


@lru_cache(maxsize=4096)
def timestamp_ms(text: str) -> int:
    """Sim milliseconds of an RFC 3339 timestamp (cached: tables parse the same stamps often)."""
    return from_timestamp(text)


def since(timestamp: Any, now_ms: int) -> str:
    """kubectl's ``translateTimestampSince``: human age of a timestamp, ``<unknown>`` if unset."""
    if not timestamp or not isinstance(timestamp, str):
        return "<unknown>"
    try:
        then = timestamp_ms(timestamp)
    except ValueError:
        return "<unknown>"
    return human_duration((now_ms - then) / 1000)


def event_age(event: dict[str, Any], now_ms: int) -> str:
    """The describe events "Age" cell: ``13m`` or ``13m (x9 over 53m)`` (``DescribeEvents``)."""
    first = since(event.get("eventTime"), now_ms)
    if not event.get("eventTime"):
        first = since(event.get("firstTimestamp"), now_ms)
    series = event.get("series")
    if isinstance(series, dict) and series:
        last = since(series.get("lastObservedTime"), now_ms)
        return f"{last} (x{series.get('count', 0)} over {first})"
    count = event.get("count") or 0
    if isinstance(count, int) and count > 1:
        return f"{since(event.get('lastTimestamp'), now_ms)} (x{count} over {first})"
    return first


def rfc1123z(timestamp: Any) -> str:
    """Format an RFC 3339 timestamp like Go's ``time.RFC1123Z`` (``Wed, 01 Jan 2025 ... +0000``)."""
    if not timestamp or not isinstance(timestamp, str):
        return ZERO_TIME_RFC1123Z
    try:
        moment = to_datetime(timestamp_ms(timestamp))
    except ValueError:
        return ZERO_TIME_RFC1123Z
    return (
        f"{_DAYS[moment.weekday()]}, {moment.day:02d} {_MONTHS[moment.month - 1]} "
        f"{moment.year:04d} {moment.hour:02d}:{moment.minute:02d}:{moment.second:02d} +0000"
    )
