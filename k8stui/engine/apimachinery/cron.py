"""CronJob schedules: robfig/cron's standard syntax, its error texts, and next-run times.

Kubernetes parses ``spec.schedule`` with robfig/cron v3 ``ParseStandard``: five fields
(minute hour day-of-month month day-of-week) with ``*``, ``?``, lists, ranges, steps and
month/day names, or a ``@yearly``-style descriptor. :func:`schedule_error` reproduces that
parser's error messages (the API server prints them in the validation error); iteration uses
croniter. Two robfig rules are kept on top of croniter: a wall-clock time that does not exist
(skipped by a spring-forward DST change) is not run that day, and a day matches when either
day field matches if both are restricted.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from croniter import croniter

from k8stui.engine.clock import SIM_EPOCH, to_datetime

DESCRIPTORS = {
    "@yearly": "0 0 1 1 *",
    "@annually": "0 0 1 1 *",
    "@monthly": "0 0 1 * *",
    "@weekly": "0 0 * * 0",
    "@daily": "0 0 * * *",
    "@midnight": "0 0 * * *",
    "@hourly": "0 * * * *",
}
_MONTHS = {
    m: i + 1
    for i, m in enumerate(
        ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]
    )
}
_DAYS = {d: i for i, d in enumerate(["sun", "mon", "tue", "wed", "thu", "fri", "sat"])}
_BOUNDS: tuple[tuple[int, int, dict[str, int]], ...] = (
    (0, 59, {}),
    (0, 23, {}),
    (1, 31, {}),
    (1, 12, _MONTHS),
    (0, 6, _DAYS),
)
_INT = re.compile(r"[+-]?[0-9]+\Z")


class ScheduleError(ValueError):
    """A schedule robfig/cron refuses; the text is robfig's."""


def _number(text: str, names: dict[str, int]) -> int:
    if text.lower() in names:
        return names[text.lower()]
    if not _INT.match(text):
        raise ScheduleError(
            f'failed to parse int from {text}: strconv.Atoi: parsing "{text}": invalid syntax'
        )
    value = int(text)
    if value < 0:
        raise ScheduleError(f"negative number ({value}) not allowed: {text}")
    return value


def _check_range(expr: str, low: int, high: int, names: dict[str, int]) -> None:
    range_and_step = expr.split("/")
    low_high = range_and_step[0].split("-")
    single = len(low_high) == 1
    if low_high[0] in ("*", "?"):
        start, end = low, high
    else:
        start = _number(low_high[0], names)
        if len(low_high) == 1:
            end = start
        elif len(low_high) == 2:
            end = _number(low_high[1], names)
        else:
            raise ScheduleError(f"too many hyphens: {expr}")
    if len(range_and_step) == 2:
        step = _number(range_and_step[1], {})
        if single and low_high[0] not in ("*", "?"):
            end = high  # "N/step" means N-max/step
    elif len(range_and_step) > 2:
        raise ScheduleError(f"too many slashes: {expr}")
    else:
        step = 1
    if start < low:
        raise ScheduleError(f"beginning of range ({start}) below minimum ({low}): {expr}")
    if end > high:
        raise ScheduleError(f"end of range ({end}) above maximum ({high}): {expr}")
    if start > end:
        raise ScheduleError(f"beginning of range ({start}) beyond end of range ({end}): {expr}")
    if step == 0:
        raise ScheduleError(f"step of range should be a positive number: {expr}")


@lru_cache(maxsize=256)  # every sync of a CronJob asks again
def standard_form(schedule: str) -> str:
    """The five-field form of ``schedule`` (descriptors expanded); raises :class:`ScheduleError`."""
    text = schedule.strip()
    if not text:
        raise ScheduleError("empty spec string")
    if text.startswith("@"):
        if text in DESCRIPTORS:
            return DESCRIPTORS[text]
        raise ScheduleError(f"unrecognized descriptor: {text}")
    fields = text.split()
    if len(fields) != 5:
        raise ScheduleError(f"expected exactly 5 fields, found {len(fields)}: [{' '.join(fields)}]")
    for field, (low, high, names) in zip(fields, _BOUNDS, strict=True):
        for part in field.split(","):
            _check_range(part, low, high, names)
    return " ".join("*" if f == "?" else f for f in fields)


def schedule_error(schedule: str) -> str | None:
    """robfig's message for a schedule it cannot parse, or None when it is valid."""
    try:
        standard_form(schedule)
    except ScheduleError as exc:
        return str(exc)
    return None


def zone(name: str | None) -> ZoneInfo | None:
    """The IANA zone ``name`` (None means the controller manager's zone, UTC here)."""
    if name is None:
        return ZoneInfo("UTC")
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return None


@lru_cache(maxsize=256)
def next_after(schedule: str, tz: ZoneInfo, after_ms: int) -> int:
    """Sim ms of the first run strictly after sim time ``after_ms`` (a pure function, cached:
    a CronJob's syncs ask the same question several times per run, and only about the
    latest runs, so a small cache serves many CronJobs without growing with their runs)."""
    expr = standard_form(schedule)
    # robfig works in whole seconds: the next run is at least one second later.
    start = to_datetime(after_ms).astimezone(tz).replace(microsecond=0)
    it = _iterator(expr, str(tz.key))
    it.set_current(start, force=True)
    fields = _expanded(expr)
    for _ in range(1000):
        candidate: datetime = it.get_next(datetime)
        wall = candidate.replace(tzinfo=None)
        if _matches(fields, wall) and _exists(wall, tz):
            return int((candidate - SIM_EPOCH).total_seconds() * 1000)
    raise ScheduleError(f"no run time found for {schedule}")


@lru_cache(maxsize=256)
def _iterator(expr: str, zone_name: str) -> croniter:
    # Building a croniter parses the expression (slow); one per schedule is reused.
    return croniter(expr, datetime(2025, 1, 1, tzinfo=ZoneInfo(zone_name)))


Fields = tuple[frozenset[int] | None, ...]


@lru_cache(maxsize=256)
def _expanded(expr: str) -> Fields:
    """Minute, hour, day-of-month, month and day-of-week sets (None for ``*``)."""
    expanded, _nth = croniter.expand(expr)
    out = []
    for values in expanded:
        out.append(None if values == ["*"] else frozenset(int(v) for v in values))
    return tuple(out)


def _matches(fields: Fields, wall: datetime) -> bool:
    """Whether the wall-clock time is one the schedule names (robfig's day rule)."""
    minute, hour, dom, month, dow = fields
    if minute is not None and wall.minute not in minute:
        return False
    if hour is not None and wall.hour not in hour:
        return False
    if month is not None and wall.month not in month:
        return False
    weekday = wall.isoweekday() % 7
    dom_ok = dom is None or wall.day in dom
    dow_ok = dow is None or weekday in dow or (weekday == 0 and 7 in dow)
    if dom is not None and dow is not None:
        return dom_ok or dow_ok  # both restricted: either day field may match
    return dom_ok and dow_ok


def _exists(wall: datetime, tz: ZoneInfo) -> bool:
    """Whether a naive wall-clock time exists in ``tz`` (not inside a spring-forward gap)."""
    aware = wall.replace(tzinfo=tz)
    round_trip = aware.astimezone(UTC).astimezone(tz).replace(tzinfo=None)
    return round_trip == wall


def times_between(
    schedule: str, tz: ZoneInfo, after_ms: int, until_ms: int, limit: int
) -> list[int]:
    """Run times in ``(after_ms, until_ms]``, at most ``limit + 1`` of them (to detect "too many")."""
    found: list[int] = []
    at = after_ms
    while len(found) <= limit:
        at = next_after(schedule, tz, at)
        if at > until_ms:
            break
        found.append(at)
    return found


def format_in_zone(ms: int, tz: ZoneInfo) -> str:
    """RFC 3339 text of sim time ``ms`` in ``tz`` (``2025-01-01T09:00:00+01:00``, ``Z`` in UTC)."""
    moment = to_datetime(ms).astimezone(tz)
    if moment.utcoffset() == timedelta(0):
        return moment.strftime("%Y-%m-%dT%H:%M:%SZ")
    return moment.isoformat(timespec="seconds")


def unix_minutes(ms: int) -> int:
    """Minutes since the Unix epoch at sim time ``ms`` (CronJob names its Jobs with this)."""
    return int(to_datetime(ms).timestamp()) // 60
