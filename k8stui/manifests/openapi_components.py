"""The official 1.32 definitions (kubernetes-validate) as OpenAPI v3 component schemas.

The package ships the API's definitions as JSON Schema; here they become what an API server
serves under ``components.schemas``: ``$ref`` targets renamed, ``["string", "null"]`` types
narrowed, IntOrString and Quantity said as strings with a format. The server publishes them
(``/openapi/v2``, ``/openapi/v3``) and ``kubectl explain`` reads the very same schemas, so
the built-in kubectl explains exactly what the real one finds on our API.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

Obj = dict[str, Any]
REF_PREFIX = "#/components/schemas/"
_DEFINITIONS = "kubernetes-json-schema/v1.32.0-local/_definitions.json"
_JSON_SCHEMA_PREFIX = "#/$defs/"


@lru_cache(maxsize=1)
def definitions() -> dict[str, Obj]:
    """Every definition by its full name (``io.k8s.api.core.v1.Pod``), converted once."""
    from kubernetes_validate import utils

    loaded: dict[str, Obj] = utils.schema_contents(_DEFINITIONS, "1.32.0")["$defs"]
    return {name: _convert(schema) for name, schema in loaded.items()}


def _convert(node: Any) -> Any:
    if isinstance(node, list):
        return [_convert(v) for v in node]
    if not isinstance(node, dict):
        return node
    out: Obj = {}
    for key, value in node.items():
        if key == "$ref" and isinstance(value, str):
            out[key] = REF_PREFIX + value.removeprefix(_JSON_SCHEMA_PREFIX)
        elif key == "type" and isinstance(value, list):
            kinds = [v for v in value if v != "null"]
            out[key] = kinds[0] if kinds else "object"
        elif key == "oneOf" and isinstance(value, list) and all("type" in v for v in value):
            # IntOrString and Quantity: the real documents say string with a format.
            out["type"] = "string"
            out["format"] = "int-or-string"
        elif key == "additionalProperties" and value is False:
            continue
        else:
            out[key] = _convert(value)
    return out


def schema_name(group: str, version: str, kind: str) -> str | None:
    """The definition that carries this group-version-kind, or None."""
    for name, schema in definitions().items():
        for gvk in schema.get("x-kubernetes-group-version-kind") or []:
            if (gvk.get("group"), gvk.get("version"), gvk.get("kind")) == (group, version, kind):
                return name
    return None
