"""kubectl's own log lines (klog), as it writes them to stderr.

``W1203 17:48:50.364452    4242 helpers.go:716] message``: the severity letter, month and
day, the time to the microsecond, the process id right-aligned in seven columns, and the
Go source line that logged it. The time is the simulated clock's; the process id is fixed,
so the same session prints the same lines.
"""

from __future__ import annotations

from datetime import UTC, datetime

from k8stui.engine.clock import SIM_EPOCH

PID = 4242
"""The process id every simulated kubectl logs with."""


def klog_line(severity: str, now_ms: int, source: str, message: str) -> str:
    """One log line: ``severity`` is ``I``, ``W`` or ``E``; ``source`` is ``file.go:line``."""
    when = datetime.fromtimestamp(SIM_EPOCH.timestamp() + now_ms / 1000, UTC)
    return f"{severity}{when:%m%d %H:%M:%S.%f} {PID:>7} {source}] {message}"
