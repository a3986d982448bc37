"""``kubectl events``: the namespace's events, oldest first, optionally for one object."""

from __future__ import annotations

from typing import Any

from k8stui.kubectl.commands.args import Flag
from k8stui.kubectl.commands.base import Command, Invocation, KubectlError
from k8stui.kubectl.commands.resources import UnknownResource, resolve
from k8stui.kubectl.duration import since
from k8stui.kubectl.table import TABLE_MIN_WIDTH, TABLE_PADDING
from k8stui.kubectl.tabwriter import align

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
    Flag("types", kind="list", default=[], help="Output only events of given types."),
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


def run(inv: Invocation) -> None:
    """Run ``kubectl events``."""
    if inv.flag("watch"):
        raise KubectlError(
            'error: "kubectl events --watch" is not simulated by k8stui: use sim advance, then kubectl events'
        )
    types = [t for given in inv.flag("types") or [] for t in given.split(",") if t]
    for kind in types:
        if kind not in ("Normal", "Warning"):
            raise KubectlError("error: valid --types are Normal or Warning")
    all_ns = bool(inv.flag("all-namespaces"))
    wanted = _for_filter(inv)
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
    rows: list[list[str]] = []
    if not inv.flag("no-headers"):
        header = ["LAST SEEN", "TYPE", "REASON", "OBJECT", "MESSAGE"]
        rows.append(["NAMESPACE", *header] if all_ns else header)
    for event in chosen:
        involved = event.get("involvedObject") or {}
        row = [
            _interval(event, now),
            str(event.get("type", "")),
            str(event.get("reason", "")),
            f"{involved.get('kind', '')}/{involved.get('name', '')}",
            str(event.get("message", "")).strip(),
        ]
        namespace = str((event.get("metadata") or {}).get("namespace", ""))
        rows.append([namespace, *row] if all_ns else row)
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
