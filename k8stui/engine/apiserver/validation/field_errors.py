"""Field errors as the API server prints them, with Go's rendering of the offending value."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from k8stui.engine.apimachinery.gostrings import go_quote

REQUIRED = "Required value"
INVALID = "Invalid value"
UNSUPPORTED = "Unsupported value"
FORBIDDEN = "Forbidden"
DUPLICATE = "Duplicate value"
TOO_LONG = "Too long"
NOT_FOUND = "Not found"


class GoLiteral(str):
    """A value already rendered the way Go's ``%#v`` would print it (printed verbatim)."""


def go_value(value: Any) -> str:
    """Render a bad value as Go 1.32's field errors do (strings %q, maps %#v, ...)."""
    if isinstance(value, GoLiteral):
        return str(value)
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return go_quote(value)
    if isinstance(value, int | float):
        return repr(value) if isinstance(value, float) and not value.is_integer() else str(value)
    if isinstance(value, dict):
        if all(isinstance(v, str) for v in value.values()):
            body = ", ".join(f"{go_quote(k)}:{go_quote(v)}" for k, v in sorted(value.items()))
            return "map[string]string{" + body + "}"
        body = ", ".join(f"{go_quote(k)}:{go_value(v)}" for k, v in sorted(value.items()))
        return "map[string]interface {}{" + body + "}"
    if isinstance(value, list):
        if all(isinstance(v, str) for v in value):
            return "[]string{" + ", ".join(go_quote(v) for v in value) + "}"
        return "[]interface {}{" + ", ".join(go_value(v) for v in value) + "}"
    return str(value)


@dataclass(frozen=True)
class FieldError:
    """One field error, printed exactly like the API server's ``field.Error``."""

    path: str
    type: str
    value: Any = None
    detail: str = ""

    def __str__(self) -> str:
        if self.type in (REQUIRED, FORBIDDEN, TOO_LONG):
            body = self.type
        else:
            body = f"{self.type}: {go_value(self.value)}"
        return f"{self.path}: {body}: {self.detail}" if self.detail else f"{self.path}: {body}"


def format_invalid(kind: str, name: str, errors: list[FieldError]) -> str:
    """kubectl's text for a 422 Invalid response: one cause inline, several as ``* `` lines."""
    head = f"The {kind} {go_quote(name)} is invalid:"
    if len(errors) == 1:
        return f"{head} {errors[0]}"
    return head + "".join(f"\n* {e}" for e in errors)
