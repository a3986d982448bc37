"""JSON values as Go sees them after decoding into ``interface{}``: type names, ``==``, ``%v``.

The patch libraries of the API server compare and print decoded JSON with Go's rules, and
their error texts show values that way (``map: map[image:nginx] does not contain declared
merge key: name``); these helpers reproduce the rules for Python's decoded JSON.
"""

from __future__ import annotations

import json
from collections.abc import Hashable
from typing import Any


def go_type(value: Any) -> str:
    """The Go type of a decoded JSON value (``map[string]interface {}``, ``float64``, ...)."""
    if isinstance(value, dict):
        return "map[string]interface {}"
    if isinstance(value, list):
        return "[]interface {}"
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, int | float):
        return "float64"
    if isinstance(value, str):
        return "string"
    return "<nil>"


def go_equal(a: Any, b: Any) -> bool:
    """Go's ``reflect.DeepEqual`` on decoded JSON: same types throughout (``true`` is not ``1``)."""
    if go_type(a) != go_type(b):
        return False
    if isinstance(a, dict):
        return a.keys() == b.keys() and all(go_equal(a[k], b[k]) for k in a)
    if isinstance(a, list):
        return len(a) == len(b) and all(go_equal(x, y) for x, y in zip(a, b, strict=True))
    return bool(a == b)


def go_format(value: Any) -> str:
    """A decoded JSON value as Go's ``%v`` prints it."""
    if isinstance(value, dict):
        inner = " ".join(f"{k}:{go_format(value[k])}" for k in sorted(value))
        return f"map[{inner}]"
    if isinstance(value, list):
        return "[" + " ".join(go_format(v) for v in value) + "]"
    if value is None:
        return "<nil>"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e21:
        return str(int(value))
    return str(value)


def go_key(value: Any) -> Hashable:
    """A hashable stand-in for ``value``: equal keys for Go-equal scalars (``1`` is ``1.0``,
    not ``true``), and for objects and arrays with the same JSON text."""
    if isinstance(value, dict | list):
        return ("json", json.dumps(value, sort_keys=True))
    return (go_type(value), value)


def unique(items: list[Any]) -> list[Any]:
    """``items`` without repeats (Go equality), first occurrences kept in order."""
    seen: set[Hashable] = set()
    out: list[Any] = []
    for item in items:
        key = go_key(item)
        if key not in seen:
            seen.add(key)
            out.append(item)
    return out
