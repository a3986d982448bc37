"""Checks shared by the kinds' rules: each appends the field errors it finds to ``errs``.

Objects may be malformed anywhere (validation runs on what the user posted), so the
accessors here read a value as a dict or list, or as empty when it is something else.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, TypeGuard

from k8stui.engine.apiserver.validation.field_errors import (
    INVALID,
    REQUIRED,
    UNSUPPORTED,
    FieldError,
    go_quote,
)
from k8stui.engine.apiserver.validation.names import label_value, qualified_name

Obj = dict[str, Any]

MSG_PORT_RANGE = "must be between 1 and 65535, inclusive"
MSG_NONNEGATIVE = "must be greater than or equal to 0"


def as_dict(value: Any) -> Obj:
    """``value`` if it is a dict, else an empty one."""
    return value if isinstance(value, dict) else {}


def as_list(value: Any) -> list[Any]:
    """``value`` if it is a list, else an empty one."""
    return value if isinstance(value, list) else []


def is_int(value: Any) -> TypeGuard[int]:
    """True for a JSON integer (``bool`` is an ``int`` in Python but not in JSON)."""
    return isinstance(value, int) and not isinstance(value, bool)


def str_map(value: Any) -> dict[str, str]:
    """The string-valued entries of ``value`` read as a dict (a label map)."""
    return {k: v for k, v in as_dict(value).items() if isinstance(v, str)}


def add_invalid(errs: list[FieldError], path: str, value: Any, messages: Iterable[str]) -> None:
    """One ``Invalid value`` error at ``path`` per message."""
    if messages:  # nearly always none: skip building the generator
        errs.extend(FieldError(path, INVALID, value, m) for m in messages)


def check_enum(errs: list[FieldError], path: str, value: Any, allowed: list[str]) -> None:
    """``value`` must be one of ``allowed``; an absent value is left to defaulting."""
    if value is None:
        return  # defaulted by the server
    if value == "":
        errs.append(FieldError(path, REQUIRED))
    elif value not in allowed:
        supported = ", ".join(go_quote(a) for a in allowed)
        errs.append(FieldError(path, UNSUPPORTED, value, f"supported values: {supported}"))


def check_nonnegative(errs: list[FieldError], path: str, value: Any) -> None:
    """An integer ``value`` must be 0 or more."""
    if is_int(value) and value < 0:
        errs.append(FieldError(path, INVALID, value, MSG_NONNEGATIVE))


def check_port_number(errs: list[FieldError], path: str, value: Any) -> None:
    """An integer ``value`` must be a port number (1-65535)."""
    if is_int(value) and not 1 <= value <= 65535:
        errs.append(FieldError(path, INVALID, value, MSG_PORT_RANGE))


def validate_labels(labels: Any, path: str) -> list[FieldError]:
    """Label keys must be qualified names and values valid label values."""
    found = as_dict(labels)
    try:
        items: tuple[tuple[Any, Any], ...] | None = tuple(found.items())
        if items in _VALID_LABELS:
            return []
    except TypeError:  # an unhashable value where a string belongs: never remembered
        items = None
    errs: list[FieldError] = []
    for key, value in found.items():
        add_invalid(errs, path, key, qualified_name(key))
        if isinstance(value, str):
            add_invalid(errs, path, value, label_value(value))
    if _rememberable(items, errs):
        if len(_VALID_LABELS) >= VALID_LABELS_KEPT:
            del _VALID_LABELS[next(iter(_VALID_LABELS))]
        _VALID_LABELS[items] = None
    return errs


VALID_LABELS_KEPT = 1024
"""Label maps remembered as valid (the oldest is forgotten first)."""
_LABELS_REMEMBERED_UP_TO = 64
# Label maps that passed, as their items in order (only strings: a remembered map never
# equals one holding another type). The pods of one ReplicaSet carry the same labels, and a
# map's errors depend on its items alone, so an equal map passes again.
_VALID_LABELS: dict[tuple[tuple[Any, Any], ...], None] = {}


def _rememberable(
    items: tuple[tuple[Any, Any], ...] | None, errs: list[FieldError]
) -> TypeGuard[tuple[tuple[Any, Any], ...]]:
    """A map that passed, short and of strings only, is worth remembering."""
    return (
        not errs
        and items is not None
        and len(items) <= _LABELS_REMEMBERED_UP_TO
        and all(type(k) is str and type(v) is str for k, v in items)
    )
