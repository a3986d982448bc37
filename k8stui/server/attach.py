"""``pods/<name>/attach`` over WebSocket: the container's output from now on, as it is written.

A real attach joins the running process's stdout and stderr; it replays nothing that was
written before. Here the output is the container's log (the simulated programs write only
there), polled like a followed log: new lines go out on the stdout channel until the
container stops, the pod goes away, the client closes or ``FOLLOW_LIMIT`` passes; then a
success Status on the error channel. Input (``-i``) is read and dropped: the simulated
programs read no stdin. kubectl 1.27-1.29 attach over SPDY instead (``spdy_exec``), with
the same follower.
"""

from __future__ import annotations

import asyncio
import contextlib
from typing import Any

from aiohttp import WSMsgType, web

from k8stui.engine.errors import ApiError
from k8stui.server import channels, spdy_exec, spdy_upgrade
from k8stui.server.logs import FOLLOW_LIMIT, FOLLOW_POLL, LogMark, current_lines, running
from k8stui.server.paths import Target
from k8stui.server.rest import engine_error, namespace_of
from k8stui.server.state import ServerState
from k8stui.server.status import StatusError

Obj = dict[str, Any]
MAX_MESSAGES = 10_000
"""Client messages read on one attach at most."""


async def _drain_input(ws: web.WebSocketResponse) -> None:
    """Read (and drop) what the client sends, so its close is seen; end on close."""
    count = 0
    async for message in ws:
        count += 1
        if message.type != WSMsgType.BINARY or count > MAX_MESSAGES:
            break


class _Follower:
    """The container's output since the last poll (only what is written after the attach)."""

    def __init__(self, state: ServerState, target: Target, pod: Obj, container: str) -> None:
        self._state, self._target, self._pod, self._container = state, target, pod, container
        self._mark = LogMark.after(state.cluster.kubelets.timed_logs(pod, container) or [])

    def poll(self) -> tuple[bytes, bool]:
        """(new output, whether the container still runs)."""
        lines = current_lines(self._state, self._target, self._pod, self._container)
        if lines is None:
            return b"", False
        fresh = self._mark.new_lines(lines)
        self._mark = LogMark.after(lines)
        data = "".join(text + "\n" for _, text in fresh).encode()
        return data, running(self._state, self._target, self._container)


async def attach(
    state: ServerState, request: web.Request, target: Target, offered: list[str]
) -> web.StreamResponse:
    """Serve one attach request (the checks answer before the upgrade, as for exec)."""
    protocol = channels.pick_protocol(offered)
    cluster = state.cluster
    namespace = namespace_of(target) or "default"
    try:
        container = channels.running_container(
            cluster, namespace, target.name or "", request.query.get("container") or None
        )
    except channels.UpgradeRefused as exc:
        return web.Response(text=exc.message, status=exc.code, content_type="text/plain")
    except ApiError as exc:
        raise engine_error(exc, target.res, target.name or "") from None
    pod = cluster.get("Pod", target.name or "", namespace)
    assert pod is not None  # running_container found it
    follower = _Follower(state, target, pod, container)
    if protocol is None:
        if spdy_upgrade.wants_spdy(request) and spdy_exec.PROTOCOL in spdy_upgrade.offered(request):
            expected = spdy_exec.expected_streams(dict(request.query))
            session = spdy_exec.AttachOverSpdy(follower.poll, expected)
            return await spdy_upgrade.serve(request, spdy_exec.PROTOCOL, session)
        raise StatusError(
            400,
            "this stream needs a WebSocket upgrade (v5.channel.k8s.io, v4.channel.k8s.io) or a "
            "SPDY/3.1 upgrade (v4.channel.k8s.io, portforward.k8s.io)",
            "BadRequest",
        )
    ws = web.WebSocketResponse(protocols=(protocol,), max_msg_size=1 << 20)
    await ws.prepare(request)
    reader = asyncio.ensure_future(_drain_input(ws))
    loop = asyncio.get_running_loop()
    deadline = loop.time() + FOLLOW_LIMIT
    try:
        while loop.time() < deadline and not reader.done():
            await asyncio.wait([reader], timeout=FOLLOW_POLL)
            data, going = follower.poll()
            if data and not ws.closed:
                await ws.send_bytes(channels.frame(channels.STDOUT, data))
            if not going:
                break
        if not ws.closed:
            await ws.send_bytes(channels.status_frame(channels.success_status()))
            await ws.close()
    finally:
        reader.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await reader
    return ws
