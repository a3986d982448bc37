"""``?watch=true``: a chunked stream of ``{"type": ..., "object": ...}`` lines from the hub."""

from __future__ import annotations

import asyncio
import json
from typing import Any

from aiohttp import web

from k8stui.engine.apimachinery import field_selectors
from k8stui.engine.apimachinery.selectors import Selector
from k8stui.kubectl.live_view import LiveView
from k8stui.server.paths import Target
from k8stui.server.rest import bad_request, field_terms, include_object, label_selector, selected
from k8stui.server.state import ServerState
from k8stui.server.status import StatusError, status_body
from k8stui.server.tables import objects_table, wants_table
from k8stui.server.timeshift import shift
from k8stui.server.watch import MAX_WATCHES, Change

Obj = dict[str, Any]
DEFAULT_TIMEOUT = 1800.0
BOOKMARK_EVERY = 30.0


def _timeout(request: web.Request) -> float:
    text = request.query.get("timeoutSeconds", "")
    if not text:
        return DEFAULT_TIMEOUT
    try:
        return max(0.0, min(float(int(text)), DEFAULT_TIMEOUT))
    except ValueError:
        raise bad_request(f"invalid timeoutSeconds: {text!r}") from None


class _Filter:
    def __init__(
        self,
        target: Target,
        labels: Selector | None,
        terms: list[field_selectors.Term],
    ) -> None:
        self.kind = target.res.kind
        self.namespace = target.namespace
        self.name = target.name
        self.labels = labels
        self.terms = terms

    def matches(self, obj: Obj) -> bool:
        meta = obj.get("metadata") or {}
        if self.namespace is not None and meta.get("namespace") != self.namespace:
            return False
        if self.name is not None and meta.get("name") != self.name:
            return False
        if self.labels is not None and not self.labels.matches(meta.get("labels")):
            return False
        return not self.terms or field_selectors.matches(obj, self.terms)


async def watch(state: ServerState, request: web.Request, target: Target) -> web.StreamResponse:
    """Stream changes of a collection (or one object, via ``metadata.name``) until timeout."""
    hub = state.hub
    if hub.active >= MAX_WATCHES:
        raise StatusError(
            429, "too many watches open on this server; close some", "TooManyRequests"
        )
    cluster = state.cluster
    res = target.res
    flt = _Filter(target, label_selector(request), field_terms(request, res))
    as_table = wants_table(request.headers.get("Accept", ""))
    include = include_object(request)
    bookmarks = request.query.get("allowWatchBookmarks", "") == "true"
    rv_text = request.query.get("resourceVersion", "")
    timeout = _timeout(request)
    initial: list[Obj] = []
    epoch = hub.epoch
    if rv_text in ("", "0"):
        # Without a starting point the stream begins with the current objects as ADDED.
        collection = Target(res, target.namespace, None, None)
        initial = [
            o for o in selected(cluster, res, collection.namespace, request) if flt.matches(o)
        ]
        cursor: int | None = hub.cursor
    else:
        try:
            revision = int(rv_text)
        except ValueError:
            raise bad_request(f'invalid resource version "{rv_text}"') from None
        cursor = hub.cursor_after(revision)
    response = web.StreamResponse(headers={"Content-Type": "application/json"})
    response.enable_chunked_encoding()
    await response.prepare(request)
    hub.active += 1
    try:
        if cursor is None:
            await _send_gone(response, rv_text)
            return response
        await _stream(
            state,
            response,
            res.kind,
            flt,
            initial,
            cursor,
            epoch,
            timeout,
            as_table,
            include,
            bookmarks,
            res.api_version,
        )
    except (ConnectionResetError, asyncio.CancelledError):
        pass
    finally:
        hub.active -= 1
    return response


async def _send_gone(response: web.StreamResponse, rv: str) -> None:
    body = status_body(410, f"too old resource version: {rv}", "Expired")
    await response.write(_line({"type": "ERROR", "object": body}))


def _line(event: Obj) -> bytes:
    return json.dumps(event, separators=(",", ":"), ensure_ascii=False).encode() + b"\n"


async def _stream(
    state: ServerState,
    response: web.StreamResponse,
    kind: str,
    flt: _Filter,
    initial: list[Obj],
    cursor: int,
    epoch: int,
    timeout: float,
    as_table: bool,
    include: str,
    bookmarks: bool,
    api_version: str,
) -> None:
    hub = state.hub
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    last_sent = loop.time()

    def render(event_type: str, obj: Obj) -> bytes:
        cluster = state.host.cluster
        body: Obj = obj
        if as_table and event_type != "BOOKMARK":
            body = objects_table(
                kind, [obj], LiveView(cluster), include, obj["metadata"].get("resourceVersion", "")
            )
        return _line({"type": event_type, "object": shift(body, state.time_map().delta())})

    for obj in initial:
        await response.write(render("ADDED", obj))
    while True:
        if hub.epoch != epoch:
            return  # the cluster was replaced (sim load): clients re-list
        changes = hub.since(cursor)
        if changes is None:
            await _send_gone(response, str(cursor))
            return
        cursor += len(changes)
        events = [(_event_type(c, kind, flt), c.obj) for c in changes]
        chunk = b"".join(render(t, obj) for t, obj in events if t is not None)
        if chunk:
            await response.write(chunk)
            last_sent = loop.time()
        remaining = deadline - loop.time()
        if remaining <= 0:
            return
        if bookmarks and loop.time() - last_sent >= BOOKMARK_EVERY:
            mark = {
                "kind": kind,
                "apiVersion": api_version,
                "metadata": {"resourceVersion": str(state.host.cluster.revision)},
            }
            await response.write(_line({"type": "BOOKMARK", "object": mark}))
            last_sent = loop.time()
        await hub.wait(min(remaining, BOOKMARK_EVERY))


def _event_type(change: Change, kind: str, flt: _Filter) -> str | None:
    """The event this change is for a filtered watcher (None: not its business).

    As on the real server, an object that starts matching the selectors arrives as ADDED and
    one that stops matching leaves as DELETED.
    """
    if change.kind != kind:
        return None
    now = flt.matches(change.obj)
    before = change.old is not None and change.type != "DELETED" and flt.matches(change.old)
    if change.type == "MODIFIED" and now != before:
        return "ADDED" if now else "DELETED"
    return change.type if now else None
