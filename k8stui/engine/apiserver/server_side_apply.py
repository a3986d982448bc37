"""Server-side apply (``application/apply-patch+yaml``): field ownership in ``managedFields``.

Wiring (server): for ``PATCH ...?fieldManager=M&force=F`` with that content type, decode the
body (JSON or YAML) into ``applied`` and call
``obj = apply(live_or_None, applied, kind=K, manager=M, force=F, time=now_rfc3339)``; create
``obj`` when ``live`` was None, else replace it. ``time`` is the write's timestamp as the
object shows times (``2025-01-01T00:00:12Z``); without it the entry has no ``time``. For every
other write that names a ``fieldManager`` (create, update, merge/strategic/JSON patch), set
``new["metadata"]["managedFields"] = record_update(old_or_None, new, K, M, time)``. A conflict
raises ``ApplyConflict`` (409 ``Conflict``, message ``Apply failed with 1 conflict: conflict
with "kubectl-client-side-apply" using apps/v1: .spec.replicas``); answer with
``exc.status()``, whose ``details.causes`` hold one ``FieldManagerConflict`` per field (the
real kubectl prints the message and then its own advice on resolving conflicts). A keyed list
item without its key is an ``ApiError`` 400 ``BadRequest`` naming the list. Applying to an
object that has no ``managedFields`` first gives its fields to the ``before-first-apply``
manager, as the real server does.

The field sets are FieldsV1 as the API server writes them: ``f:<field>`` for a field,
``k:{"name":"x"}`` for an item of a keyed list (``.`` marks the item itself), ``v:"x"`` for an
item of a set, atomic lists as one leaf. Ownership: applying a value that differs from one
another manager owns is a conflict unless ``force``, which moves the field to the applier;
applying an equal value shares it. Fields the manager applied before and no longer applies
are removed from the object unless another manager owns them. Not modelled: atomic maps
(``selector`` is tracked per key), the ``.`` marks an Update entry puts on maps it created,
status ownership, subresources, ``apiVersion`` conversion. Limits: 64 levels of nesting and
5,000 keyed/set list items per object (400 ``BadRequest`` beyond).
"""

from __future__ import annotations

import json
from functools import cache
from typing import Any

from k8stui.engine.apimachinery.gostrings import go_quote
from k8stui.engine.apimachinery.json_depth import MAX_DEPTH, within_depth
from k8stui.engine.apiserver.patch_schema import FieldMeta, field_meta, root_type
from k8stui.engine.apiserver.strategic_merge import apply_strategic_merge_patch
from k8stui.engine.errors import ApiError, bad_request
from k8stui.engine.jsoncopy import copy_json

Obj = dict[str, Any]
Path = tuple[str, ...]  # FieldsV1 keys from the root, e.g. ("f:spec", "f:replicas")

BEFORE_FIRST_APPLY = "before-first-apply"
MAX_ITEMS = 5000
"""Items of keyed and set lists one object may hold here, all lists together (a simulator
limit that bounds the work on a hostile body; real objects stay in the tens)."""
_IGNORED_TOP = ("apiVersion", "kind", "status")
_IGNORED_META = (
    "name",
    "namespace",
    "uid",
    "resourceVersion",
    "generation",
    "creationTimestamp",
    "managedFields",
    "selfLink",
    "deletionTimestamp",
    "deletionGracePeriodSeconds",
)
# Schema defaults of list-map key fields (a port without a protocol is keyed as TCP).
_KEY_DEFAULTS = {"protocol": "TCP"}
_MISSING: Any = object()


class ApplyConflict(ApiError):
    """A 409 from server-side apply; ``causes`` are the Status ``details.causes``."""

    def __init__(self, message: str, causes: list[dict[str, str]]) -> None:
        super().__init__(409, "Conflict", message)
        self.causes = causes

    def status(self) -> Obj:
        """The Status body the real API server answers with."""
        return {
            "kind": "Status",
            "apiVersion": "v1",
            "metadata": {},
            "status": "Failure",
            "message": self.message,
            "reason": "Conflict",
            "details": {"causes": self.causes},
            "code": 409,
        }


def field_set(obj: Obj, kind: str) -> set[Path]:
    """Every path ``obj`` sets (leaves and keyed-list items), without the ignored fields."""
    body = {k: v for k, v in obj.items() if k not in _IGNORED_TOP}
    meta = body.get("metadata")
    if isinstance(meta, dict):
        kept = {k: v for k, v in meta.items() if k not in _IGNORED_META}
        if kept:
            body["metadata"] = kept
        else:  # only a name: nothing under metadata is owned
            del body["metadata"]
    paths: set[Path] = set()
    _collect(body, root_type(kind), (), paths, obj)
    items = sum(1 for path in paths if path[-1] == "." or path[-1].startswith("v:"))
    if items > MAX_ITEMS:
        raise bad_request(f"more than {MAX_ITEMS} list items in one object")
    return paths


def _collect(value: Obj, type_name: str | None, path: Path, out: set[Path], obj: Obj) -> None:
    for key, child in value.items():
        meta = field_meta(type_name, key)
        here = (*path, f"f:{key}")
        if isinstance(child, dict) and child:
            _collect(child, meta.type, here, out, obj)
        elif isinstance(child, list) and child and meta.list_type in ("map", "set"):
            _collect_items(child, meta, here, out, obj)
        else:
            out.add(here)


def _collect_items(items: list[Any], meta: FieldMeta, path: Path, out: set[Path], obj: Obj) -> None:
    if len(items) > MAX_ITEMS:
        raise bad_request(f"more than {MAX_ITEMS} list items in one object")
    for index, item in enumerate(items):
        if meta.list_type == "set" or not isinstance(item, dict):
            out.add((*path, "v:" + _compact(item)))
            continue
        here = (*path, "k:" + _compact(_key_of(item, meta.map_keys, path, index, obj)))
        out.add((*here, "."))
        _collect(item, meta.type, here, out, obj)


def _key_of(item: Obj, keys: tuple[str, ...], path: Path, index: int, obj: Obj) -> Obj:
    found: Obj = {}
    for key in keys:
        if key in item:
            found[key] = item[key]
        elif key in _KEY_DEFAULTS:
            found[key] = _KEY_DEFAULTS[key]
        else:
            meta = obj.get("metadata") or {}
            group_version = str(obj.get("apiVersion", ""))
            gvk = f"{group_version if '/' in group_version else '/' + group_version}, Kind={obj.get('kind', '')}"
            raise bad_request(
                f"failed to create typed patch object ({meta.get('namespace', '')}/"
                f"{meta.get('name', '')}; {gvk}): {dotted(path)}: element {index}: associative "
                f'list with keys has an element that omits key field "{key}" (and doesn\'t have '
                "default value)"
            )
    return found


def _compact(value: Any) -> str:
    return json.dumps(value, separators=(",", ":"), sort_keys=True, ensure_ascii=False)


def to_fields_v1(paths: set[Path]) -> Obj:
    """The nested FieldsV1 dict of a set of paths."""
    root: Obj = {}
    for path in sorted(paths):
        node = root
        for part in path:
            node = node.setdefault(part, {})
    return root


def from_fields_v1(fields: Obj) -> set[Path]:
    """The paths of a FieldsV1 dict (inverse of ``to_fields_v1``)."""
    out: set[Path] = set()
    stack: list[tuple[Path, Obj]] = [((), fields)]
    while stack:
        path, node = stack.pop()
        for key, child in node.items():
            here = (*path, key)
            if isinstance(child, dict) and child:
                stack.append((here, child))
            else:
                out.add(here)
    return out


_Index = dict[tuple[int, str, tuple[str, ...]], dict[str, Any]]


def _value_at(obj: Any, path: Path, index: _Index | None = None) -> Any:
    """The value at ``path`` (``_MISSING`` if absent); ``index`` caches list lookups."""
    cache: _Index = {} if index is None else index
    node = obj
    for part in path:
        if part == ".":
            return node
        kind, _, text = part.partition(":")
        if kind == "f" and isinstance(node, dict):
            node = node.get(text, _MISSING)
        elif kind in ("k", "v") and isinstance(node, list):
            keys = _key_names(text) if kind == "k" else ()
            slot = (id(node), kind, keys)
            if slot not in cache:
                cache[slot] = _items_by_identity(node, kind, keys)
            node = cache[slot].get(text, _MISSING)
        else:
            return _MISSING
        if node is _MISSING:
            return _MISSING
    return node


@cache
def _key_names(text: str) -> tuple[str, ...]:
    return tuple(sorted(json.loads(text)))


def _items_by_identity(items: list[Any], kind: str, keys: tuple[str, ...]) -> dict[str, Any]:
    found: dict[str, Any] = {}
    for item in items:
        if kind == "v":
            found.setdefault(_compact(item), item)
        elif isinstance(item, dict):
            ident = {k: item.get(k, _KEY_DEFAULTS.get(k)) for k in keys}
            found.setdefault(_compact(ident), item)
    return found


def _matches(item: Any, wanted: Any, kind: str) -> bool:
    if kind == "v":
        return bool(item == wanted)
    return isinstance(item, dict) and all(
        item.get(k, _KEY_DEFAULTS.get(k, _MISSING)) == v for k, v in wanted.items()
    )


def dotted(path: Path) -> str:
    """A path as structured-merge-diff prints it: ``.spec.containers[name="web"].image``."""
    text = ""
    for part in path:
        kind, _, rest = part.partition(":")
        if part == ".":
            continue
        if kind == "f":
            text += f".{rest}"
        elif kind == "k":
            keys = json.loads(rest)
            text += "[" + ",".join(f"{k}={_compact(v)}" for k, v in keys.items()) + "]"
        else:
            text += f"[={rest}]"
    return text


def _manager_label(entry: Obj) -> str:
    name = go_quote(str(entry.get("manager", "")))
    if entry.get("operation") == "Update":
        return f"{name} using {entry.get('apiVersion', '')}"
    return name


def apply(
    live: Obj | None,
    applied: Obj,
    *,
    kind: str,
    manager: str,
    force: bool = False,
    time: str | None = None,
) -> Obj:
    """The object after ``manager`` applies ``applied`` (raises ApplyConflict)."""
    if not (within_depth(applied) and within_depth(live)):
        raise bad_request(
            f"the apply configuration is nested too deeply (more than {MAX_DEPTH} levels)"
        )
    api_version = str(applied.get("apiVersion", ""))
    entries = _entries(live, kind, time)
    mine = field_set(applied, kind)
    previous: set[Path] = set()
    others: list[tuple[Obj, set[Path]]] = []
    for entry in entries:
        paths = from_fields_v1(entry.get("fieldsV1") or {})
        if entry.get("manager") == manager and entry.get("operation") == "Apply":
            previous = paths
        else:
            others.append((entry, paths))
    conflicts: list[tuple[Obj, Path]] = []
    index: _Index = {}
    for entry, paths in others:
        for path in sorted(mine & paths):
            if path[-1] != "." and _value_at(live, path, index) != _value_at(applied, path, index):
                conflicts.append((entry, path))
    if conflicts and not force:
        raise _conflict_error(conflicts)
    taken = {path for _, path in conflicts}
    result = apply_strategic_merge_patch(live or {}, _without_directives(applied), kind)
    still_owned: set[Path] = set()
    for _, paths in others:
        still_owned |= paths - taken
    for path in sorted(previous - mine - still_owned, key=len, reverse=True):
        _remove(result, path)
    new_entries: list[Obj] = []
    for entry, paths in others:
        left = paths - taken
        if left:
            new_entries.append({**entry, "fieldsV1": to_fields_v1(left)})
    new_entries.append(_entry(manager, "Apply", api_version, time, mine))
    result.setdefault("metadata", {})["managedFields"] = new_entries
    return result


def _entries(live: Obj | None, kind: str, time: str | None) -> list[Obj]:
    if live is None:
        return []
    found = (live.get("metadata") or {}).get("managedFields")
    if found:
        return [copy_json(e) for e in found]
    api_version = str(live.get("apiVersion", ""))
    return [_entry(BEFORE_FIRST_APPLY, "Update", api_version, time, field_set(live, kind))]


def record_update(
    old: Obj | None, new: Obj, kind: str, manager: str, time: str | None = None
) -> list[Obj]:
    """``managedFields`` after a non-apply write by ``manager``: it owns what it changed."""
    if not (within_depth(old) and within_depth(new)):
        raise bad_request(f"the object is nested too deeply (more than {MAX_DEPTH} levels)")
    old_set = field_set(old, kind) if old else set()
    new_set = field_set(new, kind)
    index: _Index = {}
    changed = {
        p
        for p in new_set
        if p not in old_set or _value_at(old, p, index) != _value_at(new, p, index)
    }
    found = ((old or {}).get("metadata") or {}).get("managedFields") or []
    api_version = str(new.get("apiVersion", ""))
    out: list[Obj] = []
    own: set[Path] = set()
    for entry in found:
        paths = from_fields_v1(entry.get("fieldsV1") or {}) & new_set
        if entry.get("manager") == manager and entry.get("operation") == "Update":
            own = paths
            continue
        paths -= changed
        if paths:
            out.append({**copy_json(entry), "fieldsV1": to_fields_v1(paths)})
    if own | changed:
        out.append(_entry(manager, "Update", api_version, time, own | changed))
    return out


def _entry(
    manager: str, operation: str, api_version: str, time: str | None, paths: set[Path]
) -> Obj:
    entry: Obj = {"manager": manager, "operation": operation, "apiVersion": api_version}
    if time is not None:
        entry["time"] = time
    entry["fieldsType"] = "FieldsV1"
    entry["fieldsV1"] = to_fields_v1(paths)
    return entry


def _conflict_error(conflicts: list[tuple[Obj, Path]]) -> ApplyConflict:
    causes = [
        {
            "type": "FieldManagerConflict",
            "message": f"conflict with {_manager_label(e)}",
            "field": dotted(p),
        }
        for e, p in conflicts
    ]
    count = len(conflicts)
    if count == 1:
        entry, path = conflicts[0]
        detail = f"conflict with {_manager_label(entry)}: {dotted(path)}"
    else:
        by_manager: dict[str, list[str]] = {}
        for entry, path in conflicts:
            by_manager.setdefault(_manager_label(entry), []).append(dotted(path))
        if len(by_manager) == 1:
            ((label, paths),) = by_manager.items()
            detail = f"conflicts with {label}:" + "".join(f"\n- {p}" for p in paths)
        else:
            detail = "conflicts with" + "".join(
                f"\n{label}:" + "".join(f"\n- {p}" for p in paths)
                for label, paths in by_manager.items()
            )
    plural = "" if count == 1 else "s"
    return ApplyConflict(f"Apply failed with {count} conflict{plural}: {detail}", causes)


def _without_directives(value: Any) -> Any:
    # An apply configuration is plain data: "$"-keys are not patch directives there.
    if isinstance(value, dict):
        return {k: _without_directives(v) for k, v in value.items() if not k.startswith("$")}
    if isinstance(value, list):
        return [_without_directives(v) for v in value]
    return value


def _remove(obj: Obj, path: Path) -> None:
    if path[-1] == ".":
        _remove(obj, path[:-1])
        return
    parent = _value_at(obj, path[:-1]) if len(path) > 1 else obj
    kind, _, text = path[-1].partition(":")
    if kind == "f" and isinstance(parent, dict):
        parent.pop(text, None)
    elif kind in ("k", "v") and isinstance(parent, list):
        wanted = json.loads(text)
        parent[:] = [i for i in parent if not _matches(i, wanted, kind)]
