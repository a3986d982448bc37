"""Start and stop the API in the current asyncio loop (the game's, or ``k8stui serve``'s).

``ApiRunner(host).start()`` binds 127.0.0.1 (and ::1 on the same port when the machine has
IPv6) and returns the kubeconfig text; there is no option to bind anything else. With
``drive_clock`` the runner also moves the simulated clock (``speed`` sim seconds per wall
second, or not at all while ``paused``); the game leaves that to its own clock.
"""

from __future__ import annotations

import asyncio
import contextlib
import socket
from collections.abc import Callable
from dataclasses import dataclass

from aiohttp import web

from k8stui.server.app import build_app
from k8stui.server.credentials import Credentials, generate
from k8stui.server.kubeconfig import render
from k8stui.server.state import ApiRequest, Host, ServerState

LOOPBACK = ("127.0.0.1", "::1")
TICK = 0.05
"""Wall seconds between clock steps when the runner drives the clock."""


class PortInUse(Exception):
    """The requested port is taken."""


@dataclass
class ServeOptions:
    """How to serve: port (0 = any free), version reported, clock driving."""

    port: int = 0
    kube_version: str = "1.32"
    drive_clock: bool = False
    speed: float = 1.0
    paused: bool = False
    sim_enabled: bool = True
    namespace: str = "default"
    on_request: Callable[[ApiRequest], None] | None = None


class ApiRunner:
    """One API server for one host (a console Session or a game LevelRun)."""

    def __init__(self, host: Host, options: ServeOptions | None = None) -> None:
        self.host = host
        self.options = options or ServeOptions()
        self.credentials: Credentials | None = None
        self.state: ServerState | None = None
        self.port = 0
        self._runner: web.AppRunner | None = None
        self._clock: asyncio.Task[None] | None = None

    @property
    def url(self) -> str:
        """``https://127.0.0.1:PORT``."""
        return f"https://127.0.0.1:{self.port}"

    @property
    def kubeconfig(self) -> str:
        """The kubeconfig text for this server."""
        assert self.credentials is not None
        return render(
            self.url, self.credentials.ca_pem, self.credentials.token, self.options.namespace
        )

    @property
    def connect_hint(self) -> str:
        """One line telling a player how to point their kubectl here (after writing the file)."""
        return f"API on {self.url}: export KUBECONFIG=<the kubeconfig file>; kubectl get pods"

    async def start(self) -> str:
        """Bind and serve; returns the kubeconfig text. Raises PortInUse."""
        self.credentials = generate()
        options = self.options
        self.state = ServerState.create(
            self.host,
            self.credentials.token,
            kube_version=options.kube_version,
            sim_enabled=options.sim_enabled,
            on_request=options.on_request,
        )
        app = build_app(self.state)
        self._runner = web.AppRunner(
            app, handler_cancellation=True, access_log=None, shutdown_timeout=1.0
        )
        await self._runner.setup()
        context = self.credentials.ssl_context()
        first = _bind(LOOPBACK[0], options.port)
        self.port = first.getsockname()[1]
        sockets = [first]
        with contextlib.suppress(OSError):
            sockets.append(_bind(LOOPBACK[1], self.port, socket.AF_INET6))
        for sock in sockets:
            site = web.SockSite(self._runner, sock, ssl_context=context)
            await site.start()
        self.state.address = f"127.0.0.1:{self.port}"
        if options.drive_clock:
            self._clock = asyncio.get_running_loop().create_task(self._drive())
        return self.kubeconfig

    async def _drive(self) -> None:
        loop = asyncio.get_running_loop()
        last = loop.time()
        owed = 0.0
        while True:
            await asyncio.sleep(TICK)
            now = loop.time()
            elapsed, last = now - last, now
            if self.options.paused or self.options.speed <= 0:
                continue
            owed += elapsed * self.options.speed
            if owed >= 0.001:
                step = round(owed, 3)
                owed -= step
                self.host.cluster.advance(step)

    async def stop(self) -> None:
        """Stop serving (open streams are closed)."""
        if self._clock is not None:
            self._clock.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._clock
            self._clock = None
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None


def _bind(host: str, port: int, family: int = socket.AF_INET) -> socket.socket:
    sock = socket.socket(family, socket.SOCK_STREAM)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        if family == socket.AF_INET6:
            sock.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 1)
        sock.bind((host, port))
        sock.listen(128)
        sock.setblocking(False)
    except OSError as exc:
        sock.close()
        if family == socket.AF_INET and exc.errno in (98, 48, 10048):
            raise PortInUse(f"port {port} on {host} is already in use") from None
        raise
    return sock
