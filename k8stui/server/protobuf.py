"""Decoder for Kubernetes protobuf request bodies (``application/vnd.kubernetes.protobuf``).

Wiring (server): for a create/update body with that content type,
``obj = decode(body)`` gives the object as the JSON form would (``apiVersion`` and ``kind``
from the envelope first, then ``metadata``, ``spec``, ...); ``ProtobufError`` (a
``ValueError``) carries a one-line reason for a 400 ``BadRequest``. No protobuf encoder exists:
kubectl accepts JSON answers to its ``Accept: application/vnd.kubernetes.protobuf,
application/json`` requests, so the server always answers JSON.

The wire format: the 4 bytes ``k8s\\x00``, then a ``runtime.Unknown`` message whose
``typeMeta`` names apiVersion and kind and whose ``raw`` bytes are the object's message.
Field numbers and types come from ``protobuf_fields``. Go's marshaller writes every
non-pointer field, zero or not, so zero scalars are dropped again unless the table marks the
field with ``!`` (the JSON form shows its zero); empty embedded messages stay ``{}`` and an
empty ``Time`` is ``null``, as Go's JSON has them.

Hostile input is bounded: lengths are checked against the bytes left before anything is
read, varints stop at 10 bytes, nesting stops at ``MAX_DEPTH``; each failure is a
``ProtobufError`` naming the field path, never another exception.
"""

from __future__ import annotations

import base64
import json
import struct
from datetime import UTC, datetime
from functools import cache
from typing import Any

from k8stui.server.protobuf_fields import MESSAGES

MAGIC = b"k8s\x00"
MAX_DEPTH = 64
MAX_FIELDS = 50_000
"""Fields (map entries and list items included) one body may hold; real objects hold far
fewer, and the limit keeps a hostile body of tiny fields from costing seconds."""
MEDIA_TYPE = "application/vnd.kubernetes.protobuf"

# Package of each apiVersion in the field tables.
_PACKAGES = {
    "v1": "core.v1",
    "apps/v1": "apps.v1",
    "batch/v1": "batch.v1",
    "policy/v1": "policy.v1",
    "scheduling.k8s.io/v1": "scheduling.v1",
    "rbac.authorization.k8s.io/v1": "rbac.v1",
    "networking.k8s.io/v1": "networking.v1",
    "autoscaling/v1": "autoscaling.v1",
    "autoscaling/v2": "autoscaling.v2",
    "coordination.k8s.io/v1": "coordination.v1",
}

# "<message>.<field>" embedded inline in Go (``json:",inline"``): its fields join the parent.
INLINE = frozenset(
    {
        "core.v1.ConfigMapEnvSource.localObjectReference",
        "core.v1.ConfigMapKeySelector.localObjectReference",
        "core.v1.ConfigMapProjection.localObjectReference",
        "core.v1.ConfigMapVolumeSource.localObjectReference",
        "core.v1.EphemeralContainer.ephemeralContainerCommon",
        "core.v1.Probe.handler",
        "core.v1.SecretEnvSource.localObjectReference",
        "core.v1.SecretKeySelector.localObjectReference",
        "core.v1.SecretProjection.localObjectReference",
        "core.v1.Volume.volumeSource",
        "networking.v1.IngressRule.ingressRuleValue",
    }
)


class ProtobufError(ValueError):
    """A body that is not a Kubernetes protobuf object we can read (one-line reason)."""


Field = tuple[str, str, bool]  # (json name, type, zero value kept)


@cache
def _fields(message: str) -> dict[int, Field]:
    table: dict[int, Field] = {}
    for item in MESSAGES[message].split():
        number, name, type_ = item.split(":", 2)
        table[int(number)] = (name, type_.rstrip("!"), type_.endswith("!"))
    return table


def message_for(api_version: str, kind: str) -> str | None:
    """The message name of a kind in the field tables, or None when it is not known."""
    package = _PACKAGES.get(api_version)
    name = f"{package}.{kind}"
    return name if package and name in MESSAGES else None


def decode(data: bytes) -> dict[str, Any]:
    """The object a protobuf body carries, as the dict its JSON form would decode to."""
    if not data.startswith(MAGIC):
        raise ProtobufError("the body does not start with the Kubernetes protobuf magic k8s\\x00")
    envelope = _Reader(data, len(MAGIC)).message("runtime.Unknown", "", 0)
    if envelope.get("contentEncoding"):
        raise ProtobufError(f"unsupported content encoding {envelope['contentEncoding']!r}")
    if envelope.get("contentType") not in (None, MEDIA_TYPE):
        raise ProtobufError(f"unsupported content type {envelope['contentType']!r}")
    type_meta = envelope.get("typeMeta") or {}
    api_version, kind = type_meta.get("apiVersion", ""), type_meta.get("kind", "")
    message = message_for(api_version, kind)
    if message is None:
        raise ProtobufError(f"no protobuf decoding for apiVersion {api_version!r} kind {kind!r}")
    raw = base64.b64decode(envelope.get("raw", ""))
    body = _Reader(raw, 0).message(message, "", 0)
    return {"apiVersion": api_version, "kind": kind, **body}


class _Reader:
    """Walks one buffer; every read is checked against the end first."""

    def __init__(
        self, data: bytes, start: int, end: int | None = None, budget: list[int] | None = None
    ) -> None:
        self.data = data
        self.pos = start
        self.end = len(data) if end is None else end
        self.budget = [MAX_FIELDS] if budget is None else budget  # shared by nested readers

    def spend(self, where: str) -> None:
        self.budget[0] -= 1
        if self.budget[0] < 0:
            raise ProtobufError(f"{where or 'body'}: more than {MAX_FIELDS} fields in one body")

    def varint(self, where: str) -> int:
        if self.pos < self.end and self.data[self.pos] < 0x80:  # the common one-byte case
            self.pos += 1
            return self.data[self.pos - 1]
        result = 0
        for shift in range(0, 70, 7):
            if self.pos >= self.end:
                raise ProtobufError(f"{where or 'body'}: truncated varint")
            byte = self.data[self.pos]
            self.pos += 1
            result |= (byte & 0x7F) << shift
            if byte < 0x80:
                return result & 0xFFFFFFFFFFFFFFFF
        raise ProtobufError(f"{where or 'body'}: varint longer than 10 bytes")

    def take(self, size: int, where: str) -> tuple[int, int]:
        if size > self.end - self.pos:
            raise ProtobufError(
                f"{where or 'body'}: length {size} is past the end of the message "
                f"({self.end - self.pos} bytes left)"
            )
        start = self.pos
        self.pos += size
        return start, self.pos

    def message(self, message: str, path: str, depth: int) -> dict[str, Any]:
        if depth > MAX_DEPTH:
            raise ProtobufError(f"{path}: nested more than {MAX_DEPTH} messages deep")
        fields = _fields(message)
        out: dict[str, Any] = {}
        while self.pos < self.end:
            self.spend(path)
            key = self.varint(path)
            number, wire = key >> 3, key & 7
            if number == 0:
                raise ProtobufError(f"{path or 'body'}: field number 0")
            field = fields.get(number)
            if field is None:
                self.skip(wire, f"{path}#{number}" if path else f"field {number}")
                continue
            where = f"{path}.{field[0]}" if path else field[0]
            self.field(out, message, field, wire, where, depth)
        return _finish(message, out)

    def skip(self, wire: int, where: str) -> None:
        if wire == 0:
            self.varint(where)
        elif wire == 1:
            self.take(8, where)
        elif wire == 2:
            self.take(self.varint(where), where)
        elif wire == 5:
            self.take(4, where)
        else:
            raise ProtobufError(f"{where}: unsupported wire type {wire}")

    def field(
        self, out: dict[str, Any], message: str, field: Field, wire: int, where: str, depth: int
    ) -> None:
        name, type_, keep_zero = field
        if type_.startswith("map<"):
            key, value = self.map_entry(type_[4:-1], wire, where, depth)
            out.setdefault(name, {})[key] = value
            return
        repeated = type_.endswith("[]")
        base = type_[:-2] if repeated else type_
        if repeated and base == "i" and wire == 2:  # packed integers
            start, stop = self.take(self.varint(where), where)
            inner = _Reader(self.data, start, stop, self.budget)
            while inner.pos < inner.end:
                inner.spend(where)
                out.setdefault(name, []).append(_signed(inner.varint(where)))
            return
        value = self.value(base, wire, where, depth)
        if repeated:
            out.setdefault(name, []).append(_real(value, base))
        elif f"{message}.{name}" in INLINE:
            out.update(value)
        elif value is not _DROP:
            out[name] = value
        elif keep_zero:
            out[name] = _real(value, base)
        else:
            out.pop(name, None)

    def map_entry(self, type_: str, wire: int, where: str, depth: int) -> tuple[str, Any]:
        start, stop = self.take(self.length(wire, where), where)
        inner = _Reader(self.data, start, stop, self.budget)
        key, value = "", _zero(type_)
        while inner.pos < inner.end:
            inner.spend(where)
            tag = inner.varint(where)
            if tag >> 3 == 1:
                key = inner.value("s", tag & 7, where, depth)
            elif tag >> 3 == 2:
                value = inner.value(type_, tag & 7, f"{where}[{key}]", depth + 1)
            else:
                inner.skip(tag & 7, where)
        return _real(key, "s"), _real(value, type_)

    def length(self, wire: int, where: str) -> int:
        if wire != 2:
            raise ProtobufError(f"{where}: wire type {wire}, expected 2 (length-delimited)")
        return self.varint(where)

    def value(self, type_: str, wire: int, where: str, depth: int) -> Any:
        if type_ in ("i", "b"):
            if wire != 0:
                raise ProtobufError(f"{where}: wire type {wire}, expected 0 (varint)")
            number = self.varint(where)
            if type_ == "b":
                return True if number else _DROP
            return _signed(number) or _DROP
        if type_ == "d":
            if wire != 1:
                raise ProtobufError(f"{where}: wire type {wire}, expected 1 (64-bit)")
            start, stop = self.take(8, where)
            return struct.unpack("<d", self.data[start:stop])[0] or _DROP
        start, stop = self.take(self.length(wire, where), where)
        if type_ == "s":
            try:
                return self.data[start:stop].decode("utf-8") or _DROP
            except UnicodeDecodeError:
                raise ProtobufError(f"{where}: string is not valid UTF-8") from None
        if type_ == "y":
            return base64.b64encode(self.data[start:stop]).decode("ascii")
        return _Reader(self.data, start, stop, self.budget).message(type_, where, depth + 1)


class _Drop:
    """Marks a zero scalar (dropped unless the JSON form keeps it)."""


_DROP: Any = _Drop()


def _zero(type_: str) -> Any:
    return _DROP if type_ in ("s", "i", "b", "d") else None


def _signed(number: int) -> int:
    return number - (1 << 64) if number >= 1 << 63 else number


def _finish(message: str, out: dict[str, Any]) -> Any:
    """Messages whose JSON form is not an object: Time, Quantity, IntOrString, FieldsV1."""
    if message in ("meta.v1.Time", "meta.v1.MicroTime"):
        if "seconds" not in out and "nanos" not in out:
            return None
        try:
            moment = datetime.fromtimestamp(out.get("seconds", 0), UTC)
        except (OverflowError, OSError, ValueError):
            raise ProtobufError(f"time {out.get('seconds')} out of range") from None
        if message == "meta.v1.Time":
            return moment.strftime("%Y-%m-%dT%H:%M:%SZ")
        micros = min(max(int(out.get("nanos", 0)), 0), 999_999_999) // 1000
        return moment.strftime("%Y-%m-%dT%H:%M:%S") + f".{micros:06d}Z"
    if message == "resource.Quantity":
        return out.get("string", "0")
    if message == "intstr.IntOrString":
        return out.get("strVal", "") if out.get("type") == 1 else out.get("intVal", 0)
    if message == "meta.v1.FieldsV1":
        try:
            return json.loads(base64.b64decode(out.get("Raw", "")) or b"{}")
        except ValueError:
            raise ProtobufError("managedFields fieldsV1 is not valid JSON") from None
    return out


def _real(value: Any, type_: str) -> Any:
    """The JSON zero for a dropped scalar that must stay (list items, map values, ``!`` fields)."""
    if value is not _DROP:
        return value
    return {"s": "", "i": 0, "b": False, "d": 0.0}.get(type_)
