"""``-o custom-columns=HEADER:EXPR,...`` and ``-o custom-columns-file=FILE``.

Each column is a header and a relaxed JSONPath expression (``.metadata.name``,
``metadata.name`` or ``{.metadata.name}``). A cell shows every match, Go-formatted and joined
by commas, or ``<none>`` when nothing matches. Columns are aligned like ``kubectl get``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from k8stui.kubectl.gofmt import go_v
from k8stui.kubectl.jsonpath import JSONPathError, find_results
from k8stui.kubectl.table import TABLE_MIN_WIDTH, TABLE_PADDING
from k8stui.kubectl.tabwriter import align

_RELAXED = re.compile(r"^\{?(\.?[^{}]*?)\}?$")

PATH_ERROR = (
    "unexpected path string, expected a 'name1.name2' or '.name1.name2' or '{name1.name2}' "
    "or '{.name1.name2}'"
)


class CustomColumnsError(ValueError):
    """A bad column spec, worded as kubectl prints it after ``error: ``."""


@dataclass(frozen=True)
class Column:
    """One column: its header and the JSONPath template it prints."""

    header: str
    template: str


def relaxed_template(expression: str) -> str:
    """kubectl's ``RelaxedJSONPathExpression``: ``a.b``, ``.a.b``, ``{a.b}`` all mean ``{.a.b}``."""
    if not expression:
        return expression
    match = _RELAXED.match(expression)
    if match is None:
        raise CustomColumnsError(PATH_ERROR)
    body = match.group(1)
    if not body.startswith("."):
        body = "." + body
    return "{" + body + "}"


def parse_spec(spec: str) -> list[Column]:
    """Columns from ``HEADER:EXPR,HEADER:EXPR``."""
    if not spec:
        raise CustomColumnsError("custom-columns format specified but no custom columns given")
    columns = []
    for part in spec.split(","):
        header, sep, expression = part.partition(":")
        if not sep:
            raise CustomColumnsError(
                f"unexpected custom-columns spec: {part}, expected <header>:<json-path-expr>"
            )
        columns.append(Column(header, relaxed_template(expression)))
    return columns


def parse_file(text: str) -> list[Column]:
    """Columns from a file: headers on the first line, expressions on the second."""
    lines = text.splitlines()
    headers = lines[0].split() if lines else []
    expressions = lines[1].split() if len(lines) > 1 else []
    if len(headers) != len(expressions):
        raise CustomColumnsError(
            f"expected {len(headers)} columns, found {len(expressions)}: {' '.join(expressions)}"
        )
    return [Column(h, relaxed_template(e)) for h, e in zip(headers, expressions, strict=True)]


def _cell(obj: Any, template: str) -> str:
    try:
        values = find_results(obj, template)
    except JSONPathError:
        values = []
    if not values:
        return "<none>"
    return ",".join(go_v(value) for value in values)


def cells(columns: list[Column], obj: dict[str, Any]) -> list[str]:
    """One object's row, unaligned (``get -w`` aligns rows one change at a time)."""
    return [_cell(obj, c.template) for c in columns]


def render(columns: list[Column], objects: list[dict[str, Any]], *, no_headers: bool) -> str:
    """The aligned table of ``objects`` (an empty string when there are none and no header)."""
    lines: list[list[str]] = [] if no_headers else [[c.header for c in columns]]
    for obj in objects:
        lines.append(cells(columns, obj))
    if not lines:
        return ""
    return align(lines, minwidth=TABLE_MIN_WIDTH, padding=TABLE_PADDING)
