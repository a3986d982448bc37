"""The Docker CLI's text for image listings: ``docker images`` and ``docker history``."""

from __future__ import annotations

from collections.abc import Container
from dataclasses import dataclass

from k8stui.engine.images.model import Image, short_id


@dataclass(frozen=True)
class ImageRow:
    """One row of ``docker images``."""

    repository: str
    tag: str
    image_id: str
    created: int
    size: int


def images_table(rows: list[ImageRow], now_ms: int) -> str:
    """``docker images`` as the CLI prints it."""
    table = [["REPOSITORY", "TAG", "IMAGE ID", "CREATED", "SIZE"]]
    for row in rows:
        created = human_duration(now_ms - row.created) + " ago"
        table.append([row.repository, row.tag, row.image_id, created, human_size(row.size, 3)])
    return _tabulate(table)


def history_table(image: Image, local_ids: Container[str], now_ms: int) -> str:
    """``docker history``: layers newest first, ``<missing>`` for ones not stored locally."""
    table = [["IMAGE", "CREATED", "CREATED BY", "SIZE", "COMMENT"]]
    for layer in reversed(image.layers):
        shown = short_id(layer.id) if layer.id in local_ids else "<missing>"
        created = human_duration(now_ms - layer.created) + " ago"
        by = layer.created_by if len(layer.created_by) <= 45 else layer.created_by[:44] + "…"
        table.append([shown, created, by, human_size(layer.size, 3), layer.comment])
    return _tabulate(table)


def human_size(size: int, precision: int) -> str:
    """go-units' HumanSizeWithPrecision: decimal units, ``precision`` significant digits."""
    value, units = float(size), ["B", "kB", "MB", "GB", "TB", "PB"]
    index = 0
    while value >= 1000 and index < len(units) - 1:
        value /= 1000
        index += 1
    return f"{value:.{precision}g}{units[index]}"


def human_duration(ms: int) -> str:
    """go-units' HumanDuration, as ``docker images`` prints CREATED (without " ago")."""
    seconds = ms // 1000
    if seconds < 1:
        return "Less than a second"
    if seconds == 1:
        return "1 second"
    if seconds < 60:
        return f"{seconds} seconds"
    minutes = seconds // 60
    if minutes == 1:
        return "About a minute"
    if minutes < 60:
        return f"{minutes} minutes"
    hours = int(ms / 3_600_000 + 0.5)
    if hours == 1:
        return "About an hour"
    if hours < 48:
        return f"{hours} hours"
    if hours < 24 * 7 * 2:
        return f"{hours // 24} days"
    if hours < 24 * 30 * 2:
        return f"{hours // 24 // 7} weeks"
    if hours < 24 * 365 * 2:
        return f"{hours // 24 // 30} months"
    return f"{int(ms / 3_600_000 / 24 / 365)} years"


def _tabulate(rows: list[list[str]]) -> str:
    # Go's tabwriter as the Docker CLI sets it up: min width 10, padding 3, last column bare.
    widths = [max(10, *(len(row[i]) + 3 for row in rows)) for i in range(len(rows[0]) - 1)]
    out = []
    for row in rows:
        cells = [cell.ljust(width) for cell, width in zip(row, widths, strict=False)]
        out.append(("".join(cells) + row[-1]).rstrip())
    return "\n".join(out)
