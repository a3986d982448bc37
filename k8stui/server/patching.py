"""PATCH bodies by media type: JSON merge, strategic merge, JSON patch, server-side apply."""

from __future__ import annotations

from typing import Any

from aiohttp import web

from k8stui.engine.apiserver import json_patch, merge, server_side_apply, strategic_merge
from k8stui.engine.clock import to_timestamp
from k8stui.engine.errors import ApiError
from k8stui.server import bodies
from k8stui.server.paths import Target
from k8stui.server.state import ServerState
from k8stui.server.status import StatusError, from_api_error

Obj = dict[str, Any]


def _object_patch(body: bytes) -> Obj:
    value = bodies.parse_json(body)
    if not isinstance(value, dict):
        raise StatusError(400, "the patch must be a JSON object", "BadRequest")
    return value


def apply_patch(
    state: ServerState,
    request: web.Request,
    target: Target,
    live: Obj | None,
    body: bytes,
    ctype: str,
) -> Obj:
    """The object after the patch (not yet stored); Status errors for bad patches."""
    kind = target.res.kind
    name = target.name or ""
    try:
        if ctype == bodies.MERGE_PATCH:
            return dict(merge.json_merge_patch(live, _object_patch(body)))
        if ctype == bodies.STRATEGIC_PATCH:
            assert live is not None
            return strategic_merge.apply_strategic_merge_patch(live, _object_patch(body), kind)
        if ctype == bodies.JSON_PATCH:
            patched = json_patch.apply_json_patch(live, bodies.parse_json(body))
            if not isinstance(patched, dict):
                raise StatusError(422, "the patched object must be a JSON object", "Invalid")
            return patched
        if ctype == bodies.APPLY_PATCH:
            return _server_side_apply(state, request, target, live, body)
    except server_side_apply.ApplyConflict as exc:
        raise StatusError.from_body(exc.status()) from None
    except ApiError as exc:
        raise from_api_error(exc, kind, target.res.plural, name) from None
    raise StatusError(
        415,
        f"the body of the request was in an unknown format - accepted media types include: "
        f"{bodies.JSON_PATCH}, {bodies.MERGE_PATCH}, {bodies.STRATEGIC_PATCH}, {bodies.APPLY_PATCH}",
        "UnsupportedMediaType",
    )


def _server_side_apply(
    state: ServerState, request: web.Request, target: Target, live: Obj | None, body: bytes
) -> Obj:
    manager = request.query.get("fieldManager", "")
    if not manager:
        raise StatusError(
            400, "PATCH, application/apply-patch+yaml requires fieldManager", "BadRequest"
        )
    config = bodies.parse_yaml(body)
    force = request.query.get("force", "") == "true"
    now = to_timestamp(state.cluster.now_ms)
    return server_side_apply.apply(
        live, config, kind=target.res.kind, manager=manager, force=force, time=now
    )


def default_manager(request: web.Request) -> str:
    """``fieldManager``, or the client's name from its User-Agent, as the real server does."""
    given = request.query.get("fieldManager", "")
    if given:
        return given
    agent = request.headers.get("User-Agent", "unknown")
    return agent.split("/", 1)[0][:128] or "unknown"


def record_manager(
    state: ServerState, request: web.Request, kind: str, old: Obj | None, new: Obj
) -> None:
    """Give the writer the fields it changed in ``new["metadata"]["managedFields"]``."""
    try:
        entries = server_side_apply.record_update(
            old, new, kind, default_manager(request), to_timestamp(state.cluster.now_ms)
        )
    except ApiError as exc:
        raise from_api_error(exc, kind) from None
    new.setdefault("metadata", {})["managedFields"] = entries
