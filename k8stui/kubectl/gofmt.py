"""Go's ``%v`` of decoded JSON, as kubectl's custom-columns and go-template printers show values.

kubectl decodes objects into ``map[string]interface{}`` before printing, so a map prints as
``map[key:value ...]`` with sorted keys, a list as ``[a b]``, JSON null as ``<nil>`` and whole
numbers without a decimal point.
"""

from __future__ import annotations

from typing import Any

from k8stui.kubectl.goyaml import go_float


def go_v(value: Any) -> str:
    """``fmt.Sprint(value)`` for a value decoded from JSON."""
    if value is None:
        return "<nil>"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return go_float(value)
    if isinstance(value, dict):
        return "map[" + " ".join(f"{k}:{go_v(value[k])}" for k in sorted(value)) + "]"
    if isinstance(value, list):
        return "[" + " ".join(go_v(item) for item in value) + "]"
    return str(value)
