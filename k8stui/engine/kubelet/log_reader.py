"""Reading a container's log as the kubelet does: tail, since, timestamps and a byte limit.

The kubelet seeks back ``tailLines`` lines from the end of the log file, then reads forward,
dropping lines stamped before ``since`` (so ``--tail`` is applied first, ``--since`` within
it), writes each line as ``<RFC 3339 time with nine fraction digits> <text>`` when asked for
timestamps, and stops after ``limitBytes`` bytes, cutting the last line. The built-in kubectl
and the API server's ``pods/log`` both read through here, so the two print the same lines.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from k8stui.engine.clock import SIM_EPOCH

TimedLine = tuple[int, str]
"""A log line and the sim time (ms) at which the runtime wrote it."""


@dataclass(frozen=True)
class LogQuery:
    """What a log read asks for (all optional, as in ``PodLogOptions``)."""

    tail: int | None = None
    """Only the last N lines (None: all)."""
    since_ms: int | None = None
    """Drop lines written before this sim time (None: keep all)."""
    timestamps: bool = False
    limit_bytes: int | None = None


def select(lines: list[TimedLine], query: LogQuery) -> list[TimedLine]:
    """The lines a read returns: the tail first, then the ``since`` filter."""
    if query.tail is not None and query.tail >= 0:
        lines = lines[len(lines) - query.tail :] if query.tail else []
    if query.since_ms is not None:
        since = query.since_ms
        lines = [line for line in lines if line[0] >= since]
    return lines


def log_stamp(ms: int, shift_seconds: float = 0.0) -> str:
    """The kubelet's time format (``2025-01-01T00:00:10.000000000Z``) for sim time ``ms``.

    ``shift_seconds`` moves the time onto another clock (the API renders sim time on the
    wall clock); the fraction keeps nine digits, as the kubelet's fixed format does.
    """
    nanos = ms * 1_000_000 + round(shift_seconds * 1e9)
    seconds, fraction = divmod(nanos, 1_000_000_000)
    moment = SIM_EPOCH + timedelta(seconds=seconds)
    return moment.strftime("%Y-%m-%dT%H:%M:%S") + f".{fraction:09d}Z"


def render(lines: list[TimedLine], timestamps: bool, shift_seconds: float = 0.0) -> bytes:
    """The bytes of ``lines`` as written to the client, one line break after each."""
    if timestamps:
        return "".join(f"{log_stamp(ms, shift_seconds)} {text}\n" for ms, text in lines).encode()
    return "".join(f"{text}\n" for _, text in lines).encode()


class ByteBudget:
    """What is left of ``limitBytes`` across the chunks of one (possibly followed) read."""

    def __init__(self, limit: int | None) -> None:
        self.remaining = limit

    @property
    def spent(self) -> bool:
        """True once the limit has been written in full."""
        return self.remaining is not None and self.remaining <= 0

    def take(self, data: bytes) -> bytes:
        """The part of ``data`` that still fits (the kubelet cuts the line that overflows)."""
        if self.remaining is None:
            return data
        data = data[: max(self.remaining, 0)]
        self.remaining -= len(data)
        return data
