"""``kubectl get -w`` / ``--watch-only`` / ``--output-watch-events``: the list, then each change.

The command prints what the real kubectl prints before its watch starts and leaves a
:class:`k8stui.kubectl.watch.Watch` in ``inv.out.stream``; the console polls it as simulated
time passes (see ``k8stui.kubectl.watch`` for who stops it and when).
"""

from __future__ import annotations

from functools import partial
from typing import Any

from k8stui.kubectl.commands.args import Flag, FlagError, parse
from k8stui.kubectl.commands.base import Invocation, KubectlError
from k8stui.kubectl.commands.printing import format_object, resource_name, split_format
from k8stui.kubectl.commands.targets import Target, field_filter, label_selector
from k8stui.kubectl.custom_columns import Column, cells
from k8stui.kubectl.printers import build_table
from k8stui.kubectl.table import table_lines
from k8stui.kubectl.watch import Watch, WatchFilter
from k8stui.kubectl.watch_print import ObjectEvents, TableRows

Obj = dict[str, Any]

FLAGS = (
    Flag(
        "watch",
        "w",
        "bool",
        False,
        help="After listing/getting the requested object, watch for changes.",
    ),
    Flag(
        "watch-only",
        kind="bool",
        default=False,
        help="Watch for changes to the requested object(s), without listing/getting first.",
    ),
    Flag(
        "output-watch-events",
        kind="bool",
        default=False,
        help="Output watch event objects when --watch or --watch-only is used. Existing objects "
        "are output as initial ADDED events.",
    ),
)
_BAD_TIMEOUT = (
    "error: Invalid timeout value. Timeout must be a single integer in seconds, or an integer "
    "followed by a corresponding time unit (e.g. 1s | 2m | 3h)"
)


def watching(inv: Invocation) -> bool:
    """Whether the command line asks for a watch."""
    return bool(inv.flag("watch") or inv.flag("watch-only"))


def deadline_ms(inv: Invocation) -> int | None:
    """The sim time ``--request-timeout`` ends a watch at (None: no timeout)."""
    text = str(inv.flag("request-timeout") or "0")
    if text.isdigit():
        seconds = float(int(text))
    else:
        try:
            # pflag's duration parsing (the global flag itself is kept as text).
            parsed = parse([f"--duration={text}"], [Flag("duration", kind="duration")])
        except FlagError:
            raise KubectlError(_BAD_TIMEOUT) from None
        seconds = float(parsed.get("duration"))
    if seconds < 0:
        raise KubectlError(_BAD_TIMEOUT)
    return None if seconds == 0 else inv.cluster.now_ms + round(seconds * 1000)


def check_targets(targets: list[Target]) -> None:
    """One resource type only (a watch follows one collection)."""
    if len(targets) > 1:
        raise KubectlError("error: you may only specify a single resource type")


def _table_lines(
    inv: Invocation, target: Target, fmt_name: str, _type: str, obj: Obj, header: bool
) -> list[list[str]]:
    table = build_table(target.res.kind, [obj], inv.view)
    if inv.flag("show-kind"):
        column = next((i for i, c in enumerate(table.column_definitions) if c.name == "Name"), None)
        if column is not None:
            table.rows[0].cells[column] = resource_name(obj)
    keys = [key for key in inv.flag("label-columns") or [] if key]
    return table_lines(
        table,
        wide=fmt_name == "wide",
        show_labels=bool(inv.flag("show-labels")),
        all_namespaces=bool(inv.flag("all-namespaces")),
        no_headers=not header,
        label_columns=keys,
    )


def _column_lines(
    columns: list[Column], with_events: bool, event_type: str, obj: Obj, header: bool
) -> list[list[str]]:
    # With --output-watch-events the columns read the whole event, as the real printer does.
    data = {"type": event_type, "object": obj} if with_events else obj
    return ([[c.header for c in columns]] if header else []) + [cells(columns, data)]


def start(
    inv: Invocation,
    target: Target,
    objects: list[Obj],
    fmt: str,
    columns: list[Column] | None,
) -> None:
    """Print the list as the real kubectl's watch does and leave the watch in ``inv.out``."""
    deadline = deadline_ms(inv)
    if inv.flag("sort-by"):
        inv.out.err(
            "warning: --watch requested, --sort-by will be ignored for watch events received"
        )
    fmt_name, _ = split_format(fmt)
    with_events = bool(inv.flag("output-watch-events"))
    headers = not inv.flag("no-headers")
    printer: TableRows | ObjectEvents
    if columns is not None:
        printer = TableRows(
            partial(_column_lines, columns, with_events), headers=headers, with_events=False
        )
    elif fmt_name in ("", "wide"):
        lines = partial(_table_lines, inv, target, fmt_name)
        printer = TableRows(lines, headers=headers, with_events=with_events)
    else:
        printer = ObjectEvents(fmt_name, partial(format_object, fmt=fmt), with_events=with_events)
    if not inv.flag("watch-only"):
        if isinstance(printer, TableRows):
            inv.out.out(printer.initial(objects))
        else:
            inv.out.out("".join(printer.event("ADDED", obj) for obj in objects), newline=False)
    if target.names is not None and len(target.names) > 1:
        raise KubectlError(
            "error: you may only watch a single resource or type of resource at a time"
        )
    res = target.res
    namespace = None if inv.flag("all-namespaces") or not res.namespaced else inv.namespace
    flt = WatchFilter(
        res.kind,
        namespace,
        target.names[0] if target.names else None,
        label_selector(inv.flag("selector")),
        tuple(field_filter(res, inv.flag("field-selector"), inv.flag("selector"))),
    )
    inv.out.stream = Watch(inv.cluster, flt, printer.event, deadline_ms=deadline)
