"""``Status`` bodies: how the API server reports failures (and a few successes)."""

from __future__ import annotations

from typing import Any

from aiohttp import web

from k8stui.engine.errors import ApiError

Obj = dict[str, Any]

_REASON_BY_CODE = {
    400: "BadRequest",
    401: "Unauthorized",
    403: "Forbidden",
    404: "NotFound",
    405: "MethodNotAllowed",
    406: "NotAcceptable",
    409: "Conflict",
    410: "Expired",
    413: "RequestEntityTooLarge",
    415: "UnsupportedMediaType",
    422: "Invalid",
    429: "TooManyRequests",
    500: "InternalError",
    501: "NotImplemented",
}


def status_body(
    code: int, message: str, reason: str | None = None, details: Obj | None = None
) -> Obj:
    """A ``v1 Status`` failure object."""
    body: Obj = {
        "kind": "Status",
        "apiVersion": "v1",
        "metadata": {},
        "status": "Failure",
        "message": message,
        "reason": reason or _REASON_BY_CODE.get(code, ""),
        "code": code,
    }
    if details:
        body["details"] = details
    if body["reason"] == "":
        del body["reason"]
    return body


def success_body(code: int = 200, details: Obj | None = None) -> Obj:
    """A ``v1 Status`` success object (eviction, delete of a collection)."""
    body: Obj = {"kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Success"}
    if details:
        body["details"] = details
    body["code"] = code
    return body


class StatusError(Exception):
    """Raised by handlers; the app turns it into a JSON Status response."""

    def __init__(
        self, code: int, message: str, reason: str | None = None, details: Obj | None = None
    ) -> None:
        super().__init__(message)
        self.body = status_body(code, message, reason, details)
        self.code = code

    @classmethod
    def from_body(cls, body: Obj) -> StatusError:
        """A StatusError that answers with a ready Status body."""
        error = cls(int(body.get("code", 500)), str(body.get("message", "")))
        error.body = body
        return error


def from_api_error(exc: ApiError, kind: str = "", plural: str = "", name: str = "") -> StatusError:
    """The Status of an engine error, with the ``details`` the real server adds.

    kubectl prints an Invalid error from ``details`` (``The <kind> "<name>" is invalid: ``
    and one ``field: message`` per cause), so causes are recovered from the engine's text,
    which already has kubectl's layout (one cause inline, several as ``* `` lines).
    """
    details: Obj = {}
    if name:
        details["name"] = name
    if exc.reason == "Invalid":
        if kind:
            details["kind"] = kind
        details["causes"] = _causes(exc.message)
    elif plural:
        details["kind"] = plural
    return StatusError(exc.code, exc.message, exc.reason, details or None)


def _causes(message: str) -> list[Obj]:
    _head, _sep, rest = message.partition(" is invalid:")
    lines = [line[2:] for line in rest.split("\n") if line.startswith("* ")]
    if not lines:
        lines = [rest.strip()]
    causes = []
    for line in lines:
        field, sep, text = line.partition(": ")
        if not sep:
            field, text = "", line
        reason = "FieldValueInvalid"
        for word, name in _CAUSE_REASONS:
            if text.startswith(word):
                reason = name
                break
        causes.append({"reason": reason, "message": text, "field": field})
    return causes


_CAUSE_REASONS = (
    ("Required value", "FieldValueRequired"),
    ("Unsupported value", "FieldValueNotSupported"),
    ("Duplicate value", "FieldValueDuplicate"),
    ("Forbidden", "FieldValueForbidden"),
    ("Too long", "FieldValueTooLong"),
    ("Not found", "FieldValueNotFound"),
)


def json_response(
    body: Any, status: int = 200, headers: dict[str, str] | None = None
) -> web.Response:
    """A compact JSON response (the encoding kubectl's decoders expect)."""
    import json

    text = json.dumps(body, separators=(",", ":"), ensure_ascii=False)
    return web.Response(
        body=text.encode(), status=status, content_type="application/json", headers=headers
    )


def error_response(exc: StatusError) -> web.Response:
    """The HTTP response of a StatusError."""
    return json_response(exc.body, exc.code)
