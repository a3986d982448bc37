"""How ``kubectl get -w`` prints each change: table rows, names, JSON, YAML, templates.

The real kubectl prints a watch's rows through one tabwriter that it flushes after every
event and that remembers the widest cell seen in each column (cli-runtime's tabwriter with
``RememberWidths``): a column only ever grows, so a row printed after ``ContainerCreating``
keeps that width. The header is printed once, with the first row (``--watch-only``) or with
the initial list. Structured formats print one object per event (never a ``List``);
``--output-watch-events`` adds an ``EVENT`` column, or wraps objects in ``{"type", "object"}``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from k8stui.kubectl.output import to_json_compact
from k8stui.kubectl.table import TABLE_MIN_WIDTH, TABLE_PADDING

Obj = dict[str, Any]
Lines = Callable[[str, Obj, bool], list[list[str]]]
"""The table cells for one event: (type, object, with header?) -> header line (if asked) and
row."""


class GrowingColumns:
    """A tabwriter that remembers its column widths across flushes (``RememberWidths``)."""

    def __init__(self, minwidth: int = TABLE_MIN_WIDTH, padding: int = TABLE_PADDING) -> None:
        self.minwidth = minwidth
        self.padding = padding
        self.widths: list[int] = []

    def flush(self, lines: Sequence[Sequence[str]]) -> str:
        """Align ``lines`` (the last cell of each is not padded), widening remembered columns."""
        columns = max((len(line) - 1 for line in lines), default=0)
        for column in range(columns):
            widest = max(
                (len(line[column]) + self.padding for line in lines if column < len(line) - 1),
                default=0,
            )
            width = max(self.minwidth, widest)
            if column < len(self.widths):
                self.widths[column] = max(self.widths[column], width)
            else:
                self.widths.append(width)
        out = []
        for line in lines:
            cells = [
                cell.ljust(self.widths[i]) if i < len(line) - 1 else cell
                for i, cell in enumerate(line)
            ]
            out.append("".join(cells) + "\n")
        return "".join(out)


class TableRows:
    """Rows of a human-readable ``get -w``: the header once, then one flushed row per event."""

    def __init__(self, lines: Lines, *, headers: bool, with_events: bool) -> None:
        self._lines = lines
        self._header_due = headers
        self._with_events = with_events
        self._columns = GrowingColumns()

    def initial(self, objects: list[Obj]) -> str:
        """The list printed before the watch starts, as one flush (empty: nothing)."""
        if not objects:
            return ""
        lines: list[list[str]] = []
        for obj in objects:
            lines += self._event_lines("ADDED", obj)
        return self._columns.flush(lines)

    def event(self, event_type: str, obj: Obj) -> str:
        """One change."""
        return self._columns.flush(self._event_lines(event_type, obj))

    def _event_lines(self, event_type: str, obj: Obj) -> list[list[str]]:
        header, self._header_due = self._header_due, False
        lines = self._lines(event_type, obj, header)
        if self._with_events:
            if header:
                lines[0] = ["EVENT", *lines[0]]
            # The real printer pads the type to the longest one, MODIFIED.
            lines[-1] = [event_type.ljust(len("MODIFIED")), *lines[-1]]
        return lines


class ObjectEvents:
    """Structured output of a watch: one object per event (``---`` between YAML documents)."""

    def __init__(
        self, fmt_name: str, format_one: Callable[[Any], str], *, with_events: bool
    ) -> None:
        self._fmt = fmt_name
        self._format = format_one
        self._with_events = with_events
        self._printed = 0

    def event(self, event_type: str, obj: Obj) -> str:
        """One change (or one object of the initial list, as ``ADDED``)."""
        if self._with_events and self._fmt == "json":
            # The real kubectl writes each watch event as one compact JSON line.
            # (the event's fields in Go's struct order, the object's keys sorted as a map's).
            return to_json_compact({"type": event_type, "object": _sorted(obj)}) + "\n"
        # Every printer but -o name sees the whole event (a template gets .type and .object).
        wrap = self._with_events and self._fmt != "name"
        data: Any = {"object": obj, "type": event_type} if wrap else obj
        text = self._format(data)
        separator = "---\n" if self._fmt == "yaml" and self._printed else ""
        self._printed += 1
        return separator + text


def _sorted(value: Any) -> Any:
    if isinstance(value, dict):
        return {key: _sorted(value[key]) for key in sorted(value)}
    if isinstance(value, list):
        return [_sorted(item) for item in value]
    return value
