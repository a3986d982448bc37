"""``kubectl events``: the namespace's events, oldest first, optionally for one object."""

from __future__ import annotations

from typing import Any

from k8stui.kubectl.commands.args import Flag
from k8stui.kubectl.commands.base import Command, Invocation, KubectlError
from k8stui.kubectl.commands.get_watch import deadline_ms
from k8stui.kubectl.commands.resources import UnknownResource, resolve
from k8stui.kubectl.duration import since
from k8stui.kubectl.table import TABLE_MIN_WIDTH, TABLE_PADDING
from k8stui.kubectl.tabwriter import align
from k8stui.kubectl.watch import Watch, WatchFilter
from k8stui.kubectl.watch_print import GrowingColumns

Obj = dict[str, Any]

FLAGS = (
    Flag(
        "all-namespaces",
        "A",
        "bool",
        False,
        "If present, list the requested object(s) across all namespaces.",
    ),
    Flag("for", help="Filter events to only those pertaining to the specified resource."),
    Flag("types", kind="list", default=[], split=True, help="Output only events of given types."),
    Flag(
        "no-headers",
        kind="bool",
        default=False,
        help="When using the default output format, don't print headers.",
    ),
    Flag("output", "o", help="Output format. Not simulated: the table is printed."),
    Flag(
        "watch",
        "w",
        "bool",
        False,
        help="After listing the requested events, watch for more events.",
    ),
)


def _last(event: Obj) -> str:
    for key in ("lastTimestamp", "eventTime", "firstTimestamp"):
        if event.get(key):
            return str(event[key])
    return ""


def _interval(event: Obj, now_ms: int) -> str:
    first = since(event.get("eventTime") or event.get("firstTimestamp"), now_ms)
    series = event.get("series")
    if isinstance(series, dict) and series:
        return f"{since(series.get('lastObservedTime'), now_ms)} (x{series.get('count', 0)} over {first})"
    count = int(event.get("count") or 0)
    if count > 1:
        return f"{since(event.get('lastTimestamp'), now_ms)} (x{count} over {first})"
    return first


def _for_filter(inv: Invocation) -> tuple[str, str] | None:
    target = inv.flag("for")
    if not target:
        return None
    kind_text, sep, name = target.partition("/")
    if not sep or not name:
        raise KubectlError("error: --for must be in resource/name form")
    try:
        res = resolve(kind_text)
    except UnknownResource:
        raise KubectlError(
            f'error: the server doesn\'t have a resource type "{kind_text}"'
        ) from None
    return res.kind, name


def _row(event: Obj, now: int, all_ns: bool) -> list[str]:
    involved = event.get("involvedObject") or {}
    row = [
        _interval(event, now),
        str(event.get("type", "")),
        str(event.get("reason", "")),
        f"{involved.get('kind', '')}/{involved.get('name', '')}",
        str(event.get("message", "")).strip(),
    ]
    namespace = str((event.get("metadata") or {}).get("namespace", ""))
    return [namespace, *row] if all_ns else row


def _header(all_ns: bool) -> list[str]:
    header = ["LAST SEEN", "TYPE", "REASON", "OBJECT", "MESSAGE"]
    return ["NAMESPACE", *header] if all_ns else header


class _WatchRows:
    """``events -w``: the real kubectl watches from nothing (every current event arrives as
    ADDED, in the server's order) and prints each one as its own flushed row, the header with
    the first; deletions (events expire) are not printed."""

    def __init__(self, inv: Invocation, types: list[str], all_ns: bool) -> None:
        self._inv = inv
        self._types = types
        self._all_ns = all_ns
        self._header_due = not inv.flag("no-headers")
        self._columns = GrowingColumns()

    def event(self, event_type: str, event: Obj) -> str:
        if event_type == "DELETED" or (self._types and event.get("type") not in self._types):
            return ""
        lines = [_header(self._all_ns)] if self._header_due else []
        self._header_due = False
        lines.append(_row(event, self._inv.cluster.now_ms, self._all_ns))
        return self._columns.flush(lines)


def _watch(inv: Invocation, types: list[str], all_ns: bool, wanted: tuple[str, str] | None) -> None:
    deadline = deadline_ms(inv)
    fields = (
        ()
        if wanted is None
        else (
            ("involvedObject.kind", True, wanted[0]),
            ("involvedObject.name", True, wanted[1]),
        )
    )
    flt = WatchFilter("Event", None if all_ns else inv.namespace, fields=fields)
    rows = _WatchRows(inv, types, all_ns)
    events = [e for e in inv.cluster.list("Event", flt.namespace) if flt.matches(e)]
    inv.out.out("".join(rows.event("ADDED", event) for event in events))
    inv.out.stream = Watch(inv.cluster, flt, rows.event, deadline_ms=deadline)


def run(inv: Invocation) -> None:
    """Run ``kubectl events``."""
    types = [t for t in inv.flag("types") or [] if t]
    for kind in types:
        if kind not in ("Normal", "Warning"):
            raise KubectlError("error: valid --types are Normal or Warning")
    all_ns = bool(inv.flag("all-namespaces"))
    wanted = _for_filter(inv)
    if inv.flag("watch"):
        _watch(inv, types, all_ns, wanted)
        return
    events = inv.cluster.list("Event", None if all_ns else inv.namespace)
    chosen = []
    for event in events:
        involved = event.get("involvedObject") or {}
        if wanted and (involved.get("kind"), involved.get("name")) != wanted:
            continue
        if types and event.get("type") not in types:
            continue
        chosen.append(event)
    if not chosen:
        inv.out.err(
            "No events found." if all_ns else f"No events found in {inv.namespace} namespace."
        )
        return
    chosen.sort(key=_last)
    now = inv.cluster.now_ms
    rows = [] if inv.flag("no-headers") else [_header(all_ns)]
    rows += [_row(event, now, all_ns) for event in chosen]
    inv.out.out(align(rows, minwidth=TABLE_MIN_WIDTH, padding=TABLE_PADDING))


COMMAND = Command(
    name="events",
    summary="List events",
    usage="kubectl events [(-o|--output=)json|yaml|name|go-template|go-template-file|template|templatefile|jsonpath|jsonpath-as-json|jsonpath-file] [--for TYPE/NAME] [--watch] [--types=Normal,Warning] [options]",
    flags=FLAGS,
    handler=run,
    long_help="Display events.\n\n Prints a table of the most important information about events. You can request events for a namespace, for all namespace, or filtered to only those pertaining to a specified resource.",
    examples="""  # List recent events in the default namespace
  kubectl events

  # List recent events in all namespaces
  kubectl events --all-namespaces

  # List recent events for the specified pod
  kubectl events --for pod/web-pod-13je7

  # List recent only events of type 'Warning' or 'Normal'
  kubectl events --types=Warning,Normal""",
)
