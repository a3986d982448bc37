"""``exec``, ``attach`` and ``portforward`` over WebSocket (``v5``/``v4.channel.k8s.io``).

The channel protocol is in ``channels`` (pure); this module does the HTTP upgrade and moves
the frames. Checks run before the upgrade so a refused stream is a plain answer; kubectl's
SPDY fallback for exec (a second request offering no WebSocket protocol) gets the same
answer, or a clear 400 when the target was fine. kubectl's port-forward speaks SPDY/3.1,
tunnelled in a WebSocket (``portforward``) or over a plain upgrade (``spdy_upgrade``).
"""

from __future__ import annotations

from aiohttp import WSMsgType, web

from k8stui.engine.errors import ApiError
from k8stui.server import channels, portforward, spdy, spdy_exec, spdy_upgrade
from k8stui.server.attach import attach
from k8stui.server.paths import Target
from k8stui.server.rest import engine_error, namespace_of
from k8stui.server.state import ServerState
from k8stui.server.status import StatusError

MAX_MESSAGES = 10_000
"""Client messages read on one stream at most (stdin is capped by the channel module too)."""
_PORTFORWARD = "v4.channel.k8s.io"


def _offered(request: web.Request) -> list[str]:
    raw = request.headers.get("Sec-WebSocket-Protocol", "")
    return [p.strip() for p in raw.split(",") if p.strip()]


def _no_upgrade() -> StatusError:
    return StatusError(
        400,
        "this stream needs a WebSocket upgrade (v5.channel.k8s.io, v4.channel.k8s.io) or a "
        "SPDY/3.1 upgrade (v4.channel.k8s.io, portforward.k8s.io)",
        "BadRequest",
    )


async def _exec(state: ServerState, request: web.Request, target: Target) -> web.StreamResponse:
    protocol = channels.pick_protocol(_offered(request))
    command = request.query.getall("command", [])
    try:
        session = channels.ExecSession.start(
            state.cluster,
            namespace_of(target) or "default",
            target.name or "",
            request.query.get("container") or None,
            command,
            protocol or channels.V5,
        )
    except channels.UpgradeRefused as exc:
        return web.Response(text=exc.message, status=exc.code, content_type="text/plain")
    except ApiError as exc:
        raise engine_error(exc, target.res, target.name or "") from None
    if protocol is None:
        if spdy_upgrade.wants_spdy(request) and spdy_exec.PROTOCOL in spdy_upgrade.offered(request):
            session.protocol = channels.V4
            expected = spdy_exec.expected_streams(dict(request.query))
            return await spdy_upgrade.serve(
                request, spdy_exec.PROTOCOL, spdy_exec.ExecOverSpdy(session, expected)
            )
        raise _no_upgrade()
    ws = web.WebSocketResponse(protocols=(protocol,), max_msg_size=1 << 20)
    await ws.prepare(request)
    if request.query.get("stdin") == "true":
        count = 0
        async for message in ws:
            count += 1
            if message.type != WSMsgType.BINARY or count > MAX_MESSAGES:
                break
            try:
                if session.feed(message.data):
                    break
            except channels.ChannelError:
                break
    for data in session.finish():
        await ws.send_bytes(data)
    await ws.close()
    return ws


async def _portforward(
    state: ServerState, request: web.Request, target: Target
) -> web.StreamResponse:
    cluster = state.cluster
    namespace = namespace_of(target) or "default"
    if cluster.get("Pod", target.name or "", namespace) is None:
        raise engine_error(
            ApiError(404, "NotFound", f'pods "{target.name}" not found'),
            target.res,
            target.name or "",
        )
    if portforward.SUBPROTOCOL in _offered(request):
        return await _spdy_tunnel(state, request, namespace, target.name or "")
    if spdy_upgrade.wants_spdy(request):
        return await spdy_upgrade.serve_portforward(state, request, namespace, target.name or "")
    try:
        ports = [int(p) for p in request.query.getall("ports", [])]
    except ValueError:
        raise StatusError(400, "invalid port in the ports parameter", "BadRequest") from None
    if not ports or any(not 0 < p < 65536 for p in ports):
        raise StatusError(400, "at least one valid port is required", "BadRequest")
    if _PORTFORWARD not in _offered(request):
        raise _no_upgrade()
    ws = web.WebSocketResponse(protocols=(_PORTFORWARD,), max_msg_size=1 << 20)
    await ws.prepare(request)
    for data in channels.portforward_preamble(ports):
        await ws.send_bytes(data)
    count = 0
    async for message in ws:
        count += 1
        if message.type != WSMsgType.BINARY or count > MAX_MESSAGES:
            break
        try:
            replies = channels.portforward_reply(
                state.cluster, namespace, target.name or "", ports, message.data
            )
        except channels.ChannelError:
            break
        for data in replies:
            await ws.send_bytes(data)
    await ws.close()
    return ws


async def _spdy_tunnel(
    state: ServerState, request: web.Request, namespace: str, pod: str
) -> web.StreamResponse:
    """kubectl's port-forward: SPDY/3.1 frames inside binary WebSocket messages."""
    ws = web.WebSocketResponse(protocols=(portforward.SUBPROTOCOL,), max_msg_size=1 << 20)
    await ws.prepare(request)
    session = portforward.ForwardSession(lambda: state.cluster, namespace, pod)
    count = 0
    async for message in ws:
        count += 1
        if message.type != WSMsgType.BINARY or count > MAX_MESSAGES * 10:
            break
        try:
            replies = session.receive(message.data)
        except spdy.SpdyError:
            await ws.send_bytes(spdy.goaway(0))
            break
        for data in replies:
            await ws.send_bytes(data)
        if session.closed:
            break
    await ws.close()
    return ws


async def stream_subresource(
    state: ServerState, request: web.Request, target: Target
) -> web.StreamResponse:
    """Serve one exec / attach / portforward request."""
    if target.res.kind != "Pod" or request.method not in ("GET", "POST"):
        raise StatusError(
            405,
            "the server does not allow this method on the requested resource",
            "MethodNotAllowed",
        )
    if target.subresource == "portforward":
        return await _portforward(state, request, target)
    if target.subresource == "attach":
        return await attach(state, request, target, _offered(request))
    return await _exec(state, request, target)
