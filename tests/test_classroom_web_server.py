"""``k8stui web`` without a browser: the password gate, session limit, idle timeout, probes."""

from __future__ import annotations

import asyncio
import os
import re
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

pytest.importorskip("textual_serve", reason="the web extra (textual-serve) is not installed")
from aiohttp import WSMsgType
from aiohttp.test_utils import TestClient, TestServer

from k8stui.web.auth import COOKIE, MAX_FAILURES_PER_MINUTE, Gate
from k8stui.web.cli import startup_warnings
from k8stui.web.server import GameServer, WebSettings

PLAYER = "0123456789abcdef0123456789abcdef"


async def client_for(settings: WebSettings) -> tuple[TestClient, GameServer]:
    server = GameServer(settings)
    client = TestClient(TestServer(server.make_app(), host="127.0.0.1", port=0))
    await client.start_server()
    return client, server


@pytest.fixture
async def open_client(tmp_path: Path) -> AsyncIterator[tuple[TestClient, GameServer]]:
    client, server = await client_for(WebSettings(data_dir=tmp_path, max_sessions=1))
    yield client, server
    await client.close()


@pytest.fixture
async def locked_client(tmp_path: Path) -> AsyncIterator[tuple[TestClient, GameServer]]:
    client, server = await client_for(WebSettings(data_dir=tmp_path, password="s3cret"))
    yield client, server
    await client.close()


async def test_each_new_tab_gets_its_own_player_page(open_client) -> None:
    client, _ = open_client
    first = await client.get("/", allow_redirects=False)
    second = await client.get("/", allow_redirects=False)
    assert first.status == second.status == 302
    ids = [re.fullmatch(r"/play/([0-9a-f]{32})", r.headers["Location"]) for r in (first, second)]
    assert all(ids) and ids[0].group(1) != ids[1].group(1)  # type: ignore[union-attr]
    page = await client.get(first.headers["Location"])
    assert page.status == 200
    assert f"/ws/{ids[0].group(1)}" in await page.text()  # type: ignore[union-attr]


async def test_player_ids_that_could_name_other_folders_are_refused(open_client) -> None:
    client, _ = open_client
    for bad in ("..%2F..%2Fetc", "ABC", "0123"):
        assert (await client.get(f"/play/{bad}")).status == 404


async def test_without_the_password_nothing_but_the_login_form(locked_client) -> None:
    client, _ = locked_client
    for path in ("/", f"/play/{PLAYER}", "/static/js/textual.js"):
        response = await client.get(path, allow_redirects=False)
        assert response.status == 401
        assert 'name="password"' in await response.text()
    assert (await client.get(f"/ws/{PLAYER}")).status == 401
    assert (await client.get("/healthz")).status == 200


async def test_the_right_password_earns_a_cookie_that_opens_the_game(locked_client) -> None:
    client, _ = locked_client
    wrong = await client.post("/login", data={"password": "guess"}, allow_redirects=False)
    assert wrong.status == 401 and "Wrong password" in await wrong.text()
    right = await client.post("/login", data={"password": "s3cret"}, allow_redirects=False)
    assert right.status == 302
    cookie = right.cookies[COOKIE]
    assert cookie["httponly"] and cookie["samesite"] == "Strict"
    assert (await client.get("/", allow_redirects=False)).status == 302
    assert (await client.get(f"/play/{PLAYER}")).status == 200


async def test_a_token_link_signs_in_and_drops_the_token_from_the_address(locked_client) -> None:
    client, _ = locked_client
    response = await client.get(f"/play/{PLAYER}?token=s3cret&fontsize=20", allow_redirects=False)
    assert response.status == 302
    assert response.headers["Location"] == f"/play/{PLAYER}?fontsize=20"
    assert (await client.get(response.headers["Location"])).status == 200


async def test_cross_site_game_sockets_are_refused(locked_client) -> None:
    client, _ = locked_client
    await client.post("/login", data={"password": "s3cret"}, allow_redirects=False)
    response = await client.get(
        f"/ws/{PLAYER}",
        headers={"Origin": "http://evil.example", "Upgrade": "websocket", "Connection": "Upgrade"},
    )
    assert response.status == 403


async def test_readiness_turns_503_when_the_class_is_full(open_client) -> None:
    client, server = open_client
    assert (await client.get("/readyz")).status == 200
    server.sessions[PLAYER] = object()  # type: ignore[assignment]
    full = await client.get("/readyz")
    assert full.status == 503
    assert await full.json() == {"sessions": 1, "max_sessions": 1}
    assert (await client.get("/play/" + "f" * 32)).status == 503
    server.sessions.clear()


async def test_an_idle_game_is_ended_and_its_process_is_gone(tmp_path: Path) -> None:
    settings = WebSettings(data_dir=tmp_path / "players", max_sessions=1, idle_timeout=3)
    client, server = await client_for(settings)
    try:
        socket = await client.ws_connect(f"/ws/{PLAYER}?width=80&height=24")
        second = await client.ws_connect(f"/ws/{'e' * 32}")
        refused = await second.receive(timeout=10)
        assert refused.type == WSMsgType.CLOSE and refused.data == 4003
        pid = None
        for _ in range(100):
            game = server.sessions.get(PLAYER)
            pid = game.pid if game is not None else None
            if pid:
                break
            await asyncio.sleep(0.1)
        assert pid is not None
        while True:
            message = await socket.receive(timeout=30)
            if message.type in (WSMsgType.CLOSE, WSMsgType.CLOSED):
                break
        assert message.data == 4000  # idle timeout
        for _ in range(100):
            if PLAYER not in server.sessions:
                break
            await asyncio.sleep(0.1)
        assert PLAYER not in server.sessions
        with pytest.raises(ProcessLookupError):
            os.kill(pid, 0)
        assert (tmp_path / "players" / PLAYER).is_dir()
    finally:
        await client.close()


def test_gate_cookies_expire_and_cannot_be_forged() -> None:
    gate = Gate("pw")
    cookie = gate.issue(now=1000.0)
    assert gate.cookie_ok(cookie, now=1000.0)
    assert not gate.cookie_ok(cookie, now=1000.0 + 13 * 3600)
    expires, _, signature = cookie.partition(".")
    assert not gate.cookie_ok(f"{int(expires) + 3600}.{signature}", now=1000.0)
    assert not Gate("pw").cookie_ok(cookie, now=1000.0)  # another server's salt
    assert not gate.cookie_ok("garbage", now=1000.0)


def test_gate_locks_out_an_address_that_keeps_guessing() -> None:
    gate = Gate("pw")
    for _ in range(MAX_FAILURES_PER_MINUTE):
        assert not gate.locked_out("10.0.0.9", now=50.0)
        gate.record_failure("10.0.0.9", now=50.0)
    assert gate.locked_out("10.0.0.9", now=60.0)
    assert not gate.locked_out("10.0.0.8", now=60.0)
    assert not gate.locked_out("10.0.0.9", now=111.0)


def test_binding_beyond_loopback_without_a_password_warns() -> None:
    assert startup_warnings(WebSettings(host="127.0.0.1")) == []
    assert startup_warnings(WebSettings(host="::1")) == []
    (warning,) = startup_warnings(WebSettings(host="0.0.0.0"))
    assert "WITHOUT authentication" in warning and "--password" in warning
    assert startup_warnings(WebSettings(host="0.0.0.0", password="x")) == []
