"""The aiohttp application: authentication, limits, routing to the handlers, Status errors.

Nothing a client sends can raise out of a handler: Status errors become their JSON, anything
unexpected becomes a 500 Status (the traceback goes to the log, never to the client).
"""

from __future__ import annotations

import asyncio
import logging
import secrets
from collections.abc import Awaitable, Callable

from aiohttp import web

from k8stui.server import discovery, logs, openapi, rest, subresources, watch_stream
from k8stui.server.bodies import MAX_BODY, read_body
from k8stui.server.derived import DERIVED
from k8stui.server.paths import NoRoute, Target, parse
from k8stui.server.respond import Answer, encode, render
from k8stui.server.sim_endpoint import SIM_PATH, run_sim_request
from k8stui.server.state import ApiRequest, ServerState
from k8stui.server.status import StatusError, error_response, json_response, status_body

log = logging.getLogger("k8stui.server")
OPEN_PATHS = frozenset({"/healthz", "/livez", "/readyz"})
STATE_KEY = web.AppKey("state", ServerState)
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]
_STREAMS = ("exec", "attach", "portforward")


def _unauthorized() -> web.Response:
    return json_response(status_body(401, "Unauthorized", "Unauthorized"), 401)


@web.middleware
async def guard(request: web.Request, handler: Handler) -> web.StreamResponse:
    """Bearer-token check, then Status errors for everything that goes wrong."""
    state = request.app[STATE_KEY]
    started = state.last_request = asyncio.get_running_loop().time()
    try:
        return await _guarded(state, request, handler)
    finally:
        if state.timings is not None:
            state.timings.append(asyncio.get_running_loop().time() - started)


async def _guarded(
    state: ServerState, request: web.Request, handler: Handler
) -> web.StreamResponse:
    if request.path not in OPEN_PATHS:
        given = request.headers.get("Authorization", "")
        if not secrets.compare_digest(given.encode(), f"Bearer {state.token}".encode()):
            return _unauthorized()
    try:
        return await handler(request)
    except StatusError as exc:
        return error_response(exc)
    except web.HTTPException:
        raise
    except (ConnectionResetError, ConnectionError):
        raise
    except Exception:
        log.exception("internal error on %s %s", request.method, request.path_qs)
        body = status_body(
            500,
            'an error on the server ("internal error") has prevented the request from succeeding',
            "InternalError",
        )
        return json_response(body, 500)


def _plain(text: str, status: int = 200) -> web.Response:
    return web.Response(text=text, status=status, content_type="text/plain")


def _not_found_page() -> web.Response:
    return _plain("404 page not found\n", 404)


def _no_resource() -> StatusError:
    return StatusError(404, "the server could not find the requested resource", "NotFound")


def _method_not_allowed(method: str) -> StatusError:
    return StatusError(
        405, "the server does not allow this method on the requested resource", "MethodNotAllowed"
    )


def _json_bytes(data: bytes, content_type: str = "application/json") -> web.Response:
    return web.Response(body=data, headers={"Content-Type": content_type})


async def _discovery(state: ServerState, request: web.Request, parts: list[str]) -> web.Response:
    accept = request.headers.get("Accept", "")
    if parts in (["api"], ["apis"]):
        media = discovery.wants_aggregated(accept)
        core = parts == ["api"]
        if media is not None:
            version = "v2" if media == discovery.AGGREGATED_V2 else "v2beta1"
            return _json_bytes(encode(discovery.aggregated(core, version)), media)
        body = discovery.api_versions(state.address) if core else discovery.api_group_list()
        return json_response(body)
    if parts[0] == "api" and len(parts) == 2:
        found = discovery.resource_list("", parts[1])
    elif len(parts) == 2:
        found = discovery.api_group(parts[1])
    else:
        found = discovery.resource_list(parts[1], parts[2])
    if found is None:
        raise _no_resource()
    return json_response(found)


async def _openapi(request: web.Request, parts: list[str]) -> web.Response:
    if parts == ["openapi", "v2"]:
        accept = request.headers.get("Accept", "")
        if "json" not in accept and "*/*" not in accept and accept:
            raise _no_resource()  # kubectl asks for protobuf and falls back on a 404
        return _json_bytes(openapi.swagger_document())
    if parts == ["openapi", "v3"]:
        return _json_bytes(openapi.root_document())
    rest_parts = parts[2:]
    doc = None
    if rest_parts[:1] == ["api"] and len(rest_parts) == 2:
        doc = openapi.group_version_document("", rest_parts[1])
    elif rest_parts[:1] == ["apis"] and len(rest_parts) == 3:
        doc = openapi.group_version_document(rest_parts[1], rest_parts[2])
    if doc is None:
        raise _no_resource()
    return _json_bytes(doc)


def _verb(request: web.Request, target: Target) -> str:
    method = request.method
    manager = request.query.get("fieldManager", "")
    if target.subresource == "log":
        return "logs"
    if target.subresource in ("scale", "eviction", "exec", "attach", "portforward"):
        words = {"eviction": "drain", "portforward": "port-forward"}
        return (
            "get"
            if method == "GET" and target.subresource == "scale"
            else words.get(target.subresource, target.subresource)
        )
    if method == "GET":
        return "watch" if request.query.get("watch") in ("true", "1") else "get"
    by_manager = {
        "kubectl-client-side-apply": "apply",
        "kubectl": "apply",
        "kubectl-label": "label",
        "kubectl-annotate": "annotate",
        "kubectl-run": "run",
        "kubectl-expose": "expose",
        "kubectl-create": "create",
        "kubectl-edit": "edit",
        "kubectl-rollout": "rollout",
        "kubectl-set": "set",
        "kubectl-replace": "replace",
    }
    if manager in by_manager:
        return by_manager[manager]
    return {"POST": "create", "PUT": "replace", "PATCH": "patch", "DELETE": "delete"}.get(
        method, method.lower()
    )


async def _resource(state: ServerState, request: web.Request, target: Target) -> web.StreamResponse:
    method = request.method
    sub = target.subresource
    if sub == "log":
        if method != "GET":
            raise _method_not_allowed(method)
        return await logs.log(state, request, target)
    if sub in _STREAMS:
        from k8stui.server.streams import stream_subresource

        return await stream_subresource(state, request, target)
    if method == "GET" and target.name is None and request.query.get("watch") in ("true", "1"):
        return await watch_stream.watch(state, request, target)
    body = b"" if method == "GET" else await read_body(request)
    if target.res in DERIVED and method != "GET":
        raise _method_not_allowed(method)
    result: Answer
    if sub is not None:
        handlers = {
            "status": subresources.status,
            "scale": subresources.scale,
            "eviction": subresources.eviction,
            "binding": subresources.binding,
        }
        handler = handlers.get(sub)
        if handler is None or (sub not in target.res.subresources and sub != "status"):
            raise _no_resource()
        result = handler(state, request, target, body)
    elif target.name is None:
        if method == "GET":
            result = rest.list_collection(state, request, target)
        elif method == "POST":
            result = rest.create_object(state, request, target, body)
        elif method == "DELETE":
            result = rest.delete_collection(state, request, target, body)
        else:
            raise _method_not_allowed(method)
    elif method == "GET":
        result = rest.get_object(state, request, target)
    elif method == "PUT":
        result = rest.replace_object(state, request, target, body)
    elif method == "PATCH":
        result = rest.patch_object(state, request, target, body)
    elif method == "DELETE":
        result = rest.delete_object(state, request, target, body)
    else:
        raise _method_not_allowed(method)
    return await render(state.time_map(), result)


async def dispatch(request: web.Request) -> web.StreamResponse:
    """Route one request."""
    state = request.app[STATE_KEY]
    path = request.path
    parts = [p for p in path.split("/") if p]
    if path == "/version" or path == "/version/":
        return json_response(state.version_info())
    if path in OPEN_PATHS or path.startswith(("/readyz/", "/livez/", "/healthz/")):
        return _plain("ok")
    if path == SIM_PATH:
        return await run_sim_request(state, request)
    if parts[:1] in (["api"], ["apis"]) and len(parts) <= (2 if parts[0] == "api" else 3):
        if request.method != "GET":
            raise _method_not_allowed(request.method)
        return await _discovery(state, request, parts)
    if parts[:2] in (["openapi", "v2"], ["openapi", "v3"]):
        if request.method != "GET":
            raise _method_not_allowed(request.method)
        return await _openapi(request, parts)
    if parts[:1] not in (["api"], ["apis"]):
        return _not_found_page()
    try:
        target = parse(path)
    except NoRoute:
        raise _no_resource() from None
    code = 500
    try:
        response = await _resource(state, request, target)
        code = response.status
        return response
    except StatusError as exc:
        code = exc.code
        raise
    finally:
        if state.on_request is not None:
            _record(state, request, target, code)


def _record(state: ServerState, request: web.Request, target: Target, code: int) -> None:
    assert state.on_request is not None
    record = ApiRequest(
        verb=_verb(request, target),
        resource=target.res.plural,
        namespace=target.namespace,
        name=target.name,
        subresource=target.subresource,
        code=code,
    )
    try:
        state.on_request(record)
    except Exception:  # the game's hook must never break the API
        log.exception("request hook failed")


def build_app(state: ServerState) -> web.Application:
    """The application for one served cluster."""
    app = web.Application(middlewares=[guard], client_max_size=MAX_BODY + 1024)
    app[STATE_KEY] = state
    app.router.add_route("*", "/{tail:.*}", dispatch)
    return app
