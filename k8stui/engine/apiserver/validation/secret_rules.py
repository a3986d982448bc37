"""Rules for a Secret (upstream ``ValidateSecret`` in ``pkg/apis/core/validation``).

Keys are config keys; all values together fit in 1 MiB; each built-in ``type`` requires its
keys (``tls.crt``/``tls.key``, ``.dockerconfigjson`` holding JSON, the service-account
annotation). Values themselves are base64 in ``data``: the decoder refuses anything else
before validation runs (see :func:`base64_problem`).
"""

from __future__ import annotations

import base64
import binascii
import json

from k8stui.engine.apiserver.validation.configmap_rules import MAX_DATA_BYTES, too_long_detail
from k8stui.engine.apiserver.validation.field_checks import Obj, add_invalid, as_dict
from k8stui.engine.apiserver.validation.field_errors import (
    INVALID,
    REQUIRED,
    TOO_LONG,
    FieldError,
    GoLiteral,
)
from k8stui.engine.apiserver.validation.names import config_key

SERVICE_ACCOUNT_NAME = "kubernetes.io/service-account.name"
REDACTED = GoLiteral('"<secret contents redacted>"')
# type -> keys its data must hold
_REQUIRED_KEYS = {
    "kubernetes.io/tls": ("tls.crt", "tls.key"),
    "kubernetes.io/dockerconfigjson": (".dockerconfigjson",),
    "kubernetes.io/dockercfg": (".dockercfg",),
    "kubernetes.io/ssh-auth": ("ssh-privatekey",),
}


def base64_problem(obj: Obj) -> str | None:
    """Go's base64 decoder error for the first ``data`` value that is not base64, or None."""
    for value in as_dict(obj.get("data")).values():
        if not isinstance(value, str):
            continue
        offset = _bad_byte(value)
        if offset is not None:
            return f"illegal base64 data at input byte {offset}"
    return None


def _bad_byte(value: str) -> int | None:
    """Offset of the first byte Go's StdEncoding rejects (a padding-less tail is rejected too)."""
    alphabet = set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/")
    stripped = value.replace("\r", "").replace("\n", "")
    for index, char in enumerate(stripped):
        if char == "=":
            rest = stripped[index:]
            if len(stripped) % 4 or rest.strip("=") or len(rest) > 2:
                return index
            return None
        if char not in alphabet:
            return index
    if len(stripped) % 4:
        # An unpadded tail: Go reports where the incomplete 4-character quantum starts.
        return len(stripped) - len(stripped) % 4
    return None


def _decoded(value: object) -> bytes:
    try:
        return base64.b64decode(str(value), validate=False)
    except (binascii.Error, ValueError):
        return b""


def check_secret(obj: Obj, errs: list[FieldError]) -> None:
    """Key syntax, total size, and the keys each built-in type needs."""
    data = as_dict(obj.get("data"))
    for key in data:
        add_invalid(errs, f"data[{key}]", key, config_key(key))
    total = sum(len(_decoded(v)) for v in data.values())
    if total > MAX_DATA_BYTES:
        errs.append(FieldError("data", TOO_LONG, detail=too_long_detail()))
    kind = obj.get("type") or "Opaque"
    if kind == "kubernetes.io/service-account-token":
        annotations = as_dict((obj.get("metadata") or {}).get("annotations"))
        if not annotations.get(SERVICE_ACCOUNT_NAME):
            errs.append(FieldError(f"metadata.annotations[{SERVICE_ACCOUNT_NAME}]", REQUIRED))
    for key in _REQUIRED_KEYS.get(str(kind), ()):
        if key not in data:
            errs.append(FieldError(f"data[{key}]", REQUIRED))
    if kind == "kubernetes.io/dockerconfigjson" and ".dockerconfigjson" in data:
        try:
            json.loads(_decoded(data[".dockerconfigjson"]))
        except ValueError as exc:
            errs.append(FieldError("data[.dockerconfigjson]", INVALID, REDACTED, _json_detail(exc)))


def _json_detail(exc: ValueError) -> str:
    # encoding/json's wording for the common cases.
    if isinstance(exc, json.JSONDecodeError) and exc.pos == 0 and not exc.doc:
        return "unexpected end of JSON input"
    if isinstance(exc, json.JSONDecodeError) and exc.pos < len(exc.doc):
        what = (
            "beginning of object key string"
            if exc.msg.startswith("Expecting property name")
            else "beginning of value"
        )
        return f"invalid character {exc.doc[exc.pos]!r} looking for {what}"
    return "unexpected end of JSON input"
