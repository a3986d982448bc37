"""``kubectl explain`` text: a kind's schema, or one field's, in kubectl's plaintext layout.

The schemas are the OpenAPI components the API serves (``manifests.openapi_components``), read
the way kubectl's explain template reads them: a ``$ref`` stands for the schema it names (its
own siblings are only shown in the field list of the parent), arrays and maps are described by
their items, and a type is named by the last dotted part of the definition it refers to.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from k8stui.kubectl.wordwrap import wrap
from k8stui.manifests.openapi_components import REF_PREFIX, definitions

Obj = dict[str, Any]
_WIDTH = 80
"""kubectl wraps descriptions so that indent plus text stay within 80 columns."""


class FieldNotFound(Exception):
    """A field path that leaves the schema (kubectl names the path's last part)."""


@dataclass(frozen=True)
class Target:
    """What is explained: the kind, and the field path inside it (empty for the kind)."""

    group: str
    version: str
    kind: str
    schema: str
    """The definition's full name (``io.k8s.api.core.v1.Pod``)."""
    path: tuple[str, ...] = ()


def _deref(node: Obj) -> tuple[Obj, str]:
    """The schema a node stands for, and the type name a ``$ref`` gives it ("" if none)."""
    ref = node.get("$ref")
    if isinstance(ref, str):
        name = ref.removeprefix(REF_PREFIX)
        return definitions().get(name, {}), name.rsplit(".", 1)[-1]
    return node, ""


def type_name(node: Obj, name: str = "") -> str:
    """``string``, ``[]Container``, ``map[string]string``, ``ObjectMeta`` or ``Object``."""
    if isinstance(node.get("items"), dict):
        return "[]" + type_name(node["items"])
    if isinstance(node.get("additionalProperties"), dict):
        return "map[string]" + type_name(node["additionalProperties"])
    if "$ref" in node:
        target, ref_name = _deref(node)
        return type_name(target, ref_name)
    kind = node.get("type")
    if not kind or kind == "object":
        return name or "Object"
    return str(kind)


def _fields_of(node: Obj) -> Obj:
    """The schema whose ``properties`` list a node's fields (arrays and maps by their items)."""
    node = _deref(node)[0]
    while True:
        if isinstance(node.get("items"), dict):
            node = _deref(node["items"])[0]
        elif isinstance(node.get("additionalProperties"), dict) and "properties" not in node:
            node = _deref(node["additionalProperties"])[0]
        else:
            return node


def _descriptions(node: Obj) -> list[str]:
    """The description of a schema and of what it holds (an array's items, a map's values)."""
    node = _deref(node)[0]
    found = [node["description"]] if node.get("description") else []
    for key in ("items", "additionalProperties"):
        inner = node.get(key)
        if isinstance(inner, dict):
            found += _descriptions(inner)
    return found


def _indented(text: str, indent: int) -> str:
    pad = " " * indent
    return "".join(pad + line + "\n" for line in wrap(text, _WIDTH - indent).split("\n"))


def _enum(node: Obj) -> list[str]:
    values = _deref(node)[0].get("enum") or []
    return [str(v) for v in values]


def _field_list(holder: Obj) -> str:
    """The ``FIELDS:`` entries with their descriptions (no ``--recursive``)."""
    required = holder.get("required") or []
    out = []
    for name, prop in sorted((holder.get("properties") or {}).items()):
        line = f"  {name}\t<{type_name(prop)}>"
        out.append(line + (" -required-" if name in required else "") + "\n")
        values = _enum(prop)
        if values:
            out.append(f"  enum: {', '.join(values)}\n")
        if prop.get("description"):
            out.append(_indented(prop["description"], 4))
        out.append("\n")
    return "".join(out)


def _tree(holder: Obj, level: int, seen: frozenset[int]) -> str:
    """The ``--recursive`` field names, each level two spaces further in."""
    required = holder.get("required") or []
    out = []
    for name, prop in sorted((holder.get("properties") or {}).items()):
        mark = " -required-" if name in required else ""
        out.append(f"{'  ' * level}{name}\t<{type_name(prop)}>{mark}\n")
        values = _enum(prop)
        if values:
            out.append(f"{'  ' * level}enum: {', '.join(values)}\n")
        inner = _fields_of(prop)
        # Definitions are shared dicts, so identity names the type: one that contains itself
        # (directly or further down) is listed once, not forever.
        if inner.get("properties") and id(inner) not in seen:
            out.append(_tree(inner, level + 1, seen | {id(inner)}))
    return "".join(out)


def header(target: Target) -> str:
    """The ``GROUP``/``KIND``/``VERSION`` lines kubectl prints before looking at the path."""
    group = f"GROUP:      {target.group}\n" if target.group else ""
    return f"{group}KIND:       {target.kind}\nVERSION:    {target.version}\n\n"


def explain(target: Target, recursive: bool = False) -> str:
    """The text after the header; raises :class:`FieldNotFound` for a path not in the schema."""
    node: Obj = definitions()[target.schema]
    out = []
    if target.path:
        for field in target.path:
            prop = (_fields_of(node).get("properties") or {}).get(field)
            if prop is None:
                raise FieldNotFound(f'field "{target.path[-1]}" does not exist')
            node = prop
        out.append(f"FIELD: {target.path[-1]} <{type_name(node)}>\n")
        values = _enum(node)
        out.append("ENUM:\n" + "".join(f"    {v}\n" for v in values) if values else "\n")
        out.append("\n")
    texts = _descriptions(node)
    if texts:
        out.append("DESCRIPTION:\n" + _indented("\n".join(texts) + "\n", 4))
    else:
        out.append("DESCRIPTION:\n    <empty>\n")
    holder = _fields_of(node)
    if holder.get("properties"):
        body = _tree(holder, 1, frozenset({id(holder)})) if recursive else _field_list(holder)
        out.append("FIELDS:\n" + body)
    out.append("\n")
    return "".join(out)
