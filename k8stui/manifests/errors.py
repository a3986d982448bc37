"""The one error type of the manifests layer: a message pinned to a file position."""

from __future__ import annotations

import re
from dataclasses import dataclass

_PATH_TOKEN = re.compile(r"\[(\d+)\]|\[([^\]]*)\]|\.?([^.\[]+)")


@dataclass(frozen=True)
class ManifestError:
    """A problem found in a manifest, located at ``filename:line:column``.

    ``line`` and ``column`` are 1-based. ``path`` is the field path in Kubernetes form
    (``spec.containers[0].image``) when the problem belongs to one field, else ``None``.
    """

    filename: str
    line: int
    column: int
    path: str | None
    message: str

    def __str__(self) -> str:
        return f"{self.filename}:{self.line}:{self.column}: {self.message}"


def format_path(path: tuple[str | int, ...]) -> str:
    """Render a path tuple the way the API server names fields: ``spec.containers[0].image``."""
    out: list[str] = []
    for part in path:
        if isinstance(part, int):
            out.append(f"[{part}]")
        elif out:
            out.append("." + part)
        else:
            out.append(part)
    return "".join(out)


def parse_path(text: str) -> tuple[str | int, ...]:
    """The inverse of format_path: ``spec.containers[0].image`` -> ("spec", "containers", 0,
    "image"); a bracketed non-number is a map key (``data[my.key]`` -> ("data", "my.key"))."""
    parts: list[str | int] = []
    for index, key, name in _PATH_TOKEN.findall(text):
        if index:
            parts.append(int(index))
        else:
            parts.append(key or name)
    return tuple(parts)
