"""Streams over a plain SPDY/3.1 upgrade: port-forward (kubectl 1.27-1.30, and the fallback)
and exec (kubectl 1.27-1.29, which have no WebSocket exec).

The client POSTs ``.../portforward`` with ``Upgrade: SPDY/3.1`` and ``X-Stream-Protocol-
Version: portforward.k8s.io``; the answer is ``101 Switching Protocols`` naming the same,
and from then on the TLS connection carries SPDY frames both ways. aiohttp upgrades only
to WebSocket by itself, so after the 101 this handler takes the connection's incoming bytes
(a payload parser, as aiohttp's WebSocket does) and writes frames on the transport. The
sessions are ``portforward.ForwardSession`` (the tunnelled one) and ``spdy_exec``.
"""

from __future__ import annotations

import asyncio
from typing import Protocol

from aiohttp import web

from k8stui.server import spdy
from k8stui.server.logs import FOLLOW_LIMIT, FOLLOW_POLL
from k8stui.server.portforward import ForwardSession
from k8stui.server.state import ServerState
from k8stui.server.status import StatusError

PROTOCOL = "portforward.k8s.io"
MAX_QUEUED = 256
"""Chunks of client bytes waiting at most; a client sending more is cut off."""


def wants_spdy(request: web.Request) -> bool:
    """Whether the request asks for a SPDY/3.1 upgrade."""
    return request.headers.get("Upgrade", "").lower() == "spdy/3.1"


class _Switch(web.StreamResponse):
    """The 101 answer: headers only, no body framing, the connection closes afterwards."""

    def __init__(self, protocol: str) -> None:
        super().__init__(
            status=101,
            headers={
                "Connection": "Upgrade",
                "Upgrade": "SPDY/3.1",
                "X-Stream-Protocol-Version": protocol,
            },
        )
        self._length_check = False
        self.force_close()


class _Feed:
    """Receives the connection's bytes after the switch (aiohttp's payload parser protocol)."""

    def __init__(self, queue: asyncio.Queue[bytes]) -> None:
        self._queue = queue
        self.overflow = False

    def feed_data(self, data: bytes) -> tuple[bool, bytes]:
        if self._queue.qsize() >= MAX_QUEUED:
            self.overflow = True
            return True, b""  # eof: aiohttp closes the connection
        self._queue.put_nowait(bytes(data))
        return False, b""

    def feed_eof(self) -> None:
        self._queue.put_nowait(b"")


class SpdySession(Protocol):
    """What runs over the switched connection: bytes in, frames out, until closed."""

    closed: bool

    def receive(self, data: bytes) -> list[bytes]:
        """Frames answering ``data`` (``spdy.SpdyError`` for bytes that are not SPDY)."""
        ...

    def tick(self) -> list[bytes]:
        """Frames to send of the session's own accord (polled every FOLLOW_POLL seconds)."""
        ...


def offered(request: web.Request) -> list[str]:
    """The stream protocols the client offers (``X-Stream-Protocol-Version``, in order)."""
    raw = ",".join(request.headers.getall("X-Stream-Protocol-Version", []))
    return [p.strip() for p in raw.split(",") if p.strip()]


async def serve(request: web.Request, protocol: str, session: SpdySession) -> web.StreamResponse:
    """Switch to SPDY with ``protocol`` and run ``session`` until it or the client is done.

    The session is bounded by FOLLOW_LIMIT (a port-forward left open for an hour ends).
    """
    response = _Switch(protocol)
    await response.prepare(request)
    queue: asyncio.Queue[bytes] = asyncio.Queue()
    handler = request.protocol
    transport = request.transport
    if handler is None or transport is None:
        return response
    handler.set_parser(_Feed(queue))  # type: ignore[arg-type]
    loop = asyncio.get_running_loop()
    deadline = loop.time() + FOLLOW_LIMIT
    while not session.closed and not transport.is_closing() and loop.time() < deadline:
        try:
            data: bytes | None = await asyncio.wait_for(queue.get(), timeout=FOLLOW_POLL)
        except TimeoutError:
            data = None
        if data == b"":
            break  # the client went away
        try:
            replies = session.tick() if data is None else session.receive(data)
        except spdy.SpdyError:
            transport.write(spdy.goaway(0))
            break
        for frame in replies:
            transport.write(frame)
    transport.close()  # written frames are flushed first
    return response


async def serve_portforward(
    state: ServerState, request: web.Request, namespace: str, pod: str
) -> web.StreamResponse:
    """kubectl port-forward over a plain SPDY upgrade."""
    if PROTOCOL not in offered(request):
        raise StatusError(
            400, f"the port-forward protocol must be {PROTOCOL} over SPDY/3.1", "BadRequest"
        )
    return await serve(request, PROTOCOL, ForwardSession(lambda: state.cluster, namespace, pod))
