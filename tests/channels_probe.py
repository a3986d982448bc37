"""A loopback aiohttp server that serves one simulated pod's GET and exec to the real kubectl.

Test support for ``tests/test_channels.py``: discovery (the minimal aggregated form of the
kubectl-api reference), ``GET`` of pods from the cluster, and the exec WebSocket wired with
``k8stui.server.channels`` exactly as its docstring tells the server to. Binds 127.0.0.1 on
port 0 and stops when the ``with`` block ends.
"""

from __future__ import annotations

import asyncio
import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from aiohttp import WSMsgType, web

from k8stui.engine.cluster import Cluster
from k8stui.engine.errors import ApiError
from k8stui.server import channels

_DISCOVERY_CT = "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList"
_CORE = {
    "kind": "APIGroupDiscoveryList",
    "apiVersion": "apidiscovery.k8s.io/v2",
    "items": [
        {
            "metadata": {},
            "versions": [
                {
                    "version": "v1",
                    "resources": [
                        {
                            "resource": "pods",
                            "responseKind": {"group": "", "version": "v1", "kind": "Pod"},
                            "scope": "Namespaced",
                            "singularResource": "pod",
                            "shortNames": ["po"],
                            "verbs": ["get", "list"],
                            "subresources": [
                                {
                                    "subresource": "exec",
                                    "responseKind": {
                                        "group": "",
                                        "version": "v1",
                                        "kind": "PodExecOptions",
                                    },
                                    "verbs": ["create", "get"],
                                }
                            ],
                        }
                    ],
                }
            ],
        }
    ],
}


def _status(code: int, reason: str, message: str) -> web.Response:
    body = {
        "kind": "Status",
        "apiVersion": "v1",
        "metadata": {},
        "status": "Failure",
        "message": message,
        "reason": reason,
        "code": code,
    }
    return web.json_response(body, status=code)


def build_app(cluster: Cluster) -> web.Application:
    async def discovery(request: web.Request) -> web.Response:
        body = _CORE if request.path == "/api" else {**_CORE, "items": []}
        return web.Response(body=json.dumps(body).encode(), headers={"Content-Type": _DISCOVERY_CT})

    async def version(request: web.Request) -> web.Response:
        return web.json_response({"major": "1", "minor": "32", "gitVersion": "v1.32.4"})

    async def get_pod(request: web.Request) -> web.Response:
        pod = cluster.get("Pod", request.match_info["name"], request.match_info["ns"])
        if pod is None:
            return _status(404, "NotFound", f'pods "{request.match_info["name"]}" not found')
        return web.json_response(pod)

    async def exec_pod(request: web.Request) -> web.StreamResponse:
        offered = [p.strip() for p in request.headers.get("Sec-WebSocket-Protocol", "").split(",")]
        protocol = channels.pick_protocol(offered)
        try:
            session = channels.ExecSession.start(
                cluster,
                request.match_info["ns"],
                request.match_info["name"],
                request.query.get("container"),
                request.query.getall("command", []),
                protocol or channels.V5,
            )
        except channels.UpgradeRefused as exc:
            return web.Response(status=exc.code, text=exc.message)
        except ApiError as exc:
            return _status(exc.code, exc.reason, exc.message)
        if protocol is None:  # kubectl's SPDY fallback: not served
            return _status(400, "BadRequest", "upgrade to SPDY is not supported")
        ws = web.WebSocketResponse(protocols=(protocol,))
        await ws.prepare(request)
        if request.query.get("stdin") == "true":
            async for msg in ws:
                if msg.type != WSMsgType.BINARY or session.feed(msg.data):
                    break
        for frame in session.finish():
            await ws.send_bytes(frame)
        await ws.close()
        return ws

    app = web.Application()
    app.router.add_get("/version", version)
    app.router.add_get("/api", discovery)
    app.router.add_get("/apis", discovery)
    app.router.add_get("/api/v1/namespaces/{ns}/pods/{name}", get_pod)
    app.router.add_route("*", "/api/v1/namespaces/{ns}/pods/{name}/exec", exec_pod)
    return app


@contextmanager
def serve(cluster: Cluster) -> Iterator[int]:
    """Run the probe in a thread; yields its port."""
    loop = asyncio.new_event_loop()
    runner = web.AppRunner(build_app(cluster))
    loop.run_until_complete(runner.setup())
    site = web.TCPSite(runner, "127.0.0.1", 0)
    loop.run_until_complete(site.start())
    port: int = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    thread = threading.Thread(target=loop.run_forever, daemon=True)
    thread.start()
    try:
        yield port
    finally:
        loop.call_soon_threadsafe(loop.stop)
        thread.join(timeout=10)
        loop.run_until_complete(runner.cleanup())
        loop.close()


def run_kubectl(port: int, cache: str, *args: str) -> Any:
    import subprocess

    from tests.protobuf_probe import kubectl

    cmd = [
        kubectl() or "kubectl",
        f"--server=http://127.0.0.1:{port}",
        f"--cache-dir={cache}",
        "-n",
        "default",
        *args,
    ]
    return subprocess.run(cmd, capture_output=True, text=True, timeout=60, check=False)
