"""Server-side tables (``meta.k8s.io/v1 Table``) and kubectl's human-readable rendering of them.

The API server builds every column of a table, including the ``-o wide`` ones (priority > 0);
kubectl then picks the columns to show, upper-cases the headers, optionally adds NAMESPACE and
LABELS, and aligns everything with a tabwriter (minwidth 6, padding 3).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from k8stui.kubectl.tabwriter import align

# cli-runtime's printers.GetNewTabWriter settings.
TABLE_MIN_WIDTH = 6
TABLE_PADDING = 3


@dataclass(frozen=True)
class ColumnDefinition:
    """One column of a table: ``priority`` 0 columns always show, others only with ``-o wide``."""

    name: str
    type: str = "string"
    priority: int = 0
    description: str = ""


@dataclass
class TableRow:
    """The cells of one object's row, and the object itself (for labels and namespace)."""

    cells: list[Any]
    object: dict[str, Any]


@dataclass
class Table:
    """A table as the API server would return it for ``Accept: as=Table``."""

    column_definitions: list[ColumnDefinition]
    rows: list[TableRow] = field(default_factory=list)
    kind: str = ""
    # Cluster-scoped kinds never get a NAMESPACE column, even with -A (kubectl get.go).
    namespaced: bool = True


def format_labels(labels: Mapping[str, Any] | None) -> str:
    """``labels.FormatLabels``: sorted ``k=v`` pairs joined by commas, ``<none>`` when empty."""
    if not labels:
        return "<none>"
    return ",".join(f"{key}={labels[key]}" for key in sorted(labels))


def _cell_text(cell: Any) -> str:
    # tableprinter.printRows: strings are cut at the first line break (and marked with "..."),
    # anything else goes through fmt.Sprint.
    if isinstance(cell, str):
        for index, char in enumerate(cell):
            if char in "\n\r\f":
                return cell[:index] + "..."
        return cell
    if cell is None:
        return "<nil>"
    if isinstance(cell, bool):
        return "true" if cell else "false"
    return str(cell)


def render_table(
    table: Table,
    *,
    wide: bool = False,
    show_labels: bool = False,
    all_namespaces: bool = False,
    no_headers: bool = False,
    label_columns: Sequence[str] = (),
) -> str:
    """Render ``table`` like ``kubectl get`` does; an empty table renders as ``""``.

    kubectl prints "No resources found ..." on stderr for an empty list; that message belongs to
    the command layer, which knows the namespace.
    """
    if not table.rows:
        return ""
    lines = table_lines(
        table,
        wide=wide,
        show_labels=show_labels,
        all_namespaces=all_namespaces,
        no_headers=no_headers,
        label_columns=label_columns,
    )
    return align(lines, minwidth=TABLE_MIN_WIDTH, padding=TABLE_PADDING)


def table_lines(
    table: Table,
    *,
    wide: bool = False,
    show_labels: bool = False,
    all_namespaces: bool = False,
    no_headers: bool = False,
    label_columns: Sequence[str] = (),
) -> list[list[str]]:
    """The cells ``render_table`` aligns: the header (unless ``no_headers``), then a line per
    row (``get -w`` aligns them one change at a time)."""
    shown = [
        index
        for index, column in enumerate(table.column_definitions)
        if wide or column.priority == 0
    ]
    with_namespace = all_namespaces and table.namespaced
    lines: list[list[str]] = []
    if not no_headers:
        header = [table.column_definitions[index].name.upper() for index in shown]
        if with_namespace:
            header.insert(0, "NAMESPACE")
        # -L app.kubernetes.io/name: the header is the key's last segment, upper-cased.
        header.extend(key.split("/")[-1].upper() for key in label_columns)
        if show_labels:
            header.append("LABELS")
        lines.append(header)
    for row in table.rows:
        cells = row.cells
        line = [_cell_text(cells[index]) if index < len(cells) else "" for index in shown]
        metadata = row.object.get("metadata") or {}
        # kubectl adds these as ordinary string cells, so they are cut at line breaks too.
        if with_namespace:
            line.insert(0, _cell_text(str(metadata.get("namespace") or "")))
        labels = metadata.get("labels") or {}
        line.extend(_cell_text(str(labels.get(key, ""))) for key in label_columns)
        if show_labels:
            line.append(_cell_text(format_labels(metadata.get("labels"))))
        lines.append(line)
    return lines
