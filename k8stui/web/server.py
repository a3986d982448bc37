"""The browser server: textual-serve's terminal in a page, one ``k8stui play`` per tab.

Each visit to ``/`` is sent on to ``/play/PLAYER`` with a new random player id, so every tab
has its own game process and its own progress folder (``DATA_DIR/PLAYER``); reloading the tab
keeps the id and so the progress. A session limit refuses new games when the machine is full
(``/readyz`` then answers 503, so a Kubernetes Service sends new players to another replica),
and a tab that sends no keys for the idle timeout is disconnected and its process ended.
"""

from __future__ import annotations

import asyncio
import contextlib
import html
import ipaddress
import logging
import os
import re
import secrets
import signal
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

import aiohttp_jinja2
import jinja2
from aiohttp import WSMsgType, web
from textual_serve.app_service import AppService
from textual_serve.download_manager import DownloadManager

from k8stui.game.locations import DATA_DIR_ENV
from k8stui.web.auth import COOKIE, COOKIE_LIFETIME, Gate

log = logging.getLogger("k8stui.web")
PLAYER_ID = re.compile(r"^[0-9a-f]{32}$")
OPEN_PATHS = ("/login", "/healthz", "/readyz")
STOP_GRACE = 5.0
"""Seconds a game process gets to quit before it is killed."""


@dataclass
class WebSettings:
    """What ``k8stui web`` was asked to do."""

    host: str = "127.0.0.1"
    port: int = 8000
    packs: list[Path] = field(default_factory=list)
    max_sessions: int = 8
    idle_timeout: float = 900.0
    data_dir: Path = Path("k8stui-web")
    password: str | None = None
    exit_after: float | None = None
    fps: int = 30

    @property
    def loopback(self) -> bool:
        """True when only this machine can connect."""
        if self.host == "localhost":
            return True
        try:
            return ipaddress.ip_address(self.host).is_loopback
        except ValueError:
            return False


class GameProcess(AppService):
    """One browser tab's game: a ``k8stui play`` child with its own data folder."""

    def __init__(self, command: str, data_dir: Path, fps: int, **kwargs: Any) -> None:
        super().__init__(command, **kwargs)
        self.data_dir = data_dir
        self.fps = fps

    def _build_environment(self, width: int = 80, height: int = 24) -> dict[str, str]:
        environment = super()._build_environment(width, height)
        environment[DATA_DIR_ENV] = str(self.data_dir)
        # 60 frames a second (textual-serve's choice) buys nothing for a game at 1x speed.
        environment["TEXTUAL_FPS"] = str(self.fps)
        return environment

    @property
    def pid(self) -> int | None:
        """The child's process id while it runs."""
        return self._process.pid if self._process is not None else None

    async def end(self) -> None:
        """Ask the game to quit; kill it if it has not after :data:`STOP_GRACE` seconds."""
        with contextlib.suppress(TimeoutError, ConnectionError, RuntimeError):
            await asyncio.wait_for(self.stop(), STOP_GRACE)
        process = self._process
        if process is not None and process.returncode is None:
            with contextlib.suppress(ProcessLookupError):
                process.kill()
            await process.wait()


class GameServer:
    """The aiohttp application and the live game processes."""

    def __init__(self, settings: WebSettings) -> None:
        self.settings = settings
        self.gate = Gate(settings.password)
        self.sessions: dict[str, GameProcess] = {}
        self.endings: set[asyncio.Future[None]] = set()
        self.downloads = DownloadManager()
        import textual_serve

        self.assets = Path(textual_serve.__file__).parent

    def command(self) -> str:
        """The shell command that starts one game (``exec`` so the child is the game)."""
        import shlex

        words = [sys.executable, "-m", "k8stui", "play"]
        for pack in self.settings.packs:
            words += ["--pack", str(pack.resolve())]
        return "exec " + shlex.join(words)

    def make_app(self) -> web.Application:
        """The routes, behind the password gate."""
        app = web.Application(middlewares=[self.guard])
        aiohttp_jinja2.setup(app, loader=jinja2.FileSystemLoader(self.assets / "templates"))
        app.add_routes(
            [
                web.get("/", self.handle_root),
                web.get("/login", self.handle_login_form),
                web.post("/login", self.handle_login),
                web.get("/play/{player}", self.handle_play),
                web.get("/ws/{player}", self.handle_websocket),
                web.get("/healthz", self.handle_health),
                web.get("/readyz", self.handle_ready),
                web.static("/static", self.assets / "static", name="static"),
            ]
        )
        app.on_shutdown.append(self.on_shutdown)
        return app

    # -- access -------------------------------------------------------------------------------
    @web.middleware
    async def guard(self, request: web.Request, handler: Any) -> web.StreamResponse:
        """Let a request through only with a valid cookie (or a valid ``?token=``)."""
        if not self.gate.enabled or request.path in OPEN_PATHS:
            return await handler(request)
        token = request.query.get("token")
        if token is not None:
            if self.gate.password_ok(token):
                query = {k: v for k, v in request.query.items() if k != "token"}
                found = web.HTTPFound(request.rel_url.with_query(query))
                self._sign_in(found, request)
                raise found
            await asyncio.sleep(1.0)
        if self.gate.cookie_ok(request.cookies.get(COOKIE)):
            return await handler(request)
        if request.path.startswith("/ws/"):
            raise web.HTTPUnauthorized(text="sign in first")
        return _login_page(401)

    def _sign_in(self, response: web.StreamResponse, request: web.Request) -> None:
        response.set_cookie(
            COOKIE,
            self.gate.issue(),
            max_age=COOKIE_LIFETIME,
            httponly=True,
            samesite="Strict",
            secure=request.secure,
        )

    async def handle_login_form(self, request: web.Request) -> web.StreamResponse:
        """The sign-in form."""
        return _login_page(200)

    async def handle_login(self, request: web.Request) -> web.StreamResponse:
        """Check the class password; on success set the cookie and go to a new game."""
        address = request.remote or "?"
        if self.gate.locked_out(address):
            return _login_page(429, "Too many wrong passwords; wait a minute.")
        form = await request.post()
        attempt = str(form.get("password", ""))
        if not self.gate.password_ok(attempt):
            self.gate.record_failure(address)
            await asyncio.sleep(1.0)
            return _login_page(401, "Wrong password.")
        found = web.HTTPFound("/")
        self._sign_in(found, request)
        raise found

    # -- pages --------------------------------------------------------------------------------
    async def handle_root(self, request: web.Request) -> web.StreamResponse:
        """A new tab: give it a player id of its own."""
        raise web.HTTPFound(f"/play/{secrets.token_hex(16)}")

    async def handle_play(self, request: web.Request) -> web.StreamResponse:
        """The terminal page of one player."""
        player = request.match_info["player"]
        if not PLAYER_ID.match(player):
            raise web.HTTPNotFound(text="no such player")
        if self.full() and player not in self.sessions:
            return _message_page(503, "The class is full", self._full_text())
        base = f"{_scheme(request)}://{request.host}"
        socket = "wss" if _scheme(request) == "https" else "ws"
        context = {
            "font_size": _int(request.query.get("fontsize", "16"), 16),
            "app_websocket_url": f"{socket}://{request.host}/ws/{player}",
            "config": {"static": {"url": f"{base}/static/"}},
            "application": {"name": "k8stui"},
        }
        return aiohttp_jinja2.render_template("app_index.html", request, context)

    async def handle_health(self, request: web.Request) -> web.StreamResponse:
        """Liveness: the server answers."""
        return web.json_response({"sessions": len(self.sessions)})

    async def handle_ready(self, request: web.Request) -> web.StreamResponse:
        """Readiness: there is room for another game."""
        body = {"sessions": len(self.sessions), "max_sessions": self.settings.max_sessions}
        return web.json_response(body, status=503 if self.full() else 200)

    def full(self) -> bool:
        """True when no new game may start."""
        return len(self.sessions) >= self.settings.max_sessions

    def _full_text(self) -> str:
        return f"All {self.settings.max_sessions} game sessions are in use; try again later."

    # -- games --------------------------------------------------------------------------------
    async def handle_websocket(self, request: web.Request) -> web.StreamResponse:
        """Run one player's game for as long as the tab is open and active."""
        player = request.match_info["player"]
        if not PLAYER_ID.match(player):
            raise web.HTTPNotFound(text="no such player")
        origin = request.headers.get("Origin")
        if self.gate.enabled and origin is not None and origin.split("://", 1)[-1] != request.host:
            raise web.HTTPForbidden(text="cross-site game sockets are refused")
        websocket = web.WebSocketResponse(heartbeat=15)
        await websocket.prepare(request)
        if player in self.sessions or self.full():
            why = "this game is open in another tab" if player in self.sessions else "full"
            await websocket.close(code=4003, message=why.encode())
            return websocket
        folder = self.settings.data_dir / player
        folder.mkdir(parents=True, exist_ok=True)
        game = GameProcess(
            self.command(),
            folder,
            self.settings.fps,
            write_bytes=websocket.send_bytes,
            write_str=websocket.send_str,
            close=websocket.close,
            download_manager=self.downloads,
        )
        self.sessions[player] = game
        width = _int(request.query.get("width", "80"), 80)
        height = _int(request.query.get("height", "24"), 24)
        try:
            await game.start(width, height)
            log.info("game %s started (pid %s, %d live)", player[:8], game.pid, len(self.sessions))
            await self._relay(websocket, game)
        except Exception:
            log.exception("game %s failed", player[:8])
        finally:
            # aiohttp cancels the handler when the browser goes away; the game must still end.
            ending = asyncio.ensure_future(self._end_game(player, game))
            self.endings.add(ending)
            ending.add_done_callback(self.endings.discard)
            await asyncio.shield(ending)
        return websocket

    async def _end_game(self, player: str, game: GameProcess) -> None:
        try:
            await game.end()
        finally:
            self.sessions.pop(player, None)
            log.info("game %s ended (%d live)", player[:8], len(self.sessions))

    async def _relay(self, websocket: web.WebSocketResponse, game: GameProcess) -> None:
        """Pass the browser's keys and size to the game; hang up after the idle timeout."""
        last_key = time.monotonic()

        async def watch_idle() -> None:
            while not websocket.closed:
                left = self.settings.idle_timeout - (time.monotonic() - last_key)
                if left <= 0:
                    await websocket.close(code=4000, message=b"idle timeout")
                    return
                await asyncio.sleep(min(left, 5.0))

        watchdog = asyncio.create_task(watch_idle())
        try:
            async for message in websocket:
                if message.type != WSMsgType.TEXT:
                    continue
                envelope = message.json()
                if not isinstance(envelope, list) or not envelope:
                    continue
                kind, data = envelope[0], envelope[1] if len(envelope) > 1 else None
                if kind == "stdin" and isinstance(data, str):
                    last_key = time.monotonic()
                    await game.send_bytes(data.encode("utf-8"))
                elif kind == "resize" and isinstance(data, dict):
                    await game.set_terminal_size(
                        _int(str(data.get("width", 80)), 80), _int(str(data.get("height", 24)), 24)
                    )
                elif kind == "ping":
                    await websocket.send_json(["pong", data])
                elif kind == "blur":
                    await game.blur()
                elif kind == "focus":
                    await game.focus()
        finally:
            watchdog.cancel()

    async def on_shutdown(self, app: web.Application) -> None:
        """End every game before the server goes."""
        await asyncio.gather(*(game.end() for game in list(self.sessions.values())))
        await asyncio.gather(*self.endings, return_exceptions=True)


def _scheme(request: web.Request) -> str:
    # Behind an Ingress the browser speaks https to the proxy, which speaks http to us.
    forwarded = request.headers.get("X-Forwarded-Proto", "")
    return "https" if forwarded == "https" or request.secure else "http"


def _int(text: str, default: int) -> int:
    try:
        return max(1, min(int(text), 1000))
    except ValueError:
        return default


_PAGE = """<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>k8stui</title>
<style>body{{background:#0c181f;color:#eee;font-family:monospace;display:flex;
justify-content:center;align-items:center;height:90vh}}form,div{{text-align:center}}
input,button{{font:inherit;padding:8px;margin:6px}}</style></head>
<body>{body}</body></html>
"""


def _login_page(status: int, note: str = "") -> web.Response:
    shown = f"<p>{html.escape(note)}</p>" if note else ""
    body = (
        '<form method="post" action="/login"><h1>k8stui</h1>'
        f"<p>Enter the class password to play.</p>{shown}"
        '<input type="password" name="password" id="password" autofocus>'
        '<button type="submit">Play</button></form>'
    )
    return web.Response(status=status, text=_PAGE.format(body=body), content_type="text/html")


def _message_page(status: int, title: str, text: str) -> web.Response:
    body = f"<div><h1>{html.escape(title)}</h1><p>{html.escape(text)}</p></div>"
    return web.Response(status=status, text=_PAGE.format(body=body), content_type="text/html")


async def serve(settings: WebSettings, out: TextIO) -> None:
    """Serve until interrupted (or ``exit_after`` seconds); prints the address once bound."""
    server = GameServer(settings)
    runner = web.AppRunner(server.make_app(), handle_signals=False, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, settings.host, settings.port)
    await site.start()
    host, port = runner.addresses[0][:2]
    shown = f"[{host}]" if ":" in str(host) else host
    out.write(f"k8stui web: serving on http://{shown}:{port}/ (pid {os.getpid()})\n")
    out.flush()
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError):
            loop.add_signal_handler(sig, stop.set)
    if settings.exit_after is not None:
        loop.call_later(settings.exit_after, stop.set)
    try:
        await stop.wait()
    finally:
        await runner.cleanup()
