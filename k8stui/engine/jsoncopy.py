"""Deep copies of JSON values (the dicts, lists and scalars objects are made of)."""

from __future__ import annotations

from typing import Any

# Leaves are copied inline rather than by a call each: most of a manifest's values are these.
_SCALARS = frozenset({str, int, float, bool, type(None)})


def copy_json(value: Any) -> Any:
    """A deep copy of a JSON value; scalars are immutable and shared, containers are new.

    Much faster than ``copy.deepcopy`` because it knows the value holds only dicts, lists
    and scalars (no memo table, no cycles).
    """
    if isinstance(value, dict):
        return {k: v if type(v) in _SCALARS else copy_json(v) for k, v in value.items()}
    if isinstance(value, list):
        return [v if type(v) in _SCALARS else copy_json(v) for v in value]
    return value
