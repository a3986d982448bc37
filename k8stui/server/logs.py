"""``pods/<name>/log``: a container's output, once or followed as simulated time passes.

A followed log is polled from the kubelet on the loop (a cheap read, never a wait inside the
engine) and ends when the container stops, the pod goes away or the client disconnects.
"""

from __future__ import annotations

import asyncio
from typing import Any

from aiohttp import web

from k8stui.engine.clock import from_timestamp
from k8stui.engine.kubelet.log_reader import ByteBudget, LogQuery, TimedLine, render, select
from k8stui.server.paths import Target
from k8stui.server.rest import bad_request, live_object, namespace_of
from k8stui.server.state import ServerState
from k8stui.server.timeshift import unshift_stamp

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


def _since_ms(state: ServerState, request: web.Request) -> int | None:
    """``sinceSeconds`` or ``sinceTime`` (the client's clock) as a sim time."""
    seconds = _int_param(request, "sinceSeconds")
    stamp = request.query.get("sinceTime", "")
    if seconds is not None and stamp:
        raise bad_request("at most one of `sinceTime` or `sinceSeconds` may be specified")
    if seconds is not None:
        if seconds < 1:
            raise bad_request(f"sinceSeconds: Invalid value: {seconds}: must be greater than 0")
        return state.cluster.now_ms - seconds * 1000
    if not stamp:
        return None
    moved = unshift_stamp(stamp, state.time_map().delta())
    try:
        return from_timestamp(moved)
    except ValueError:
        raise bad_request(f"invalid sinceTime: {stamp!r}") from None


def _query(state: ServerState, request: web.Request) -> LogQuery:
    tail = _int_param(request, "tailLines")
    if tail is not None and tail < 0:
        raise bad_request(f"tailLines: Invalid value: {tail}: must be greater than or equal to 0")
    limit = _int_param(request, "limitBytes")
    if limit is not None and limit < 1:
        raise bad_request(f"limitBytes: Invalid value: {limit}: must be greater than 0")
    return LogQuery(
        tail=tail,
        since_ms=_since_ms(state, request),
        timestamps=request.query.get("timestamps", "") == "true",
        limit_bytes=limit,
    )


def read_lines(
    state: ServerState, request: web.Request, target: Target
) -> tuple[Obj, str, list[TimedLine]]:
    """The pod, container and every timed log line of the run asked for (400/404 as real)."""
    cluster = state.cluster
    pod = live_object(cluster, target)
    container = _container(pod, request.query.get("container", ""))
    previous = request.query.get("previous", "") == "true"
    lines = cluster.kubelets.timed_logs(pod, container, previous=previous)
    name = pod["metadata"]["name"]
    if lines is None:
        if previous:
            raise bad_request(
                f'previous terminated container "{container}" in pod "{name}" not found'
            )
        raise bad_request(
            f'container "{container}" in pod "{name}" is waiting to start: {_waiting(pod, container)}'
        )
    return pod, container, lines


async def log(state: ServerState, request: web.Request, target: Target) -> web.StreamResponse:
    """GET ``…/log`` (``follow``, ``tailLines``, ``sinceSeconds``/``sinceTime``, ...)."""
    pod, container, lines = read_lines(state, request, target)
    query = _query(state, request)
    follow = request.query.get("follow", "") == "true" and request.query.get("previous") != "true"
    budget = ByteBudget(query.limit_bytes)

    def chunk(part: list[TimedLine]) -> bytes:
        # Stamps are moved onto the wall clock at the moment they are written (docs/api.md).
        shift = state.time_map().delta() if query.timestamps else 0.0
        return budget.take(render(part, query.timestamps, shift))

    data = chunk(select(lines, query))
    if not follow:
        return web.Response(body=data, content_type="text/plain")
    response = web.StreamResponse(headers={"Content-Type": "text/plain"})
    response.enable_chunked_encoding()
    await response.prepare(request)
    await response.write(data)
    mark = LogMark.after(lines)
    loop = asyncio.get_running_loop()
    deadline = loop.time() + FOLLOW_LIMIT
    while loop.time() < deadline and not budget.spent:
        await asyncio.sleep(FOLLOW_POLL)
        current = current_lines(state, target, pod, container)
        if current is None:
            break
        fresh = mark.new_lines(current)
        if fresh:
            await response.write(chunk(select(fresh, LogQuery(since_ms=query.since_ms))))
            mark = LogMark.after(current)
        if not running(state, target, container):
            break
    await response.write_eof()
    return response


class LogMark:
    """Where a follower has read up to: the last line's time and how many lines had it.

    The runtime keeps a bounded window of a chatty container's lines, so a position in the
    list would drift; the lines are in time order, so a time (and a count for ties) does not.
    """

    def __init__(self, ms: int, ties: int) -> None:
        self.ms = ms
        self.ties = ties

    @classmethod
    def after(cls, lines: list[TimedLine]) -> LogMark:
        """The mark just past the last of ``lines``."""
        if not lines:
            return cls(-1, 0)
        last = lines[-1][0]
        return cls(last, sum(1 for ms, _ in lines if ms == last))

    def new_lines(self, lines: list[TimedLine]) -> list[TimedLine]:
        """The lines written after this mark."""
        same = [line for line in lines if line[0] == self.ms]
        return same[self.ties :] + [line for line in lines if line[0] > self.ms]


def current_lines(
    state: ServerState, target: Target, pod: Obj, container: str
) -> list[TimedLine] | None:
    """The lines of the run of ``pod`` (by uid) now; None once the pod is gone or replaced."""
    cluster = state.cluster
    live = cluster.get("Pod", target.name or "", namespace_of(target) or "default")
    if live is None or live["metadata"].get("uid") != pod["metadata"].get("uid"):
        return None
    return cluster.kubelets.timed_logs(live, container)


def running(state: ServerState, target: Target, container: str) -> bool:
    """Whether the container of the pod ``target`` names is running now."""
    live = state.cluster.get("Pod", target.name or "", namespace_of(target) or "default")
    if live is None:
        return False
    for entry in (live.get("status") or {}).get("containerStatuses") or []:
        if entry.get("name") == container:
            return "running" in (entry.get("state") or {})
    return True
