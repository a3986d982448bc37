"""``/openapi/v2`` and ``/openapi/v3`` built from the official 1.32 schemas (kubernetes-validate).

The package ships the API's definitions as JSON Schema; ``manifests/openapi_components.py``
makes them OpenAPI component schemas (``kubectl explain`` reads the same ones). Each served
group-version gets a document with one path per resource whose ``patch`` operation names
its group-version-kind and accepts ``fieldValidation``: that is what makes ``kubectl apply``
leave validation to the server. The strategic-merge content type is deliberately not
advertised, so kubectl computes apply patches from its compiled-in types (the real merge keys)
rather than from these documents. Documents are built once and kept as bytes.
"""

from __future__ import annotations

import hashlib
import json
from functools import lru_cache
from typing import Any

from k8stui.engine.apiserver.resources import RESOURCES, Resource
from k8stui.manifests.openapi_components import definitions, schema_name
from k8stui.server.discovery import group_versions, resources_of

Obj = dict[str, Any]


def _schema_name(res: Resource) -> str | None:
    return schema_name(res.group, res.version, res.kind)


def _closure(names: list[str]) -> dict[str, Obj]:
    defs = definitions()
    found: dict[str, Obj] = {}
    todo = list(names)
    while todo:
        name = todo.pop()
        if name in found or name not in defs:
            continue
        found[name] = defs[name]
        todo += _refs(defs[name])
    return dict(sorted(found.items()))


def _refs(node: Any) -> list[str]:
    out: list[str] = []
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "$ref" and isinstance(value, str):
                out.append(value.rsplit("/", 1)[-1])
            else:
                out += _refs(value)
    elif isinstance(node, list):
        for value in node:
            out += _refs(value)
    return out


def _gv_path(group: str, version: str) -> str:
    return f"api/{version}" if not group else f"apis/{group}/{version}"


def _item_path(res: Resource) -> str:
    base = "/" + _gv_path(res.group, res.version)
    if res.namespaced:
        return f"{base}/namespaces/{{namespace}}/{res.plural}/{{name}}"
    return f"{base}/{res.plural}/{{name}}"


def _operation(res: Resource, verb: str, schema_ref: Obj) -> Obj:
    gvk = {"group": res.group, "version": res.version, "kind": res.kind}
    params = [
        {"name": "dryRun", "in": "query", "schema": {"type": "string", "uniqueItems": True}},
        {"name": "fieldManager", "in": "query", "schema": {"type": "string", "uniqueItems": True}},
        {
            "name": "fieldValidation",
            "in": "query",
            "schema": {"type": "string", "uniqueItems": True},
        },
    ]
    op: Obj = {
        "operationId": f"{verb}{res.kind}",
        "x-kubernetes-action": verb,
        "x-kubernetes-group-version-kind": gvk,
        "parameters": params,
        "responses": {"200": {"description": "OK", "content": {"application/json": schema_ref}}},
    }
    if verb == "patch":
        op["requestBody"] = {
            "content": {
                "application/json-patch+json": {"schema": {"type": "object"}},
                "application/merge-patch+json": {"schema": {"type": "object"}},
                "application/apply-patch+yaml": {"schema": {"type": "object"}},
            },
            "required": True,
        }
    elif verb == "put":
        op["requestBody"] = {"content": {"*/*": schema_ref}, "required": True}
    return op


@lru_cache(maxsize=32)
def group_version_document(group: str, version: str) -> bytes | None:
    """The OpenAPI v3 document of one group-version, or None if we do not serve it."""
    served = resources_of(group, version)
    if not served:
        return None
    paths: Obj = {}
    roots: list[str] = []
    for res in served:
        name = _schema_name(res)
        if name is None:
            continue
        roots.append(name)
        ref = {"schema": {"$ref": f"#/components/schemas/{name}"}}
        paths[_item_path(res)] = {
            "get": _operation(res, "get", ref),
            "put": _operation(res, "put", ref),
            "patch": _operation(res, "patch", ref),
            "delete": _operation(res, "delete", ref),
        }
    doc = {
        "openapi": "3.0.0",
        "info": {"title": "Kubernetes", "version": "v1.32.0"},
        "paths": paths,
        "components": {"schemas": _closure(roots)},
    }
    return json.dumps(doc, separators=(",", ":")).encode()


def _hash(data: bytes) -> str:
    return hashlib.sha512(data).hexdigest()[:128].upper()


@lru_cache(maxsize=1)
def root_document() -> bytes:
    """``/openapi/v3``: the list of group-version documents with their hashes."""
    paths: Obj = {}
    for group, versions in group_versions().items():
        for version in versions:
            doc = group_version_document(group, version)
            if doc is None:
                continue
            gv = _gv_path(group, version)
            paths[gv] = {"serverRelativeURL": f"/openapi/v3/{gv}?hash={_hash(doc)}"}
    return json.dumps({"paths": paths}, separators=(",", ":")).encode()


@lru_cache(maxsize=1)
def swagger_document() -> bytes:
    """``/openapi/v2`` as JSON (Swagger 2.0): every definition and one path per resource."""
    roots = [n for n in (_schema_name(r) for r in RESOURCES) if n is not None]
    definitions = json.loads(
        json.dumps(_closure(roots)).replace("#/components/schemas/", "#/definitions/")
    )
    paths: Obj = {}
    for res in RESOURCES:
        name = _schema_name(res)
        if name is None:
            continue
        gvk = {"group": res.group, "version": res.version, "kind": res.kind}
        paths[_item_path(res)] = {
            "get": {
                "operationId": f"read{res.kind}",
                "x-kubernetes-action": "get",
                "x-kubernetes-group-version-kind": gvk,
                "responses": {"200": {"schema": {"$ref": f"#/definitions/{name}"}}},
            }
        }
    doc = {
        "swagger": "2.0",
        "info": {"title": "Kubernetes", "version": "v1.32.0"},
        "paths": paths,
        "definitions": definitions,
    }
    return json.dumps(doc, separators=(",", ":")).encode()
