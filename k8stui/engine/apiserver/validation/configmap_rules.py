"""Rules for a ConfigMap: its ``data`` and ``binaryData`` keys."""

from __future__ import annotations

from k8stui.engine.apiserver.validation.field_checks import Obj, add_invalid, as_dict
from k8stui.engine.apiserver.validation.field_errors import FieldError
from k8stui.engine.apiserver.validation.names import config_key


def check_config_map(obj: Obj, errs: list[FieldError]) -> None:
    """Each ``data``/``binaryData`` key must be a valid config key."""
    for section in ("data", "binaryData"):
        for key in as_dict(obj.get(section)):
            add_invalid(errs, f"{section}[{key}]", key, config_key(key))
