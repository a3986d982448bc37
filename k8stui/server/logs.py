"""``pods/<name>/log``: a container's output, once or followed as simulated time passes.

A followed log is polled from the kubelet on the loop (a cheap read, never a wait inside the
engine) and ends when the container stops, the pod goes away or the client disconnects.
"""

from __future__ import annotations

import asyncio
from typing import Any

from aiohttp import web

from k8stui.engine.clock import from_timestamp, to_timestamp
from k8stui.server.paths import Target
from k8stui.server.rest import bad_request, live_object, namespace_of
from k8stui.server.state import ServerState
from k8stui.server.timeshift import shift_stamp

Obj = dict[str, Any]
FOLLOW_POLL = 0.25
"""Seconds between reads of a followed log."""
FOLLOW_LIMIT = 3600.0
"""Wall seconds a followed log stays open at most."""


def _container(pod: Obj, requested: str) -> str:
    names = [c["name"] for c in pod["spec"].get("containers") or []]
    inits = [c["name"] for c in pod["spec"].get("initContainers") or []]
    name = pod["metadata"]["name"]
    if not requested:
        if len(names) == 1:
            return names[0]
        raise bad_request(
            f"a container name must be specified for pod {name}, choose one of: [{' '.join(names)}]"
            + (f" or one of the init containers: [{' '.join(inits)}]" if inits else "")
        )
    if requested not in names + inits:
        raise bad_request(f"container {requested} is not valid for pod {name}")
    return requested


def _waiting(pod: Obj, container: str) -> str:
    status = pod.get("status") or {}
    for entry in (status.get("initContainerStatuses") or []) + (
        status.get("containerStatuses") or []
    ):
        if entry.get("name") == container:
            waiting = (entry.get("state") or {}).get("waiting") or {}
            reason = str(waiting.get("reason") or "ContainerCreating")
            if reason in ("ErrImagePull", "ImagePullBackOff"):
                return "trying and failing to pull image"
            return reason
    return "ContainerCreating"


def _int_param(request: web.Request, key: str) -> int | None:
    text = request.query.get(key, "")
    if not text:
        return None
    try:
        return int(text)
    except ValueError:
        raise bad_request(f"invalid {key}: {text!r}") from None


def _started(pod: Obj, container: str) -> str:
    for entry in (pod.get("status") or {}).get("containerStatuses") or []:
        if entry.get("name") == container:
            for state in (entry.get("state") or {}).values():
                if isinstance(state, dict) and state.get("startedAt"):
                    return str(state["startedAt"])
    return to_timestamp(0)


def read_lines(
    state: ServerState, request: web.Request, target: Target
) -> tuple[Obj, str, list[str]]:
    """The pod, container and the log lines the query selects (400/404 as the real server)."""
    cluster = state.cluster
    pod = live_object(cluster, target)
    container = _container(pod, request.query.get("container", ""))
    previous = request.query.get("previous", "") == "true"
    lines = cluster.kubelets.logs(pod, container, previous=previous)
    name = pod["metadata"]["name"]
    if lines is None:
        if previous:
            raise bad_request(
                f'previous terminated container "{container}" in pod "{name}" not found'
            )
        raise bad_request(
            f'container "{container}" in pod "{name}" is waiting to start: {_waiting(pod, container)}'
        )
    since = _int_param(request, "sinceSeconds")
    if since is not None:
        # Lines carry no times of their own: a container that started inside the window
        # shows everything, an older one shows nothing older than the window.
        started = from_timestamp(_started(pod, container))
        if cluster.now_ms - started > since * 1000:
            lines = []
    tail = _int_param(request, "tailLines")
    if tail is not None and tail >= 0:
        lines = lines[len(lines) - tail :] if tail else []
    return pod, container, lines


def _format(lines: list[str], stamp: str | None) -> bytes:
    prefix = f"{stamp} " if stamp else ""
    return "".join(f"{prefix}{line}\n" for line in lines).encode()


async def log(state: ServerState, request: web.Request, target: Target) -> web.StreamResponse:
    """GET ``…/log`` (``follow``, ``tailLines``, ``sinceSeconds``, ``timestamps``, ...)."""
    pod, container, lines = read_lines(state, request, target)
    follow = request.query.get("follow", "") == "true"
    timestamps = request.query.get("timestamps", "") == "true"

    def stamp() -> str | None:
        if not timestamps:
            return None
        started = _started(pod, container).replace("Z", ".000000000Z")
        return shift_stamp(started, state.time_map().delta())

    limit = _int_param(request, "limitBytes")
    data = _format(lines, stamp())
    if limit is not None and limit >= 0:
        data = data[:limit]
    if not follow:
        return web.Response(body=data, content_type="text/plain")
    response = web.StreamResponse(headers={"Content-Type": "text/plain"})
    response.enable_chunked_encoding()
    await response.prepare(request)
    await response.write(data)
    sent = len(lines) if request.query.get("tailLines") is None else None
    baseline = _all_lines(state, target, pod, container)
    seen = len(baseline) if baseline is not None else 0
    if sent is not None:
        seen = max(seen, sent)
    loop = asyncio.get_running_loop()
    deadline = loop.time() + FOLLOW_LIMIT
    while loop.time() < deadline:
        await asyncio.sleep(FOLLOW_POLL)
        current = _all_lines(state, target, pod, container)
        if current is None:
            break
        if len(current) > seen:
            await response.write(_format(current[seen:], stamp()))
            seen = len(current)
        if not _running(state, target, container):
            break
    await response.write_eof()
    return response


def _all_lines(state: ServerState, target: Target, pod: Obj, container: str) -> list[str] | None:
    cluster = state.cluster
    live = cluster.get("Pod", target.name or "", namespace_of(target) or "default")
    if live is None or live["metadata"].get("uid") != pod["metadata"].get("uid"):
        return None
    return cluster.kubelets.logs(live, container)


def _running(state: ServerState, target: Target, container: str) -> bool:
    live = state.cluster.get("Pod", target.name or "", namespace_of(target) or "default")
    if live is None:
        return False
    for entry in (live.get("status") or {}).get("containerStatuses") or []:
        if entry.get("name") == container:
            return "running" in (entry.get("state") or {})
    return True
