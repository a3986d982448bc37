"""``as=Table`` answers, from the same printers the built-in kubectl uses (one definition)."""

from __future__ import annotations

from typing import Any

from k8stui.kubectl.printers import build_table
from k8stui.kubectl.table import Table
from k8stui.kubectl.view import ClusterView

Obj = dict[str, Any]
_FORMATS = {"Name": "name"}


def wants_table(accept: str) -> bool:
    """Whether the Accept header asks for a ``meta.k8s.io`` Table first."""
    for part in accept.split(","):
        params = {p.strip() for p in part.split(";")}
        if "as=Table" in params:
            return True
        if params & {"application/json", "*/*", "application/yaml"}:
            return False
    return False


def partial_metadata(obj: Obj) -> Obj:
    """The ``PartialObjectMetadata`` a row carries by default (namespace, labels for -A/-L)."""
    meta = {k: v for k, v in (obj.get("metadata") or {}).items() if k != "managedFields"}
    return {"kind": "PartialObjectMetadata", "apiVersion": "meta.k8s.io/v1", "metadata": meta}


def _cell(value: Any) -> Any:
    if isinstance(value, (str, int, float, bool)) or value is None:
        return value
    return str(value)


def table_json(
    table: Table, include: str = "Metadata", resource_version: str = "", continue_token: str = ""
) -> Obj:
    """A built table as the ``meta.k8s.io/v1 Table`` JSON kubectl prints."""
    columns = []
    for column in table.column_definitions:
        entry: Obj = {
            "name": column.name,
            "type": "integer" if column.type == "integer" else "string",
            "format": _FORMATS.get(column.name, ""),
            "description": column.description,
            "priority": column.priority,
        }
        columns.append(entry)
    rows = []
    for row in table.rows:
        item: Obj = {"cells": [_cell(c) for c in row.cells]}
        if include == "Object":
            item["object"] = row.object
        elif include != "None":
            item["object"] = partial_metadata(row.object)
        rows.append(item)
    metadata: Obj = {"resourceVersion": resource_version}
    if continue_token:
        metadata["continue"] = continue_token
    return {
        "kind": "Table",
        "apiVersion": "meta.k8s.io/v1",
        "metadata": metadata,
        "columnDefinitions": columns,
        "rows": rows,
    }


def objects_table(
    kind: str, objects: list[Obj], view: ClusterView, include: str, rv: str, token: str = ""
) -> Obj:
    """Table JSON of ``objects`` of ``kind``."""
    return table_json(build_table(kind, objects, view), include, rv, token)
