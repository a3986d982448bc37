"""Patch and apply semantics (pure): RFC 7386 merge patch and kubectl's client-side apply.

``kubectl apply`` (client-side) computes a strategic merge patch from three inputs: the
configuration applied last time (stored in an annotation), the live object, and the new
configuration. The effect, reproduced directly here:

* a field in the new configuration overwrites the live value;
* a field that was in the last-applied configuration but is gone from the new one is
  deleted from the live object;
* a field only the live object has (defaulted by the server, written by a controller or
  by ``kubectl scale``) is kept;
* lists of objects with a strategic-merge key (containers by ``name``, container ports by
  ``containerPort``, service ports by ``port``, ...) are merged element by element with the
  same three rules; all other lists (tolerations, args, ...) are replaced.
"""

from __future__ import annotations

import json
from typing import Any

from k8stui.engine.jsoncopy import copy_json

Obj = dict[str, Any]

LAST_APPLIED = "kubectl.kubernetes.io/last-applied-configuration"

_CONTAINER_LISTS = frozenset({"containers", "initContainers", "ephemeralContainers"})
# patchMergeKey of the built-in list fields (x-kubernetes-patch-merge-key in the schema).
_MERGE_KEYS = {
    "containers": "name",
    "initContainers": "name",
    "ephemeralContainers": "name",
    "volumes": "name",
    "env": "name",
    "volumeMounts": "mountPath",
    "volumeDevices": "devicePath",
    "imagePullSecrets": "name",
    "hostAliases": "ip",
    "topologySpreadConstraints": "topologyKey",
    "ownerReferences": "uid",
    "conditions": "type",
    "resourceClaims": "name",
}


def json_merge_patch(target: Any, patch: Any) -> Any:
    """Apply an RFC 7386 JSON merge patch; returns a new value (inputs are not modified).

    A ``null`` in the patch deletes the key; objects merge recursively; anything else,
    lists included, replaces the target value.
    """
    if not isinstance(patch, dict):
        return copy_json(patch)
    result: Obj = copy_json(target) if isinstance(target, dict) else {}
    for key, value in patch.items():
        if value is None:
            result.pop(key, None)
        else:
            result[key] = json_merge_patch(result.get(key), value)
    return result


def _merge_key(field: str, parent: str | None) -> str | None:
    if field == "ports":
        return "containerPort" if parent in _CONTAINER_LISTS else "port"
    return _MERGE_KEYS.get(field)


def _merge_map(last: Any, live: Any, new: Obj, parent: str | None) -> Obj:
    last_map = last if isinstance(last, dict) else {}
    result: Obj = copy_json(live) if isinstance(live, dict) else {}
    for key in last_map:
        if key not in new:
            result.pop(key, None)  # removed from the configuration
    for key, value in new.items():
        if value is None:
            result.pop(key, None)
        else:
            result[key] = _merge_value(last_map.get(key), result.get(key), value, key, parent)
    return result


def _merge_value(last: Any, live: Any, new: Any, field: str, parent: str | None) -> Any:
    if isinstance(new, dict) and isinstance(live, dict):
        return _merge_map(last, live, new, field)
    if isinstance(new, list) and isinstance(live, list):
        key = _merge_key(field, parent)
        if key is not None and _keyed(new, key) and _keyed(live, key):
            return _merge_list(last if isinstance(last, list) else [], live, new, key, field)
    return copy_json(new)


def _keyed(items: list[Any], key: str) -> bool:
    return all(isinstance(item, dict) and key in item for item in items)


def _merge_list(
    last: list[Any], live: list[Any], new: list[Any], key: str, field: str
) -> list[Any]:
    last_by = {_ident(i, key): i for i in last if isinstance(i, dict) and key in i}
    live_by = {_ident(i, key): i for i in live}
    new_ids = {_ident(i, key) for i in new}
    merged: list[Any] = []
    for item in new:
        ident = _ident(item, key)
        if ident in live_by:
            merged.append(_merge_map(last_by.get(ident), live_by[ident], item, field))
        else:
            merged.append(copy_json(item))
    for item in live:
        ident = _ident(item, key)
        if ident not in new_ids and ident not in last_by:
            merged.append(copy_json(item))  # added by someone else: keep it
    return merged


def _ident(item: Obj, key: str) -> str:
    return json.dumps(item.get(key), sort_keys=True)


def three_way_merge(last_applied: Obj | None, live: Obj, new: Obj) -> Obj:
    """The object ``kubectl apply`` would leave: ``new`` merged into ``live`` given ``last_applied``.

    ``last_applied`` is the decoded last-applied-configuration annotation (None when the
    live object has none: then nothing is deleted). Returns a new dict.
    """
    return _merge_map(last_applied, live, new, None)


def last_applied_json(obj: Obj) -> str:
    """The last-applied-configuration annotation value for ``obj``, as kubectl stores it.

    Compact JSON with sorted keys and a trailing newline, without ``status`` and without the
    annotation itself (an otherwise empty ``annotations`` map stays as ``{}``, as kubectl's).
    """
    body = {k: v for k, v in obj.items() if k != "status"}
    meta = body.get("metadata")
    if isinstance(meta, dict):
        annotations = meta.get("annotations")
        annotations = dict(annotations) if isinstance(annotations, dict) else {}
        annotations.pop(LAST_APPLIED, None)
        body["metadata"] = {**meta, "annotations": annotations}
    text = json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    # Go's encoding/json escapes these even inside strings; kubectl's annotation shows them so.
    for char, escaped in _GO_ESCAPES:
        text = text.replace(char, escaped)
    return text + "\n"


_GO_ESCAPES = (
    ("<", "\\u003c"),
    (">", "\\u003e"),
    ("&", "\\u0026"),
    ("\u2028", "\\u2028"),
    ("\u2029", "\\u2029"),
)
