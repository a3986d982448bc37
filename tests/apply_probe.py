"""A loopback probe that records the strategic merge patch the real ``kubectl apply`` sends.

It serves ``/version`` (1.32), aggregated discovery for pods, services and deployments, one
live object for ``GET``, and records the ``PATCH`` body; ``kubectl apply --validate=false``
then computes its three-way patch from its built-in types. Used to record the fixtures in
``tests/fixtures/apply_patches/`` (``python -m tests.apply_probe``) and by a live test.
Binds 127.0.0.1 on port 0; stops when the ``with`` block ends.
"""

from __future__ import annotations

import json
import subprocess
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from k8stui.engine.apiserver.merge import LAST_APPLIED, last_applied_json
from tests.protobuf_probe import VERSION, kubectl

FIXTURES = Path(__file__).parent / "fixtures" / "apply_patches"
_CT = "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList"


def _resource(plural: str, group: str, kind: str) -> dict[str, Any]:
    return {
        "resource": plural,
        "responseKind": {"group": group, "version": "v1", "kind": kind},
        "scope": "Namespaced",
        "verbs": ["get", "list", "patch", "create"],
    }


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
                        _resource("pods", "", "Pod"),
                        _resource("services", "", "Service"),
                    ],
                }
            ],
        }
    ],
}
_APPS = {
    "kind": "APIGroupDiscoveryList",
    "apiVersion": "apidiscovery.k8s.io/v2",
    "items": [
        {
            "metadata": {"name": "apps"},
            "versions": [
                {"version": "v1", "resources": [_resource("deployments", "apps", "Deployment")]}
            ],
        }
    ],
}


class _Handler(BaseHTTPRequestHandler):
    live: dict[str, Any]
    patches: list[Any]

    def log_message(self, format: str, *args: object) -> None:
        return

    def _send(self, code: int, body: Any, ctype: str = "application/json") -> None:
        data = json.dumps(body).encode()
        self.send_response(code)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self) -> None:
        path = self.path.split("?")[0]
        if path == "/version":
            self._send(200, VERSION)
        elif path in ("/api", "/apis"):
            self._send(200, _CORE if path == "/api" else _APPS, _CT)
        elif path.endswith("/" + self.live["metadata"]["name"]):
            self._send(200, self.live)
        else:
            self._send(
                404,
                {
                    "kind": "Status",
                    "apiVersion": "v1",
                    "status": "Failure",
                    "reason": "NotFound",
                    "code": 404,
                    "metadata": {},
                },
            )

    def do_PATCH(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        self.patches.append(json.loads(self.rfile.read(length)))
        self._send(200, self.live)


@contextmanager
def probe(live: dict[str, Any]) -> Iterator[tuple[int, list[Any]]]:
    patches: list[Any] = []
    handler = type("Handler", (_Handler,), {"live": live, "patches": patches})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server.server_address[1], patches
    finally:
        server.shutdown()
        server.server_close()


def with_last_applied(obj: dict[str, Any]) -> dict[str, Any]:
    """``obj`` carrying its own last-applied annotation, as after ``kubectl apply``."""
    meta = obj.setdefault("metadata", {})
    annotations = meta.setdefault("annotations", {})
    annotations[LAST_APPLIED] = last_applied_json(obj)
    return obj


def capture(live: dict[str, Any], manifest: dict[str, Any]) -> Any:
    """The patch body kubectl 1.32 sends to move ``live`` to ``manifest`` (None: no PATCH)."""
    with probe(live) as (port, patches), tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "manifest.json"
        path.write_text(json.dumps(manifest))
        subprocess.run(
            [
                kubectl() or "kubectl",
                f"--server=http://127.0.0.1:{port}",
                f"--cache-dir={tmp}",
                "-n",
                "default",
                "apply",
                "--validate=false",
                "-f",
                str(path),
            ],
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
    return patches[0] if patches else None


def main() -> None:
    from tests.apply_scenarios import SCENARIOS

    FIXTURES.mkdir(parents=True, exist_ok=True)
    for name, (live, manifest) in SCENARIOS.items():
        patch = capture(live(), manifest())
        record = {"live": live(), "manifest": manifest(), "patch": patch}
        (FIXTURES / f"{name}.json").write_text(json.dumps(record, indent=1, sort_keys=True) + "\n")
        print(name, json.dumps(patch, sort_keys=True)[:150])


if __name__ == "__main__":
    main()
