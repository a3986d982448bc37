"""Strict structural checks against the official 1.32 OpenAPI schemas (kubernetes-validate).

``kubernetes_validate.validate()`` re-reads a 1.3 MB definitions file on every call and stops
at the first error, so it is far too slow for an editor that re-checks on each keystroke.
Here the definitions are read once, one jsonschema validator per kind is built on first use
and cached, and every error is mapped to the text the API server would print.

Nothing is loaded at import time; ``warm_up()`` lets the app pay the cost in the background.
"""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Iterable
from typing import Any

from k8stui.manifests.errors import ManifestError, format_path, parse_path
from k8stui.manifests.loader import Document

SCHEMA_VERSION = "1.32.0"
_STRICT_DIR = f"kubernetes-json-schema/v{SCHEMA_VERSION}-local-strict"

_lock = threading.Lock()
_definitions: dict[str, Any] | None = None
_def_names: dict[int, str] = {}
_validators: dict[tuple[str, str], Any] = {}

_INT_RANGES = {"int32": (-(2**31), 2**31 - 1), "int64": (-(2**63), 2**63 - 1)}


def _schema_file(api_version: str, kind: str) -> str:
    # kubernetes-validate names files <kind>-<group prefix>-<version>.json,
    # e.g. apps/v1 Deployment -> deployment-apps-v1.json, v1 Pod -> pod-v1.json.
    group_version = re.sub(r"^([^./]*)(?:\.[^/]*)?/", r"\1-", api_version)
    return f"{_STRICT_DIR}/{kind.lower()}-{group_version}.json"


def _load_definitions() -> dict[str, Any]:
    global _definitions
    if _definitions is None:
        from kubernetes_validate import utils

        loaded = utils.schema_contents(f"{_STRICT_DIR}/_definitions.json", SCHEMA_VERSION)
        defs: dict[str, Any] = loaded["$defs"]
        for name, schema in defs.items():
            # Errors point at the schema dict they came from; its name gives the Go type.
            _def_names[id(schema)] = name
        for schema in defs.values():
            for key, value in schema.items():
                schema[key] = _inline(value, defs)
        _definitions = defs
    return _definitions


def _inline(node: Any, defs: dict[str, Any]) -> Any:
    """Replace each ``$ref`` by the definition dict itself (shared, possibly cyclic).

    Resolving references through the ``referencing`` registry on every validation was the
    largest cost; after this the validators walk plain nested dicts.
    """
    if isinstance(node, dict):
        ref = node.get("$ref")
        if isinstance(ref, str):
            return defs[ref.rsplit("/", 1)[-1]]
        for key, value in node.items():
            node[key] = _inline(value, defs)
    elif isinstance(node, list):
        for index, value in enumerate(node):
            node[index] = _inline(value, defs)
    return node


def _format_checker() -> Any:
    import jsonschema

    checker = jsonschema.FormatChecker(formats=())

    def in_range(fmt: str) -> Any:
        low, high = _INT_RANGES[fmt]

        def check(value: object) -> bool:
            if isinstance(value, bool) or not isinstance(value, int):
                return True
            return low <= value <= high

        return check

    for fmt in _INT_RANGES:
        checker.checks(fmt)(in_range(fmt))
    return checker


def validator_for(api_version: str, kind: str) -> Any:
    """The cached jsonschema validator for one simulated kind (built on first use)."""
    key = (api_version, kind)
    found = _validators.get(key)
    if found is not None:
        return found
    with _lock:
        found = _validators.get(key)
        if found is not None:
            return found
        import jsonschema
        from kubernetes_validate import utils

        definitions = _load_definitions()
        schema = utils.schema_contents(_schema_file(api_version, kind), SCHEMA_VERSION)
        schema = {k: _inline(v, definitions) for k, v in schema.items() if k != "$id"}
        validator = jsonschema.Draft202012Validator(schema, format_checker=_format_checker())
        _validators[key] = validator
        return validator


def warm_up(kinds: Iterable[tuple[str, str]] | None = None) -> float:
    """Load the definitions and build the validators now; returns the seconds it took.

    The app can call this from a background thread at start-up so the first check in the
    editor is fast. By default every simulated kind is built.
    """
    from k8stui.manifests.kinds import SIMULATED

    started = time.perf_counter()
    for api_version, kind in kinds if kinds is not None else SIMULATED:
        validator_for(api_version, kind)
    return time.perf_counter() - started


# -- mapping jsonschema errors to API server texts ---------------------------------------------


def _json_kind(value: Any) -> str:
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, int | float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    if isinstance(value, dict):
        return "object"
    return "null"


def _go_type(schema: Any) -> str:
    """The Go type name the API server's decoder would mention for this schema."""
    if not isinstance(schema, dict):
        return "interface {}"
    name = _def_names.get(id(schema))
    if name is None and "$ref" in schema:
        name = str(schema["$ref"]).rsplit("/", 1)[-1]
    if name is not None:
        parts = name.split(".")
        return f"{parts[-2]}.{parts[-1]}"
    types = schema.get("type")
    main = [t for t in (types if isinstance(types, list) else [types]) if t != "null"]
    kind = main[0] if main else None
    if kind == "integer":
        return str(schema.get("format") or "int64")
    if kind == "number":
        return "float64"
    if kind == "boolean":
        return "bool"
    if kind == "string":
        return "string"
    if kind == "array":
        return "[]" + _go_type(schema.get("items"))
    if kind == "object":
        extra = schema.get("additionalProperties")
        if isinstance(extra, dict):
            return "map[string]" + _go_type(extra)
        return "struct"
    return "interface {}"


def _go_field(kind: str, root: dict[str, Any], path: tuple[str | int, ...]) -> tuple[str, str]:
    """The field and type as Go's JSON decoder names them in an ``UnmarshalTypeError``.

    The decoder says ``<innermost struct>.<JSON names from the top, dot-joined>``: list
    indexes and map keys are not part of it (``ContainerPort.spec.containers.ports.
    containerPort``, ``ObjectMeta.metadata.labels``), and the type is the one of the value
    it could not fill, a map's element type for a map entry.
    """
    struct, names = kind, []
    node: Any = root
    for part in path:
        if not isinstance(node, dict):
            break
        if isinstance(part, int):
            node = node.get("items")
            continue
        props = node.get("properties") or {}
        if part in props:
            owner = _def_names.get(id(node))
            if owner is not None:
                struct = owner.rsplit(".", 1)[-1]
            elif node is root:
                struct = kind
            names.append(part)
            node = props[part]
        else:
            node = node.get("additionalProperties")  # a map entry: the key is not named
    go_type = _go_type(node)
    # IntOrString reads anything but a JSON string as its int32 half.
    return f"{struct}.{'.'.join(names)}", "int32" if go_type == "intstr.IntOrString" else go_type


def _go_value(value: Any) -> str:
    if isinstance(value, str):
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _decode_prefix(kind: str, api_version: str) -> str:
    version = api_version.rsplit("/", 1)[-1]
    return f'{kind} in version "{version}" cannot be handled as a {kind}: '


_JSON_TYPES: dict[str, Any] = {
    "object": dict,
    "array": list,
    "string": str,
    "boolean": bool,
    "null": type(None),
}


def _type_ok(value: Any, wanted: Any) -> bool:
    for name in wanted if isinstance(wanted, list) else (wanted,):
        if name == "integer":
            if isinstance(value, int) and not isinstance(value, bool):
                return True
            if isinstance(value, float) and value.is_integer():
                return True
        elif name == "number":
            if isinstance(value, int | float) and not isinstance(value, bool):
                return True
        elif isinstance(value, _JSON_TYPES[name]):
            return True
    return False


def _fast_valid(value: Any, schema: dict[str, Any]) -> bool:
    """True when ``value`` is valid; a lean walk over the keywords the k8s schemas use.

    jsonschema builds an evolved validator per node, which makes valid documents (the common
    case) cost ~1 ms. This answers "valid?" several times faster; only documents it rejects
    go through jsonschema to produce the detailed errors, so the two must agree on
    validity, which the tests cross-check.
    """
    wanted = schema.get("type")
    if wanted is not None and not _type_ok(value, wanted):
        return False
    if "enum" in schema and value not in schema["enum"]:
        return False
    fmt = schema.get("format")
    if fmt in _INT_RANGES and isinstance(value, int) and not isinstance(value, bool):
        low, high = _INT_RANGES[fmt]
        if not low <= value <= high:
            return False
    if isinstance(value, dict):
        for name in schema.get("required", ()):
            if name not in value:
                return False
        props = schema.get("properties") or {}
        extra = schema.get("additionalProperties", True)
        for key, item in value.items():
            sub = props.get(key)
            if sub is not None:
                if not _fast_valid(item, sub):
                    return False
            elif extra is False or (isinstance(extra, dict) and not _fast_valid(item, extra)):
                return False
    elif isinstance(value, list):
        items = schema.get("items")
        if isinstance(items, dict):
            for item in value:
                if not _fast_valid(item, items):
                    return False
    one_of = schema.get("oneOf")
    if one_of is not None:
        return sum(1 for option in one_of if _fast_valid(value, option)) == 1
    return True


def quick_valid(obj: dict[str, Any]) -> bool:
    """The fast validity answer for an object of a simulated kind (no error details)."""
    validator = validator_for(str(obj.get("apiVersion")), str(obj.get("kind")))
    return _fast_valid(obj, validator.schema)


def check_schema(doc: Document) -> list[ManifestError]:
    """Validate ``doc`` strictly against its kind's official schema; all errors, in order."""
    obj = doc.obj
    api_version, kind = str(obj.get("apiVersion")), str(obj.get("kind"))
    validator = validator_for(api_version, kind)
    if _fast_valid(obj, validator.schema):
        return []
    prefix = _decode_prefix(kind, api_version)
    unknown: list[tuple[str | int, ...]] = []
    found: list[ManifestError] = []
    for error in validator.iter_errors(obj):
        path = tuple(error.absolute_path)
        rule = error.validator
        if rule == "additionalProperties":
            allowed = error.schema.get("properties", {})
            unknown.extend((*path, key) for key in error.instance if key not in allowed)
        elif rule in ("type", "oneOf"):
            if error.instance is None or (rule == "oneOf" and "valid under each" in error.message):
                continue  # null decodes to the zero value; semantic checks catch omissions
            field, go_type = _go_field(kind, validator.schema, path)
            value = _json_kind(error.instance)
            if isinstance(error.instance, float) and go_type.startswith(("int", "uint")):
                value += f" {error.instance!r}"  # ParseInt failed: Go quotes the literal
            found.append(
                doc.error(
                    path,
                    f"{prefix}json: cannot unmarshal {value} into Go struct "
                    f"field {field} of type {go_type}",
                )
            )
        elif rule == "required":
            for name in error.validator_value:
                if isinstance(error.instance, dict) and name not in error.instance:
                    found.append(doc.error(path, f"{format_path((*path, name))}: Required value"))
        elif rule == "format":
            found.append(
                doc.error(
                    path,
                    f"{prefix}json: cannot unmarshal number {_go_value(error.instance)} into Go "
                    f"struct field {_go_field(kind, validator.schema, path)[0]} of type "
                    f"{error.validator_value}",
                )
            )
        elif rule == "enum":
            allowed_values = ", ".join(_go_value(v) for v in error.validator_value)
            found.append(
                doc.error(
                    path,
                    f"{format_path(path)}: Unsupported value: {_go_value(error.instance)}: "
                    f"supported values: {allowed_values}",
                )
            )
        else:
            found.append(
                doc.error(
                    path,
                    f"{format_path(path)}: Invalid value: {_go_value(error.instance)}: "
                    f"{error.message}",
                )
            )
    if unknown:
        unknown.sort(key=doc.position)
        fields = ", ".join(f'unknown field "{format_path(p)}"' for p in unknown)
        found.append(doc.error(unknown[0], f"{prefix}strict decoding error: {fields}"))
    found.sort(key=lambda e: (e.line, e.column))
    return found


def decoder_report(errors: list[ManifestError]) -> list[ManifestError]:
    """The decoding errors the API server would actually report, of all those found.

    Go's decoder keeps only the first type error, reading the JSON kubectl sends (keys
    sorted at every level), and reports unknown fields only when the types were all right;
    semantic errors never reach validation when the object does not decode.
    """
    typed = [e for e in errors if "json: cannot unmarshal" in e.message]
    if typed:
        return [min(typed, key=lambda e: _reading_order(e.path or ""))]
    return [e for e in errors if "cannot be handled as a" in e.message] or errors


def _reading_order(path: str) -> tuple[tuple[int, int, str], ...]:
    return tuple(
        (1, part, "") if isinstance(part, int) else (0, 0, part) for part in parse_path(path)
    )
