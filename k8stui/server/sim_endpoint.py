"""``POST /k8stui/v1/sim``: the shell's ``sim`` verbs for a running server (outside the k8s paths).

Body ``{"args": ["advance", "90s"]}``; answer ``{"stdout": ..., "stderr": ..., "code": N}``.
"""

from __future__ import annotations

from typing import Any

from aiohttp import web

from k8stui.console.sim_cmd import run_sim
from k8stui.server.bodies import parse_json, read_body
from k8stui.server.state import ServerState
from k8stui.server.status import StatusError, json_response

SIM_PATH = "/k8stui/v1/sim"
MAX_ARGS = 32


async def run_sim_request(state: ServerState, request: web.Request) -> web.Response:
    """Run one ``sim`` command on the served cluster."""
    if request.method != "POST":
        raise StatusError(
            405,
            "the server does not allow this method on the requested resource",
            "MethodNotAllowed",
        )
    if not state.sim_enabled:
        raise StatusError(403, "sim commands are not available on this server", "Forbidden")
    value: Any = parse_json(await read_body(request))
    args = value.get("args") if isinstance(value, dict) else None
    if (
        not isinstance(args, list)
        or len(args) > MAX_ARGS
        or not all(isinstance(a, str) and len(a) < 4096 for a in args)
    ):
        raise StatusError(400, 'expected {"args": ["advance", "90s"]}', "BadRequest")
    if args[:1] in (["save"], ["load"]):
        raise StatusError(
            400, "sim save/load are not available over the API (they touch files)", "BadRequest"
        )
    out, err, code = run_sim(state.host, args)
    state.cluster  # noqa: B018 - re-attach the watch hub if the cluster changed
    return json_response({"stdout": out, "stderr": err, "code": code})
