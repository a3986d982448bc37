"""Patch and apply semantics (pure): RFC 7386 merge patch and kubectl's client-side apply.

``kubectl apply`` (client-side) computes a strategic merge patch from three inputs: the
configuration applied last time (stored in an annotation), the live object, and the new
configuration, and the API server applies it. ``three_way_merge`` does both steps with
``strategic_diff.three_way_patch`` (the patch the real kubectl sends, byte for byte) and
``strategic_merge.apply_strategic_merge_patch`` (what the server does with it), so:

* a field in the new configuration overwrites the live value;
* a field that was in the last-applied configuration but is gone from the new one is
  deleted from the live object;
* a field only the live object has (defaulted by the server, written by a controller or
  by ``kubectl scale``) is kept;
* lists with a strategic-merge key (containers by ``name``, container ports by
  ``containerPort``, service ports by ``port``, ...) are merged element by element with the
  same three rules and put in the configuration's order; all other lists (tolerations,
  args, ...) are replaced.
"""

from __future__ import annotations

import json
from typing import Any

from k8stui.engine.apiserver.strategic_diff import three_way_patch
from k8stui.engine.apiserver.strategic_merge import apply_strategic_merge_patch
from k8stui.engine.jsoncopy import copy_json

Obj = dict[str, Any]

LAST_APPLIED = "kubectl.kubernetes.io/last-applied-configuration"


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


def three_way_merge(last_applied: Obj | None, live: Obj, new: Obj) -> Obj:
    """The object ``kubectl apply`` would leave: ``new`` merged into ``live`` given ``last_applied``.

    ``last_applied`` is the decoded last-applied-configuration annotation (None when the
    live object has none: then nothing is deleted). Returns a new dict.
    """
    kind = str(new.get("kind", ""))
    return apply_strategic_merge_patch(live, three_way_patch(last_applied, new, live, kind), kind)


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
