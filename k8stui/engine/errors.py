"""API errors as the API server reports them (reference §6.7, §7.1)."""

from __future__ import annotations

from k8stui.engine.apimachinery.gostrings import go_quote
from k8stui.engine.apiserver.resources import BY_KIND


class ApiError(Exception):
    """A failed API request: HTTP code, Status reason and message."""

    def __init__(self, code: int, reason: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.reason = reason
        self.message = message

    def kubectl_text(self, source: str | None = None, verb: str = "creating") -> str:
        """What kubectl prints; ``source`` splices in the file (``error when creating "x"``)."""
        if self.reason == "Invalid":
            return self.message
        body = f'error when {verb} "{source}": {self.message}' if source else self.message
        return f"Error from server ({self.reason}): {body}"

    def __str__(self) -> str:
        return self.kubectl_text()


def _qualified(kind: str) -> str:
    res = BY_KIND.get(kind)
    return res.qualified if res else kind.lower() + "s"


def not_found(kind: str, name: str) -> ApiError:
    """``pods "x" not found``."""
    return ApiError(404, "NotFound", f"{_qualified(kind)} {go_quote(name)} not found")


def already_exists(kind: str, name: str) -> ApiError:
    """``pods "x" already exists``."""
    return ApiError(409, "AlreadyExists", f"{_qualified(kind)} {go_quote(name)} already exists")


def invalid(message: str) -> ApiError:
    """A 422 whose message is already kubectl's ``The Pod "x" is invalid: ...`` text."""
    return ApiError(422, "Invalid", message)


def bad_request(message: str) -> ApiError:
    """A 400, e.g. strict decoding errors."""
    return ApiError(400, "BadRequest", message)


def forbidden(message: str) -> ApiError:
    """A 403."""
    return ApiError(403, "Forbidden", message)
