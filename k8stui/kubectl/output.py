"""``-o yaml``, ``-o json``, ``-o name`` and ``-o jsonpath`` output, as kubectl 1.32 prints them."""

from __future__ import annotations

import json
import math
from decimal import Decimal
from typing import Any

from k8stui.engine.apimachinery.field_order import go_order
from k8stui.kubectl.goyaml import dump
from k8stui.kubectl.jsonpath import JSONPathError, jsonpath

__all__ = ["JSONPathError", "jsonpath", "to_json", "to_name", "to_yaml"]


def to_yaml(obj: Any) -> str:
    """``-o yaml``: go-yaml v2 block style with sorted keys (see ``goyaml``)."""
    return dump(obj)


class _GoFloat(float):
    """A float that ``json`` writes the way Go's encoder does (``0.00001``, ``1e+21``)."""

    def __repr__(self) -> str:
        value = float(self)
        if value == 0 or 1e-6 <= abs(value) < 1e21:
            return format(Decimal(float.__repr__(value)), "f")
        text = float.__repr__(value)
        mantissa, _, exponent = text.partition("e")
        sign = "-" if exponent.startswith("-") else "+"
        return f"{mantissa}e{sign}{exponent.lstrip('+-').lstrip('0') or '0'}"


def _go_numbers(value: Any) -> Any:
    # kubectl decodes objects as unstructured JSON: integral numbers come back as int64.
    if isinstance(value, dict):
        return {k: _go_numbers(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_go_numbers(v) for v in value]
    if isinstance(value, float) and math.isfinite(value):
        if value == int(value) and abs(value) < 1e21:
            return int(value)
        return _GoFloat(value)
    return value


def to_json(obj: Any, typed: bool = False) -> str:
    """``-o json``: Go's ``json.MarshalIndent(obj, "", "    ")`` of the object.

    kubectl prints objects from ``get`` as unstructured maps, so keys come out sorted, the indent
    is four spaces, and ``<``, ``>``, ``&`` are escaped as ``\\u003c`` etc. A ``typed`` object
    (one kubectl built or decoded into its Go struct: ``run``, ``create <generator>``,
    ``expose``, ``set``) comes out in the struct's field order instead.
    """
    data = _go_numbers(go_order(obj) if typed else obj)
    text = json.dumps(data, indent=4, sort_keys=not typed, ensure_ascii=False)
    text = (
        text.replace("<", "\\u003c")
        .replace(">", "\\u003e")
        .replace("&", "\\u0026")
        .replace("\u2028", "\\u2028")
        .replace("\u2029", "\\u2029")
    )
    return text + "\n"


def to_json_compact(obj: Any) -> str:
    """The object as one line of JSON in its own field order (what the server sent)."""
    text = json.dumps(_go_numbers(obj), separators=(",", ":"), ensure_ascii=False)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def unstructured(obj: Any) -> Any:
    """The object as kubectl's printers see it: integral numbers as int64."""
    return _go_numbers(obj)


def _resource_name(obj: dict[str, Any]) -> str:
    # kind lower-cased plus the API group: pod/x, deployment.apps/x, lease.coordination.k8s.io/x
    kind = str(obj.get("kind", "")).lower()
    api_version = str(obj.get("apiVersion", ""))
    group = api_version.split("/", 1)[0] if "/" in api_version else ""
    name = (obj.get("metadata") or {}).get("name", "")
    return f"{kind}.{group}/{name}" if group else f"{kind}/{name}"


def to_name(obj: Any) -> str:
    """``-o name``: ``pod/x``, ``deployment.apps/x``; a List prints one line per item."""
    if isinstance(obj, list):
        return "".join(to_name(item) for item in obj)
    if isinstance(obj, dict) and "items" in obj and str(obj.get("kind", "")).endswith("List"):
        return "".join(_resource_name(item) + "\n" for item in obj.get("items") or [])
    if isinstance(obj, dict):
        return _resource_name(obj) + "\n"
    return ""
