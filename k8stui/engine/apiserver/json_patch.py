"""JSON patch (RFC 6902, ``application/json-patch+json``) with the API server's answers.

Wiring (server): decode the body as JSON, then ``patched = apply_json_patch(live, ops)`` and
hand ``patched`` to the engine's replace path. Failures raise ``JsonPatchError`` (an
``ApiError``): a body that is not a list of operation objects, or more than 10,000
operations, is a 400 ``BadRequest`` with the Go decoder's text; an operation that does not
apply is the real server's 422 ``Invalid`` whose message is only "the server rejected our
request due to an error in our request" and whose ``details`` are empty (the real kubectl
prints ``The request is invalid: ...``; ``kubectl_text()`` gives that line). Answer with
``exc.status()``, the exact Status body, rather than adding details of your own. ``detail`` keeps the json-patch library's own
reason (``remove operation does not apply: doc is missing path: "/x": missing value``) for
logs and tests.

The operations run through the ``jsonpatch`` library (RFC 6902), one at a time so that a
failure names its operation; ``test`` compares with JSON equality (``1`` is not ``true``).
"""

from __future__ import annotations

from typing import Any

import jsonpatch
import jsonpointer

from k8stui.engine.apimachinery.json_depth import MAX_DEPTH, within_depth
from k8stui.engine.errors import ApiError
from k8stui.engine.jsoncopy import copy_json

MAX_OPERATIONS = 10000
_REJECTED = "the server rejected our request due to an error in our request"
_OPS = ("add", "remove", "replace", "move", "copy", "test")


class JsonPatchError(ApiError):
    """A JSON patch the API server refuses; ``detail`` is the reason it gives internally."""

    def __init__(self, code: int, reason: str, message: str, detail: str) -> None:
        super().__init__(code, reason, message)
        self.detail = detail

    def status(self) -> dict[str, Any]:
        """The Status body the real API server answers with (empty details for the 422)."""
        body: dict[str, Any] = {
            "kind": "Status",
            "apiVersion": "v1",
            "metadata": {},
            "status": "Failure",
            "message": self.message,
            "reason": self.reason,
        }
        if self.code == 422:
            body["details"] = {}
        body["code"] = self.code
        return body

    def kubectl_text(self, source: str | None = None, verb: str = "patching") -> str:
        """What the real kubectl prints for this error."""
        if self.reason == "Invalid":
            return f"The request is invalid: {self.message}"
        return f"Error from server ({self.reason}): {self.message}"


def _decode_error(detail: str) -> JsonPatchError:
    return JsonPatchError(400, "BadRequest", detail, detail)


def _failed(detail: str) -> JsonPatchError:
    return JsonPatchError(422, "Invalid", _REJECTED, detail)


def apply_json_patch(document: Any, operations: Any) -> Any:
    """``document`` after the RFC 6902 ``operations`` (a new value; the input is not modified).

    A ``null`` body is an empty patch, as Go decodes it.
    """
    if operations is None:
        return copy_json(document)
    if not isinstance(operations, list):
        kind = "object" if isinstance(operations, dict) else _json_type(operations)
        raise _decode_error(f"json: cannot unmarshal {kind} into Go value of type jsonpatch.Patch")
    for op in operations:
        if not isinstance(op, dict):
            raise _decode_error(
                f"json: cannot unmarshal {_json_type(op)} into Go value of type jsonpatch.Operation"
            )
    if len(operations) > MAX_OPERATIONS:
        raise _decode_error(
            f"The allowed maximum operations in a JSON patch is {MAX_OPERATIONS}, "
            f"got {len(operations)}"
        )
    if not (within_depth(operations) and within_depth(document)):
        raise _decode_error(f"the patch is nested too deeply (more than {MAX_DEPTH} levels)")
    result = copy_json(document)
    for op in operations:
        result = _apply_one(result, op)
    return result


def _apply_one(doc: Any, op: dict[str, Any]) -> Any:
    kind = op.get("op")
    if kind not in _OPS:
        raise _failed(f"Unexpected kind: {kind if isinstance(kind, str) else 'unknown'}")
    path = op.get("path")
    if not isinstance(path, str):
        raise _failed("operation missing path field")
    if kind == "test":
        _test(doc, op, path)
        return doc
    if kind in ("move", "copy") and not isinstance(op.get("from"), str):
        raise _failed("operation missing from field")
    if kind in ("add", "replace") and "value" not in op:
        raise _failed(f"{kind} operation does not apply: missing value")
    try:
        return jsonpatch.JsonPatch([op]).apply(doc, in_place=True)
    except (jsonpatch.JsonPatchException, jsonpointer.JsonPointerException, TypeError) as exc:
        raise _failed(_reason(kind, op, path)) from exc


def _test(doc: Any, op: dict[str, Any], path: str) -> None:
    try:
        found = jsonpointer.resolve_pointer(doc, path)
    except jsonpointer.JsonPointerException as exc:
        raise _failed(f'test operation does not apply: doc is missing path: "{path}"') from exc
    if not _json_equal(found, op.get("value")):
        raise _failed(f"testing value {path} failed: test failed")


def _reason(kind: str, op: dict[str, Any], path: str) -> str:
    if kind in ("move", "copy"):
        return f"{kind} operation does not apply: doc is missing from path: {op['from']}: missing value"
    if kind == "replace":
        return f"replace operation does not apply: doc is missing key: {path}: missing value"
    return f'{kind} operation does not apply: doc is missing path: "{path}": missing value'


def _json_equal(a: Any, b: Any) -> bool:
    """Equality of JSON values: numbers by value, but booleans are not numbers."""
    if isinstance(a, bool) or isinstance(b, bool):
        return isinstance(a, bool) and isinstance(b, bool) and a == b
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(_json_equal(a[k], b[k]) for k in a)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(_json_equal(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, int | float) and isinstance(b, int | float):
        return a == b
    return type(a) is type(b) and a == b


def _json_type(value: Any) -> str:
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, int | float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    if value is None:
        return "null"
    return "object"
