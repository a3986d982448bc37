"""Deep copies of JSON values (the dicts, lists and scalars objects are made of)."""

from __future__ import annotations

from typing import Any


def copy_json(value: Any) -> Any:
    """A deep copy of a JSON value; scalars are immutable and shared, containers are new.

    Much faster than ``copy.deepcopy`` because it knows the value holds only dicts, lists
    and scalars (no memo table, no cycles).
    """
    if isinstance(value, dict):
        return {k: copy_json(v) for k, v in value.items()}
    if isinstance(value, list):
        return [copy_json(v) for v in value]
    return value
