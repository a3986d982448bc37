"""Strategic merge patch (``application/strategic-merge-patch+json``), as the API server applies it.

Wiring (server): for ``PATCH`` with that content type, decode the body as JSON, then
``patched = apply_strategic_merge_patch(live, patch, kind)`` and hand ``patched`` to the
engine's replace path (``resourceVersion`` preconditions are the caller's job). A refused
patch raises ``StrategicPatchError`` (an ``ApiError``); answer with ``exc.status()``, the
exact Status body, rather than adding ``details`` of your own (for the 422 the real server
sends empty details, which is what makes kubectl print ``The request is invalid: ...``).
The codes are the real server's: 400 ``BadRequest`` for a malformed directive (``invalid
patch format of retainKeys``), 422 ``Invalid`` for lists of lists, and 500 with an empty
reason (kubectl: ``Error from server: map: map[image:x] does not contain declared merge key:
name``) for every other error of the patch library.

Semantics, per field (the table is ``patch_schema``, checked against the official schemas),
following the apimachinery algorithm step by step:

* maps merge key by key; ``null`` deletes a key; a key the live object lacks takes the patch
  value as it is (directives and ``null``s inside it are dropped, as decoding drops them);
* lists with strategy ``merge`` and a merge key (``containers`` by ``name``, container
  ``ports`` by ``containerPort``, ``env``/``volumes`` by ``name``, ``volumeMounts`` by
  ``mountPath``, ...) merge item by item; lists with strategy ``merge`` and no key
  (``finalizers``) are sets; every other list (``args``, ``tolerations``) is replaced;
* order after a merge: items named in the patch keep the patch's order, live-only items keep
  theirs, and a patch item the live list lacks goes before the live-only items (so an added
  container comes first unless ``$setElementOrder`` says otherwise, as on a real server);
* directives: ``$patch: replace`` and ``$patch: delete`` on a map (delete leaves ``{}``) or as
  list elements, ``$retainKeys``, ``$setElementOrder/<list>``,
  ``$deleteFromPrimitiveList/<list>``. ``$patch: merge`` is refused as the real server
  refuses it (``unknown patch type: merge in map: ...`` on a map, ``merging lists cannot yet
  be specified in the patch`` in a list): merging is the default and is never spelled out.
"""

from __future__ import annotations

from collections.abc import Hashable
from typing import Any

from k8stui.engine.apimachinery.go_json import go_equal, go_format, go_key, go_type, unique
from k8stui.engine.apimachinery.json_depth import MAX_DEPTH, within_depth
from k8stui.engine.apiserver.patch_schema import FieldMeta, field_meta, root_type
from k8stui.engine.errors import ApiError
from k8stui.engine.jsoncopy import copy_json

Obj = dict[str, Any]

PATCH = "$patch"
RETAIN_KEYS = "$retainKeys"
SET_ORDER = "$setElementOrder/"
DELETE_FROM = "$deleteFromPrimitiveList/"

# The apimachinery mergepatch error texts.
BAD_JSON = "invalid JSON document"
BAD_PRIMITIVE_LIST = "invalid patch format of primitive list"
BAD_RETAIN_KEYS = "invalid patch format of retainKeys"
BAD_ORDER_LIST = "invalid patch format of setElementOrder list"
LIST_OF_LISTS = "lists of lists are not supported"
_REJECTED = "the server rejected our request due to an error in our request"


class StrategicPatchError(ApiError):
    """A patch the API server refuses; ``detail`` is the patch library's own text."""

    def __init__(self, code: int, reason: str, message: str, detail: str) -> None:
        super().__init__(code, reason, message)
        self.detail = detail

    def status(self) -> Obj:
        """The Status body the real API server answers with."""
        body: Obj = {
            "kind": "Status",
            "apiVersion": "v1",
            "metadata": {},
            "status": "Failure",
            "message": self.message,
        }
        if self.reason:
            body["reason"] = self.reason
        if self.code == 422:
            body["details"] = {}
        body["code"] = self.code
        return body

    def kubectl_text(self, source: str | None = None, verb: str = "patching") -> str:
        """What the real kubectl prints for this error."""
        if self.reason == "Invalid":
            return f"The request is invalid: {self.message}"
        if not self.reason:
            return f"Error from server: {self.message}"
        return f"Error from server ({self.reason}): {self.message}"


def _bad(detail: str) -> StrategicPatchError:
    return StrategicPatchError(400, "BadRequest", detail, detail)


def _unprocessable(detail: str) -> StrategicPatchError:
    return StrategicPatchError(422, "Invalid", _REJECTED, detail)


def _raw(detail: str) -> StrategicPatchError:
    # Errors the server does not map: a 500 Status with no reason and the error's own text.
    return StrategicPatchError(500, "", detail, detail)


def apply_strategic_merge_patch(original: Obj, patch: Any, kind: str) -> Obj:
    """The object after applying a strategic merge ``patch`` to ``original`` (a new dict).

    ``kind`` picks the list semantics (kinds without a table entry merge maps and replace
    lists). Inputs are not modified.
    """
    if not isinstance(patch, dict):
        raise _bad(BAD_JSON)
    if not (within_depth(patch) and within_depth(original)):
        raise _bad(f"the patch is nested too deeply (more than {MAX_DEPTH} levels)")
    return _merge_map(copy_json(original), copy_json(patch), root_type(kind))


def merge_patches(first: Obj, second: Obj, kind: str) -> Obj:
    """One patch doing what ``first`` then ``second`` do (directives and ``null``s kept).

    This is the merge kubectl's three-way patch uses to join its deletions and its changes.
    """
    return _merge_map(copy_json(first), copy_json(second), root_type(kind), patches=True)


def _merge_map(original: Obj, patch: Obj, type_name: str | None, patches: bool = False) -> Obj:
    """Merge ``patch`` into ``original`` (in place); ``patches``: both are patches."""
    take = _keep if patches else _clean
    if PATCH in patch:
        directive = patch.pop(PATCH)
        if directive == "replace":
            return _clean(patch)
        if directive == "delete":
            return {}
        raise _raw(f"unknown patch type: {go_format(directive)} in map: {go_format(patch)}")
    _retain_keys(original, patch, patches)
    for key in [k for k in patch if k.startswith(SET_ORDER)]:
        _set_order(original, patch, key, type_name, patches)
    for key, value in patch.items():
        delete_list = key.startswith(DELETE_FROM)
        if delete_list and patches:
            original[key] = value
            continue
        if delete_list:
            key = key[len(DELETE_FROM) :]
            if not key or not isinstance(value, list):
                raise _bad(BAD_PRIMITIVE_LIST)
        if value is None:
            original.pop(key, None)
            if patches:
                original[key] = None
            continue
        if key not in original:
            if not delete_list:  # deleting from a list that is not there adds nothing
                original[key] = take(value)
            continue
        current = original[key]
        if current is None and delete_list:
            continue
        if go_type(current) != go_type(value):
            original[key] = take(value)
            continue
        meta = field_meta(type_name, key)
        if isinstance(current, dict):
            if meta.strategy == ("replace",):
                original[key] = take(value)
            else:
                original[key] = _merge_map(current, value, meta.type, patches)
        elif isinstance(current, list):
            merges = meta.merges or delete_list
            original[key] = (
                _merge_list(current, value, meta, delete_list, patches) if merges else take(value)
            )
        else:
            original[key] = value
    return original


def _retain_keys(original: Obj, patch: Obj, patches: bool) -> None:
    if RETAIN_KEYS not in patch:
        return
    keep = patch.pop(RETAIN_KEYS)
    if patches:  # both are patches: the directive carries over
        if RETAIN_KEYS in original and not go_equal(original[RETAIN_KEYS], keep):
            raise _raw(
                f"{go_format(original[RETAIN_KEYS])} and {go_format(keep)} are not deep equal: "
                "this may happen when calculating the 3-way diff patch"
            )
        original[RETAIN_KEYS] = keep
        return
    if not isinstance(keep, list):
        raise _bad(BAD_RETAIN_KEYS)
    for key, value in patch.items():
        if value is None or key.startswith((SET_ORDER, DELETE_FROM)):
            continue
        if key not in keep:
            raise _bad(BAD_RETAIN_KEYS)
    for key in list(original):
        if key not in keep:
            del original[key]


def _set_order(original: Obj, patch: Obj, key: str, type_name: str | None, patches: bool) -> None:
    """Merge one list together with its ``$setElementOrder`` and put it in that order."""
    order = patch.pop(key)
    if patches:  # both are patches: the order list carries over
        if key in original and not go_equal(original[key], order):
            raise _bad(BAD_ORDER_LIST)
        original[key] = order
    field = key[len(SET_ORDER) :]
    if not field:
        raise _bad(BAD_ORDER_LIST)
    if not isinstance(order, list):
        raise _raw(f"expected a []interface {{}}, but received a {go_type(order)}")
    found_live, found_patch = field in original, field in patch
    for value in (original.get(field, []), patch.get(field, [])):
        if not isinstance(value, list):
            raise _raw(f"expected a []interface {{}}, but received a {go_type(value)}")
    live: list[Any] = original.get(field, [])
    given: list[Any] = patch.get(field, [])
    meta = field_meta(type_name, field)
    key_name = meta.merge_key if meta.merges else None
    _check_order(given, order, key_name)
    if not found_live and not found_patch:
        return
    take = _keep if patches else _clean
    if found_live and found_patch:
        merged = _merge_list(live, given, meta, False, patches) if meta.merges else take(given)
    else:
        merged = live if found_live else take(given)
    listed, server_only = _partition(merged, order, key_name)
    original[field] = _normalize(listed, server_only, order, live, key_name)
    patch.pop(field, None)


def _check_order(given: list[Any], order: list[Any], key: str | None) -> None:
    """The patch list must follow the order list (items marked for deletion aside)."""
    if not given or not order:
        return
    items = [i for i in given if not (isinstance(i, dict) and i.get(PATCH) == "delete")]
    at = step = 0
    while at < len(items) and step < len(order):
        if isinstance(items[at], dict) and PATCH in items[at]:
            at += 1
            continue
        if key is not None:
            for item in (items[at], order[step]):
                if not isinstance(item, dict) or key not in item:
                    raise _raw(f"map: {go_format(item)} does not contain declared merge key: {key}")
        if _same(items[at], order[step], key):
            at += 1
        step += 1
    if at < len(items):
        raise _raw(
            f"The order in patch list:\n{go_format(given)}\n doesn't match $setElementOrder list:\n"
            f"{go_format(order)}\n"
        )


def _merge_list(
    live: list[Any], patch: list[Any], meta: FieldMeta, delete_list: bool, patches: bool = False
) -> list[Any]:
    if not live and not patch:
        return live
    kinds = {go_type(item) for item in [*live, *patch]}
    if "[]interface {}" in kinds:
        raise _unprocessable(LIST_OF_LISTS)
    if len(kinds) > 1:
        raise _raw(f"list element types are not identical: [{go_format(live)} {go_format(patch)}]")
    key = meta.merge_key
    if "map[string]interface {}" not in kinds:
        if delete_list:
            gone = {go_key(item) for item in patch}
            return [item for item in live if go_key(item) not in gone]
        merged = unique([*live, *patch])
        listed, server_only = _partition(merged, patch, None)
        return _normalize(listed, server_only, patch, live, None)
    if key is None:
        raise _raw("cannot merge lists without merge key for type map")
    live, patch = _special_elements(live, patch, key, patches)
    merged = list(live)
    where = _positions(merged, key)
    for item in patch:
        if key not in item:
            raise _raw(f"map: {go_format(item)} does not contain declared merge key: {key}")
        index = where.get(go_key(item[key]))
        if index is None:
            where[go_key(item[key])] = len(merged)
            merged.append(item if patches else _clean(item))
        else:
            merged[index] = _merge_map(merged[index], item, meta.type, patches)
    listed, server_only = _partition(merged, patch, key)
    return _normalize(listed, server_only, patch, live, key)


def _special_elements(
    live: list[Any], patch: list[Any], key: str, patches: bool
) -> tuple[list[Any], list[Any]]:
    """Apply ``$patch`` list elements: delete by key, or replace the whole list."""
    rest: list[Any] = []
    replace = False
    gone: set[Hashable] = set()
    for item in patch:
        if PATCH not in item:
            rest.append(item)
            continue
        directive = item[PATCH]
        if directive == "delete":
            if key not in item:
                raise _raw(f"map: {go_format(item)} does not contain declared merge key: {key}")
            gone.add(go_key(item[key]))
        elif directive == "replace":
            replace = True
        elif directive == "merge":
            raise _raw("merging lists cannot yet be specified in the patch")
        else:
            raise _raw(f"unknown patch type: {go_format(directive)} in map: {go_format(item)}")
    live = [m for m in live if _ident(m, key) not in gone] if gone else live
    if replace:
        return [item if patches else _clean(item) for item in rest], []
    return live, rest


def _ident(item: Any, key: str | None) -> Hashable | None:
    """What list items are matched by: the merge key's value, or the item (None: no key)."""
    if key is None:
        return go_key(item)
    if isinstance(item, dict) and key in item:
        return go_key(item[key])
    return None


def _positions(items: list[Any], key: str | None) -> dict[Hashable, int]:
    """The first index of each item identity in ``items``."""
    found: dict[Hashable, int] = {}
    for index, item in enumerate(items):
        ident = _ident(item, key)
        if ident is not None:
            found.setdefault(ident, index)
    return found


def _partition(items: list[Any], by: list[Any], key: str | None) -> tuple[list[Any], list[Any]]:
    listed: list[Any] = []
    server_only: list[Any] = []
    wanted = _positions(by, key)
    for item in items:
        if key is not None and not (isinstance(item, dict) and key in item):
            raise _raw(f"map: {go_format(item)} does not contain declared merge key: {key}")
        (listed if _ident(item, key) in wanted else server_only).append(item)
    return listed, server_only


def _normalize(
    listed: list[Any], server_only: list[Any], order: list[Any], live: list[Any], key: str | None
) -> list[Any]:
    """Sort the patch items by ``order`` and the others by ``live``, then interleave them."""
    listed = _sort_by(listed, order, key)
    server_only = _sort_by(server_only, live, key)
    at = _positions(live, key)
    out: list[Any] = []
    i = j = 0
    while i < len(server_only) or j < len(listed):
        if j >= len(listed):
            out.append(server_only[i])
            i += 1
            continue
        if i < len(server_only):
            left = at.get(_ident(server_only[i], key), -1)
            right = at.get(_ident(listed[j], key), -1)
            if left >= 0 and right >= 0 and left < right:
                out.append(server_only[i])
                i += 1
                continue
        out.append(listed[j])
        j += 1
    return out


def _sort_by(items: list[Any], order: list[Any], key: str | None) -> list[Any]:
    deleted = [i for i in items if isinstance(i, dict) and i.get(PATCH) == "delete"]
    kept = [i for i in items if not (isinstance(i, dict) and i.get(PATCH) == "delete")]
    at = _positions(order, key)
    positions = [at.get(_ident(item, key), -1) for item in kept]
    if all(p >= 0 for p in positions) or len(kept) > 64:
        # Unknown items (rare: only a hostile or inconsistent patch has them) go last.
        ranked = sorted((p if p >= 0 else len(order), n) for n, p in enumerate(positions))
        return [kept[n] for _, n in ranked] + deleted
    # Go's stable insertion sort with its comparator ("true" when either is unknown).
    out = list(zip(positions, kept, strict=True))
    for n in range(1, len(out)):
        m = n
        while m > 0 and _before(out[m][0], out[m - 1][0]):
            out[m], out[m - 1] = out[m - 1], out[m]
            m -= 1
    return [item for _, item in out] + deleted


def _before(a: int, b: int) -> bool:
    return a < b if a >= 0 and b >= 0 else True


def _same(a: Any, b: Any, key: str | None) -> bool:
    if key is None:
        return go_equal(a, b)
    if not isinstance(a, dict) or not isinstance(b, dict):
        return False
    return key in a and key in b and go_equal(a[key], b[key])


def _keep(value: Any) -> Any:
    return value


def _clean(value: Any) -> Any:
    """A patch value as the typed decoder keeps it: no ``$`` directive keys, no ``null``s."""
    if isinstance(value, dict):
        return {k: _clean(v) for k, v in value.items() if v is not None and not k.startswith("$")}
    if isinstance(value, list):
        return [_clean(item) for item in value]
    return value
