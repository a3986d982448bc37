"""Rules for a ConfigMap: its ``data`` and ``binaryData`` keys, and their total size."""

from __future__ import annotations

import base64
import binascii

from k8stui.engine.apiserver.validation.field_checks import Obj, add_invalid, as_dict
from k8stui.engine.apiserver.validation.field_errors import TOO_LONG, FieldError
from k8stui.engine.apiserver.validation.names import config_key

MAX_DATA_BYTES = 1_048_576
"""The 1 MiB a ConfigMap's (or a Secret's) data may hold in total (core.MaxSecretSize)."""


def check_config_map(obj: Obj, errs: list[FieldError]) -> None:
    """Each ``data``/``binaryData`` key must be a valid config key; all values fit in 1 MiB."""
    for section in ("data", "binaryData"):
        for key in as_dict(obj.get(section)):
            add_invalid(errs, f"{section}[{key}]", key, config_key(key))
    if data_size(obj) > MAX_DATA_BYTES:
        # The whole object is at fault, which the API server names with an empty path "[]".
        errs.append(FieldError("[]", TOO_LONG, detail=too_long_detail()))


def too_long_detail() -> str:
    """``may not be more than 1048576 bytes`` (field.TooLong's wording in 1.32)."""
    return f"may not be more than {MAX_DATA_BYTES} bytes"


def data_size(obj: Obj) -> int:
    """Bytes held by ``data`` (UTF-8 text) and ``binaryData`` (base64-decoded)."""
    total = 0
    for value in as_dict(obj.get("data")).values():
        if isinstance(value, str):
            total += len(value.encode("utf-8", "surrogatepass"))
    for value in as_dict(obj.get("binaryData")).values():
        if isinstance(value, str):
            try:
                total += len(base64.b64decode(value, validate=True))
            except (binascii.Error, ValueError):
                total += len(value) * 3 // 4
    return total
