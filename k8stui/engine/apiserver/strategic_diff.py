"""The strategic merge patch ``kubectl apply`` computes (client side), from three objects.

``three_way_patch(original, modified, current, kind)`` is the patch kubectl sends: the
changes and additions from ``current`` (the live object) to ``modified`` (the new
configuration, with its new last-applied annotation), plus the deletions from ``original``
(the previous last-applied configuration) to ``modified``, with ``$setElementOrder`` lists
for merged lists, ``$deleteFromPrimitiveList`` for removed set items, ``{"$patch":
"delete"}`` items for removed keyed items and ``$retainKeys`` for ``retainKeys`` fields. An
empty dict means "unchanged" (kubectl then sends nothing). It follows the apimachinery
algorithm step by step, so the patch is the real kubectl's byte for byte once serialised with
sorted keys (``json.dumps(patch, sort_keys=True, separators=(",", ":"))``).

Wiring: ``apply_strategic_merge_patch(current, three_way_patch(...), kind)`` is what a real
kubectl apply does to the live object through the API server.
"""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass, replace
from typing import Any

from k8stui.engine.apimachinery.go_json import go_equal, go_format, go_key, go_type, unique
from k8stui.engine.apimachinery.json_depth import MAX_DEPTH, within_depth
from k8stui.engine.apiserver.patch_schema import field_meta, root_type
from k8stui.engine.apiserver.strategic_merge import (
    DELETE_FROM,
    PATCH,
    RETAIN_KEYS,
    SET_ORDER,
    merge_patches,
)
from k8stui.engine.errors import bad_request
from k8stui.engine.jsoncopy import copy_json

Obj = dict[str, Any]


@dataclass(frozen=True)
class _Options:
    ignore_deletions: bool = False
    ignore_changes: bool = False
    retain_keys: bool = False


def three_way_patch(original: Obj | None, modified: Obj, current: Obj, kind: str) -> Obj:
    """kubectl apply's patch taking ``current`` to ``modified`` given ``original``."""
    for value in (original, modified, current):
        if not within_depth(value):
            raise bad_request(f"the object is nested too deeply (more than {MAX_DEPTH} levels)")
    type_name = root_type(kind)
    delta = _diff_maps(
        copy_json(current), copy_json(modified), type_name, _Options(ignore_deletions=True)
    )
    deletions = _diff_maps(
        copy_json(original or {}), copy_json(modified), type_name, _Options(ignore_changes=True)
    )
    return merge_patches(deletions, delta, kind)


def _diff_maps(original: Obj, modified: Obj, type_name: str | None, opts: _Options) -> Obj:
    patch: Obj = {}
    retain: list[str] = []
    for key, new in modified.items():
        if opts.retain_keys and new is not None:
            retain.append(key)
        if key not in original:
            if not opts.ignore_changes:
                patch[key] = new
            continue
        old = original[key]
        if key == PATCH and isinstance(old, str) and isinstance(new, str):
            if old != new:
                patch[key] = new
            continue
        if go_type(old) != go_type(new):
            if not opts.ignore_changes:
                patch[key] = new
            continue
        meta = field_meta(type_name, key)
        if isinstance(old, dict):
            if meta.strategy == ("replace",):
                if not opts.ignore_changes:
                    patch[key] = new
                continue
            sub = _diff_maps(
                old, new, meta.type, replace(opts, retain_keys="retainKeys" in meta.strategy)
            )
            if sub:
                patch[key] = sub
        elif isinstance(old, list) and meta.merges:
            sub_opts = replace(opts, retain_keys="retainKeys" in meta.strategy)
            added, deleted, order = _diff_lists(old, new, meta.type, meta.merge_key, sub_opts)
            if added:
                patch[key] = added
            if deleted:
                patch[f"{DELETE_FROM}{key}"] = deleted
            if order:
                patch[f"{SET_ORDER}{key}"] = order
        elif not opts.ignore_changes and not go_equal(old, new):
            patch[key] = new
    if not opts.ignore_deletions:
        for key in original:
            if key not in modified:
                patch[key] = None
    if retain and (patch or any(k not in original for k in modified)):
        patch[RETAIN_KEYS] = sorted(retain, key=go_format)
    return patch


def _diff_lists(
    original: list[Any],
    modified: list[Any],
    item_type: str | None,
    key: str | None,
    opts: _Options,
) -> tuple[list[Any], list[Any], list[Any]]:
    """(changes and additions, deleted primitives, order list) of a merged list."""
    if not original:
        if not modified or opts.ignore_changes:
            return [], [], []
        return modified, [], []
    kinds = {go_type(v) for v in [*original, *modified]}
    if "map[string]interface {}" in kinds:
        if key is None:
            raise bad_request("cannot merge lists without merge key for type map")
        changes, deletions = _diff_keyed(original, modified, item_type, key, opts)
        changes = _ordered_like(changes, modified, key)
        same_order = len(original) == len(modified) and all(
            go_equal(a.get(key), b.get(key)) for a, b in zip(original, modified, strict=True)
        )
        changes += deletions
        order: list[Any] = []
        if (not opts.ignore_changes and (changes or not same_order)) or (
            not opts.ignore_deletions and changes
        ):
            order = [{key: item[key]} for item in modified]
        return changes, [], order
    added, deleted = _diff_scalars(original, modified, opts)
    added = _ordered_like(added, modified, None)
    order = []
    if (not opts.ignore_deletions and deleted) or (
        not opts.ignore_changes and not go_equal(original, modified)
    ):
        order = list(modified)
    return added, deleted, order


def _diff_keyed(
    original: list[Any], modified: list[Any], item_type: str | None, key: str, opts: _Options
) -> tuple[list[Any], list[Any]]:
    for item in [*original, *modified]:
        if key not in item:
            raise bad_request(f"map: {go_format(item)} does not contain declared merge key: {key}")
    old = sorted(original, key=lambda i: go_format(i[key]))
    new = sorted(modified, key=lambda i: go_format(i[key]))
    changes: list[Any] = []
    deletions: list[Any] = []
    i = j = 0
    while i < len(old) or j < len(new):
        left = go_format(old[i][key]) if i < len(old) else None
        right = go_format(new[j][key]) if j < len(new) else None
        if left is not None and right is not None and left == right:
            sub = _diff_maps(old[i], new[j], item_type, opts)
            if sub:
                sub[key] = new[j][key]
                changes.append(sub)
            i += 1
            j += 1
        elif left is None or (right is not None and left > right):
            if not opts.ignore_changes:
                changes.append(new[j])
            j += 1
        else:
            if not opts.ignore_deletions:
                deletions.append({PATCH: "delete", key: old[i][key]})
            i += 1
    return changes, deletions


def _diff_scalars(
    original: list[Any], modified: list[Any], opts: _Options
) -> tuple[list[Any], list[Any]]:
    old = sorted(original, key=go_format)
    new = sorted(modified, key=go_format)
    added: list[Any] = []
    deleted: list[Any] = []
    i = j = 0
    while i < len(old) or j < len(new):
        left = go_format(old[i]) if i < len(old) else None
        right = go_format(new[j]) if j < len(new) else None
        if left is not None and left == right:
            i += 1
            j += 1
        elif left is None or (right is not None and left > right):
            if not opts.ignore_changes:
                added.append(new[j])
            j += 1
        else:
            if not opts.ignore_deletions:
                deleted.append(old[i])
            i += 1
    return added, unique(deleted)


def _ordered_like(items: list[Any], order: list[Any], key: str | None) -> list[Any]:
    """Stable-sort ``items`` by their position in ``order`` (unknown ones go last)."""

    def ident(item: Any) -> Hashable:
        return go_key(item.get(key) if key is not None and isinstance(item, dict) else item)

    at: dict[Hashable, int] = {}
    for index, other in enumerate(order):
        at.setdefault(ident(other), index)
    return sorted(items, key=lambda item: at.get(ident(item), len(order)))
