"""The ``{placeholders}`` in a process's texts (logs, HTTP answers, written files).

Values such as ``{hostname}``, ``{date}`` or ``{client_ip}`` are known only when a pod prints
the text, so a resolved process keeps templates and the runtime fills them in.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import UTC, datetime, timedelta

# Sim time 0 in wall-clock terms (mirrors clock.SIM_EPOCH without importing the clock's API).
_EPOCH = datetime(2025, 1, 1, tzinfo=UTC)
_PLACEHOLDER = re.compile(r"\{([a-z_]+)\}")


def render_template(text: str, values: Mapping[str, str]) -> str:
    """Fill ``{name}`` placeholders found in ``values``; leave any other braces untouched."""
    return _PLACEHOLDER.sub(lambda m: values.get(m.group(1), m.group(0)), text)


def unix_date(ms: int) -> str:
    """What ``date`` prints at sim time ``ms`` (``Wed Jan  1 00:00:10 UTC 2025``)."""
    moment = _EPOCH + timedelta(milliseconds=ms)
    return moment.strftime("%a %b ") + f"{moment.day:2d}" + moment.strftime(" %H:%M:%S UTC %Y")
