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

from k8stui.engine.names import uid_text

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


def freeze(obj: Obj, uid: int | None = None, version: int | None = None) -> Frozen | None:
    """``obj``'s values in one tuple when it has the recorder's shape, else None.

    ``uid`` and ``version``: the numbers the metadata's texts spell, when the caller made
    those texts from them (the store, at create), so they need not be parsed back.
    """
    if type(obj) is not dict or tuple(obj) != _KEYS:
        return None
    meta = obj["metadata"]
    if type(meta) is not dict or tuple(meta) != _META_KEYS:
        return None
    if uid is None:
        uid = _uid_number(meta["uid"])
    if version is None:
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


def frozen_event(
    name: str,
    namespace: str,
    uid: int,
    created: str,
    version: int,
    values: tuple[Any, ...],
) -> Frozen:
    """What :func:`freeze` makes of a recorder's Event with this metadata. ``values``: the
    Event's fields after ``metadata``, in the recorder's order (involvedObject to
    reportingInstance)."""
    return ("v1", "Event", name, namespace, uid, created, version, *values)


def event_dict(name: str, namespace: str, values: tuple[Any, ...]) -> Obj:
    """The recorder's Event as the dict it writes (before the store adds its metadata), from
    the values :func:`frozen_event` takes."""
    meta = {"name": name, "namespace": namespace}
    event: Obj = {"apiVersion": "v1", "kind": "Event", "metadata": meta}
    event.update(zip(_KEYS[3:], values, strict=True))
    return event


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
            "uid": uid_text(uid),
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
    """The number a uid spells, when :func:`uid_text` of it is exactly ``text`` (else None)."""
    if type(text) is not str or len(text) != 36 or not text.isascii():
        return None
    try:
        number = int(text.replace("-", ""), 16)
    except ValueError:
        return None
    return number if uid_text(number) == text else None


def _version_number(text: Any) -> int | None:
    """The number a resourceVersion spells, when ``str`` of it is exactly ``text`` (else None)."""
    if type(text) is not str or not text.isascii() or not text.isdigit():
        return None
    try:
        number = int(text)
    except ValueError:  # (more digits than int() converts)
        return None
    return number if str(number) == text else None
