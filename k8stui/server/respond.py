"""Answers: engine results become JSON with timestamps moved onto the wall clock (timeshift)."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

from k8stui.engine.apimachinery.field_order import go_order
from k8stui.server.timeshift import TimeMap, shift


@dataclass
class Answer:
    """A handler's result before rendering: body in sim time, status, extra headers."""

    body: Any
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)


def answer(
    state: Any, body: Any, status: int = 200, headers: dict[str, str] | None = None
) -> Answer:
    """Wrap a result (``state`` is accepted so every handler reads the same)."""
    return Answer(body, status, dict(headers or {}))


def encode(body: Any) -> bytes:
    """Compact JSON, as the real server writes it."""
    return json.dumps(body, separators=(",", ":"), ensure_ascii=False).encode()


async def render(time_map: TimeMap, result: Answer) -> web.Response:
    """Move the timestamps onto the wall clock and encode, in the API's field order."""
    body = go_order(shift(result.body, time_map.delta()))
    return web.Response(
        body=encode(body),
        status=result.status,
        content_type="application/json",
        headers=result.headers or None,
    )
