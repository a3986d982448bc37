"""human_duration (reference §6.2) and the describe time helpers."""

from __future__ import annotations

import pytest

from k8stui.engine.clock import to_timestamp
from k8stui.kubectl.duration import event_age, human_duration, rfc1123z, since


@pytest.mark.parametrize(
    ("seconds", "expected"),
    [
        # the checked values listed in §6.2
        (119, "119s"),
        (130, "2m10s"),
        (600, "10m"),
        (10799, "179m"),
        (12600, "3h30m"),
        (172800, "2d"),
        (176400, "2d1h"),
        # every branch boundary
        (-2, "<invalid>"),
        (-1.5, "0s"),  # Go truncates toward zero: -1 is tolerated as clock skew
        (-1, "0s"),
        (0, "0s"),
        (0.999, "0s"),
        (59, "59s"),
        (120, "2m"),
        (599, "9m59s"),
        (3 * 3600, "3h"),
        (8 * 3600 - 1, "7h59m"),
        (8 * 3600, "8h"),
        (48 * 3600 - 1, "47h"),
        (8 * 86400 - 1, "7d23h"),
        (8 * 86400, "8d"),
        (400 * 86400, "400d"),
        (730 * 86400, "2y"),
        (731 * 86400, "2y1d"),
        (8 * 365 * 86400, "8y"),
        (20 * 365 * 86400, "20y"),
    ],
)
def test_human_duration(seconds: float, expected: str) -> None:
    assert human_duration(seconds) == expected


def test_since_and_unknown() -> None:
    assert since(to_timestamp(10_000), 140_000) == "2m10s"
    assert since(None, 0) == "<unknown>"
    assert since("", 0) == "<unknown>"


def test_event_age_forms() -> None:
    single = {"firstTimestamp": to_timestamp(0), "lastTimestamp": to_timestamp(0), "count": 1}
    assert event_age(single, 780_000) == "13m"
    repeated = {
        "firstTimestamp": to_timestamp(0),
        "lastTimestamp": to_timestamp(2_400_000),
        "count": 9,
    }
    assert event_age(repeated, 3_180_000) == "13m (x9 over 53m)"
    assert event_age({}, 0) == "<unknown>"


def test_rfc1123z() -> None:
    assert rfc1123z(to_timestamp(12_000)) == "Wed, 01 Jan 2025 00:00:12 +0000"
    assert rfc1123z(to_timestamp(86_400_000 * 5 + 3_723_000)) == "Mon, 06 Jan 2025 01:02:03 +0000"
    assert rfc1123z(None) == "Mon, 01 Jan 0001 00:00:00 +0000"  # Go's zero time
