"""The compact stored form of Events shaped as the recorder writes them.

Events are most of a big cluster's objects (every pod gets about five, kept an hour). One of
the recorder's shape held as a 14-key dict and a 5-key ``metadata`` dict costs ~650 bytes of
containers; the same values in one tuple cost 184, and its uid and resourceVersion held as the
numbers they spell ~70 less. The store keeps such Events as that tuple and reads them back as a
dict equal to the one written, with the same key order and texts; an Event of any other shape
(users may write other fields through the API) is kept as written.
"""

from __future__ import annotations

from typing import Any

Obj = dict[str, Any]
Frozen = tuple[Any, ...]

_KEYS = (
    "apiVersion",
    "kind",
    "metadata",
    "involvedObject",
    "reason",
    "message",
    "source",
    "firstTimestamp",
    "lastTimestamp",
    "count",
    "type",
    "eventTime",
    "reportingComponent",
    "reportingInstance",
)
_META_KEYS = ("name", "namespace", "uid", "creationTimestamp", "resourceVersion")


def freeze(obj: Obj) -> Frozen | None:
    """``obj``'s values in one tuple when it has the recorder's shape, else None."""
    if type(obj) is not dict or tuple(obj) != _KEYS:
        return None
    meta = obj["metadata"]
    if type(meta) is not dict or tuple(meta) != _META_KEYS:
        return None
    uid = _uid_number(meta["uid"])
    version = _version_number(meta["resourceVersion"])
    if uid is None or version is None:
        return None
    values = tuple(obj.values())
    return (
        *values[:2],
        meta["name"],
        meta["namespace"],
        uid,
        meta["creationTimestamp"],
        version,
        *values[3:],
    )


def thaw(frozen: Frozen) -> Obj:
    """The Event dict that :func:`freeze` was given (equal, in the same key order)."""
    (
        api_version,
        kind,
        name,
        namespace,
        uid,
        created,
        version,
        involved,
        reason,
        message,
        source,
        first,
        last,
        count,
        type_,
        event_time,
        component,
        instance,
    ) = frozen
    return {
        "apiVersion": api_version,
        "kind": kind,
        "metadata": {
            "name": name,
            "namespace": namespace,
            "uid": _uid_text(uid),
            "creationTimestamp": created,
            "resourceVersion": str(version),
        },
        "involvedObject": involved,
        "reason": reason,
        "message": message,
        "source": source,
        "firstTimestamp": first,
        "lastTimestamp": last,
        "count": count,
        "type": type_,
        "eventTime": event_time,
        "reportingComponent": component,
        "reportingInstance": instance,
    }


def _uid_number(text: Any) -> int | None:
    """The number a uid spells, when :func:`_uid_text` of it is exactly ``text`` (else None)."""
    if type(text) is not str or len(text) != 36 or not text.isascii():
        return None
    try:
        number = int(text.replace("-", ""), 16)
    except ValueError:
        return None
    return number if _uid_text(number) == text else None


def _uid_text(number: int) -> str:
    """A uid's text from its number (the layout of ``names.new_uid``)."""
    h = f"{number:032x}"
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"


def _version_number(text: Any) -> int | None:
    """The number a resourceVersion spells, when ``str`` of it is exactly ``text`` (else None)."""
    if type(text) is not str or not text.isascii() or not text.isdigit():
        return None
    try:
        number = int(text)
    except ValueError:  # (more digits than int() converts)
        return None
    return number if str(number) == text else None
