"""The resource quantities an object carries, checked as the API server's decoder does.

A Quantity that does not parse makes the whole request undecodable (HTTP 400, before any
validation), so a pod asking for ``cpu: "1.5.3"`` is refused at the door instead of
reaching the scheduler.
"""

from __future__ import annotations

from typing import Any

from k8stui.engine.apimachinery.quantity import QuantityError, parse_quantity

Path = tuple[str | int, ...]

QUANTITY_FORMAT = (
    "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'"
)
# Maps of quantities (resource name -> amount), by the key that holds them and its parent's.
_MAPS = {
    ("resources", "limits"),
    ("resources", "requests"),
    ("status", "capacity"),
    ("status", "allocatable"),
    ("spec", "overhead"),
    ("spec", "hard"),
}
# Single quantities, by key and parent key.
_SINGLE = {("emptyDir", "sizeLimit")}
_KEYS = frozenset(key for _parent, key in _MAPS | _SINGLE)
"""The keys above alone: most keys are none of them, and a string's hash is cached."""


# A stack entry: the key or index a value sits under, the value, and its parent's entry.
# Paths are rebuilt from these links only for the quantity found bad, not for every node.
_Entry = tuple[str | int, Any, "_Entry | None"]


def bad_quantity(obj: Any) -> tuple[Path, str] | None:
    """The path and error text of the first malformed quantity in ``obj``, or None."""
    stack: list[_Entry] = [("", obj, None)]
    while stack:
        entry = stack.pop()
        parent, value, _up = entry
        if isinstance(value, dict):
            for key, item in reversed(value.items()):
                if key in _KEYS and (parent, key) in _MAPS and isinstance(item, dict):
                    for name, amount in item.items():
                        problem = _problem(amount)
                        if problem:
                            return (*_path(entry), key, name), problem
                elif key in _KEYS and (parent, key) in _SINGLE and item is not None:
                    problem = _problem(item)
                    if problem:
                        return (*_path(entry), key), problem
                elif isinstance(item, (dict, list)):  # scalars hold no quantity map
                    stack.append((key, item, entry))
        elif isinstance(value, list):
            for i in range(len(value) - 1, -1, -1):
                if isinstance(value[i], (dict, list)):
                    stack.append((i, value[i], entry))
    return None


def _path(entry: _Entry) -> Path:
    """The keys from the root down to ``entry``'s value (the root's own key is not one)."""
    keys: list[str | int] = []
    while entry[2] is not None:
        keys.append(entry[0])
        entry = entry[2]
    return tuple(reversed(keys))


def _problem(amount: Any) -> str | None:
    if not isinstance(amount, str | int | float) or isinstance(amount, bool):
        return None  # a wrong JSON type is the schema's (or validation's) to report
    try:
        parse_quantity(amount)
    except QuantityError as exc:
        return str(exc)
    return None


def decode_prefix(obj: Any) -> str:
    """``Pod in version "v1" cannot be handled as a Pod: `` (the decoder's lead-in)."""
    kind = str(obj.get("kind", "")) if isinstance(obj, dict) else ""
    version = str(obj.get("apiVersion", "")).rsplit("/", 1)[-1] if isinstance(obj, dict) else ""
    return f'{kind} in version "{version}" cannot be handled as a {kind}: '
