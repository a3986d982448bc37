"""Go's ``time.Duration.String`` for the engine's millisecond durations.

Kubelet events quote durations this way (``Successfully pulled image ... in 2.1s``,
``Back-off 40s restarting failed container``), so the text must match Go's exactly.
"""

from __future__ import annotations


def go_duration(ms: int) -> str:
    """Format milliseconds like Go's ``time.Duration.String`` (``0s``, ``512ms``, ``1m20s``)."""
    if ms == 0:
        return "0s"
    if ms < 1000:
        return f"{ms}ms"
    total_s, rem_ms = divmod(ms, 1000)
    hours, rest = divmod(total_s, 3600)
    minutes, secs = divmod(rest, 60)
    frac = f".{rem_ms:03d}".rstrip("0") if rem_ms else ""
    text = f"{secs}{frac}s"
    if hours:
        return f"{hours}h{minutes}m{text}"
    if minutes:
        return f"{minutes}m{text}"
    return text
