"""Field selectors: the fields the real API server lets each kind select on, and matching.

Shared by the API server (``fieldSelector``) and the built-in kubectl (``--field-selector``).

Terms are an unordered AND joined by ``,``; values escape ``\\``, ``,`` and ``=`` with a
backslash (``fields.EscapeValue``); ``=``, ``==`` and ``!=`` are the operators.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

Obj = dict[str, Any]

_COMMON = ("metadata.name", "metadata.namespace")
SUPPORTED: dict[str, tuple[str, ...]] = {
    "Pod": (
        "spec.nodeName",
        "spec.restartPolicy",
        "spec.schedulerName",
        "spec.serviceAccountName",
        "spec.hostNetwork",
        "status.phase",
        "status.podIP",
        "status.nominatedNodeName",
    ),
    "Event": (
        "involvedObject.kind",
        "involvedObject.namespace",
        "involvedObject.name",
        "involvedObject.uid",
        "involvedObject.apiVersion",
        "involvedObject.resourceVersion",
        "involvedObject.fieldPath",
        "reason",
        "reportingComponent",
        "source",
        "type",
    ),
    "Node": ("spec.unschedulable",),
    "Namespace": ("status.phase",),
    "ReplicationController": ("status.replicas",),
    "ReplicaSet": ("status.replicas",),
}


class FieldSelectorError(ValueError):
    """A selector the server refuses (400)."""


@dataclass(frozen=True)
class Term:
    """One ``path op value`` requirement."""

    path: str
    equal: bool
    value: str


def _split(text: str, sep: str) -> list[str]:
    parts, current, escaped = [], [], False
    for char in text:
        if escaped:
            current.append("\\" + char)
            escaped = False
        elif char == "\\":
            escaped = True
        elif char == sep:
            parts.append("".join(current))
            current = []
        else:
            current.append(char)
    parts.append("".join(current))
    return parts


def _unescape(text: str) -> str:
    out, escaped = [], False
    for char in text:
        if escaped:
            out.append(char)
            escaped = False
        elif char == "\\":
            escaped = True
        else:
            out.append(char)
    return "".join(out)


def parse(text: str, kind: str) -> list[Term]:
    """The terms of ``text`` for ``kind``; FieldSelectorError for bad syntax or fields."""
    terms = []
    for part in _split(text, ","):
        if not part.strip():
            continue
        found = next(
            (
                (index, op, equal)
                for op, equal in (("!=", False), ("==", True), ("=", True))
                if (index := _find_unescaped(part, op)) >= 0
            ),
            None,
        )
        if found is None:
            raise FieldSelectorError(f"invalid selector: '{text}'; can't understand '{part}'")
        index, op, equal = found
        path, value = part[:index], part[index + len(op) :]
        path = path.strip()
        if path not in supported(kind):
            raise FieldSelectorError(f"field label not supported: {path}")
        terms.append(Term(path, equal, _unescape(value)))
    return terms


def _find_unescaped(text: str, op: str) -> int:
    index = 0
    while index < len(text):
        if text[index] == "\\":
            index += 2
            continue
        if text.startswith(op, index):
            return index
        index += 1
    return -1


def supported(kind: str) -> tuple[str, ...]:
    """The selectable fields of a kind."""
    return _COMMON + SUPPORTED.get(kind, ())


def field_value(obj: Obj, path: str) -> str:
    """The text a selector compares for ``path`` (booleans as ``true``/``false``)."""
    if path == "source":
        return str((obj.get("source") or {}).get("component") or "")
    current: Any = obj
    for part in path.split("."):
        current = current.get(part) if isinstance(current, dict) else None
    if isinstance(current, bool):
        return "true" if current else "false"
    if path == "spec.unschedulable" and current is None:
        return "false"
    return "" if current is None else str(current)


def matches(obj: Obj, terms: list[Term]) -> bool:
    """Whether ``obj`` satisfies every term."""
    return all((field_value(obj, t.path) == t.value) == t.equal for t in terms)
