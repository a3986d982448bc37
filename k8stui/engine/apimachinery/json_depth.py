"""How deeply a JSON value nests, measured without recursion (hostile input stays cheap)."""

from __future__ import annotations

from typing import Any

MAX_DEPTH = 64
"""Deepest nesting the patch and apply functions accept (real objects stay far below it)."""


def within_depth(value: Any, limit: int = MAX_DEPTH) -> bool:
    """True when ``value`` nests at most ``limit`` objects/arrays deep."""
    stack = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict):
            children: Any = item.values()
        elif isinstance(item, list):
            children = item
        else:
            continue
        if depth > limit:
            return False
        stack.extend((child, depth + 1) for child in children)
    return True
