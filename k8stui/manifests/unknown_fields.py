"""Unknown fields the strict decoder names, and dropping them as the lenient decoder does.

Both the API server (``fieldValidation=Warn|Ignore``) and kubectl (``--validate=warn|ignore``)
accept an object whose only problems are unknown fields, without those fields.
"""

from __future__ import annotations

import re
from typing import Any

_UNKNOWN = re.compile(r'unknown field "([^"]+)"')
_STEP = re.compile(r"([^.\[\]]+)|\[(\d+)\]")


def unknown_fields(messages: list[str]) -> list[str]:
    """The decoder paths (``spec.containers[0].extra``) the strict-decoding messages name."""
    return [path for message in messages for path in _UNKNOWN.findall(message)]


def drop_field(obj: dict[str, Any], path: str) -> None:
    """Remove the field at a decoder path from ``obj`` if it is there."""
    steps: list[str | int] = [int(index) if index else key for key, index in _STEP.findall(path)]
    node: Any = obj
    for step in steps[:-1]:
        if isinstance(step, int):
            node = node[step] if isinstance(node, list) and step < len(node) else None
        else:
            node = node.get(step) if isinstance(node, dict) else None
        if node is None:
            return
    last = steps[-1] if steps else None
    if isinstance(node, dict) and isinstance(last, str):
        node.pop(last, None)
